//! `standingChanged` resumed by position over a real WebSocket: a client that reconnects with
//! the `position` of the last standing it received gets exactly what a client that never
//! disconnected got after it, nothing lost or repeated; a late subscriber gets each locality
//! once, with its latest change.

use serde_json::{json, Value};

use super::subscriptions::{next_data, subscribe};
use crate::support::graphql::{mutate, register};
use crate::support::server::Server;
use crate::support::websocket::Socket;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(standing_changes_resume_from_a_position_with_nothing_lost_or_repeated);

const CHANGES: &str = "subscription($after: Int) {
    standingChanged(set: \"NTM-XA-2021-2025\", after: $after) { id position localityId criteriaMet } }";

/// Assesses criterion `criterion` of `commune` as met; the event's position.
async fn assess(server: &Server, commune: &str, criterion: usize) -> i64 {
    let input = json!({ "locality": commune,
        "idempotencyKey": format!("assess {commune} {criterion}"),
        "set": "NTM-XA-2021-2025", "criterion": criterion.to_string(), "met": true,
        "level": "PROVINCIAL_COUNCIL", "effectiveOn": "2021-06-01" });
    let result = mutate(server, "assessCriterion", "AssessCriterionInput", input).await;
    result["position"].as_i64().expect("position")
}

async fn received(socket: &mut Socket) -> Value {
    next_data(socket).await["standingChanged"].clone()
}

async fn standing_changes_resume_from_a_position_with_nothing_lost_or_repeated(db: &TestDb) {
    let server = Server::start(db).await;
    let mut communes = Vec::new();
    for i in 0..3 {
        let code = format!("{:05}", 18_400 + i);
        let commune = register(&server, &format!("Xã {i}"), "COMMUNE", &code, None).await;
        let input = json!({ "locality": commune, "idempotencyKey": format!("enrol {i}"),
            "set": "NTM-XA-2021-2025", "targetYear": 2024, "effectiveOn": "2021-01-01" });
        mutate(&server, "enrolLocality", "EnrolLocalityInput", input).await;
        communes.push(commune);
    }
    let start = server.event_count().await;
    let mut steady = subscribe(&server, CHANGES, json!({ "after": start })).await;
    let mut leaving = subscribe(&server, CHANGES, json!({ "after": start })).await;
    let mut seen_by_steady = Vec::new();

    // Four changes, two on the first commune, each received by both before the next.
    let mut written = Vec::new();
    for (commune, criterion) in [(0, 1), (1, 1), (0, 2), (2, 1)] {
        written.push(assess(&server, &communes[commune], criterion).await);
        let item = received(&mut steady).await;
        assert_eq!(received(&mut leaving).await, item);
        seen_by_steady.push(item);
    }
    let resume_from = seen_by_steady[3]["position"].as_i64().expect("position");
    drop(leaving);

    // Three more while one client is away: one per commune.
    for (commune, criterion) in [(1, 2), (2, 2), (0, 3)] {
        written.push(assess(&server, &communes[commune], criterion).await);
        seen_by_steady.push(received(&mut steady).await);
    }
    let positions: Vec<i64> = seen_by_steady
        .iter()
        .map(|i| i["position"].as_i64().expect("position"))
        .collect();
    assert_eq!(
        positions, written,
        "each change once, with its event's position"
    );
    assert_eq!(seen_by_steady[2]["criteriaMet"], 2, "{seen_by_steady:#?}");

    let mut back = subscribe(&server, CHANGES, json!({ "after": resume_from })).await;
    for expected in &seen_by_steady[4..] {
        assert_eq!(&received(&mut back).await, expected);
    }
    // Nothing repeated after them: the next item is the next change.
    let next = assess(&server, &communes[1], 3).await;
    assert_eq!(received(&mut back).await["position"], json!(next));
    assert_eq!(received(&mut steady).await["position"], json!(next));

    // A subscriber from before all of them, once they are projected: each commune once, with
    // its latest change, in position order.
    server.caught_up(next).await;
    let mut late = subscribe(&server, CHANGES, json!({ "after": start })).await;
    let latest: Vec<(Value, Value)> = vec![
        (json!(communes[2]), json!(written[5])),
        (json!(communes[0]), json!(written[6])),
        (json!(communes[1]), json!(next)),
    ];
    for (commune, position) in latest {
        let item = received(&mut late).await;
        assert_eq!(
            (&item["localityId"], &item["position"]),
            (&commune, &position),
            "{item:#}"
        );
    }
    let id = format!("standing:{}:NTM-XA-2021-2025", communes[0]);
    assert_eq!(seen_by_steady[6]["id"], json!(id));
}
