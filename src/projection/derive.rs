//! Everything the read models hold about one locality, derived from its stream alone with the
//! domain's fold and standing function. Pure: the writer, the rebuild and `verify` all use it.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::domain::catalog::Catalog;
use crate::domain::locality::LocalityEvent;
use crate::domain::profile::{EndKind, Profile};
use crate::domain::standing::{effective_facts, Recorded, Standing};
use crate::domain::sweep::Sweep;
use crate::domain::territory::{self, Ancestry, Territory};
use crate::domain::values::SetCode;

use super::directory;
use super::history::{count, recognised_level, recognition_history, set_history, spelling};
use super::rows::*;

/// The rows of one locality; `locality.path` is left empty (it depends on the ancestors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    pub locality: LocalityRow,
    pub periods: Vec<PeriodRow>,
    pub edges: Vec<EdgeRow>,
    pub standings: Vec<StandingRow>,
    pub criteria: Vec<CriterionRow>,
    pub indicators: Vec<IndicatorRow>,
    pub history: Vec<HistoryRow>,
    pub recognition: Vec<RecognitionRow>,
}

/// Criteria sets a stream has ever mentioned, in the catalogue's order. Retracted events count
/// too, so a set's rows stay (graded on what is left) after its only fact is retracted.
pub fn sets_mentioned(events: &[Recorded<LocalityEvent>]) -> BTreeSet<SetCode> {
    use LocalityEvent as E;
    events
        .iter()
        .filter_map(|r| match &r.event {
            E::ProgrammeEnrolled(e) => Some(e.set.clone()),
            E::IndicatorRecorded(e) => Some(e.set.clone()),
            E::CriterionAssessed(e) => Some(e.set.clone()),
            E::AppraisalVoted(e) => Some(e.set.clone()),
            E::RecognitionGranted(e) => Some(e.set.clone()),
            E::RecognitionAcknowledged(e) => Some(e.set.clone()),
            _ => None,
        })
        .collect()
}

/// Derives the rows of one locality as its stream stands; `today` grades the present standing.
/// `ancestry` holds the directory links of its ancestors, which place it in a territory; it
/// matters only when the catalogue has sets for a territory.
pub fn derive(
    locality_id: &str,
    events: &[Recorded<LocalityEvent>],
    last_position: i64,
    catalog: &Catalog,
    today: NaiveDate,
    ancestry: &Ancestry,
) -> Derived {
    let known: Vec<(u64, &LocalityEvent)> = events.iter().map(|r| (r.version, &r.event)).collect();
    let facts = effective_facts(&known);
    let profile = Profile::fold(facts.iter().copied());
    let territory = if catalog.has_territorial_sets() {
        Territory::build(&territory::links(&profile), ancestry)
    } else {
        Territory::default()
    };
    let mut derived = Derived {
        locality: locality_row(locality_id, &profile, last_position),
        periods: directory::periods(locality_id, &profile),
        edges: directory::edges(locality_id, &facts),
        standings: Vec::new(),
        criteria: Vec::new(),
        indicators: Vec::new(),
        history: Vec::new(),
        recognition: recognition_history(locality_id, &facts, catalog, &territory),
    };
    // A restatement's facts count for the set it restates, which keys the standing.
    let keyed: BTreeSet<&SetCode> = sets_mentioned(events)
        .iter()
        .filter_map(|code| catalog.standing_set(code))
        .map(|set| &set.code)
        .collect();
    for code in keyed {
        let Some(set) = catalog.get(code) else {
            continue;
        };
        // The version (or restatement) in force today grades the present standing; the
        // history, each date's.
        let grading = catalog.grading(set);
        let standing = Sweep::within(&facts, grading.clone(), &territory).standing(today);
        let mut row = standing_row(locality_id, &standing, last_position);
        row.set_version
            .clone_from(&grading.set_on(today, &territory).version);
        derived.standings.push(row);
        derived
            .criteria
            .extend(criterion_rows(locality_id, &standing));
        derived
            .indicators
            .extend(indicator_rows(locality_id, &standing));
        derived
            .history
            .extend(set_history(locality_id, &facts, &grading, &territory));
    }
    derived
}

