//! `diff`: what changed in a locality's standing between two dates, from the domain's grading.

use async_graphql::{SimpleObject, ID};

use super::enums::{RecognitionLevel, Status};
use super::scalars::Date;
use super::standing::MeasuredValue;
use crate::domain::catalog::CriteriaSet;
use crate::domain::locality::LocalityEvent;
use crate::domain::standing::{standing, CriterionStanding, Recorded, Standing};

/// A criterion whose status differs between the two dates.
#[derive(SimpleObject)]
pub struct CriterionChange {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub from: Status,
    pub to: Status,
}

/// An indicator whose grade or reading differs between the two dates.
#[derive(SimpleObject)]
pub struct IndicatorChange {
    pub code: String,
    pub criterion: String,
    pub from: Status,
    pub to: Status,
    pub reading_from: Option<MeasuredValue>,
    pub reading_to: Option<MeasuredValue>,
}

/// Changes in a standing from `from` to `to`, both graded as currently known.
#[derive(SimpleObject)]
pub struct StandingDiff {
    pub locality_id: ID,
    pub set: String,
    pub from: Date,
    pub to: Date,
    pub criteria_met_from: i32,
    pub criteria_met_to: i32,
    pub level_reached_from: Option<RecognitionLevel>,
    pub level_reached_to: Option<RecognitionLevel>,
    pub recognised_level_from: Option<RecognitionLevel>,
    pub recognised_level_to: Option<RecognitionLevel>,
    pub criteria: Vec<CriterionChange>,
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

/// Each date graded by the version of the set in force on it (`sets`: at `from`, at `to`).
pub fn diff(
    locality: &str,
    events: &[Recorded<LocalityEvent>],
    sets: (&CriteriaSet, &CriteriaSet),
    from: Date,
    to: Date,
    now: chrono::DateTime<chrono::Utc>,
) -> StandingDiff {
    let before = standing(events, sets.0, from.0, now);
    let after = standing(events, sets.1, to.0, now);
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
        set: sets.1.code.to_string(),
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
