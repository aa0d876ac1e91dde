//! Versions of a criteria set: published versions added to the base catalogue, the days each
//! version grades, and the version in force on a date (docs/decisions/published-criteria-sets.md).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::catalog::{Catalog, CatalogError, CriteriaSet, InForce, Problem, SetCode};

/// A version as recorded in the log: its file, and where and when it was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub file: String,
    pub toml: String,
    pub position: i64,
    pub recorded_at: DateTime<Utc>,
}

impl Catalog {
    /// This catalogue with the versions recorded in the log added: a file this catalogue already
    /// holds (same hash) is that version, now with its position; any other is a new version.
    /// Fails on a file that no longer passes the checks or names an unknown set.
    pub fn with_published<'p>(
        &self,
        published: impl IntoIterator<Item = &'p Published>,
    ) -> Result<Catalog, CatalogError> {
        let mut versions = self.versions.clone();
        for p in published {
            let mut set = super::catalog_load::parse_set(&p.file, &p.toml)?;
            match versions.iter_mut().find(|v| v.version == set.version) {
                Some(known) if known.published_at.is_none_or(|at| p.position < at) => {
                    known.published_at = Some(p.position);
                    known.recorded_at = Some(p.recorded_at);
                }
                Some(_) => {}
                None => {
                    set.published_at = Some(p.position);
                    set.recorded_at = Some(p.recorded_at);
                    versions.push(set);
                }
            }
        }
        Self::assemble(versions)
    }

    /// The catalogue as the log knew it up to `position`: later versions are left out, and a
    /// file of the base catalogue recorded later counts as not recorded yet.
    pub fn as_known_at(&self, position: i64) -> Result<Catalog, CatalogError> {
        self.known_when(|set| set.published_at.is_some_and(|at| at <= position))
    }

    /// The catalogue as the log knew it at time `t` (see [`Catalog::as_known_at`]).
    pub fn as_known_at_time(&self, t: DateTime<Utc>) -> Result<Catalog, CatalogError> {
        self.known_when(|set| set.recorded_at.is_some_and(|at| at <= t))
    }

    fn known_when(&self, known: impl Fn(&CriteriaSet) -> bool) -> Result<Catalog, CatalogError> {
        let versions = self
            .versions
            .iter()
            .filter_map(|v| match (known(v), v.shipped) {
                (true, _) => Some(v.clone()),
                (false, true) => Some(CriteriaSet {
                    published_at: None,
                    recorded_at: None,
                    ..v.clone()
                }),
                (false, false) => None,
            });
        Self::assemble(versions.collect())
    }

    /// Every version of every set, ordered by code, then start, then position in the log.
    pub fn versions(&self) -> &[CriteriaSet] {
        &self.versions
    }

    /// The versions of one set, oldest first.
    pub fn versions_of(&self, code: &SetCode) -> &[CriteriaSet] {
        let from = self.versions.partition_point(|v| &v.code < code);
        let to = self.versions.partition_point(|v| &v.code <= code);
        &self.versions[from..to]
    }

    /// The version of `code` that grades on `on`: of those started by then, the one with the
    /// latest start, then the last published; before the first start, the first version.
    pub fn version_on(&self, code: &SetCode, on: NaiveDate) -> Option<&CriteriaSet> {
        let versions = self.versions_of(code);
        versions
            .iter()
            .rev()
            .find(|v| v.starts_on() <= on)
            .or_else(|| versions.first())
    }

    /// The version with hash `version`, if any.
    pub fn version(&self, version: &str) -> Option<&CriteriaSet> {
        self.versions.iter().find(|v| v.version == version)
    }

    /// Orders the versions, lays each restatement over the latest version of the set it
    /// restates, checks that every `supersedes` names a set, and sets the days each set and each
    /// version grades.
    pub(super) fn assemble(mut versions: Vec<CriteriaSet>) -> Result<Catalog, CatalogError> {
        versions.sort_by_key(order);
        super::catalog_territory::restate_all(&mut versions)?;
        for v in &versions {
            let Some(superseded) = &v.supersedes else {
                continue;
            };
            if !versions.iter().any(|s| &s.code == superseded) {
                return Err(CatalogError::Invalid {
                    file: v.file.clone(),
                    key: "supersedes".into(),
                    problem: Problem::UnknownSet(superseded.to_string()),
                });
            }
        }
        let mut sets: Vec<CriteriaSet> = Vec::new();
        let mut starts: HashMap<SetCode, NaiveDate> = HashMap::new();
        for v in &versions {
            starts
                .entry(v.code.clone())
                .or_insert_with(|| v.starts_on());
            match sets.last_mut() {
                Some(last) if last.code == v.code => *last = v.clone(),
                _ => sets.push(v.clone()),
            }
        }
        for set in &mut sets {
            set.in_force.from = starts[&set.code];
        }
        let until: HashMap<SetCode, Option<NaiveDate>> = sets
            .iter()
            .map(|s| (s.code.clone(), superseded_on(s, &sets)))
            .collect();
        for set in &mut sets {
            set.in_force.until = until[&set.code];
        }
        place_versions(&mut versions, &sets);
        for set in &mut sets {
            if let Some(v) = versions.iter().find(|v| v.version == set.version) {
                set.version_in_force = v.version_in_force;
            }
        }
        Ok(Catalog { sets, versions })
    }
}

/// Versions of a set in the order they take over: by start, then by position in the log (a
/// version not recorded yet first).
fn order(v: &CriteriaSet) -> (SetCode, NaiveDate, i64) {
    (v.code.clone(), v.starts_on(), v.published_at.unwrap_or(-1))
}

/// Each version grades from its start until the next later start of its set, within the set's
/// days; one followed by a version of the same start grades no day (a correction replaces it).
fn place_versions(versions: &mut [CriteriaSet], sets: &[CriteriaSet]) {
    for i in 0..versions.len() {
        let Some(set) = sets.iter().find(|s| s.code == versions[i].code) else {
            continue;
        };
        let from = versions[i].starts_on();
        let next = versions[i + 1..]
            .iter()
            .take_while(|v| v.code == set.code)
            .map(CriteriaSet::starts_on)
            .next();
        let until = match next {
            Some(next) if next == from => Some(from),
            Some(next) => Some(set.in_force.until.map_or(next, |u| u.min(next))),
            None => set.in_force.until,
        };
        versions[i].in_force = set.in_force;
        versions[i].version_in_force = InForce { from, until };
    }
}

/// The day the set's successor takes effect: the earliest start of a set that names it in
/// `supersedes`, or of a set of the same level, for one of the same kinds, whose period begins
/// after this set's ends; a set for a territory ends only sets of its own territory. Sets whose
/// periods overlap (a province's own set beside the national one) do not end each other unless
/// one says it supersedes the other.
fn superseded_on(set: &CriteriaSet, sets: &[CriteriaSet]) -> Option<NaiveDate> {
    let implicit = sets
        .iter()
        .filter(|s| s.level == set.level && s.period.from > set.period.to)
        .filter(|s| s.territory.is_none() || s.territory == set.territory)
        .filter(|s| s.applies_to.iter().any(|k| set.applies_to(*k)));
    let explicit = sets
        .iter()
        .filter(|s| s.supersedes.as_ref() == Some(&set.code));
    implicit.chain(explicit).map(|s| s.in_force.from).min()
}

#[cfg(test)]
#[path = "catalog/versions.rs"]
mod tests;
