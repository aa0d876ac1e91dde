//! Checkpoints and proofs over HTTP, as an auditor's tools fetch them: the signed note verifies
//! with the log's key, the proofs verify against its root with nothing but the RFC's algorithms,
//! and bad requests are refused with a typed error.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ntm_tracker::checkpoint::{Checkpoint, KeyType, LogSettings, NoteSigner};
use ntm_tracker::merkle::{self, Hash};
use ntm_tracker::AccessSettings;
use serde_json::Value;

use crate::support::history::{self, Shape};
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    proofs_served_verify_against_the_signed_checkpoint,
    malformed_or_impossible_proof_requests_are_refused_with_a_code,
    without_a_key_there_is_no_checkpoint_but_proofs_are_served,
);

fn hashes(answer: &Value) -> Vec<Hash> {
    let list = answer["hashes"].as_array().expect("hashes");
    let decode = |h: &Value| BASE64.decode(h.as_str().expect("base64")).expect("base64");
    list.iter()
        .map(|h| decode(h).try_into().expect("32 bytes"))
        .collect()
}

/// A history of a few events.
fn tiny() -> Shape {
    Shape {
        districts: 1,
        communes: 1,
        events_per_commune: 2,
    }
}

async fn get(server: &Server, path: &str) -> (u16, String) {
    let response = reqwest::get(server.url(path)).await.expect("GET");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

async fn json(server: &Server, path: &str) -> Value {
    let (status, body) = get(server, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).expect("JSON")
}

async fn proofs_served_verify_against_the_signed_checkpoint(db: &TestDb) {
    let key = NoteSigner::generate("ntm.test/log", KeyType::Ed25519).expect("key");
    let access = AccessSettings {
        log: LogSettings {
            signer: Some(key.clone()),
            ..LogSettings::default()
        },
        ..AccessSettings::default()
    };
    let server = Server::start_with(db, access).await;
    let shape = Shape {
        districts: 1,
        communes: 3,
        events_per_commune: 5,
    };
    let early = history::generate(&server.store, &shape).await;
    let checkpoints = LogSettings {
        signer: Some(key.clone()),
        ..LogSettings::default()
    }
    .checkpoints(server.store.clone());
    checkpoints.make().await.expect("first checkpoint");
    history::append_one(&server.store, &history::commune(&shape, 0)).await;
    let newest = checkpoints.make().await.expect("second checkpoint");
    let (status, note) = get(&server, "/checkpoint").await;
    assert_eq!(status, 200);
    let (signed, _) = Checkpoint::open(&note, &key.verifier()).expect("signed by the log's key");
    assert_eq!(signed.size, newest.size);
    let (_, older) = get(&server, &format!("/checkpoints/{early}")).await;
    let (old, _) = Checkpoint::open(&older, &key.verifier()).expect("the older one");
    let events = server.store.read_all(0, 1_000).await.expect("events");
    for event in events.iter().step_by(7) {
        let path = format!(
            "/proof/inclusion?position={}&size={}",
            event.position, signed.size
        );
        let proof = hashes(&json(&server, &path).await);
        let leaf = merkle::leaf_hash(&event.hash);
        let index = (event.position - 1) as u64;
        let root = merkle::root_from_inclusion(index, signed.size, &leaf, &proof);
        assert_eq!(root, Ok(signed.root), "position {}", event.position);
    }
    let path = format!("/proof/consistency?from={}&to={}", old.size, signed.size);
    let proof = hashes(&json(&server, &path).await);
    let consistent =
        merkle::verify_consistency(old.size, signed.size, &old.root, &signed.root, &proof);
    assert_eq!(consistent, Ok(()));
}

async fn malformed_or_impossible_proof_requests_are_refused_with_a_code(db: &TestDb) {
    let server = Server::start(db).await;
    history::generate(&server.store, &tiny()).await;
    for (path, status, code) in [
        ("/proof/inclusion?position=x&size=1", 400, "VALIDATION"),
        ("/proof/inclusion?position=1", 400, "VALIDATION"),
        ("/proof/inclusion?position=2&size=1", 404, "NOT_FOUND"),
        ("/proof/inclusion?position=1&size=9999", 404, "NOT_FOUND"),
        ("/proof/consistency?from=2&to=1", 400, "VALIDATION"),
        ("/proof/consistency?from=1&to=9999", 404, "NOT_FOUND"),
        ("/checkpoints/abc", 400, "VALIDATION"),
        ("/checkpoints/1", 404, "NOT_FOUND"),
    ] {
        let (got, body) = get(&server, path).await;
        assert_eq!(got, status, "{path}: {body}");
        let body: Value = serde_json::from_str(&body).expect("JSON error");
        assert_eq!(body["errors"][0]["extensions"]["code"], code, "{path}");
    }
}

async fn without_a_key_there_is_no_checkpoint_but_proofs_are_served(db: &TestDb) {
    let server = Server::start(db).await;
    history::generate(&server.store, &tiny()).await;
    let (status, body) = get(&server, "/checkpoint").await;
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("no checkpoint has been made yet"), "{body}");
    let proof = json(&server, "/proof/consistency?from=1&to=2").await;
    assert_eq!(hashes(&proof).len(), 1);
}
