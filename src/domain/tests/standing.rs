//! Standing tests: computed versus official status, back-dated corrections, and the revocation
//! rule applied through the standing function.

use super::*;
use crate::domain::lineage::{decide_split, NewLocality, Split};
use crate::domain::rules::{RevocationRisk, Status};
use crate::domain::standing::standing;

const SET: &str = "NTM-XA-2016-2020";

fn recorded(events: Vec<(LocalityEvent, DateTime<Utc>)>) -> Vec<Recorded<LocalityEvent>> {
    (1..)
        .zip(events)
        .map(|(version, (event, recorded_at))| Recorded {
            version,
            recorded_at,
            event,
        })
        .collect()
}

fn criterion<'a>(
    s: &'a crate::domain::standing::Standing,
    code: &str,
) -> &'a crate::domain::standing::CriterionStanding {
    s.criteria
        .iter()
        .find(|c| c.code.as_str() == code)
        .expect("criterion")
}

#[test]
fn computed_and_official_status_are_both_shown_and_flagged_when_they_differ() {
    let catalog = catalog();
    let base = date(2019, 1, 1);
    let events = recorded(vec![
        (
            established("Xã Y", LocalityKind::Commune, "18112", base),
            at(2019, 1, 1),
        ),
        (enrolled(SET, base, 2020), at(2019, 1, 1)),
        (
            reading(SET, "3.1", percent(82.0), date(2019, 6, 1)),
            at(2019, 6, 2),
        ),
        (
            reading(SET, "3.2", IndicatorValue::Boolean(true), date(2019, 6, 1)),
            at(2019, 6, 2),
        ),
        (assessed(SET, "3", false, date(2019, 7, 1)), at(2019, 7, 2)),
    ]);
    let s = standing(
        &events,
        set(&catalog, SET),
        date(2019, 8, 1),
        at(2019, 8, 1),
    );
    let irrigation = criterion(&s, "3");
    assert_eq!(irrigation.computed, Status::Met);
    assert_eq!(
        irrigation.status,
        Status::NotMet,
        "the official status wins"
    );
    assert!(irrigation.differs);
    assert_eq!(irrigation.indicators[0].target_provenance, Some("recalled"));
    assert_eq!(s.criteria_total, 19);
    assert_eq!(s.criteria_met, 0);
    let before = standing(
        &events,
        set(&catalog, SET),
        date(2019, 6, 30),
        at(2019, 8, 1),
    );
    assert_eq!(
        criterion(&before, "3").status,
        Status::Met,
        "assessment not yet effective"
    );
}

#[test]
fn back_dated_corrections_change_the_past_only_as_known_after_recording() {
    let catalog = catalog();
    let base = date(2019, 1, 1);
    let events = recorded(vec![
        (
            established("Xã Y", LocalityKind::Commune, "18112", base),
            at(2019, 1, 1),
        ),
        (enrolled(SET, base, 2020), at(2019, 1, 1)),
        (
            reading(SET, "12", percent(91.0), date(2019, 6, 1)),
            at(2019, 6, 2),
        ),
        // Recorded in 2021, effective 2019-09-01: employment was in fact 88 %.
        (
            reading(SET, "12", percent(88.0), date(2019, 9, 1)),
            at(2021, 3, 1),
        ),
    ]);
    let set = set(&catalog, SET);
    let grade = |on, known| criterion(&standing(&events, set, on, known), "12").computed;
    assert_eq!(
        grade(date(2019, 10, 1), at(2020, 1, 1)),
        Status::Met,
        "as known in 2020"
    );
    assert_eq!(
        grade(date(2019, 10, 1), at(2021, 3, 2)),
        Status::NotMet,
        "as known after the correction"
    );
    assert_eq!(
        grade(date(2019, 7, 1), at(2021, 3, 2)),
        Status::Met,
        "before its effective date"
    );
}

/// A 10-criteria set with a revocation act, so that 3 and 5 failures are exactly 30 % and 50 %.
fn ten_criteria_set() -> Catalog {
    let mut text = String::from(
        r#"code = "TEST-10"
title_vi = "Thử"
title_en = "Test"
legal_act = "1/QĐ-TEST"
period = [2021, 2025]
applies_to = ["commune"]
level = "ntm"
threshold_basis = "none"
key_criteria = ["1"]
revocation_act = "18/2022/QĐ-TTg"
criteria_complete = true
indicators_complete = false
provenance = "recalled"
research = "test"
"#,
    );
    for c in 1..=10 {
        text.push_str(&format!(
            "[[criteria]]\ncode = \"{c}\"\nname_vi = \"{c}\"\nname_en = \"{c}\"\nprovenance = \"recalled\"\n"
        ));
    }
    Catalog::from_sources([("test.toml".to_string(), text)]).expect("valid test set")
}

