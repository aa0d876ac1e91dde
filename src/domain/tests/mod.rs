//! Domain tests with no I/O: given/when/then on the aggregate, the real Hà Tĩnh cases from the
//! research, and properties of the bitemporal standing.

mod aggregate;
mod law;
mod properties;
mod real_cases;
mod recognised;
mod standing;
mod tree;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use super::catalog::{Catalog, CriteriaSet};
use super::event::*;
use super::locality::{Locality, LocalityAction, LocalityCommand, LocalityId, LocalityState};
use super::measure::{IndicatorValue, Percent};
use super::standing::Recorded;
use super::terms::{AssessmentLevel, LocalityKind, RecognitionLevel, ThresholdRegion};
use super::DomainError;

pub(super) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

pub(super) fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0)
        .single()
        .expect("valid time")
}

pub(super) fn id(n: u128) -> LocalityId {
    LocalityId(Uuid::from_u128(n))
}

/// The shipped catalogue, parsed once for all tests.
pub(super) fn catalog() -> Arc<Catalog> {
    static CATALOG: std::sync::OnceLock<Arc<Catalog>> = std::sync::OnceLock::new();
    CATALOG
        .get_or_init(|| Arc::new(Catalog::shipped().expect("shipped catalogue")))
        .clone()
}

pub(super) fn set<'a>(catalog: &'a Catalog, code: &str) -> &'a CriteriaSet {
    catalog
        .get(&code.parse().expect("set code"))
        .expect("set in catalogue")
}

pub(super) fn act(s: &str) -> crate::domain::values::DecisionNumber {
    s.parse().expect("decision number")
}

pub(super) fn established(
    name: &str,
    kind: LocalityKind,
    code: &str,
    on: NaiveDate,
) -> LocalityEvent {
    LocalityEvent::LocalityEstablished(LocalityEstablished {
        effective_on: on,
        legal_act: None,
        name: name.into(),
        kind,
        code: Some(code.parse().expect("locality code")),
        parent: None,
        threshold_region: Some(ThresholdRegion::Btb),
        commune_group: None,
        formed_from: vec![],
    })
}

pub(super) fn enrolled(set: &str, on: NaiveDate, year: u16) -> LocalityEvent {
    LocalityEvent::ProgrammeEnrolled(ProgrammeEnrolled {
        effective_on: on,
        set: set.parse().expect("set code"),
        target_year: year,
        legal_act: None,
    })
}

pub(super) fn reading(
    set: &str,
    indicator: &str,
    value: IndicatorValue,
    on: NaiveDate,
) -> LocalityEvent {
    LocalityEvent::IndicatorRecorded(IndicatorRecorded {
        effective_on: on,
        set: set.parse().expect("set code"),
        indicator: indicator.parse().expect("indicator code"),
        value,
        evidence: Evidence::default(),
    })
}

pub(super) fn percent(v: f64) -> IndicatorValue {
    IndicatorValue::Percent(Percent::try_from(v).expect("percent"))
}

pub(super) fn assessed(set: &str, criterion: &str, met: bool, on: NaiveDate) -> LocalityEvent {
    LocalityEvent::CriterionAssessed(CriterionAssessed {
        effective_on: on,
        set: set.parse().expect("set code"),
        criterion: criterion.parse().expect("criterion code"),
        met,
        level: AssessmentLevel::ProvincialCouncil,
        evidence: Evidence::default(),
    })
}

pub(super) fn granted(
    set: &str,
    decision: &str,
    level: RecognitionLevel,
    on: NaiveDate,
    year: u16,
) -> RecognitionGranted {
    RecognitionGranted {
        effective_on: on,
        decision: act(decision),
        signed_on: on,
        issuer: "UBND tỉnh Hà Tĩnh".into(),
        signer: "Chủ tịch UBND tỉnh".into(),
        set: set.parse().expect("set code"),
        level,
        standard_year: year,
        batch: None,
        outstanding_field: None,
        override_reason: None,
    }
}

/// Given: events already in the stream.
pub(super) fn given(events: impl IntoIterator<Item = LocalityEvent>) -> LocalityState {
    Locality::fold(events).expect("given events fold")
}

/// When: a command on `today`; returns the decided events.
pub(super) fn when(
    state: &LocalityState,
    today: NaiveDate,
    action: LocalityAction,
) -> Result<Vec<LocalityEvent>, DomainError> {
    Locality::new(catalog()).decide(&id(1), state, LocalityCommand { today, action })
}

/// Decides and applies, failing the test if refused.
pub(super) fn accept(
    state: LocalityState,
    today: NaiveDate,
    action: LocalityAction,
) -> LocalityState {
    let events = when(&state, today, action).expect("command accepted");
    events
        .into_iter()
        .fold(state, |s, e| Locality::fold_onto(s, e).expect("apply"))
}

/// A register of several localities for lineage tests.
#[derive(Default)]
pub(super) struct Register {
    pub states: HashMap<LocalityId, LocalityState>,
    pub streams: HashMap<LocalityId, Vec<Recorded<LocalityEvent>>>,
}

impl Register {
    pub fn append(
        &mut self,
        id: &LocalityId,
        events: Vec<LocalityEvent>,
        recorded_at: DateTime<Utc>,
    ) {
        let state = self.states.remove(id).unwrap_or_default();
        let stream = self.streams.entry(id.clone()).or_default();
        let mut state = state;
        for event in events {
            stream.push(Recorded {
                version: stream.len() as u64 + 1,
                recorded_at,
                event: event.clone(),
            });
            state = Locality::fold_onto(state, event).expect("apply");
        }
        self.states.insert(id.clone(), state);
    }

    pub fn append_all(
        &mut self,
        decided: Vec<(LocalityId, Vec<LocalityEvent>)>,
        recorded_at: DateTime<Utc>,
    ) {
        for (id, events) in decided {
            self.append(&id, events, recorded_at);
        }
    }

    pub fn stream(&self, id: &LocalityId) -> &[Recorded<LocalityEvent>] {
        self.streams.get(id).map_or(&[], Vec::as_slice)
    }
}
