//! Pages and `/graphql` act as the signed-in person: an auditor sees who recorded what and the
//! account and session events (never a password's hash), others see neither.

use ntm_tracker::auth::Role;
use serde_json::{json, Value};

use super::{person, Visitor, PASSWORD};
use crate::support::graphql::register;
use crate::support::server::{Server, ADMIN};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(identities_are_shown_to_a_signed_in_auditor_only);

const FEED: &str = "{ events(first: 100) { edges { node { type actor payload
    details { ... on UserCreatedDetails { username role }
              ... on SessionStartedDetails { userId expiresAt } } } } } }";

async fn audit_page(visitor: &Visitor) -> String {
    visitor.get("/nhat-ky").await.text().await.expect("page")
}

async fn feed_as(visitor: &Visitor) -> Vec<Value> {
    let csrf = visitor.csrf().await;
    let answer: Value = visitor
        .graphql(FEED, json!({}), Some(&csrf))
        .await
        .json()
        .await
        .expect("JSON");
    assert!(answer["errors"].is_null(), "{answer:#}");
    answer["data"]["events"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn identities_are_shown_to_a_signed_in_auditor_only(db: &TestDb) {
    let server = Server::start(db).await;
    register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    person(&server.store, "kiem.tra", Role::Auditor, None).await;
    person(&server.store, "xem", Role::Viewer, None).await;
    let mut auditor = Visitor::of(&server);
    auditor.sign_in("kiem.tra", PASSWORD).await;
    let mut viewer = Visitor::of(&server);
    viewer.sign_in("xem", PASSWORD).await;

    assert!(
        audit_page(&auditor)
            .await
            .contains(&format!("<td>{ADMIN}</td>")),
        "who recorded it"
    );
    assert!(!audit_page(&viewer).await.contains(ADMIN));
    assert!(!audit_page(&Visitor::of(&server)).await.contains(ADMIN));

    let seen = feed_as(&auditor).await;
    let kinds: Vec<&str> = seen
        .iter()
        .filter_map(|e| e["node"]["type"].as_str())
        .collect();
    for kind in ["LOCALITY_ESTABLISHED", "USER_CREATED", "SESSION_STARTED"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let created = seen
        .iter()
        .find(|e| e["node"]["type"] == "USER_CREATED")
        .expect("one");
    assert_eq!(created["node"]["details"]["role"], "AUDITOR");
    assert!(created["node"]["details"].get("passwordPhc").is_none());
    let payload = &created["node"]["payload"];
    assert_eq!(
        payload["password_phc"], "(Argon2id hash withheld)",
        "{payload:#}"
    );
    assert!(!payload.to_string().contains("argon2"), "{payload:#}");
    let viewed = feed_as(&viewer).await;
    let kinds: Vec<&str> = viewed
        .iter()
        .filter_map(|e| e["node"]["type"].as_str())
        .collect();
    assert_eq!(
        kinds,
        ["LOCALITY_ESTABLISHED"],
        "no account or session events, no actors"
    );
    assert!(viewed[0]["node"]["actor"].is_null());
}