fn risk_with_failing(failing: &[u32]) -> Option<RevocationRisk> {
    let catalog = ten_criteria_set();
    let base = date(2021, 1, 1);
    let mut events = vec![
        (
            established("Xã Z", LocalityKind::Commune, "18112", base),
            at(2021, 1, 1),
        ),
        (enrolled("TEST-10", base, 2022), at(2021, 1, 1)),
        (
            LocalityEvent::RecognitionGranted(RecognitionGranted {
                override_reason: Some("test".into()),
                ..granted(
                    "TEST-10",
                    "5/QĐ-UBND",
                    RecognitionLevel::Ntm,
                    date(2022, 1, 1),
                    2022,
                )
            }),
            at(2022, 1, 1),
        ),
    ];
    for c in 1..=10 {
        let met = !failing.contains(&c);
        events.push((
            assessed("TEST-10", &c.to_string(), met, date(2023, 1, 1)),
            at(2023, 1, 1),
        ));
    }
    let set = set(&catalog, "TEST-10");
    standing(&recorded(events), set, date(2023, 6, 1), at(2023, 6, 1)).at_risk
}

#[test]
fn revocation_risk_through_standing_at_exactly_30_and_50_percent() {
    let table: [(&[u32], RevocationRisk); 6] = [
        (&[1, 2, 3], RevocationRisk::KeyCriterionFailing), // 30 % including key criterion 1
        (&[2, 3, 4], RevocationRisk::NotAtRisk),           // 30 % without a key criterion
        (&[1, 2], RevocationRisk::NotAtRisk),              // 20 %
        (&[2, 3, 4, 5, 6], RevocationRisk::HalfOrMoreFailing), // 50 %
        (&[2, 3, 4, 5], RevocationRisk::NotAtRisk),        // 40 % without a key criterion
        (&[], RevocationRisk::NotAtRisk),
    ];
    for (failing, expected) in table {
        assert_eq!(
            risk_with_failing(failing),
            Some(expected),
            "failing {failing:?}"
        );
    }
}

#[test]
fn the_revocation_rule_needs_a_recognition_at_the_sets_level() {
    let catalog = ten_criteria_set();
    let base = date(2021, 1, 1);
    let events = recorded(vec![
        (
            established("Xã Z", LocalityKind::Commune, "18112", base),
            at(2021, 1, 1),
        ),
        (enrolled("TEST-10", base, 2022), at(2021, 1, 1)),
    ]);
    let s = standing(
        &events,
        set(&catalog, "TEST-10"),
        date(2023, 6, 1),
        at(2023, 6, 1),
    );
    assert_eq!(s.at_risk, None);
}

#[test]
fn a_split_forms_new_parts_and_leaves_recognitions_with_the_source() {
    let mut reg = Register::default();
    reg.append(
        &id(1),
        vec![established(
            "Xã Lớn",
            LocalityKind::Commune,
            "10001",
            date(2019, 1, 1),
        )],
        at(2019, 1, 1),
    );
    let part = |n: u128, name: &str, code: &str| NewLocality {
        id: id(n),
        name: name.into(),
        kind: LocalityKind::Commune,
        code: Some(code.parse().expect("code")),
        parent: None,
        threshold_region: Some(ThresholdRegion::Btb),
        commune_group: None,
    };
    let split = Split {
        today: date(2021, 1, 1),
        effective_on: date(2021, 1, 1),
        legal_act: act("9/NQ-UBTVQH14"),
        source: id(1),
        parts: vec![part(2, "Xã Bắc", "10002"), part(3, "Xã Nam", "10003")],
        continues: false,
    };
    reg.append_all(
        decide_split(&split, &reg.states).expect("valid split"),
        at(2021, 1, 1),
    );
    assert!(!reg.states[&id(1)].profile().exists_on(date(2021, 1, 1)));
    assert!(reg.states[&id(2)].profile().exists_on(date(2021, 1, 1)));
    assert_eq!(reg.states[&id(3)].profile().formed_from, vec![id(1)]);
    let again = decide_split(&split, &reg.states);
    assert!(again.is_err(), "the source has ended");
}
