//! A person's scope is a token's: writing outside it is refused and nothing is written.

use ntm_tracker::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::csrf::reading;
use super::{person, Visitor, PASSWORD};
use crate::support::graphql::{mutate, register};
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(a_scoped_person_writing_outside_the_scope_is_refused_and_nothing_written);

const READING: &str = "mutation($input: RecordIndicatorReadingInput!) {
    recordIndicatorReading(input: $input) { position } }";

async fn a_scoped_person_writing_outside_the_scope_is_refused_and_nothing_written(db: &TestDb) {
    let server = Server::start(db).await;
    let ha_tinh = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let nghe_an = register(&server, "Tỉnh Nghệ An", "PROVINCE", "40", None).await;
    let inside = register(&server, "Xã Sơn Kim", "COMMUNE", "18010", Some(&ha_tinh)).await;
    let outside = register(&server, "Xã Nghi Lộc", "COMMUNE", "17100", Some(&nghe_an)).await;
    for (key, commune) in [("enrol in", &inside), ("enrol out", &outside)] {
        let enrol = json!({ "locality": commune, "idempotencyKey": key,
            "set": "NTM-XA-2021-2025", "targetYear": 2025, "effectiveOn": "2021-01-01" });
        mutate(&server, "enrolLocality", "EnrolLocalityInput", enrol).await;
    }
    person(&server.store, "vpdp.hatinh", Role::Recorder, Some(&ha_tinh)).await;
    let mut visitor = Visitor::of(&server);
    visitor.sign_in("vpdp.hatinh", PASSWORD).await;
    let csrf = visitor.csrf().await;

    let before = server.event_count().await;
    let refused = visitor
        .graphql(READING, reading(&outside, "outside"), Some(&csrf))
        .await;
    assert_eq!(
        refused.status(),
        StatusCode::OK,
        "a GraphQL error, not a transport one"
    );
    let body: Value = refused.json().await.expect("JSON");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );
    assert_eq!(server.event_count().await, before, "nothing written");

    let allowed: Value = visitor
        .graphql(READING, reading(&inside, "inside"), Some(&csrf))
        .await
        .json()
        .await
        .expect("JSON");
    assert!(allowed["errors"].is_null(), "{allowed:#}");
    assert_eq!(server.event_count().await, before + 1);
}
