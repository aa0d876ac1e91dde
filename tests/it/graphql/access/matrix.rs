//! Every mutation × every kind of caller: UNAUTHENTICATED, FORBIDDEN or success, and no event
//! recorded by any refusal.

use serde_json::{json, Value};

use super::fixture::{capitalise, Callers, Slot};
use crate::support::graphql::register;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(every_mutation_needs_the_right_token);

/// The mutations and whether a recorder may run them (the others need an approver).
const MUTATIONS: [(&str, bool); 14] = [
    ("registerLocality", false),
    ("recordLineageChange", false),
    ("mergeLocalities", false),
    ("splitLocality", false),
    ("enrolLocality", true),
    ("recordIndicatorReading", true),
    ("assessCriterion", true),
    ("recordAppraisalVote", false),
    ("grantRecognition", false),
    ("revokeRecognition", false),
    ("acknowledgeAfterMerger", false),
    ("retractEvent", true),
    ("recordCriterionEntry", true),
    ("recordDecision", false),
];

/// The expected outcome: `None` for success, else the error code.
fn expected(caller: &str, by_recorder: bool) -> Option<&'static str> {
    match caller {
        "anonymous" | "revoked token" | "expired token" | "malformed header" => {
            Some("UNAUTHENTICATED")
        }
        "approver" | "admin" => None,
        "recorder in scope" if by_recorder => None,
        _ => Some("FORBIDDEN"),
    }
}

/// The slot a caller acts on: the three that may succeed have their own localities; every
/// refusal targets the first slot before its own caller (the recorder) acts on it.
fn slot_of(caller: &str) -> usize {
    match caller {
        "approver" => 1,
        "admin" => 2,
        _ => 0,
    }
}

async fn every_mutation_needs_the_right_token(db: &TestDb) {
    let server = Server::start(db).await;
    let province = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let other = register(&server, "Tỉnh Nghệ An", "PROVINCE", "40", None).await;
    let callers = Callers::new(&server, &province, &other).await;
    let mut slots = Vec::new();
    for n in 0..3 {
        slots.push(Slot::new(&server, &province, n).await);
    }
    let mut outcomes = Vec::new();
    for (mutation, by_recorder) in MUTATIONS {
        // Refusals first: they must leave the first slot as they found it.
        let mut order: Vec<_> = callers.list.iter().collect();
        order.sort_by_key(|(caller, _)| expected(caller, by_recorder).is_none());
        for (caller, authorization) in order {
            let input = slots[slot_of(caller)].input(mutation, &format!("{mutation} {caller}"));
            let before = server.event_count().await;
            let response = run(&server, authorization.as_deref(), mutation, input).await;
            let after = server.event_count().await;
            let code = response["errors"][0]["extensions"]["code"].as_str();
            if let (Some(header), Some(_)) = (authorization, code) {
                let secret = header.trim_start_matches("Bearer ");
                assert!(!response.to_string().contains(secret), "{response}");
            }
            match expected(caller, by_recorder) {
                Some(_) => assert_eq!(after, before, "{mutation} by {caller} recorded events"),
                None => assert!(after > before, "{mutation} by {caller}: {response:#}"),
            }
            outcomes.push((mutation, *caller, code.map(str::to_owned)));
        }
    }
    let wanted: Vec<_> = MUTATIONS
        .iter()
        .flat_map(|(mutation, by_recorder)| {
            let mut order: Vec<_> = callers.list.iter().map(|(c, _)| *c).collect();
            order.sort_by_key(|caller| expected(caller, *by_recorder).is_none());
            order.into_iter().map(move |caller| {
                let code = expected(caller, *by_recorder).map(str::to_owned);
                (*mutation, caller, code)
            })
        })
        .collect();
    assert_eq!(outcomes, wanted);
    check_metadata(&server).await;
}

async fn run(server: &Server, authorization: Option<&str>, mutation: &str, input: Value) -> Value {
    let query = format!(
        "mutation($input: {}Input!) {{ {mutation}(input: $input) {{ position }} }}",
        capitalise(mutation)
    );
    server
        .post_as(authorization, &query, json!({ "input": input }))
        .await
}

/// The approver's events carry its token's id, name and role, whatever the client sends.
async fn check_metadata(server: &Server) {
    let feed = server
        .data(
            "{ events(filter: { actor: \"approver\" }, first: 500) { edges { node { actor metadata } } } }",
            json!({}),
        )
        .await;
    let edges = feed["events"]["edges"].as_array().expect("edges");
    assert!(edges.len() >= 12, "{feed:#}");
    for edge in edges {
        let metadata = &edge["node"]["metadata"];
        assert_eq!(metadata["actor"], "approver");
        assert_eq!(metadata["role"], "approver");
        assert!(
            metadata["token_id"]
                .as_str()
                .is_some_and(|id| id.len() == 36),
            "{metadata}"
        );
    }
    // No input carries an actor: the engine refuses the field.
    let forged = json!({ "input": { "position": 1, "reason": "x", "idempotencyKey": "f", "actor": "someone" } });
    let error = server
        .error(
            "mutation($input: RetractEventInput!) { retractEvent(input: $input) { position } }",
            forged,
        )
        .await;
    assert_eq!(error["extensions"]["code"], "VALIDATION", "{error:#}");
}
