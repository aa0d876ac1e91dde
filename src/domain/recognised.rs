//! A locality's recognised status over valid time, whatever set granted it: a recognition holds
//! from its decision until revoked, until a merger ends the locality (its successor holds it only
//! once acknowledged), or until the locality becomes a kind that cannot hold its level. Each held
//! recognition is measured by the revocation rule against the set in force that measures its
//! level on the date (docs/decisions/recognised-status.md).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::catalog::{Catalog, CriteriaSet};
use super::event::LocalityEvent;
use super::profile::{Profile, RecognitionRecord};
use super::rules::RevocationRisk;
use super::sweep::{change_dates_within, Sweep};
use super::terms::{LocalityKind, RecognitionLevel};
use super::territory::Territory;

/// The recognised status on one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognised {
    pub on: NaiveDate,
    pub exists: bool,
    pub kind: Option<LocalityKind>,
    /// The highest recognition held, of any set.
    pub held: Option<RecognitionRecord>,
    /// Recognitions carried over by a merger and not yet acknowledged: not held.
    pub pending_acknowledgement: usize,
    /// The worst outcome of the revocation rule over the held recognitions; `None` when no set
    /// in force with a revocation rule measures any of them.
    pub at_risk: Option<RevocationRisk>,
    /// A recognition was revoked and the locality does not hold its level again: what a
    /// district's revocation rule counts among its communes (QĐ 18/2022/QĐ-TTg).
    pub revoked: bool,
}

/// The set in force on `on` that the revocation rule measures a recognition at `held` against:
/// nâng cao and kiểu mẫu against the nâng cao set (QĐ 18/2022/QĐ-TTg), others their own level;
/// a province's restatement for a locality inside it ([`Catalog::grading_set`]).
pub fn measuring_set<'c>(
    catalog: &'c Catalog,
    kind: LocalityKind,
    held: RecognitionLevel,
    on: NaiveDate,
    territory: &Territory,
) -> Option<&'c CriteriaSet> {
    let level = match held {
        RecognitionLevel::NtmKieuMau => RecognitionLevel::NtmNangCao,
        other => other,
    };
    catalog
        .grading_set(kind, level, on, territory)
        .filter(|s| s.revocation_act.is_some() && s.measures(held))
}

/// The recognised status on every date where it can change ([`change_dates_within`] of every version
/// of the catalogue, and the days the territory changes), in date order. Facts are free of
/// retractions.
pub fn recognised_history(
    facts: &[(u64, &LocalityEvent)],
    catalog: &Catalog,
    territory: &Territory,
) -> Vec<Recognised> {
    let dates = change_dates_within(facts, catalog.versions(), territory);
    let mut ordered: Vec<(NaiveDate, u64, &LocalityEvent)> = facts
        .iter()
        .filter_map(|(v, e)| e.effective_on().map(|d| (d, *v, *e)))
        .collect();
    ordered.sort_by_key(|(d, v, _)| (*d, *v));
    let mut profile = Profile::default();
    let mut applied = 0;
    // One sweep per version (or restatement) that measures on some date.
    let mut sweeps: HashMap<&str, Sweep> = HashMap::new();
    let mut history = Vec::new();
    for on in dates {
        while let Some(&(date, version, event)) = ordered.get(applied) {
            if date > on {
                break;
            }
            profile.apply(version, event);
            applied += 1;
        }
        let status = status_on(&profile, catalog, on, territory, |set| {
            let sweep = sweeps
                .entry(set.version.as_str())
                .or_insert_with(|| Sweep::new(facts, set));
            sweep.grades(on).at_risk
        });
        history.push(status);
    }
    history
}

/// The recognised status on one date, graded directly from the facts effective by then (what
/// [`recognised_history`] holds for that date: a property test checks they agree).
pub fn recognised_on(
    facts: &[(u64, &LocalityEvent)],
    catalog: &Catalog,
    on: NaiveDate,
    territory: &Territory,
) -> Option<Recognised> {
    let by_then = facts
        .iter()
        .filter(|(_, e)| e.effective_on().is_some_and(|d| d <= on))
        .copied();
    let profile = Profile::fold(by_then);
    profile.established_on?;
    let status = status_on(&profile, catalog, on, territory, |set| {
        Sweep::new(facts, set).grades(on).at_risk
    });
    Some(status)
}

/// The status on `on` of a profile folded from the facts effective by then; `risk` grades the
/// revocation rule for a measuring set.
fn status_on<'c>(
    profile: &Profile,
    catalog: &'c Catalog,
    on: NaiveDate,
    territory: &Territory,
    mut risk: impl FnMut(&'c CriteriaSet) -> Option<RevocationRisk>,
) -> Recognised {
    let kind = profile.kinds.on(on).copied();
    let risks = profile.recognitions_held(on).filter_map(|held| {
        let set = measuring_set(catalog, kind?, held.level, on, territory)?;
        risk(set)
    });
    Recognised {
        on,
        exists: profile.exists_on(on),
        kind,
        at_risk: risks.reduce(worst),
        held: profile.highest_held(on).cloned(),
        pending_acknowledgement: profile.pending_acknowledgement().count(),
        revoked: revoked_not_regained(profile, on),
    }
}

/// Whether a revoked recognition's level is not held on `on` (by it or a level including it).
fn revoked_not_regained(profile: &Profile, on: NaiveDate) -> bool {
    profile
        .recognitions
        .iter()
        .filter(|r| r.revoked_by.is_some())
        .any(|r| {
            !profile
                .recognitions_held(on)
                .any(|h| h.level.includes(r.level))
        })
}

/// The more serious of two outcomes.
fn worst(a: RevocationRisk, b: RevocationRisk) -> RevocationRisk {
    let rank = |r: RevocationRisk| match r {
        RevocationRisk::NotAtRisk => 0,
        RevocationRisk::CannotBeAssessed => 1,
        RevocationRisk::KeyCriterionFailing => 2,
        RevocationRisk::HalfOrMoreFailing | RevocationRisk::CommunesRevoked => 3,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}
