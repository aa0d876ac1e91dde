//! `diff`: what changed in a locality's standing between two dates, from the domain's grading.

use async_graphql::{SimpleObject, ID};

use super::enums::{RecognitionLevel, Status};
use super::scalars::Date;
use super::standing::MeasuredValue;
use crate::domain::catalog::Grading;
use crate::domain::locality::LocalityEvent;
use crate::domain::standing::{standing_within, CriterionStanding, Recorded, Standing};
use crate::domain::territory::Territory;

/// A criterion whose status differs between the two dates.
#[derive(SimpleObject)]
pub struct CriterionChange {
    /// Criterion or condition code in the set, e.g. `17`.
    pub code: String,
    /// Name in Vietnamese, as the legal act words it.
    pub name_vi: String,
    /// Name in English (the catalogue's translation).
    pub name_en: String,
    /// Its status (official when assessed, else computed) on the diff's `from` date.
    pub from: Status,
    /// Its status on the diff's `to` date.
    pub to: Status,
}

/// An indicator whose grade or reading differs between the two dates.
#[derive(SimpleObject)]
pub struct IndicatorChange {
    /// Indicator code in the set, e.g. `17.8`.
    pub code: String,
    /// Code of the criterion (or condition) it belongs to.
    pub criterion: String,
    /// Its grade on the diff's `from` date.
    pub from: Status,
    /// Its grade on the diff's `to` date.
    pub to: Status,
    /// The latest reading effective by `from`; null: none.
    pub reading_from: Option<MeasuredValue>,
    /// The latest reading effective by `to`; null: none.
    pub reading_to: Option<MeasuredValue>,
}

/// Changes in a standing from `from` to `to`, both graded as currently known.
#[derive(SimpleObject)]
pub struct StandingDiff {
    /// Id of the locality.
    pub locality_id: ID,
    /// Code of the set asked for, e.g. `NTM-XA-2021-2025` (each date graded by the set grading
    /// the locality then).
    pub set: String,
    /// The earlier valid date compared.
    pub from: Date,
    /// The later valid date compared.
    pub to: Date,
    /// Criteria met on `from` (conditions gating higher levels not counted).
    pub criteria_met_from: i32,
    /// Criteria met on `to`.
    pub criteria_met_to: i32,
    /// The level the criteria reach on `from`; null: none.
    pub level_reached_from: Option<RecognitionLevel>,
    /// The level the criteria reach on `to`; null: none.
    pub level_reached_to: Option<RecognitionLevel>,
    /// The highest level recognised under the set on `from`; null: none.
    pub recognised_level_from: Option<RecognitionLevel>,
    /// The highest level recognised under the set on `to`; null: none.
    pub recognised_level_to: Option<RecognitionLevel>,
    /// The criteria and conditions whose status changed, in catalogue order.
    pub criteria: Vec<CriterionChange>,
    /// The indicators whose grade or reading changed.
    pub indicators: Vec<IndicatorChange>,
}

fn recognised(s: &Standing) -> Option<RecognitionLevel> {
    s.recognitions
        .iter()
        .filter(|r| r.set == s.set)
        .map(|r| r.level)
        .max()
        .map(Into::into)
}

fn all_criteria(s: &Standing) -> impl Iterator<Item = &CriterionStanding> {
    s.criteria.iter().chain(&s.conditions)
}

/// The two standings are graded each by the set grading the locality on its date (a
/// restatement for its territory may grade one and not the other).
pub fn diff(
    locality: &str,
    events: &[Recorded<LocalityEvent>],
    (grading, territory): (&Grading<'_>, &Territory),
    from: Date,
    to: Date,
    now: chrono::DateTime<chrono::Utc>,
) -> StandingDiff {
    let before = standing_within(events, grading, territory, from.0, now);
    let after = standing_within(events, grading, territory, to.0, now);
    let mut criteria = Vec::new();
    let mut indicators = Vec::new();
    for (a, b) in all_criteria(&before).zip(all_criteria(&after)) {
        if a.status != b.status {
            criteria.push(CriterionChange {
                code: b.code.to_string(),
                name_vi: b.name_vi.clone(),
                name_en: b.name_en.clone(),
                from: a.status.into(),
                to: b.status.into(),
            });
        }
        for (i, j) in a.indicators.iter().zip(&b.indicators) {
            let read = |x: &crate::domain::standing::IndicatorStanding| {
                x.reading.as_ref().map(|r| r.value)
            };
            if i.status != j.status || read(i) != read(j) {
                indicators.push(IndicatorChange {
                    code: j.code.to_string(),
                    criterion: b.code.to_string(),
                    from: i.status.into(),
                    to: j.status.into(),
                    reading_from: read(i).as_ref().map(MeasuredValue::from),
                    reading_to: read(j).as_ref().map(MeasuredValue::from),
                });
            }
        }
    }
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    StandingDiff {
        locality_id: ID(locality.to_owned()),
        set: grading.base.code.to_string(),
        from,
        to,
        criteria_met_from: count(before.criteria_met),
        criteria_met_to: count(after.criteria_met),
        level_reached_from: before.level_reached.map(Into::into),
        level_reached_to: after.level_reached.map(Into::into),
        recognised_level_from: recognised(&before),
        recognised_level_to: recognised(&after),
        criteria,
        indicators,
    }
}
