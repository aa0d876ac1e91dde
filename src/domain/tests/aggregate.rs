//! Given/when/then tests of the locality aggregate's invariants.

use eventually_core::aggregate::Aggregate;

use super::*;

const SET: &str = "NTM-XA-2016-2020";
const SET30: &str = "NTM-XA-2026-2030";

fn commune() -> LocalityEvent {
    established(
        "Thạch Bình",
        LocalityKind::Commune,
        "18112",
        date(2019, 1, 1),
    )
}

#[test]
fn establishing_twice_is_refused() {
    let state = given([commune()]);
    let again = match commune() {
        LocalityEvent::LocalityEstablished(e) => e,
        _ => unreachable!("fixture is an establishment"),
    };
    let result = when(&state, date(2024, 1, 1), LocalityAction::Establish(again));
    assert_eq!(result, Err(DomainError::AlreadyEstablished(id(1))));
}

#[test]
fn commands_need_an_established_locality() {
    let state = given([]);
    let enrol = match enrolled(SET, date(2019, 2, 1), 2020) {
        LocalityEvent::ProgrammeEnrolled(e) => e,
        _ => unreachable!("fixture is an enrolment"),
    };
    let result = when(&state, date(2024, 1, 1), LocalityAction::Enrol(enrol));
    assert_eq!(result, Err(DomainError::NotEstablished(id(1))));
}

fn record(indicator: &str, value: IndicatorValue, on: NaiveDate) -> LocalityAction {
    match reading(SET, indicator, value, on) {
        LocalityEvent::IndicatorRecorded(e) => LocalityAction::RecordIndicator(e),
        _ => unreachable!("fixture is a reading"),
    }
}

#[test]
fn a_reading_needs_enrolment_a_known_indicator_and_the_right_kind() {
    let today = date(2024, 1, 1);
    let not_enrolled = given([commune()]);
    assert_eq!(
        when(
            &not_enrolled,
            today,
            record("3.1", percent(85.0), date(2020, 1, 1))
        ),
        Err(DomainError::NotEnrolled(SET.parse().expect("code")))
    );
    let state = given([commune(), enrolled(SET, date(2019, 2, 1), 2020)]);
    assert!(matches!(
        when(
            &state,
            today,
            record("99.9", percent(85.0), date(2020, 1, 1))
        ),
        Err(DomainError::UnknownIndicator { .. })
    ));
    assert_eq!(
        when(
            &state,
            today,
            record("3.1", IndicatorValue::Boolean(true), date(2020, 1, 1))
        ),
        Err(DomainError::ValueKindMismatch {
            indicator: "3.1".parse().expect("code"),
            expected: crate::domain::measure::IndicatorKind::Percent,
            found: crate::domain::measure::IndicatorKind::Boolean,
        })
    );
    let events = when(
        &state,
        today,
        record("3.1", percent(85.0), date(2020, 1, 1)),
    )
    .expect("a valid reading is accepted");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event_type(), "IndicatorRecorded");
}

#[test]
fn effective_dates_are_bounded_by_today_and_the_locality_lifetime() {
    let state = given([commune(), enrolled(SET, date(2019, 2, 1), 2020)]);
    assert_eq!(
        when(
            &state,
            date(2020, 1, 1),
            record("3.1", percent(85.0), date(2020, 1, 2))
        ),
        Err(DomainError::EffectiveInFuture {
            effective_on: date(2020, 1, 2),
            today: date(2020, 1, 1)
        })
    );
    assert_eq!(
        when(
            &state,
            date(2024, 1, 1),
            record("3.1", percent(85.0), date(2018, 12, 31))
        ),
        Err(DomainError::BeforeEstablishment {
            effective_on: date(2018, 12, 31),
            established_on: date(2019, 1, 1)
        })
    );
}

