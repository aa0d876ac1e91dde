//! The set's time, the council's vote, the catalogue's conditions and the override.

use super::*;

#[test]
fn the_decision_date_and_the_standard_year_fall_within_the_sets_time() {
    let state = given([
        commune(),
        enrolled(SET16, date(2016, 1, 1), 2020),
        enrolled(SET21, date(2021, 1, 1), 2025),
        enrolled(SET30, date(2026, 2, 15), 2030),
    ]);
    let cases = [
        (
            "signed before QĐ 1980 (17/10/2016)",
            SET16,
            date(2016, 10, 1),
            2016,
            Some(LawRule::DecisionBeforeSet),
        ),
        (
            "2021 decision under QĐ 318, signed 08/03/2022",
            SET21,
            date(2021, 12, 20),
            2021,
            Some(LawRule::DecisionBeforeSet),
        ),
        (
            "signed after QĐ 51/2025, before it took effect",
            SET30,
            date(2026, 1, 10),
            2026,
            Some(LawRule::DecisionBeforeSet),
        ),
        (
            "2016 set after QĐ 318 replaced it",
            SET16,
            date(2022, 6, 1),
            2021,
            Some(LawRule::DecisionAfterSet),
        ),
        (
            "standard year 2030 on a 2018 decision",
            SET16,
            date(2018, 12, 20),
            2030,
            Some(LawRule::StandardYearOutsideSet),
        ),
        (
            "standard year before the set's period",
            SET21,
            date(2022, 7, 15),
            2020,
            Some(LawRule::StandardYearOutsideSet),
        ),
        (
            "standard year after the decision's year",
            SET16,
            date(2018, 12, 20),
            2019,
            Some(LawRule::StandardYearAfterDecision),
        ),
        (
            "2016 set in 2021, before QĐ 318",
            SET16,
            date(2021, 12, 20),
            2021,
            None,
        ),
        (
            "closing the 2020 year in January 2021",
            SET16,
            date(2021, 1, 15),
            2020,
            None,
        ),
        (
            "2021–2025 set on the day QĐ 318 was signed",
            SET21,
            date(2022, 3, 8),
            2022,
            None,
        ),
    ];
    for (case, set, on, year, expected) in cases {
        let g = with_override(granted(set, "30/QĐ-UBND", RecognitionLevel::Ntm, on, year));
        assert_eq!(grant(&state, g), expected, "{case}");
    }
}

#[test]
fn the_set_in_force_window_follows_the_catalogue() {
    use crate::domain::law_dates::decision_window;
    let catalog = catalog();
    let window = |code| decision_window(set(&catalog, code));
    let w16 = window(SET16);
    assert_eq!((w16.from, w16.until), (date(2016, 12, 1), date(2022, 3, 7)));
    assert_eq!((w16.first_year, w16.last_year), (2016, 2021));
    let w21 = window(SET21);
    assert_eq!((w21.from, w21.until), (date(2022, 3, 8), date(2026, 2, 14)));
    assert_eq!(w21.last_year, 2025);
    let w30 = window(SET30);
    assert_eq!(
        (w30.from, w30.until),
        (date(2026, 2, 15), date(2031, 12, 31))
    );
    assert_eq!(w30.last_year, 2030);
}

