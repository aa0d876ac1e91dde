//! The filter of the `localities` list and its translation into the SQL list's filter.

use async_graphql::{InputObject, ID};

use super::enums::{LocalityKind, RecognitionLevel, Status};
use super::scalars::Date;
use super::ApiError;
use crate::domain::diacritics::search_key;
use crate::domain::locality::LocalityId;
use crate::domain::rules::Status as DomainStatus;
use crate::domain::terms::{LocalityKind as DomainKind, RecognitionLevel as DomainLevel};
use crate::projection::history::spelling;
use crate::projection::read::{ListFilter, StandingFilter, TreeOn};

/// Which localities to list; every given field must hold. The list is that of one day, `on`
/// (default today, Vietnam's date): the localities existing that day, each with the name, code,
/// kind and parent of that day, which `within`, `ids`, `codes`, `kind`, `kinds`, `name` and
/// the orders by name and code read. The filters on standings (`set`, `recognisedLevel`,
/// `atRisk`, `pendingAcknowledgement`, `criteriaMet`, `criterion`) read the present standings,
/// graded today, whatever `on`; one standing must satisfy all of them.
#[derive(InputObject, Clone, Debug, Default)]
pub struct LocalityFilter {
    /// The day of the list (default today).
    pub on: Option<Date>,
    /// Also the localities that had ended by `on` (merged, split, dissolved), where they stood
    /// when they ended, with their last name, code and kind.
    #[graphql(default)]
    pub include_ended: bool,
    /// Only localities below this one (its whole subtree on `on`).
    pub within: Option<ID>,
    /// Only these localities (by id).
    pub ids: Option<Vec<ID>>,
    /// Only localities holding one of these official codes on `on`.
    pub codes: Option<Vec<String>>,
    /// Only localities of this kind on `on`.
    pub kind: Option<LocalityKind>,
    /// Only localities of one of these kinds on `on` (with `kind`, both must hold).
    pub kinds: Option<Vec<LocalityKind>>,
    /// Only localities with a present standing for this criteria set (e.g.
    /// `NTM-XA-2021-2025`); the other standing filters then read that set's standing.
    pub set: Option<String>,
    /// Only localities holding this recognised level in their present standing (in `set`,
    /// when given).
    pub recognised_level: Option<RecognitionLevel>,
    /// Only recognised localities at risk of revocation (true) or not at risk (false), in
    /// their present standing (in `set`, when given).
    pub at_risk: Option<bool>,
    /// Only localities whose present standing (in `set`, when given) has recognitions pending
    /// acknowledgement after a merger (true), or has none (false).
    pub pending_acknowledgement: Option<bool>,
    /// Only localities meeting from `min` to `max` criteria in their present standing for
    /// `set` (required).
    pub criteria_met: Option<CriteriaMetRange>,
    /// Only localities where a criterion of `set` (required) has this present status.
    pub criterion: Option<CriterionFilter>,
    /// Only localities that had ended by `on` (true: implies `includeEnded`) or that exist on
    /// `on` (false).
    pub ended: Option<bool>,
    /// Part of the name on `on`, ignoring case and Vietnamese diacritics: "thach trung" finds
    /// "Thạch Trung".
    pub name: Option<String>,
}

/// A range of criteria met, both ends included; either end may be left open.
#[derive(InputObject, Clone, Copy, Debug, Default)]
pub struct CriteriaMetRange {
    /// At least this many criteria met.
    pub min: Option<i32>,
    /// At most this many criteria met.
    pub max: Option<i32>,
}

/// A criterion of the filter's set and the present status it must have.
#[derive(InputObject, Clone, Debug)]
pub struct CriterionFilter {
    /// The criterion's (or level condition's) code in the set, e.g. `17`.
    pub code: String,
    /// Its present status: official when assessed, else computed.
    pub status: Status,
}

impl LocalityFilter {
    /// The tree the list is read on: that of `on`, or of `today` without it.
    pub fn tree(&self, today: chrono::NaiveDate) -> TreeOn {
        TreeOn {
            on: self.on.map_or(today, |d| d.0),
            include_ended: self.include_ended || self.ended == Some(true),
        }
    }

    /// The SQL list's filter; a malformed id or a standing filter that needs `set` without it
    /// is `VALIDATION`.
    pub fn to_list(&self) -> Result<ListFilter, ApiError> {
        let ids = self
            .ids
            .as_ref()
            .map(|ids| ids.iter().map(locality_id).collect::<Result<Vec<_>, _>>())
            .transpose()?;
        let needs_set =
            |field: &str| ApiError::validation(field, format!("{field} needs the filter's set"));
        if self.set.is_none() {
            if self.criteria_met.is_some() {
                return Err(needs_set("criteriaMet"));
            }
            if self.criterion.is_some() {
                return Err(needs_set("criterion"));
            }
        }
        let spelled = |k: &LocalityKind| DomainKind::from(*k).spelling().to_owned();
        let mut kinds: Option<Vec<String>> = self
            .kinds
            .as_ref()
            .map(|kinds| kinds.iter().map(spelled).collect());
        if let Some(kind) = &self.kind {
            // Both must hold: the one kind, if the list names it.
            let one = spelled(kind);
            kinds = Some(match kinds {
                Some(list) => list.into_iter().filter(|k| *k == one).collect(),
                None => vec![one],
            });
        }
        let range = self.criteria_met.unwrap_or_default();
        Ok(ListFilter {
            within: self.within.as_ref().map(|id| id.as_str().to_owned()),
            ids,
            codes: self.codes.clone(),
            kinds,
            ended: self.ended,
            name: self.name.as_deref().map(search_key),
            standing: StandingFilter {
                set: self.set.clone(),
                recognised_level: self
                    .recognised_level
                    .map(|l| DomainLevel::from(l).spelling().to_owned()),
                at_risk: self.at_risk,
                pending_acknowledgement: self.pending_acknowledgement,
                criteria_met_min: range.min,
                criteria_met_max: range.max,
                criterion: self
                    .criterion
                    .as_ref()
                    .map(|c| (c.code.clone(), spelling(&DomainStatus::from(c.status)))),
            },
        })
    }
}

/// A locality id given in a filter; malformed is `VALIDATION`.
fn locality_id(id: &ID) -> Result<String, ApiError> {
    match id.parse::<LocalityId>() {
        Ok(_) => Ok(id.as_str().to_owned()),
        Err(_) => Err(ApiError::validation(
            "ids",
            format!("{:?} is not a locality id (a UUID)", id.as_str()),
        )),
    }
}
