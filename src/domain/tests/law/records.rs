//! Revocations, acknowledgements, and the rules' names.

use super::*;

#[test]
fn a_revocation_has_its_own_decision_and_issuer_and_follows_the_grant() {
    let state = given([
        commune(),
        enrolled(SET21, date(2022, 3, 8), 2025),
        held(
            SET21,
            "100/QĐ-UBND",
            RecognitionLevel::Ntm,
            date(2023, 6, 1),
        ),
        held(
            SET21,
            "101/QĐ-UBND",
            RecognitionLevel::Ntm,
            date(2023, 7, 1),
        ),
    ]);
    let revoke = |decision: &str, on, issuer: &str| RecognitionRevoked {
        issuer: issuer.into(),
        ..match revoked(decision, "100/QĐ-UBND", on) {
            LocalityEvent::RecognitionRevoked(r) => r,
            _ => unreachable!("fixture is a revocation"),
        }
    };
    let issuer = "UBND tỉnh Hà Tĩnh";
    let cases = [
        (
            "effective before the grant",
            revoke("200/QĐ-UBND", date(2023, 5, 31), issuer),
            Some(LawRule::RevocationBeforeGrant),
        ),
        (
            "the revoked decision's own number",
            revoke("100/QĐ-UBND", date(2024, 1, 1), issuer),
            Some(LawRule::RevocationNeedsOwnDecision),
        ),
        (
            "no issuer",
            revoke("200/QĐ-UBND", date(2024, 1, 1), "  "),
            Some(LawRule::RevocationNeedsIssuer),
        ),
        (
            "on the grant's own date",
            revoke("200/QĐ-UBND", date(2023, 6, 1), issuer),
            None,
        ),
    ];
    for (case, r, expected) in cases {
        let result = when(&state, today(), LocalityAction::RevokeRecognition(r));
        assert_eq!(rule(result.clone()), expected, "{case}: {result:?}");
        assert_eq!(result.is_ok(), expected.is_none(), "{case}");
    }
    let reused = revoke("101/QĐ-UBND", date(2024, 1, 1), issuer);
    assert_eq!(
        when(&state, today(), LocalityAction::RevokeRecognition(reused)),
        Err(DomainError::DuplicateDecision(act("101/QĐ-UBND")))
    );
}

#[test]
fn an_acknowledgement_is_at_the_level_and_under_the_set_of_what_is_pending() {
    use RecognitionLevel as L;
    let state = given([
        established(
            "Xã Đồng Môn",
            LocalityKind::Commune,
            "18103",
            date(2020, 1, 1),
        ),
        LocalityEvent::LocalitiesMerged(LocalitiesMerged {
            effective_on: date(2020, 1, 1),
            legal_act: act("653/NQ-UBTVQH14"),
            sources: vec![id(106)],
            predecessor_recognitions: vec![PredecessorRecognition {
                locality: id(106),
                decision: act("2019/QĐ-UBND"),
                set: SET16.parse().expect("code"),
                level: L::Ntm,
                standard_year: 2019,
            }],
        }),
    ]);
    let ack = |set: &str, level, acknowledges: &str| RecognitionAcknowledged {
        effective_on: date(2023, 9, 15),
        decision: act("2345/QĐ-UBND"),
        set: set.parse().expect("code"),
        level,
        standard_year: 2019,
        acknowledges: vec![act(acknowledges)],
    };
    let cases = [
        (
            "into another set at another level",
            ack(NANG_CAO, L::NtmNangCao, "2019/QĐ-UBND"),
            Some(LawRule::AcknowledgementNotAtPendingLevel),
        ),
        (
            "into another set",
            ack(SET21, L::Ntm, "2019/QĐ-UBND"),
            Some(LawRule::AcknowledgementNotAtPendingLevel),
        ),
        (
            "at another level",
            ack(SET16, L::NtmNangCao, "2019/QĐ-UBND"),
            Some(LawRule::AcknowledgementNotAtPendingLevel),
        ),
        (
            "of a decision not pending",
            ack(SET16, L::Ntm, "1/QĐ-UBND"),
            Some(LawRule::AcknowledgesPendingOnly),
        ),
        (
            "at its level and set",
            ack(SET16, L::Ntm, "2019/QĐ-UBND"),
            None,
        ),
    ];
    for (case, a, expected) in cases {
        let result = when(&state, today(), LocalityAction::AcknowledgeRecognition(a));
        assert_eq!(rule(result.clone()), expected, "{case}: {result:?}");
        assert_eq!(result.is_ok(), expected.is_none(), "{case}");
    }
}

#[test]
fn every_rule_has_a_stable_distinct_screaming_snake_name() {
    let names: std::collections::HashSet<&str> = LawRule::ALL.iter().map(|r| r.name()).collect();
    assert_eq!(names.len(), LawRule::ALL.len());
    for name in names {
        assert!(
            name.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
            "{name}"
        );
    }
    // Every refusal that names a rule says it in its message too.
    let refusals = [
        DomainError::Law {
            rule: LawRule::NangCaoRequiresNtm,
            detail: "no NTM held".into(),
        },
        DomainError::CriteriaNotMet {
            set: SET30.parse().expect("code"),
            unmet: vec!["10".parse().expect("code")],
        },
        DomainError::NothingToAcknowledge,
    ];
    for refused in refusals {
        let rule = refused.law_rule().expect("names a rule");
        assert!(refused.to_string().contains(rule.name()), "{refused}");
    }
}

#[test]
fn a_revocation_stored_before_the_issuer_was_asked_for_still_decodes() {
    let stored = r#"{"type":"RecognitionRevoked","effective_on":"2024-01-01",
        "decision":"200/QĐ-UBND","revoked":"100/QĐ-UBND","reason":"rớt chuẩn"}"#;
    let event: LocalityEvent = serde_json::from_str(stored).expect("decodes");
    match event {
        LocalityEvent::RecognitionRevoked(r) => assert_eq!(r.issuer, ""),
        other => panic!("decoded as {other:?}"),
    }
}