#[test]
fn a_council_vote_without_a_majority_refuses_the_grant_unless_overridden() {
    use RecognitionLevel as L;
    let on = date(2026, 12, 1);
    let cases = [
        (
            "40 % in favour",
            vec![vote(SET30, L::Ntm, 4_000, date(2026, 11, 20))],
            Some(LawRule::CouncilVoteBelowMajority),
        ),
        (
            "exactly half",
            vec![vote(SET30, L::Ntm, 5_000, date(2026, 11, 20))],
            Some(LawRule::CouncilVoteBelowMajority),
        ),
        (
            "90 % then a later 40 %",
            vec![
                vote(SET30, L::Ntm, 9_000, date(2026, 11, 1)),
                vote(SET30, L::Ntm, 4_000, date(2026, 11, 20)),
            ],
            Some(LawRule::CouncilVoteBelowMajority),
        ),
        (
            "just over half",
            vec![vote(SET30, L::Ntm, 5_001, date(2026, 11, 20))],
            None,
        ),
        (
            "40 % then a later 95 %",
            vec![
                vote(SET30, L::Ntm, 4_000, date(2026, 11, 1)),
                vote(SET30, L::Ntm, 9_500, date(2026, 11, 20)),
            ],
            None,
        ),
        (
            "40 % after the decision",
            vec![vote(SET30, L::Ntm, 4_000, date(2026, 12, 2))],
            None,
        ),
        (
            "40 % on another level",
            vec![vote(SET30, L::NtmNangCao, 4_000, date(2026, 11, 20))],
            None,
        ),
        ("no vote recorded", vec![], None),
    ];
    for (case, votes, expected) in cases {
        let mut events = vec![commune(), enrolled(SET30, date(2026, 2, 15), 2026)];
        events.extend(all_met(SET30, date(2026, 11, 1), None));
        events.extend(votes);
        let state = given(events);
        let g = granted(SET30, "40/QĐ-UBND", L::Ntm, on, 2026);
        assert_eq!(grant(&state, g.clone()), expected, "{case}");
        assert_eq!(grant(&state, with_override(g)), None, "{case}, overridden");
    }
}

#[test]
fn a_recognition_needs_the_satisfaction_rate_the_catalogue_records() {
    // QĐ 04/2022/QĐ-TTg: ≥ 90 % of residents satisfied (condition DK-HAI-LONG of DTVM-2022).
    let ward = established(
        "Phường Trần Phú",
        LocalityKind::Ward,
        "18094",
        date(2015, 1, 1),
    );
    let on = date(2023, 6, 1);
    let mut events = vec![ward, enrolled(DTVM, date(2022, 3, 1), 2023)];
    events.extend(
        all_met(DTVM, date(2023, 5, 1), None)
            .into_iter()
            .filter(|e| !matches!(e, LocalityEvent::CriterionAssessed(a) if a.criterion.as_str() == "DK-HAI-LONG")),
    );
    let state = given(events);
    let g = granted(DTVM, "50/QĐ-UBND", RecognitionLevel::DoThiVanMinh, on, 2023);
    assert_eq!(
        when(&state, today(), LocalityAction::GrantRecognition(g.clone())),
        Err(DomainError::CriteriaNotMet {
            set: DTVM.parse().expect("code"),
            unmet: vec!["DK-HAI-LONG".parse().expect("code")],
        })
    );
    let satisfied =
        Locality::fold_onto(state, assessed(DTVM, "DK-HAI-LONG", true, date(2023, 5, 1)))
            .expect("apply");
    assert_eq!(grant(&satisfied, g), None);
}

#[test]
fn an_override_needs_a_real_reason_and_never_bypasses_the_law() {
    use RecognitionLevel as L;
    let state = given([commune(), enrolled(SET30, date(2026, 2, 15), 2026)]);
    let reasons = [
        ("because", Some(LawRule::OverrideReasonTooShort)),
        ("  because  ", Some(LawRule::OverrideReasonTooShort)),
        ("hồ sơ đầy đủ", Some(LawRule::OverrideReasonTooShort)),
        (
            "appraisedorallyminutestofollow",
            Some(LawRule::OverrideReasonTooShort),
        ),
        ("lost files, see report", None),
        (REASON, None),
        // A blank reason is no override: the criteria are then checked (none is met here).
        ("   ", Some(LawRule::CriteriaNotMet)),
    ];
    for (reason, expected) in reasons {
        let g = RecognitionGranted {
            override_reason: Some(reason.into()),
            ..granted(SET30, "60/QĐ-UBND", L::Ntm, date(2026, 12, 1), 2026)
        };
        assert_eq!(grant(&state, g), expected, "{reason:?}");
    }
    // Structural rules hold whatever the reason: no nâng cao without NTM.
    let nang_cao = with_override(granted(
        NANG_CAO,
        "61/QĐ-UBND",
        L::NtmNangCao,
        date(2024, 6, 1),
        2024,
    ));
    assert_eq!(
        grant(&advanced(vec![]), nang_cao),
        Some(LawRule::NangCaoRequiresNtm)
    );
}
