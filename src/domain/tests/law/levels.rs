//! Levels by set and kind, and the level each presupposes.

use super::*;

#[test]
fn the_level_must_be_granted_by_the_set_and_fit_the_kind_on_the_decision_date() {
    use RecognitionLevel as L;
    let enrolled16 = || vec![commune(), enrolled(SET16, date(2016, 1, 1), 2018)];
    let reclassified = |kind| {
        let mut events = enrolled16();
        events.push(LocalityEvent::LocalityReclassified(LocalityReclassified {
            effective_on: date(2018, 1, 1),
            legal_act: act("1/NQ-UBTVQH14"),
            kind,
        }));
        events
    };
    let on = date(2018, 6, 1);
    let cases = [
        (
            "kiểu mẫu under the 2016–2020 commune set",
            enrolled16(),
            L::NtmKieuMau,
            Some(LawRule::LevelNotInSet),
        ),
        (
            "nâng cao under the 2016–2020 commune set",
            enrolled16(),
            L::NtmNangCao,
            Some(LawRule::LevelNotInSet),
        ),
        (
            "văn minh đô thị to a commune",
            enrolled16(),
            L::VanMinhDoThi,
            Some(LawRule::LevelNotForKind),
        ),
        (
            "đô thị văn minh to a commune",
            enrolled16(),
            L::DoThiVanMinh,
            Some(LawRule::LevelNotForKind),
        ),
        (
            "NTM to a commune become a ward",
            reclassified(LocalityKind::Ward),
            L::Ntm,
            Some(LawRule::LevelNotForKind),
        ),
        (
            "NTM to a commune become a town",
            reclassified(LocalityKind::Township),
            L::Ntm,
            Some(LawRule::LevelNotForKind),
        ),
        ("NTM to a commune", enrolled16(), L::Ntm, None),
    ];
    for (case, events, level, expected) in cases {
        let g = with_override(granted(SET16, "10/QĐ-UBND", level, on, 2018));
        let g = RecognitionGranted {
            outstanding_field: Some("du lịch".into()),
            ..g
        };
        assert_eq!(grant(&given(events), g), expected, "{case}");
    }
}

#[test]
fn a_ward_reclassified_before_the_decision_cannot_be_granted_a_commune_level() {
    // Rule 8 of the issue: the kind on the decision date counts, not the kind at enrolment.
    let state = given([
        commune(),
        enrolled(SET21, date(2022, 3, 8), 2025),
        LocalityEvent::LocalityReclassified(LocalityReclassified {
            effective_on: date(2025, 1, 1),
            legal_act: act("1283/NQ-UBTVQH15"),
            kind: LocalityKind::Ward,
        }),
    ]);
    let decision = |on| {
        with_override(granted(
            SET21,
            "20/QĐ-UBND",
            RecognitionLevel::Ntm,
            on,
            2024,
        ))
    };
    assert_eq!(
        grant(&state, decision(date(2025, 3, 1))),
        Some(LawRule::LevelNotForKind)
    );
    assert_eq!(
        grant(&state, decision(date(2024, 12, 20))),
        None,
        "still a commune then"
    );
}

#[test]
fn nang_cao_requires_ntm_held_on_the_decision_date() {
    use RecognitionLevel as L;
    let ntm = || held(SET16, "1/QĐ-UBND", L::Ntm, date(2019, 10, 1));
    let pending = LocalityEvent::LocalitiesMerged(LocalitiesMerged {
        effective_on: date(2020, 1, 1),
        legal_act: act("653/NQ-UBTVQH14"),
        sources: vec![id(7)],
        predecessor_recognitions: vec![PredecessorRecognition {
            locality: id(7),
            decision: act("2/QĐ-UBND"),
            set: SET16.parse().expect("code"),
            level: L::Ntm,
            standard_year: 2019,
        }],
    });
    let cases = [
        ("no NTM held", vec![], Some(LawRule::NangCaoRequiresNtm)),
        (
            "NTM granted after the decision",
            vec![held(SET21, "1/QĐ-UBND", L::Ntm, date(2024, 6, 2))],
            Some(LawRule::NangCaoRequiresNtm),
        ),
        (
            "NTM revoked before the decision",
            vec![ntm(), revoked("3/QĐ-UBND", "1/QĐ-UBND", date(2023, 5, 1))],
            Some(LawRule::NangCaoRequiresNtm),
        ),
        (
            "NTM only pending acknowledgement",
            vec![pending],
            Some(LawRule::NangCaoRequiresNtm),
        ),
        ("NTM held", vec![ntm()], None),
        (
            "NTM revoked after the decision",
            vec![ntm(), revoked("3/QĐ-UBND", "1/QĐ-UBND", date(2024, 7, 1))],
            None,
        ),
    ];
    for (case, history, expected) in cases {
        let g = granted(
            NANG_CAO,
            "1763/QĐ-UBND",
            L::NtmNangCao,
            date(2024, 6, 1),
            2024,
        );
        assert_eq!(grant(&advanced(history), g), expected, "{case}");
    }
}

