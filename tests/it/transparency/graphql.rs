//! The transparency log in GraphQL: signed checkpoints with a witness's cosignature, the log's
//! verifier key, inclusion proofs of events and consistency proofs, each checked as an
//! outsider checks them (from the proof's hashes alone), open to anonymous callers; and the
//! typed refusals of sizes the log has no checkpoint or tree for.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ntm_tracker::checkpoint::{
    cosign, verify_cosignature, Checkpoint, KeptCheckpoint, KeyType, LogSettings, NoteSigner,
    SignedNote,
};
use ntm_tracker::merkle::{leaf_hash, root_from_inclusion, verify_consistency, Hash};
use ntm_tracker::AccessSettings;
use serde_json::{json, Value};

use super::attack::{rewrite_history, truncate_history};
use crate::support::database::on_both_engines;
use crate::support::graphql::{enrolled_commune, register};
use crate::support::server::Server;
use crate::support::TestDb;

on_both_engines!(
    proofs_verify_against_signed_checkpoints,
    refusals_of_sizes_are_typed,
    without_a_key_nothing_is_signed,
    kept_answers_do_not_hide_new_checkpoints,
    a_rewritten_log_fails_the_proofs_it_serves
);

const PROOF: &str = "position leafIndex treeSize rootHash leafHash hashes checkpoint { treeSize }";

/// A log key, a witness key, and a server that signs with the first and keeps the second's
/// cosignatures; with `public_read` off, reads need a token, so what anonymous callers get is
/// the transparency fields' own openness.
pub(crate) async fn signing_server(
    db: &TestDb,
    public_read: bool,
) -> (Server, LogSettings, NoteSigner) {
    let log = NoteSigner::generate("ntm.test/log", KeyType::Ed25519).expect("log key");
    let witness = NoteSigner::generate("witness.test", KeyType::Cosignature).expect("witness");
    let settings = LogSettings {
        signer: Some(log),
        origin: Some("ntm.test/log".into()),
        witnesses: vec![witness.verifier()],
    };
    let access = AccessSettings {
        failures_per_minute: 10_000,
        public_read,
        log: settings.clone(),
        ..AccessSettings::default()
    };
    (Server::start_with(db, access).await, settings, witness)
}

fn hash(text: &Value) -> Hash {
    let bytes = BASE64
        .decode(text.as_str().expect("base64 text"))
        .expect("base64");
    bytes.try_into().expect("32 bytes")
}

fn hashes(list: &Value) -> Vec<Hash> {
    list.as_array().expect("a list").iter().map(hash).collect()
}

fn int(value: &Value) -> u64 {
    value.as_u64().unwrap_or_else(|| panic!("a size: {value}"))
}

/// Registers `n` communes (an event each), named after `from`.
pub(crate) async fn grow(server: &Server, from: usize, n: usize) {
    for i in from..from + n {
        let code = format!("{:05}", 18000 + i);
        register(server, &format!("Xã Thử {i}"), "COMMUNE", &code, None).await;
    }
    server.caught_up(server.event_count().await).await;
}

/// Checks one `InclusionProof` of the event whose stored hash is `event_hash` (hex) against
/// the kept checkpoint, as an outsider: the leaf hash recomputed, the root recomputed.
fn check_inclusion(proof: &Value, position: i64, event_hash: &str, kept: &KeptCheckpoint) {
    let stored = hex::decode(event_hash).expect("hex hash");
    assert_eq!(proof["position"], position);
    assert_eq!(proof["leafIndex"], position - 1);
    assert_eq!(int(&proof["treeSize"]), kept.size);
    assert_eq!(int(&proof["checkpoint"]["treeSize"]), kept.size);
    assert_eq!(hash(&proof["rootHash"]), kept.root);
    let leaf = leaf_hash(&stored);
    assert_eq!(hash(&proof["leafHash"]), leaf, "leaf of {position}");
    let path = hashes(&proof["hashes"]);
    let index = int(&proof["leafIndex"]);
    let root = root_from_inclusion(index, kept.size, &leaf, &path).expect("a proof of its size");
    assert_eq!(
        root, kept.root,
        "event {position} in the tree of {}",
        kept.size
    );
    // Another event's leaf does not lead to the root with this proof.
    let other = leaf_hash(&[stored, vec![0]].concat());
    let forged = root_from_inclusion(index, kept.size, &other, &path).expect("same shape");
    assert_ne!(forged, kept.root);
}