fn locality_row(locality_id: &str, profile: &Profile, last_position: i64) -> LocalityRow {
    let latest = |dates: Option<&(NaiveDate, Option<String>)>| dates.and_then(|(_, v)| v.clone());
    let codes: Vec<_> = profile
        .codes
        .entries()
        .iter()
        .map(|(d, c)| (*d, c.as_ref().map(ToString::to_string)))
        .collect();
    let parents: Vec<_> = profile
        .parents
        .entries()
        .iter()
        .map(|(d, p)| (*d, p.as_ref().map(ToString::to_string)))
        .collect();
    LocalityRow {
        locality_id: locality_id.to_owned(),
        path: String::new(),
        name: profile.names.entries().last().map(|(_, n)| n.clone()),
        code: latest(codes.last()),
        kind: profile
            .kinds
            .entries()
            .last()
            .map(|(_, k)| k.spelling().to_owned()),
        parent_id: latest(parents.last()),
        established_on: profile.established_on,
        ended_on: profile.ended.as_ref().map(|e| e.on),
        end_kind: profile.ended.as_ref().map(|e| end_kind(&e.kind).to_owned()),
        last_position,
    }
}

fn end_kind(kind: &EndKind) -> &'static str {
    match kind {
        EndKind::MergedInto(_) => "merged",
        EndKind::Split => "split",
        EndKind::Dissolved => "dissolved",
    }
}

fn standing_row(locality_id: &str, standing: &Standing, last_position: i64) -> StandingRow {
    let level = recognised_level(standing);
    let held = standing
        .recognitions
        .iter()
        .filter(|r| Some(r.level) == level)
        .max_by_key(|r| (r.effective_on, r.version));
    let batch = held.and_then(|r| r.batch.clone());
    StandingRow {
        locality_id: locality_id.to_owned(),
        set_code: standing.set.to_string(),
        set_version: String::new(),
        as_of: standing.on,
        exists_on: standing.exists,
        enrolled: standing.enrolled,
        criteria_met: count(standing.criteria_met),
        criteria_total: count(standing.criteria_total),
        level_reached: standing.level_reached.map(|l| l.spelling().to_owned()),
        recognised_level: level.map(|l| l.spelling().to_owned()),
        recognition: held.map(|r| r.decision.to_string()),
        recognised_set: held.map(|r| r.set.to_string()),
        recognition_override: held.and_then(|r| r.override_reason.clone()),
        recognised_on: held.map(|r| r.effective_on),
        standard_year: held.map(|r| i32::from(r.standard_year)),
        recognition_batch: batch,
        at_risk: standing.at_risk.as_ref().map(spelling),
        pending_acknowledgement: count(standing.pending_acknowledgement.len()),
        last_position,
        graded_by: standing.graded_by.to_string(),
    }
}

fn criterion_rows(locality_id: &str, standing: &Standing) -> Vec<CriterionRow> {
    let conditions = standing.conditions.iter().map(|c| (true, c));
    let criteria = standing.criteria.iter().map(|c| (false, c));
    criteria
        .chain(conditions)
        .map(|(is_condition, c)| CriterionRow {
            locality_id: locality_id.to_owned(),
            set_code: standing.set.to_string(),
            criterion: c.code.to_string(),
            is_condition,
            status: spelling(&c.status),
            computed: spelling(&c.computed),
            official: c
                .official
                .as_ref()
                .map(|a| spelling(&crate::domain::rules::Status::from_met(a.met))),
            official_level: c.official.as_ref().map(|a| a.level.spelling().to_owned()),
            official_on: c.official.as_ref().map(|a| a.effective_on),
            differs: c.differs,
        })
        .collect()
}

fn indicator_rows(locality_id: &str, standing: &Standing) -> Vec<IndicatorRow> {
    let all = standing.criteria.iter().chain(&standing.conditions);
    all.flat_map(|c| c.indicators.iter().map(move |i| (c, i)))
        .map(|(c, i)| IndicatorRow {
            locality_id: locality_id.to_owned(),
            set_code: standing.set.to_string(),
            indicator: i.code.to_string(),
            criterion: c.code.to_string(),
            reading: i.reading.as_ref().map(|r| json(&r.value)),
            read_on: i.reading.as_ref().map(|r| r.effective_on),
            target: i.target.as_ref().map(json),
            status: spelling(&i.status),
        })
        .collect()
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