#[test]
fn kieu_mau_requires_nang_cao_held_and_an_outstanding_field() {
    use RecognitionLevel as L;
    let ntm = || held(SET16, "1/QĐ-UBND", L::Ntm, date(2019, 10, 1));
    let nang_cao = || held(NANG_CAO, "2/QĐ-UBND", L::NtmNangCao, date(2022, 7, 15));
    let field = Some("văn hóa - du lịch".to_owned());
    let cases = [
        (
            "NTM only",
            vec![ntm()],
            field.clone(),
            Some(LawRule::KieuMauRequiresNangCao),
        ),
        (
            "nâng cao held, no field",
            vec![ntm(), nang_cao()],
            None,
            Some(LawRule::KieuMauRequiresOutstandingField),
        ),
        (
            "nâng cao held, blank field",
            vec![ntm(), nang_cao()],
            Some("  ".into()),
            Some(LawRule::KieuMauRequiresOutstandingField),
        ),
        (
            "nâng cao held and a field",
            vec![ntm(), nang_cao()],
            field,
            None,
        ),
    ];
    for (case, history, outstanding_field, expected) in cases {
        let g = RecognitionGranted {
            outstanding_field,
            ..granted(
                NANG_CAO,
                "1764/QĐ-UBND",
                L::NtmKieuMau,
                date(2024, 6, 1),
                2024,
            )
        };
        assert_eq!(grant(&advanced(history), g), expected, "{case}");
    }
}

#[test]
fn the_sets_of_2018_2020_and_the_hien_dai_pilot_grant_their_levels() {
    use RecognitionLevel as L;
    const BASIS_2019: &str = "HT-NTM-XA-NANG-CAO-2018-2020";
    const MODEL_2018: &str = "NTM-XA-KIEU-MAU-2018-2020";
    const HIEN_DAI: &str = "NTM-XA-HIEN-DAI-2026-2030";
    let ntm16 = || held(SET16, "1/QĐ-UBND", L::Ntm, date(2017, 12, 20));
    let ntm30 = || held(SET30, "2/QĐ-UBND", L::Ntm, date(2026, 3, 1));
    let nang_cao19 = || held(BASIS_2019, "3/QĐ-UBND", L::NtmNangCao, date(2019, 9, 30));
    let field = |g: RecognitionGranted| RecognitionGranted {
        outstanding_field: Some("sản xuất".into()),
        ..g
    };
    // (case, history, grant)
    let cases = [
        (
            "nâng cao in đợt 1 năm 2019 on the provincial basis, NTM held",
            vec![ntm16()],
            granted(
                BASIS_2019,
                "4/QĐ-UBND",
                L::NtmNangCao,
                date(2019, 9, 30),
                2019,
            ),
            None,
        ),
        (
            "the same without NTM",
            vec![],
            granted(
                BASIS_2019,
                "4/QĐ-UBND",
                L::NtmNangCao,
                date(2019, 9, 30),
                2019,
            ),
            Some(LawRule::NangCaoRequiresNtm),
        ),
        (
            "the provincial basis after QĐ 318 took effect",
            vec![ntm16()],
            granted(
                BASIS_2019,
                "5/QĐ-UBND",
                L::NtmNangCao,
                date(2022, 3, 8),
                2021,
            ),
            Some(LawRule::DecisionAfterSet),
        ),
        (
            "kiểu mẫu 2020 under QĐ 691, nâng cao held",
            vec![ntm16(), nang_cao19()],
            field(granted(
                MODEL_2018,
                "6/QĐ-UBND",
                L::NtmKieuMau,
                date(2020, 12, 1),
                2020,
            )),
            None,
        ),
        (
            "kiểu mẫu before QĐ 691 was signed",
            vec![ntm16(), nang_cao19()],
            field(granted(
                MODEL_2018,
                "6/QĐ-UBND",
                L::NtmKieuMau,
                date(2018, 6, 4),
                2018,
            )),
            Some(LawRule::DecisionBeforeSet),
        ),
        (
            "hiện đại with NTM of 2026–2030 held",
            vec![ntm30()],
            granted(HIEN_DAI, "7/QĐ-UBND", L::NtmHienDai, date(2026, 6, 1), 2026),
            None,
        ),
        (
            "hiện đại without NTM",
            vec![],
            granted(HIEN_DAI, "7/QĐ-UBND", L::NtmHienDai, date(2026, 6, 1), 2026),
            Some(LawRule::HienDaiRequiresNtm),
        ),
        (
            "nâng cao under the hiện đại pilot",
            vec![ntm30()],
            granted(HIEN_DAI, "8/QĐ-UBND", L::NtmNangCao, date(2026, 6, 1), 2026),
            Some(LawRule::LevelNotInSet),
        ),
    ];
    for (case, history, g, expected) in cases {
        let mut events = vec![
            commune(),
            enrolled(BASIS_2019, date(2018, 1, 1), 2019),
            enrolled(MODEL_2018, date(2018, 6, 5), 2020),
            enrolled(HIEN_DAI, date(2026, 2, 15), 2026),
        ];
        events.extend(history);
        let decided = when(
            &given(events),
            today(),
            LocalityAction::GrantRecognition(with_override(g)),
        );
        match expected {
            None => assert!(decided.is_ok(), "{case}: {decided:?}"),
            Some(_) => assert_eq!(rule(decided), expected, "{case}"),
        }
    }
}
