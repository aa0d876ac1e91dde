//! `CriterionCount`: units meeting one criterion of a roll-up, named as the catalogue names it.

use async_graphql::SimpleObject;

use crate::domain::catalog::CriteriaSet;

/// Units under one parent meeting one criterion.
#[derive(SimpleObject)]
pub struct CriterionCount {
    /// Code of the criterion or condition in the grading set, e.g. `17`.
    pub criterion: String,
    /// The criterion's name in Vietnamese, from the catalogue (e.g. "Quy hoạch").
    pub name_vi: String,
    /// The criterion's name in English, from the catalogue.
    pub name_en: String,
    /// Units meeting it on the date.
    pub units: i64,
    /// `units` as a percentage of the summary's `units` (0–100; 0 when it has none).
    pub percent: f64,
}

impl CriterionCount {
    /// The count of criterion (or condition) `code` of `set`, with its names.
    pub fn of(set: Option<&CriteriaSet>, code: &str, units: i64, percent: f64) -> Self {
        let (name_vi, name_en) = set
            .and_then(|s| {
                s.criteria
                    .iter()
                    .chain(s.conditions.iter().map(|c| &c.criterion))
                    .find(|c| c.code.as_str() == code)
            })
            .map(|c| (c.name_vi.clone(), c.name_en.clone()))
            .unwrap_or_default();
        CriterionCount {
            criterion: code.to_owned(),
            name_vi,
            name_en,
            units,
            percent,
        }
    }
}
