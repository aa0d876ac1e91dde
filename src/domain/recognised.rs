//! A locality's recognised status over valid time, whatever set granted it: a recognition holds
//! from its decision until revoked, until a merger ends the locality (its successor holds it only
//! once acknowledged), or until the locality becomes a kind that cannot hold its level. Each held
//! recognition is measured by the revocation rule against the set in force that measures its
//! level on the date (docs/decisions/recognised-status.md).

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use super::catalog::{Catalog, CriteriaSet};
use super::event::LocalityEvent;
use super::profile::{Profile, RecognitionRecord};
use super::rules::RevocationRisk;
use super::sweep::Sweep;
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

/// The recognised status on every date where it can change, in date order: every effective date
/// of a fact, every 1 January (targets vary by year) and every day a set starts or stops being
/// in force, from the first fact on. Facts are free of retractions.
pub fn recognised_history(facts: &[(u64, &LocalityEvent)], catalog: &Catalog) -> Vec<Recognised> {
    let mut ordered: Vec<(NaiveDate, u64, &LocalityEvent)> = facts
        .iter()
        .filter_map(|(v, e)| e.effective_on().map(|d| (d, *v, *e)))
        .collect();
    ordered.sort_by_key(|(d, v, _)| (*d, *v));
    let mut profile = Profile::default();
    let mut applied = 0;
    let mut sweeps: HashMap<&SetCode, Sweep> = HashMap::new();
    let mut history = Vec::new();
    for on in dates(&ordered, catalog) {
        while let Some(&(date, version, event)) = ordered.get(applied) {
            if date > on {
                break;
            }
            profile.apply(version, event);
            applied += 1;
        }
        let kind = profile.kinds.on(on).copied();
        let mut at_risk: Option<RevocationRisk> = None;
        for held in profile.recognitions_held(on) {
            let Some(set) = kind.and_then(|k| measuring_set(catalog, k, held.level, on)) else {
                continue;
            };
            let sweep = sweeps
                .entry(&set.code)
                .or_insert_with(|| Sweep::new(facts, set));
            if let Some(risk) = sweep.grades(on).at_risk {
                at_risk = Some(at_risk.map_or(risk, |r| worst(r, risk)));
            }
        }
        history.push(Recognised {
            on,
            exists: profile.exists_on(on),
            kind,
            held: profile.highest_held(on).cloned(),
            pending_acknowledgement: profile.pending_acknowledgement().count(),
            at_risk,
        });
    }
    history
}

/// The recognised status on one date (the last of [`recognised_history`] up to it).
pub fn recognised_on(
    facts: &[(u64, &LocalityEvent)],
    catalog: &Catalog,
    on: NaiveDate,
) -> Option<Recognised> {
    let mut last = recognised_history(facts, catalog)
        .into_iter()
        .take_while(|r| r.on <= on)
        .last()?;
    if last.on < on {
        // Nothing changed between the last breakpoint and `on` but the date itself.
        last = Recognised { on, ..last };
    }
    Some(last)
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

/// Fact dates, 1 January of every year after the first fact up to the year after the last set's
/// period, and the days sets come into and go out of force after the first fact.
fn dates(ordered: &[(NaiveDate, u64, &LocalityEvent)], catalog: &Catalog) -> Vec<NaiveDate> {
    let Some(first) = ordered.first().map(|(d, _, _)| *d) else {
        return Vec::new();
    };
    let last_year = catalog
        .sets()
        .iter()
        .map(|s| i32::from(s.period.to) + 1)
        .max()
        .unwrap_or(first.year());
    let mut dates: Vec<NaiveDate> = ordered.iter().map(|(d, _, _)| *d).collect();
    dates.extend((first.year() + 1..=last_year).filter_map(|y| NaiveDate::from_ymd_opt(y, 1, 1)));
    let in_force = catalog.sets().iter().map(|s| s.in_force);
    dates.extend(in_force.flat_map(|f| [Some(f.from), f.until]).flatten());
    dates.retain(|d| *d >= first);
    dates.sort_unstable();
    dates.dedup();
    dates
}