#[test]
fn no_fact_after_the_locality_ended() {
    let merged = LocalityEvent::MergedInto(MergedInto {
        effective_on: date(2025, 7, 1),
        legal_act: act("1656/NQ-UBTVQH15"),
        successor: id(9),
    });
    let state = given([commune(), enrolled(SET, date(2019, 2, 1), 2020), merged]);
    assert_eq!(
        when(
            &state,
            date(2026, 1, 1),
            record("3.1", percent(85.0), date(2025, 7, 1))
        ),
        Err(DomainError::LocalityEnded {
            effective_on: date(2025, 7, 1),
            ended_on: date(2025, 7, 1)
        })
    );
    // A back-dated fact from before the end is still accepted.
    assert!(when(
        &state,
        date(2026, 1, 1),
        record("3.1", percent(85.0), date(2025, 6, 30))
    )
    .is_ok());
}

#[test]
fn a_ward_cannot_enrol_in_a_commune_set() {
    let ward = established("Thạch Quý", LocalityKind::Ward, "18091", date(2019, 1, 1));
    let state = given([ward]);
    let enrol = match enrolled(SET, date(2020, 1, 1), 2020) {
        LocalityEvent::ProgrammeEnrolled(e) => e,
        _ => unreachable!("fixture is an enrolment"),
    };
    assert!(matches!(
        when(&state, date(2024, 1, 1), LocalityAction::Enrol(enrol)),
        Err(DomainError::SetNotApplicable { .. })
    ));
}

fn enrolled_in_2026_set() -> LocalityState {
    given([
        established("Xã X", LocalityKind::Commune, "18112", date(2025, 7, 1)),
        enrolled(SET30, date(2026, 2, 15), 2026),
    ])
}

#[test]
fn recognition_needs_every_criterion_officially_met_or_an_override() {
    let today = date(2026, 12, 31);
    let grant = granted(
        SET30,
        "100/QĐ-UBND",
        RecognitionLevel::Ntm,
        date(2026, 12, 1),
        2026,
    );
    let mut state = enrolled_in_2026_set();
    for c in 1..=9 {
        state = Locality::fold_onto(
            state,
            assessed(SET30, &c.to_string(), true, date(2026, 11, 1)),
        )
        .expect("apply");
    }
    assert_eq!(
        when(
            &state,
            today,
            LocalityAction::GrantRecognition(grant.clone())
        ),
        Err(DomainError::CriteriaNotMet {
            set: SET30.parse().expect("code"),
            unmet: vec!["10".parse().expect("code")]
        })
    );
    let overridden = RecognitionGranted {
        override_reason: Some("criterion 10 appraised orally; minutes to follow".into()),
        ..grant.clone()
    };
    assert!(when(&state, today, LocalityAction::GrantRecognition(overridden)).is_ok());
    // An assessment effective after the decision date does not count for it.
    let late = Locality::fold_onto(
        state.clone(),
        assessed(SET30, "10", true, date(2026, 12, 2)),
    )
    .expect("apply");
    assert!(when(
        &late,
        today,
        LocalityAction::GrantRecognition(grant.clone())
    )
    .is_err());
    let on_time =
        Locality::fold_onto(state, assessed(SET30, "10", true, date(2026, 11, 1))).expect("apply");
    let events = when(&on_time, today, LocalityAction::GrantRecognition(grant))
        .expect("all criteria officially met");
    assert_eq!(events[0].event_type(), "RecognitionGranted");
}

