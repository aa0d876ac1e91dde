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
use super::sweep::{change_dates, Sweep};
use super::terms::{LocalityKind, RecognitionLevel};
use super::values::SetCode;

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
}

/// The set in force on `on` that the revocation rule measures a recognition at `held` against:
/// nâng cao and kiểu mẫu against the nâng cao set (QĐ 18/2022/QĐ-TTg), others their own level.
pub fn measuring_set(
    catalog: &Catalog,
    kind: LocalityKind,
    held: RecognitionLevel,
    on: NaiveDate,
) -> Option<&CriteriaSet> {
    let level = match held {
        RecognitionLevel::NtmKieuMau => RecognitionLevel::NtmNangCao,
        other => other,
    };
    catalog
        .in_force(kind, level, on)
        .filter(|s| s.revocation_act.is_some() && s.measures(held))
}

/// The recognised status on every date where it can change ([`change_dates`] of every version
/// of the catalogue), in date order. Facts are free of retractions.
pub fn recognised_history(facts: &[(u64, &LocalityEvent)], catalog: &Catalog) -> Vec<Recognised> {
    let dates = change_dates(facts, catalog.versions());
    let mut ordered: Vec<(NaiveDate, u64, &LocalityEvent)> = facts
        .iter()
        .filter_map(|(v, e)| e.effective_on().map(|d| (d, *v, *e)))
        .collect();
    ordered.sort_by_key(|(d, v, _)| (*d, *v));
    let mut profile = Profile::default();
    let mut applied = 0;
    let mut sweeps: HashMap<&SetCode, Sweep> = HashMap::new();
    // One sweep per set, switched to the version measuring on each date.
    let mut history = Vec::new();
    for on in dates {
        while let Some(&(date, version, event)) = ordered.get(applied) {
            if date > on {
                break;
            }
            profile.apply(version, event);
            applied += 1;
        }
        let status = status_on(&profile, catalog, on, |set| {
            let sweep = sweeps
                .entry(&set.code)
                .or_insert_with(|| Sweep::new(facts, set));
            sweep.use_version(set);
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
) -> Option<Recognised> {
    let by_then = facts
        .iter()
        .filter(|(_, e)| e.effective_on().is_some_and(|d| d <= on))
        .copied();
    let profile = Profile::fold(by_then);
    profile.established_on?;
    let status = status_on(&profile, catalog, on, |set| {
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
    mut risk: impl FnMut(&'c CriteriaSet) -> Option<RevocationRisk>,
) -> Recognised {
    let kind = profile.kinds.on(on).copied();
    let risks = profile.recognitions_held(on).filter_map(|held| {
        let set = measuring_set(catalog, kind?, held.level, on)?;
        risk(set)
    });
    Recognised {
        on,
        exists: profile.exists_on(on),
        kind,
        at_risk: risks.reduce(worst),
        held: profile.highest_held(on).cloned(),
        pending_acknowledgement: profile.pending_acknowledgement().count(),
    }
}

/// The more serious of two outcomes.
fn worst(a: RevocationRisk, b: RevocationRisk) -> RevocationRisk {
    let rank = |r: RevocationRisk| match r {
        RevocationRisk::NotAtRisk => 0,
        RevocationRisk::CannotBeAssessed => 1,
        RevocationRisk::KeyCriterionFailing => 2,
        RevocationRisk::HalfOrMoreFailing => 3,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}
