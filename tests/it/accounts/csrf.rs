//! CSRF: a cookie-authenticated POST to `/graphql` needs `X-CSRF-Token`, every dashboard form
//! the session's token, the sign-in form its own; refused, nothing is written.

use ntm_tracker::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{person, Visitor, PASSWORD};
use crate::support::graphql::enrolled_commune;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    a_cookie_post_to_graphql_needs_the_session_csrf_token,
    dashboard_forms_refuse_a_missing_or_forged_token,
);

const READING: &str = "mutation($input: RecordIndicatorReadingInput!) {
    recordIndicatorReading(input: $input) { position events { actor } } }";

pub fn reading(locality: &str, key: &str) -> Value {
    json!({ "input": { "locality": locality, "idempotencyKey": key,
        "set": "NTM-XA-2021-2025", "indicator": "2.1", "value": { "percent": 75 },
        "effectiveOn": "2024-03-01" } })
}

async fn a_cookie_post_to_graphql_needs_the_session_csrf_token(db: &TestDb) {
    let server = Server::start(db).await;
    let commune = enrolled_commune(&server).await;
    let an = person(&server.store, "an", Role::Recorder, None).await;
    let mut visitor = Visitor::of(&server);
    visitor.sign_in("an", PASSWORD).await;
    let before = server.event_count().await;
    for token in [None, Some("forged")] {
        let refused = visitor
            .graphql(READING, reading(&commune, "r1"), token)
            .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{token:?}");
        let body: Value = refused.json().await.expect("JSON");
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{body:#}"
        );
    }
    assert_eq!(server.event_count().await, before, "nothing written");

    let csrf = visitor.csrf().await;
    let recorded: Value = visitor
        .graphql(READING, reading(&commune, "r1"), Some(&csrf))
        .await
        .json()
        .await
        .expect("JSON");
    assert!(recorded["errors"].is_null(), "{recorded:#}");
    let position = recorded["data"]["recordIndicatorReading"]["position"]
        .as_i64()
        .expect("pos");
    let event = server.store.read_all(position - 1, 1).await.expect("read");
    let metadata = event[0].metadata().expect("metadata");
    assert_eq!(metadata.actor, "an", "the person is the actor");
    assert_eq!(
        (metadata.role.as_str(), metadata.user_id),
        ("recorder", Some(an.to_string()))
    );
    assert_eq!(metadata.token_id, None);
}

async fn dashboard_forms_refuse_a_missing_or_forged_token(db: &TestDb) {
    let server = Server::start(db).await;
    person(&server.store, "quantri", Role::Admin, None).await;
    let mut visitor = Visitor::of(&server);
    visitor.sign_in("quantri", PASSWORD).await;
    let before = server.event_count().await;
    let account = [
        ("username", "moi"),
        ("password", PASSWORD),
        ("role", "viewer"),
    ];
    for csrf in ["", "forged"] {
        let form = [&account[..], &[("csrf", csrf)]].concat();
        let refused = visitor.post_form("/quan-tri/nguoi-dung", &form, "").await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{csrf:?}");
    }
    assert_eq!(server.event_count().await, before, "no account created");

    // The sign-in form without its own cookie (a page of another site posting it).
    let stranger = Visitor::of(&server);
    let fields = [
        ("username", "quantri"),
        ("password", PASSWORD),
        ("csrf", "x"),
    ];
    let refused = stranger.post_form("/dang-nhap", &fields, "").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(super::set_cookie(&refused, "ntm_session").is_none());
    assert_eq!(server.event_count().await, before, "no session started");
}