#[test]
fn revocation_names_an_existing_unrevoked_decision() {
    let today = date(2026, 12, 31);
    let grant = RecognitionGranted {
        override_reason: Some("criteria assessed before this register".into()),
        ..granted(
            SET30,
            "100/QĐ-UBND",
            RecognitionLevel::Ntm,
            date(2026, 6, 1),
            2026,
        )
    };
    let state = accept(
        enrolled_in_2026_set(),
        today,
        LocalityAction::GrantRecognition(grant),
    );
    let revoke = |revoked: &str| RecognitionRevoked {
        effective_on: date(2026, 10, 1),
        decision: act("200/QĐ-UBND"),
        revoked: act(revoked),
        reason: "rớt chuẩn".into(),
        issuer: "UBND tỉnh Hà Tĩnh".into(),
    };
    assert_eq!(
        when(
            &state,
            today,
            LocalityAction::RevokeRecognition(revoke("999/QĐ-UBND"))
        ),
        Err(DomainError::RecognitionNotFound(act("999/QĐ-UBND")))
    );
    let state = accept(
        state,
        today,
        LocalityAction::RevokeRecognition(revoke("100/QĐ-UBND")),
    );
    assert_eq!(
        when(
            &state,
            today,
            LocalityAction::RevokeRecognition(revoke("100/QĐ-UBND"))
        ),
        Err(DomainError::RecognitionAlreadyRevoked(act("100/QĐ-UBND")))
    );
}

#[test]
fn acknowledgement_needs_a_pending_predecessor_recognition() {
    let ack = RecognitionAcknowledged {
        effective_on: date(2023, 9, 1),
        decision: act("300/QĐ-UBND"),
        set: SET.parse().expect("code"),
        level: RecognitionLevel::Ntm,
        standard_year: 2019,
        acknowledges: vec![act("1/QĐ-UBND")],
    };
    let state = given([commune()]);
    assert_eq!(
        when(
            &state,
            date(2024, 1, 1),
            LocalityAction::AcknowledgeRecognition(ack)
        ),
        Err(DomainError::NothingToAcknowledge)
    );
}

#[test]
fn retraction_rules() {
    let today = date(2024, 1, 1);
    let state = given([
        commune(),
        enrolled(SET, date(2019, 2, 1), 2020),
        reading(SET, "3.1", percent(85.0), date(2020, 1, 1)),
    ]);
    let retract = |v: u64| {
        LocalityAction::Retract(EventRetracted {
            retracted_version: v,
            reason: "typo".into(),
        })
    };
    assert_eq!(
        when(&state, today, retract(9)),
        Err(DomainError::UnknownVersion(9))
    );
    assert_eq!(
        when(&state, today, retract(1)),
        Err(DomainError::NotRetractable {
            version: 1,
            event_type: "LocalityEstablished"
        })
    );
    let state = accept(state, today, retract(3));
    assert_eq!(
        when(&state, today, retract(3)),
        Err(DomainError::AlreadyRetracted(3))
    );
    assert_eq!(
        when(&state, today, retract(4)),
        Err(DomainError::NotRetractable {
            version: 4,
            event_type: "EventRetracted"
        })
    );
}

#[test]
fn the_aggregate_trait_decides_through_handle() {
    let aggregate = Locality::new(catalog());
    let state = given([commune()]);
    let enrol = match enrolled(SET, date(2019, 2, 1), 2020) {
        LocalityEvent::ProgrammeEnrolled(e) => e,
        _ => unreachable!("fixture is an enrolment"),
    };
    let command = LocalityCommand {
        today: date(2024, 1, 1),
        action: LocalityAction::Enrol(enrol),
    };
    let events = futures::executor::block_on(aggregate.handle(&id(1), &state, command))
        .expect("accepted")
        .expect("some events");
    let state = events
        .into_iter()
        .try_fold(state, <Locality as Aggregate>::apply)
        .expect("apply");
    assert_eq!(state.version(), 2);
    assert!(state.profile().is_enrolled(&SET.parse().expect("code")));
}

#[test]
fn events_round_trip_through_json_with_a_stable_type() {
    let event = reading(SET, "17.8", percent(100.0), date(2020, 1, 1));
    let json = serde_json::to_value(&event).expect("serialize");
    assert_eq!(json["type"], "IndicatorRecorded");
    assert_eq!(
        json["value"],
        serde_json::json!({"kind": "percent", "value": 100.0})
    );
    let back: LocalityEvent = serde_json::from_value(json).expect("deserialize");
    assert_eq!(back, event);
    assert_eq!(back.schema_version(), 1);
    assert_eq!(back.effective_on(), Some(date(2020, 1, 1)));
}
