//! When each criteria set grades: its days in force, the set in force for a kind and level on a
//! date, and the calendar days on which a standing can change without any fact.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::catalog::{Catalog, CriteriaSet};
use super::terms::{LocalityKind, RecognitionLevel};

/// The days a set grades its kinds of locality at its level: from the day it takes effect until
/// the next set for the same kinds and level takes effect (docs/decisions/recognised-status.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct InForce {
    pub from: NaiveDate,
    /// First day on which a later set grades instead; `None` while none does.
    pub until: Option<NaiveDate>,
}

impl InForce {
    pub fn contains(&self, on: NaiveDate) -> bool {
        self.from <= on && self.until.is_none_or(|u| on < u)
    }
}

impl Catalog {
    /// The national set that grades a locality of `kind` at `level` on `on`, if any, in its
    /// version in force that day; sets for a territory are resolved by
    /// [`Catalog::grading_set`], which knows where the locality is. Of two sets in force, the
    /// one that started later grades.
    pub fn in_force(
        &self,
        kind: LocalityKind,
        level: RecognitionLevel,
        on: NaiveDate,
    ) -> Option<&CriteriaSet> {
        self.versions()
            .iter()
            .filter(|s| s.level == level && s.applies_to(kind) && s.version_in_force.contains(on))
            .filter(|s| s.territory.is_none())
            .max_by_key(|s| (s.in_force.from, &s.code))
    }

    /// The last day on or before `today` on which a standing can change without any fact: a
    /// new year (targets vary by year) or a set or one of its versions coming into or going
    /// out of force. A present standing graded before it is stale.
    pub fn last_calendar_change(&self, today: NaiveDate) -> NaiveDate {
        let new_year = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        let versions = self.versions().iter();
        let in_force = versions.flat_map(|s| [s.in_force, s.version_in_force]);
        in_force
            .flat_map(|f| [Some(f.from), f.until])
            .flatten()
            .filter(|d| *d <= today)
            .chain([new_year])
            .max()
            .unwrap_or(new_year)
    }
}