async fn proofs_verify_against_signed_checkpoints(db: &TestDb) {
    let (server, settings, witness) = signing_server(db, false).await;
    let checkpoints = settings.checkpoints(server.store.clone());
    grow(&server, 0, 5).await;
    let old = checkpoints.make().await.expect("first checkpoint");
    grow(&server, 5, 6).await;
    let new = checkpoints.make().await.expect("second checkpoint");
    assert!(
        old.size >= 5 && new.size >= old.size + 6,
        "{} {}",
        old.size,
        new.size
    );
    let text = SignedNote::parse(&new.note).expect("note").text;
    let line = cosign(&witness, &text, 1_780_000_000).expect("cosign");
    checkpoints
        .add_cosignature(new.size, &line)
        .await
        .expect("the witness is known");
    grow(&server, 11, 1).await; // an event no checkpoint covers yet

    // Anonymous: the checkpoints and the key are public, the events are not.
    let public = server
        .post_as(
            None,
            "{ logVerifierKey checkpoints { treeSize rootHash madeAt origin note
                 cosignatures { witness keyId signedAt line } } }",
            json!({}),
        )
        .await;
    assert!(public.get("errors").is_none(), "{public:#}");
    let data = &public["data"];
    let verifier = settings.signer.as_ref().expect("key").verifier();
    assert_eq!(data["logVerifierKey"], verifier.to_string());
    let list = data["checkpoints"].as_array().expect("a list");
    let sizes: Vec<u64> = list.iter().map(|c| int(&c["treeSize"])).collect();
    assert_eq!(sizes, [new.size, old.size], "newest first");
    let newest = &list[0];
    assert_eq!(hash(&newest["rootHash"]), new.root);
    assert_eq!(newest["origin"], "ntm.test/log");
    let cosignature = &newest["cosignatures"][0];
    assert_eq!(cosignature["witness"], "witness.test");
    assert_eq!(
        cosignature["keyId"],
        format!("{:08x}", witness.verifier().id())
    );
    assert_eq!(cosignature["signedAt"], "2026-05-28T20:26:40+00:00");
    assert_eq!(cosignature["line"], line.trim_end());
    // The note as served opens with the log's key and carries the witness's valid cosignature.
    let note = newest["note"].as_str().expect("note");
    let (stated, signed) = Checkpoint::open(note, &verifier).expect("signed by the log");
    assert_eq!((stated.size, stated.root), (new.size, new.root));
    let time = verify_cosignature(&witness.verifier(), &signed).expect("cosigned");
    assert_eq!(time, 1_780_000_000);
    assert!(list[1]["cosignatures"].as_array().expect("list").is_empty());
    let anonymous_events = server
        .post_as(
            None,
            "{ events(first: 1) { edges { node { position } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        anonymous_events["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );

    // Every event's proof in the newest checkpoint, and the old ones' in the older.
    let query = format!(
        "query($old: Int) {{ events(first: 100) {{ edges {{ node {{ position hash
            inclusionProof {{ {PROOF} }} }} }} }}
          checkpoint(size: $old) {{ treeSize }} }}"
    );
    let data = server.data(&query, json!({ "old": old.size })).await;
    assert_eq!(int(&data["checkpoint"]["treeSize"]), old.size);
    let edges = data["events"]["edges"].as_array().expect("edges").clone();
    assert_eq!(edges.len() as u64, new.size + 1);
    for edge in &edges {
        let event = &edge["node"];
        let position = event["position"].as_i64().expect("position");
        let hash_hex = event["hash"].as_str().expect("hash");
        match position as u64 <= new.size {
            true => check_inclusion(&event["inclusionProof"], position, hash_hex, &new),
            false => assert!(event["inclusionProof"].is_null(), "{event}"),
        }
    }
    let query = format!(
        "query($old: Int!) {{ events(first: 100, beforePosition: {}) {{ edges {{ node {{
            position hash inclusionProof(checkpoint: $old) {{ {PROOF} }} }} }} }} }}",
        old.size + 1
    );
    let data = server.data(&query, json!({ "old": old.size })).await;
    let edges = data["events"]["edges"].as_array().expect("edges");
    assert_eq!(edges.len() as u64, old.size);
    for edge in edges {
        let event = &edge["node"];
        let position = event["position"].as_i64().expect("position");
        let hash_hex = event["hash"].as_str().expect("hash");
        check_inclusion(&event["inclusionProof"], position, hash_hex, &old);
    }

    // The old tree is the start of the new, by the proof alone; not of another root.
    let data = server
        .post_as(
            None,
            "query($from: Int!, $to: Int!) { consistencyProof(from: $from, to: $to) {
                from to hashes } }",
            json!({ "from": old.size, "to": new.size }),
        )
        .await;
    let proof = &data["data"]["consistencyProof"];
    assert_eq!(
        (int(&proof["from"]), int(&proof["to"])),
        (old.size, new.size)
    );
    let path = hashes(&proof["hashes"]);
    verify_consistency(old.size, new.size, &old.root, &new.root, &path).expect("consistent");
    let mut wrong = old.root;
    wrong[0] ^= 1;
    assert!(verify_consistency(old.size, new.size, &wrong, &new.root, &path).is_err());
}

