//! The bitemporal standing of a locality against a criteria set: on a valid date, as known at a
//! transaction time. One pure function; present standing is the same call at (today, now).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

use super::catalog::{CriteriaSet, Criterion};
use super::event::{LocalityEvent, PredecessorRecognition};
use super::measure::{Comparator, IndicatorValue};
use super::profile::{Profile, RecognitionRecord};
use super::rules::{self, Assessment, RevocationRisk, Status};
use super::terms::{CommuneGroup, LocalityKind, RecognitionLevel, ThresholdRegion};
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
    let known: Vec<(u64, &LocalityEvent)> = events
        .iter()
        .filter(|r| r.recorded_at <= known_at)
        .map(|r| (r.version, &r.event))
        .collect();
    evaluate(&effective_facts(&known), set, on)
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

/// Grades facts (already free of retractions, in stream order) for `set` on `on`.
pub fn evaluate(facts: &[(u64, &LocalityEvent)], set: &CriteriaSet, on: NaiveDate) -> Standing {
    let dated: Vec<(u64, &LocalityEvent)> = facts
        .iter()
        .filter(|(_, e)| e.effective_on().is_some_and(|d| d <= on))
        .copied()
        .collect();
    let profile = Profile::fold(dated.iter().copied());
    let grader = Grader::new(&dated, set, &profile, on);
    let criteria: Vec<CriterionStanding> = set.criteria.iter().map(|c| grader.grade(c)).collect();
    let conditions: Vec<CriterionStanding> = set
        .conditions
        .iter()
        .map(|c| grader.grade(&c.criterion))
        .collect();
    let statuses: Vec<Status> = criteria.iter().map(|c| c.status).collect();
    let gated: Vec<(RecognitionLevel, Status)> = set
        .conditions
        .iter()
        .zip(&conditions)
        .map(|(c, s)| (c.level, s.status))
        .collect();
    let recognitions: Vec<RecognitionRecord> = profile.recognitions_in_force().cloned().collect();
    Standing {
        set: set.code.clone(),
        on,
        exists: profile.exists_on(on),
        name: profile.names.on(on).cloned(),
        code: profile.code_on(on).cloned(),
        kind: profile.kinds.on(on).copied(),
        threshold_region: grader.region,
        commune_group: grader.group,
        enrolled: profile.is_enrolled(&set.code),
        criteria_met: statuses.iter().filter(|s| **s == Status::Met).count(),
        criteria_total: set.criteria.len(),
        criteria_complete: set.criteria_complete,
        at_risk: at_risk(set, &criteria, &recognitions),
        // A partial criteria list cannot establish that a level is reached.
        level_reached: rules::level_reached(set, &statuses, &gated)
            .filter(|_| set.criteria_complete),
        criteria,
        conditions,
        recognitions,
        pending_acknowledgement: profile.pending_acknowledgement().cloned().collect(),
    }
}

fn at_risk(
    set: &CriteriaSet,
    criteria: &[CriterionStanding],
    recognitions: &[RecognitionRecord],
) -> Option<RevocationRisk> {
    let applies = set.revocation_act.is_some()
        && set.criteria_complete
        && recognitions.iter().any(|r| r.level == set.level);
    applies.then(|| {
        let failing: Vec<&CriterionStanding> = criteria
            .iter()
            .filter(|c| c.status == Status::NotMet)
            .collect();
        let key_failing = failing.iter().any(|c| c.is_key);
        rules::revocation_risk(criteria.len(), failing.len(), key_failing)
    })
}

/// The latest readings and all assessments for one set, ready to grade criteria.
struct Grader<'a> {
    set: &'a CriteriaSet,
    readings: HashMap<&'a IndicatorCode, Reading>,
    assessments: HashMap<&'a CriterionCode, Vec<Assessment>>,
    region: Option<ThresholdRegion>,
    group: Option<CommuneGroup>,
    year: i32,
}

impl<'a> Grader<'a> {
    fn new(
        dated: &[(u64, &'a LocalityEvent)],
        set: &'a CriteriaSet,
        profile: &Profile,
        on: NaiveDate,
    ) -> Self {
        let mut readings: HashMap<&IndicatorCode, Reading> = HashMap::new();
        let mut assessments: HashMap<&CriterionCode, Vec<Assessment>> = HashMap::new();
        for (version, event) in dated {
            match event {
                LocalityEvent::IndicatorRecorded(e) if e.set == set.code => {
                    let newer = readings
                        .get(&e.indicator)
                        .is_none_or(|r| (r.effective_on, r.version) < (e.effective_on, *version));
                    if newer {
                        let reading = Reading {
                            version: *version,
                            effective_on: e.effective_on,
                            value: e.value,
                        };
                        readings.insert(&e.indicator, reading);
                    }
                }
                LocalityEvent::CriterionAssessed(e) if e.set == set.code => {
                    assessments
                        .entry(&e.criterion)
                        .or_default()
                        .push(Assessment {
                            version: *version,
                            effective_on: e.effective_on,
                            level: e.level,
                            met: e.met,
                        });
                }
                _ => {}
            }
        }
        Self {
            set,
            readings,
            assessments,
            region: profile.regions.on(on).copied().flatten(),
            group: profile.groups.on(on).copied().flatten(),
            year: on.year(),
        }
    }

    fn grade(&self, criterion: &Criterion) -> CriterionStanding {
        let indicators: Vec<IndicatorStanding> = criterion
            .indicators
            .iter()
            .map(|indicator| {
                let reading = self.readings.get(&indicator.code).cloned();
                let value = reading.as_ref().map(|r| &r.value);
                let (status, target) =
                    rules::indicator_status(indicator, value, self.region, self.group, self.year);
                IndicatorStanding {
                    code: indicator.code.clone(),
                    reading,
                    comparator: indicator.comparator,
                    target: target.and_then(|t| t.value),
                    target_provenance: target.map(|t| t.provenance.label()),
                    status,
                }
            })
            .collect();
        let computed = rules::combine(indicators.iter().map(|i| i.status));
        let official = self
            .assessments
            .get(&criterion.code)
            .and_then(rules::official)
            .cloned();
        let official_status = official.as_ref().map(|a| Status::from_met(a.met));
        CriterionStanding {
            code: criterion.code.clone(),
            name_vi: criterion.name_vi.clone(),
            name_en: criterion.name_en.clone(),
            is_key: self.set.is_key(&criterion.code),
            differs: official_status.is_some_and(|o| computed != Status::Unknown && o != computed),
            status: official_status.unwrap_or(computed),
            official,
            computed,
            indicators,
        }
    }
}
