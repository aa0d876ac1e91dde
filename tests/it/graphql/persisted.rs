//! Automatic persisted queries as Apollo's persisted-query link speaks them (hash first, the
//! text on `PersistedQueryNotFound`, hashed GETs), and trusted documents: only listed
//! documents run, except for admins.

use std::sync::Arc;

use futures::SinkExt;
use ntm_tracker::auth::Role;
use ntm_tracker::graphql::{ProtocolSettings, TrustedDocuments};
use ntm_tracker::AccessSettings;
use reqwest::header::CONTENT_TYPE;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tokio_tungstenite::tungstenite::Message;

use crate::support::server::{token, Server};
use crate::support::websocket::{connect_to, next_json};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    apollo_persisted_queries_register_then_run_by_hash,
    trusted_documents_run_alone_except_for_admins,
);

const SETS: &str = "query Sets { criteriaSets { code } }";

fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

/// Status and body of a POST as `authorization` (none: anonymous), asking for the spec's
/// media type as recent Apollo clients do.
async fn post(server: &Server, authorization: Option<&str>, body: Value) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(server.url("/graphql"))
        .header(CONTENT_TYPE, "application/json")
        .header(
            "Accept",
            "application/graphql-response+json,application/json;q=0.9",
        )
        .body(body.to_string());
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    let response = request.send().await.expect("POST");
    (
        response.status().as_u16(),
        response.json().await.expect("JSON"),
    )
}

/// A hashed GET as the link sends it with `useGETForHashedQueries`.
async fn get(server: &Server, hash: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .get(server.url("/graphql"))
        .query(&[
            ("operationName", "Sets"),
            ("variables", "{}"),
            ("extensions", &persisted(hash).to_string()),
        ])
        .send()
        .await
        .expect("GET");
    (
        response.status().as_u16(),
        response.json().await.expect("JSON"),
    )
}

fn code(body: &Value) -> &Value {
    &body["errors"][0]["extensions"]["code"]
}

async fn apollo_persisted_queries_register_then_run_by_hash(db: &TestDb) {
    let server = Server::start(db).await;
    let hash = sha256(SETS);
    // Unknown: 200 (a 400 would make the link give up hashes), the message the link looks for.
    let (status, body) = post(&server, None, json!({ "extensions": persisted(&hash) })).await;
    assert_eq!(status, 200, "{body:#}");
    assert_eq!(body["errors"][0]["message"], "PersistedQueryNotFound");
    assert_eq!(code(&body), "PERSISTED_QUERY_NOT_FOUND");
    assert!(body.get("data").is_none());
    let (status, body) = get(&server, &hash).await;
    assert_eq!(
        (status, code(&body)),
        (200, &json!("PERSISTED_QUERY_NOT_FOUND"))
    );

    // The text with a hash that is not its own: refused, not registered.
    let wrong = sha256("{ __typename }");
    let (status, body) = post(
        &server,
        None,
        json!({ "query": SETS, "extensions": persisted(&wrong) }),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (400, &json!("PERSISTED_QUERY_HASH_MISMATCH")),
        "{body:#}"
    );
    let (_, body) = get(&server, &wrong).await;
    assert_eq!(code(&body), "PERSISTED_QUERY_NOT_FOUND");

    // The retry with the text runs it and registers it; the hash alone then runs, GET or POST.
    let (status, body) = post(
        &server,
        None,
        json!({ "query": SETS, "extensions": persisted(&hash) }),
    )
    .await;
    assert_eq!(status, 200);
    let sets = body["data"]["criteriaSets"].clone();
    assert!(sets.as_array().is_some_and(|s| !s.is_empty()), "{body:#}");
    let (status, body) = get(&server, &hash).await;
    assert_eq!(
        (status, &body["data"]["criteriaSets"]),
        (200, &sets),
        "{body:#}"
    );
    let upper = hash.to_ascii_uppercase();
    let (_, body) = post(&server, None, json!({ "extensions": persisted(&upper) })).await;
    assert_eq!(body["data"]["criteriaSets"], sets, "{body:#}");

    // A malformed extension is a typed refusal.
    let (status, body) = post(&server, None, json!({ "extensions": persisted("abc") })).await;
    assert_eq!(
        (status, code(&body)),
        (400, &json!("VALIDATION")),
        "{body:#}"
    );
}