/// The error of a request that must fail with exactly one, as anonymous or as the admin.
async fn refusal(server: &Server, query: &str, variables: Value) -> Value {
    let error = server.error(query, variables).await;
    error["extensions"].clone()
}

async fn refusals_of_sizes_are_typed(db: &TestDb) {
    let (server, settings, _) = signing_server(db, false).await;
    grow(&server, 0, 3).await;
    let kept = settings
        .checkpoints(server.store.clone())
        .make()
        .await
        .expect("checkpoint");
    grow(&server, 3, 1).await;
    let last = server.event_count().await;
    let ids = server
        .data(
            "query($p: Int!) { events(first: 1, afterPosition: $p) { edges { node { id } } } }",
            json!({ "p": last - 1 }),
        )
        .await;
    let id = ids["events"]["edges"][0]["node"]["id"].clone();
    let proof = "query($id: ID!, $size: Int) { node(id: $id) { ... on Event {
        inclusionProof(checkpoint: $size) { treeSize } } } }";

    let unknown = refusal(&server, proof, json!({ "id": id, "size": kept.size + 100 })).await;
    assert_eq!(unknown["code"], "NOT_FOUND", "{unknown}");
    assert_eq!(unknown["what"], "checkpoint");
    let outside = refusal(&server, proof, json!({ "id": id, "size": kept.size })).await;
    assert_eq!(outside["code"], "VALIDATION", "{outside}");
    assert_eq!(outside["field"], "checkpoint");
    let negative = refusal(&server, proof, json!({ "id": id, "size": -1 })).await;
    assert_eq!(negative["code"], "VALIDATION", "{negative}");
    let newest = server.data(proof, json!({ "id": id })).await;
    assert!(
        newest["node"]["inclusionProof"].is_null(),
        "newer than the newest: {newest}"
    );

    let consistency = "query($from: Int!, $to: Int!) { consistencyProof(from: $from, to: $to) {
        hashes } }";
    let backwards = refusal(&server, consistency, json!({ "from": 3, "to": 2 })).await;
    assert_eq!(backwards["code"], "VALIDATION", "{backwards}");
    assert_eq!(backwards["field"], "from");
    let beyond = refusal(&server, consistency, json!({ "from": 1, "to": last + 1 })).await;
    assert_eq!(beyond["code"], "NOT_FOUND", "{beyond}");
    let negative = refusal(&server, consistency, json!({ "from": -1, "to": 2 })).await;
    assert_eq!(
        (negative["code"].as_str(), negative["field"].as_str()),
        (Some("VALIDATION"), Some("from"))
    );

    for first in [0, 101] {
        let list = "query($first: Int!) { checkpoints(first: $first) { treeSize } }";
        let error = refusal(&server, list, json!({ "first": first })).await;
        assert_eq!(error["code"], "VALIDATION", "first {first}: {error}");
        assert_eq!(error["field"], "first");
    }
    let before = "{ checkpoints(before: -5) { treeSize } }";
    assert_eq!(refusal(&server, before, json!({})).await["field"], "before");
    let absent = server
        .data(
            "query($s: Int!) { checkpoint(size: $s) { treeSize } }",
            json!({ "s": kept.size + 1 }),
        )
        .await;
    assert!(absent["checkpoint"].is_null(), "{absent}");
    let earlier = server
        .data(
            "query($b: Int!) { checkpoints(before: $b) { treeSize } }",
            json!({ "b": kept.size }),
        )
        .await;
    assert_eq!(
        earlier["checkpoints"],
        json!([]),
        "none before the only one"
    );
}

async fn without_a_key_nothing_is_signed(db: &TestDb) {
    let server = Server::start(db).await;
    grow(&server, 0, 2).await;
    let data = server
        .data(
            "{ logVerifierKey checkpoints { treeSize } checkpoint { treeSize }
               events(first: 1) { edges { node { inclusionProof { treeSize } } } } }",
            json!({}),
        )
        .await;
    assert!(data["logVerifierKey"].is_null(), "{data}");
    assert_eq!(data["checkpoints"], json!([]));
    assert!(data["checkpoint"].is_null());
    assert!(data["events"]["edges"][0]["node"]["inclusionProof"].is_null());
}

