//! The bitemporal standing of a locality against a criteria set: on a valid date, as known at a
//! transaction time. One pure function; present standing is the same call at (today, now).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::catalog::{CriteriaSet, Grading};
use super::event::{LocalityEvent, PredecessorRecognition};
use super::measure::{Comparator, IndicatorValue};
use super::profile::RecognitionRecord;
use super::rules::{Assessment, RevocationRisk, Status};
use super::sweep::Sweep;
use super::terms::{CommuneGroup, LocalityKind, RecognitionLevel, ThresholdRegion};
use super::territory::{Territory, NOWHERE};
use super::values::{CriterionCode, IndicatorCode, LocalityCode, SetCode};

/// An event as stored: its 1-based version in the stream and when the server recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorded<E> {
    pub version: u64,
    pub recorded_at: DateTime<Utc>,
    pub event: E,
}

/// A reading behind a grade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reading {
    pub version: u64,
    pub effective_on: NaiveDate,
    pub value: IndicatorValue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorStanding {
    pub code: IndicatorCode,
    pub reading: Option<Reading>,
    pub comparator: Comparator,
    pub target: Option<IndicatorValue>,
    /// `verified`, `recalled`, `inferred` or `unknown`; `None` when no target applies.
    pub target_provenance: Option<&'static str>,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionStanding {
    pub code: CriterionCode,
    pub name_vi: String,
    pub name_en: String,
    pub is_key: bool,
    /// Latest assessment of the highest level.
    pub official: Option<Assessment>,
    /// From the readings; `Unknown` when a reading or target is missing.
    pub computed: Status,
    /// The official status when there is one, else the computed one.
    pub status: Status,
    /// Official and computed statuses are both known and disagree.
    pub differs: bool,
    pub indicators: Vec<IndicatorStanding>,
}

/// Standing of one locality for one set on a date, as known at a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standing {
    pub set: SetCode,
    /// The set that graded on the date: `set`, or its restatement for the locality's territory.
    pub graded_by: SetCode,
    pub on: NaiveDate,
    pub exists: bool,
    pub name: Option<String>,
    pub code: Option<LocalityCode>,
    pub kind: Option<LocalityKind>,
    pub threshold_region: Option<ThresholdRegion>,
    pub commune_group: Option<CommuneGroup>,
    pub enrolled: bool,
    pub criteria_met: usize,
    pub criteria_total: usize,
    /// False when the set transcribes only part of the official list.
    pub criteria_complete: bool,
    pub criteria: Vec<CriterionStanding>,
    pub conditions: Vec<CriterionStanding>,
    /// `None` when not all criteria are met, or when the set's criteria list is incomplete.
    pub level_reached: Option<RecognitionLevel>,
    /// Recognitions in force on the date, of any set, granted or acknowledged.
    pub recognitions: Vec<RecognitionRecord>,
    /// Carried over by a merger, not yet acknowledged (thừa nhận): not held.
    pub pending_acknowledgement: Vec<PredecessorRecognition>,
    /// `None` when the revocation rule does not apply (no recognition at this set's level, no
    /// revocation act for the set, or an incomplete criteria list).
    pub at_risk: Option<RevocationRisk>,
}

/// Standing on `on` as known at `known_at`: only events recorded by `known_at` count, retracted
/// events are dropped, and only facts effective on or before `on` are graded.
pub fn standing(
    events: &[Recorded<LocalityEvent>],
    set: &CriteriaSet,
    on: NaiveDate,
    known_at: DateTime<Utc>,
) -> Standing {
    standing_within(events, &Grading::alone(set), &NOWHERE, on, known_at)
}

/// [`standing`] graded on `on` by the set of `grading` for a locality inside `territory`.
pub fn standing_within(
    events: &[Recorded<LocalityEvent>],
    grading: &Grading<'_>,
    territory: &Territory,
    on: NaiveDate,
    known_at: DateTime<Utc>,
) -> Standing {
    let known: Vec<(u64, &LocalityEvent)> = events
        .iter()
        .filter(|r| r.recorded_at <= known_at)
        .map(|r| (r.version, &r.event))
        .collect();
    let facts = effective_facts(&known);
    Sweep::within(&facts, grading.clone(), territory).standing(on)
}

/// [`standing_within`] on each of `dates` (ascending), the events filtered and folded once: the
/// fold advances from one date to the next, as the history of the read tables is graded.
pub fn standings_within(
    events: &[Recorded<LocalityEvent>],
    grading: &Grading<'_>,
    territory: &Territory,
    dates: &[NaiveDate],
    known_at: DateTime<Utc>,
) -> Vec<Standing> {
    let known: Vec<(u64, &LocalityEvent)> = events
        .iter()
        .filter(|r| r.recorded_at <= known_at)
        .map(|r| (r.version, &r.event))
        .collect();
    let facts = effective_facts(&known);
    let mut sweep = Sweep::within(&facts, grading.clone(), territory);
    dates.iter().map(|on| sweep.standing(*on)).collect()
}

/// Drops retractions and the events they retract.
pub fn effective_facts<'a>(known: &[(u64, &'a LocalityEvent)]) -> Vec<(u64, &'a LocalityEvent)> {
    let retracted: Vec<u64> = known
        .iter()
        .filter_map(|(_, e)| match e {
            LocalityEvent::EventRetracted(r) => Some(r.retracted_version),
            _ => None,
        })
        .collect();
    known
        .iter()
        .filter(|(v, e)| e.effective_on().is_some() && !retracted.contains(v))
        .copied()
        .collect()
}

/// Grades facts (already free of retractions) for `set` on `on`: a [`Sweep`] to that date.
pub fn evaluate(facts: &[(u64, &LocalityEvent)], set: &CriteriaSet, on: NaiveDate) -> Standing {
    Sweep::new(facts, set).standing(on)
}
