//! The figures of a [`Summary`] from roll-ups: levels, bands and criteria for the parent and
//! each child, and the change since a second date.

use chrono::NaiveDate;

use super::criterion_count::CriterionCount;
use super::scalars::Date;
use super::summary::{BandCount, LevelCount, Programme, Summary};
use crate::domain::catalog::CriteriaSet;
use crate::domain::terms::RecognitionLevel as DomainLevel;
use crate::projection::read::{Figures, Rollup};

/// What the figures are of.
pub struct Question<'a> {
    pub programme: Programme,
    pub set: Option<&'a CriteriaSet>,
}

impl Summary {
    /// The summary of a roll-up, its children's, and the comparison with `previous`.
    /// The summary of `now`, and with `previous` (the roll-up of another date and the question
    /// it answers: that date may be graded by another set) the change since then.
    pub fn of(
        question: &Question<'_>,
        parent: &str,
        now: &Rollup,
        previous: Option<(&Question<'_>, &Rollup)>,
    ) -> Self {
        let earlier = previous.map(|(_, rollup)| rollup);
        let mut summary = Self::figures(
            question,
            parent,
            now.on,
            &now.total,
            earlier.map(|p| &p.total),
        );
        summary.children = now
            .children
            .iter()
            .map(|(child, figures)| {
                let before = earlier.and_then(|p| p.children.iter().find(|(c, _)| c == child));
                Self::figures(question, child, now.on, figures, before.map(|(_, f)| f))
            })
            .collect();
        summary.previous =
            previous.map(|(question, rollup)| Box::new(Self::of(question, parent, rollup, None)));
        summary
    }

    fn figures(
        question: &Question<'_>,
        locality: &str,
        on: NaiveDate,
        f: &Figures,
        before: Option<&Figures>,
    ) -> Self {
        let holding = |figures: &Figures, level: DomainLevel, exactly: bool| -> i64 {
            figures
                .levels
                .iter()
                .filter_map(|(spelled, units)| {
                    let held = spelled.as_deref().and_then(DomainLevel::from_spelling)?;
                    let counts = if exactly {
                        held == level
                    } else {
                        held.includes(level)
                    };
                    counts.then_some(*units)
                })
                .sum()
        };
        let levels: Vec<LevelCount> = question
            .programme
            .levels()
            .iter()
            .map(|level| {
                let units = holding(f, *level, false);
                LevelCount {
                    level: (*level).into(),
                    units,
                    percent: f.percent(units),
                    exactly: holding(f, *level, true),
                    change: before.map(|b| units - holding(b, *level, false)),
                }
            })
            .collect();
        let recognised: i64 = levels.iter().map(|l| l.exactly).sum();
        let set = question.set;
        let bands = set.map(|s| s.bands.as_slice()).unwrap_or_default();
        Summary {
            locality_id: locality.to_owned(),
            on: Date(on),
            programme: question.programme,
            set: set.map(|s| s.code.to_string()),
            criteria_total: set.map_or(0, |s| i32::try_from(s.criteria.len()).unwrap_or(i32::MAX)),
            units: f.units,
            units_with_data: f.with_data,
            unrecognised: f.units - recognised,
            average_criteria_met: f.average_criteria_met(),
            average_criteria_met_change: before
                .map(|b| f.average_criteria_met() - b.average_criteria_met()),
            bands: bands
                .iter()
                .zip(&f.bands)
                .map(|(band, units)| BandCount {
                    from: i32::try_from(band.from).unwrap_or(i32::MAX),
                    to: i32::try_from(band.to).unwrap_or(i32::MAX),
                    units: *units,
                    percent: f.percent(*units),
                })
                .collect(),
            below: f.below,
            at_risk: f.at_risk,
            cannot_be_assessed: f.cannot_be_assessed,
            pending_acknowledgement: f.pending_acknowledgement,
            criteria_passed: f
                .criteria_passed
                .iter()
                .map(|(criterion, units)| {
                    CriterionCount::of(set, criterion, *units, f.percent(*units))
                })
                .collect(),
            levels,
            children: Vec::new(),
            previous: None,
            completion: None,
            districts: None,
        }
    }
}