/// The response cache keeps answers while the log's head stands still; a checkpoint made or a
/// cosignature received moves no event, and must still be seen by the next same query.
async fn kept_answers_do_not_hide_new_checkpoints(db: &TestDb) {
    let (server, settings, witness) = signing_server(db, false).await;
    let checkpoints = settings.checkpoints(server.store.clone());
    grow(&server, 0, 2).await;
    let query = "{ checkpoints { treeSize cosignatures { witness } } }";
    let before = server.post_as(None, query, json!({})).await;
    assert_eq!(before["data"]["checkpoints"], json!([]), "{before}");
    let kept = checkpoints.make().await.expect("checkpoint");
    let made = server.post_as(None, query, json!({})).await;
    let size = kept.size;
    assert_eq!(
        made["data"]["checkpoints"],
        json!([{ "treeSize": size, "cosignatures": [] }])
    );
    let text = SignedNote::parse(&kept.note).expect("note").text;
    let line = cosign(&witness, &text, 1_780_000_000).expect("cosign");
    checkpoints
        .add_cosignature(size, &line)
        .await
        .expect("kept");
    let cosigned = server.post_as(None, query, json!({})).await;
    assert_eq!(
        cosigned["data"]["checkpoints"],
        json!([{ "treeSize": size, "cosignatures": [{ "witness": "witness.test" }] }])
    );
}

/// After the DBA's attacks the service still answers, and the answers fail the outsider's
/// check: the rewritten event's proof leads to another root than the signed one, and after a
/// truncation the log has no tree of the signed size to prove anything from.
async fn a_rewritten_log_fails_the_proofs_it_serves(db: &TestDb) {
    let (server, settings, _) = signing_server(db, false).await;
    enrolled_commune(&server).await;
    grow(&server, 0, 2).await;
    let kept = settings
        .checkpoints(server.store.clone())
        .make()
        .await
        .expect("checkpoint");
    let data = server
        .data(
            "{ events(first: 100, filter: { types: [PROGRAMME_ENROLLED] }) {
                edges { node { id position } } } }",
            json!({}),
        )
        .await;
    let enrolment = data["events"]["edges"][0]["node"].clone();
    let position = enrolment["position"].as_i64().expect("position");
    let query = format!(
        "query($id: ID!, $size: Int) {{ node(id: $id) {{ ... on Event {{ hash
            inclusionProof(checkpoint: $size) {{ {PROOF} }} }} }} }}"
    );
    let variables = json!({ "id": enrolment["id"], "size": kept.size });
    let honest = server.data(&query, variables.clone()).await;
    let event = &honest["node"];
    let hash_hex = event["hash"].as_str().expect("hash");
    check_inclusion(&event["inclusionProof"], position, hash_hex, &kept);

    rewrite_history(db, position, false).await;
    // Another document: the log's head did not move, so a kept answer would be the old one.
    let rewritten = server.data(&format!("{query} # after"), variables).await;
    let event = &rewritten["node"];
    assert_ne!(
        event["hash"].as_str(),
        Some(hash_hex),
        "the event was rewritten"
    );
    let proof = &event["inclusionProof"];
    assert_eq!(
        hash(&proof["rootHash"]),
        kept.root,
        "the signed root, as kept"
    );
    let leaf = leaf_hash(&hex::decode(event["hash"].as_str().expect("hash")).expect("hex"));
    let path = hashes(&proof["hashes"]);
    let root = root_from_inclusion(position as u64 - 1, kept.size, &leaf, &path).expect("shape");
    assert_ne!(
        root, kept.root,
        "the rewritten log cannot prove the signed checkpoint"
    );

    truncate_history(db, 2).await;
    let consistency = "query($to: Int!) { consistencyProof(from: 1, to: $to) { hashes } }";
    let cut = refusal(&server, consistency, json!({ "to": kept.size })).await;
    assert_eq!(cut["code"], "NOT_FOUND", "{cut}");
    let gone = server
        .post_as(
            None,
            "query($s: Int!) { checkpoint(size: $s) { treeSize } }",
            json!({ "s": kept.size }),
        )
        .await;
    assert!(
        gone["data"]["checkpoint"].is_null(),
        "only a copy kept outside shows it: {gone}"
    );
}