async fn trusted_documents_run_alone_except_for_admins(db: &TestDb) {
    let listed = "{ criteriaSets { code } }";
    let manifest = json!({
        "format": "apollo-persisted-query-manifest", "version": 1,
        "operations": [{ "id": sha256(listed), "name": "Sets", "type": "query", "body": listed }],
    });
    let trusted =
        TrustedDocuments::parse("manifest.json", &manifest.to_string()).expect("manifest");
    let access = AccessSettings {
        failures_per_minute: 10_000,
        protocol: ProtocolSettings {
            trusted_documents: Some(Arc::new(trusted)),
            ..ProtocolSettings::default()
        },
        ..AccessSettings::default()
    };
    let server = Server::start_with(db, access).await;
    let (_, viewer) = token(&server.store, "viewer", Role::Viewer, None, None).await;
    // Listed: by hash alone, or by its very text.
    let (status, body) = post(
        &server,
        None,
        json!({ "extensions": persisted(&sha256(listed)) }),
    )
    .await;
    assert_eq!(status, 200, "{body:#}");
    assert!(body["data"]["criteriaSets"].is_array(), "{body:#}");
    let (_, body) = post(&server, Some(&viewer), json!({ "query": listed })).await;
    assert!(body["data"]["criteriaSets"].is_array(), "{body:#}");
    // Anything else, however sent, is refused to everyone but admins.
    let other = "{ __typename }";
    for body in [
        json!({ "query": other }),
        json!({ "query": other, "extensions": persisted(&sha256(other)) }),
        json!({ "extensions": persisted(&sha256(other)) }),
    ] {
        for who in [None, Some(viewer.as_str())] {
            let (status, answer) = post(&server, who, body.clone()).await;
            assert_eq!(status, 400, "{answer:#}");
            assert_eq!(code(&answer), "PERSISTED_QUERY_NOT_ALLOWED", "{answer:#}");
            assert!(answer.get("data").is_none());
        }
    }
    let (_, body) = post(&server, Some(&server.admin), json!({ "query": other })).await;
    assert_eq!(body["data"]["__typename"], "Query", "{body:#}");

    // The WebSocket is bound too: an anonymous socket runs only the listed document.
    let mut socket = connect_to(&server.address.to_string(), json!({})).await;
    assert_eq!(next_json(&mut socket).await["type"], "connection_ack");
    for (id, query, listed) in [("other", other, false), ("listed", listed, true)] {
        let start = json!({ "id": id, "type": "subscribe", "payload": { "query": query } });
        socket
            .send(Message::text(start.to_string()))
            .await
            .expect("subscribe");
        let answer = next_json(&mut socket).await;
        let payload = &answer["payload"];
        match listed {
            true => assert!(payload["data"]["criteriaSets"].is_array(), "{answer:#}"),
            false => assert_eq!(code(payload), "PERSISTED_QUERY_NOT_ALLOWED", "{answer:#}"),
        }
        assert_eq!(next_json(&mut socket).await["type"], "complete");
    }
}

/// A manifest whose id is not its document's hash stops `ntm serve` before it listens, naming
/// the file and the entry.
#[tokio::test]
async fn a_bad_manifest_stops_serve_naming_file_and_entry() {
    let db = TestDb::sqlite().await;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("persisted-documents.json");
    let wrong = "ab".repeat(32);
    let manifest = json!({ wrong.clone(): "{ __typename }", sha256(SETS): SETS });
    std::fs::write(&path, manifest.to_string()).expect("write");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ntm"))
        .args(["serve", "--listen", "127.0.0.1:0", "--trusted-documents"])
        .arg(&path)
        .env("DATABASE_URL", &db.url)
        .env("NTM_LOG", "warn")
        .output()
        .expect("run ntm serve");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains("persisted-documents.json"), "{stderr}");
    assert!(stderr.contains(&wrong), "{stderr}");
}
