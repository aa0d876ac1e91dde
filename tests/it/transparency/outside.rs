//! A checkpoint held outside the database against the DBA: `ntm verify --checkpoint` and the
//! proof bundle checked by `scripts/verify_log_bundle.py` (Python's standard library only) catch
//! a rewritten or cut history that the database's own checks no longer can.

use std::path::Path;
use std::process::{Command, Output};

use ntm_tracker::checkpoint::{KeyType, NoteSigner};

use crate::support::cli::{ntm, path_str, stderr, stdout, succeeded};
use crate::support::history::{self, Shape};
use crate::support::{on_both_engines, TestDb};
use crate::transparency::attack;

on_both_engines!(
    a_held_checkpoint_proves_the_log_extends_it_unchanged,
    a_rewritten_history_is_caught_by_verify_and_by_the_script,
    a_cut_history_is_caught,
    a_checkpoint_signed_by_another_key_is_not_taken,
    a_changed_tree_node_is_found_by_verify,
);

/// A log of a few dozen events, a key in `dir`, a checkpoint of it held in `dir/old.txt`, and
/// `more` events appended after it. Returns the key file and the held checkpoint's size.
async fn log_with_a_held_checkpoint(db: &TestDb, dir: &Path, more: usize) -> (String, i64) {
    let store = db.store().await;
    let shape = Shape {
        districts: 1,
        communes: 4,
        events_per_commune: 6,
    };
    let held = history::generate(&store, &shape).await;
    let key = dir.join("log.key");
    let key = path_str(&key).to_owned();
    succeeded(&ntm(
        &db.url,
        &["key", "generate", "--name", "ntm.test/log", "--out", &key],
    ));
    let note = succeeded(&ntm(&db.url, &["--checkpoint-key", &key, "checkpoint"]));
    std::fs::write(dir.join("old.txt"), note).expect("keep the checkpoint");
    for n in 0..more {
        history::append_one(&store, &history::commune(&shape, (n % 4) as u128)).await;
    }
    (key, held)
}

fn python(args: &[&str]) -> Output {
    Command::new("python3")
        .args(args)
        .output()
        .expect("python3 runs the outside verifier (it must be installed)")
}

/// `ntm export proof` for the held checkpoint, checked by the script: its exit code and words.
fn bundle_checked(db: &TestDb, dir: &Path, key: &str) -> (Option<i32>, String) {
    let old = dir.join("old.txt");
    let exported = ntm(
        &db.url,
        &[
            "--checkpoint-key",
            key,
            "export",
            "proof",
            "--checkpoint",
            path_str(&old),
        ],
    );
    let bundle = dir.join("bundle.json");
    std::fs::write(&bundle, succeeded(&exported)).expect("keep the bundle");
    let vkey = verifier_of(key);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/verify_log_bundle.py");
    let output = python(&[
        script,
        "--key",
        &vkey,
        "--checkpoint",
        path_str(&old),
        path_str(&bundle),
    ]);
    (output.status.code(), stdout(&output) + &stderr(&output))
}

/// The verifier key of the key file, as `ntm key generate` printed it for the auditor.
fn verifier_of(key: &str) -> String {
    let text = std::fs::read_to_string(key).expect("key file");
    let signer = ntm_tracker::checkpoint::NoteSigner::parse(&text).expect("key");
    signer.verifier().to_string()
}

fn verify_against_held(db: &TestDb, dir: &Path, key: &str) -> Output {
    let old = dir.join("old.txt");
    ntm(
        &db.url,
        &[
            "--checkpoint-key",
            key,
            "verify",
            "--checkpoint",
            path_str(&old),
        ],
    )
}

async fn a_held_checkpoint_proves_the_log_extends_it_unchanged(db: &TestDb) {
    let dir = tempfile::tempdir().expect("dir");
    let (key, held) = log_with_a_held_checkpoint(db, dir.path(), 5).await;
    let verified = verify_against_held(db, dir.path(), &key);
    let said = succeeded(&verified);
    assert!(said.contains("ok: the Merkle tree of"), "{said}");
    let (code, said) = bundle_checked(db, dir.path(), &key);
    assert_eq!(code, Some(0), "{said}");
    let expected = format!("extends the checkpoint of {held} events unchanged; 5 new events");
    assert!(said.contains(&expected), "{said}");
}

async fn a_rewritten_history_is_caught_by_verify_and_by_the_script(db: &TestDb) {
    let dir = tempfile::tempdir().expect("dir");
    let (key, held) = log_with_a_held_checkpoint(db, dir.path(), 3).await;
    let position = attack::first_with_a_number(&db.store().await, 2).await;
    assert!(
        position <= held,
        "the rewritten event is in the held checkpoint"
    );
    attack::rewrite_history(db, position, true).await;
    // The database agrees with itself again: its own checks pass...
    let (code, said) = crate::support::cli::ntm_verify(&db.url);
    assert_eq!(code, Some(0), "{said}");
    // ...but not with what the auditor holds.
    let verified = verify_against_held(db, dir.path(), &key);
    assert_eq!(verified.status.code(), Some(2), "{}", stdout(&verified));
    let finding = stderr(&verified);
    assert!(finding.contains("CHECKPOINT CONTRADICTED"), "{finding}");
    assert!(finding.contains("held outside"), "{finding}");
    // A checkpoint signed now with the (compromised) key does not extend the held one.
    let (code, said) = bundle_checked(db, dir.path(), &key);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.starts_with("refused:"), "{said}");
}

async fn a_cut_history_is_caught(db: &TestDb) {
    let dir = tempfile::tempdir().expect("dir");
    let (key, held) = log_with_a_held_checkpoint(db, dir.path(), 2).await;
    attack::truncate_history(db, held - 3).await;
    let verified = verify_against_held(db, dir.path(), &key);
    assert_eq!(verified.status.code(), Some(2), "{}", stdout(&verified));
    assert!(
        stderr(&verified).contains("history was cut"),
        "{}",
        stderr(&verified)
    );
    let old = dir.path().join("old.txt");
    let exported = ntm(
        &db.url,
        &[
            "--checkpoint-key",
            &key,
            "export",
            "proof",
            "--checkpoint",
            path_str(&old),
        ],
    );
    assert!(!exported.status.success());
    assert!(
        stderr(&exported).contains("older than the one held"),
        "{}",
        stderr(&exported)
    );
}

async fn a_checkpoint_signed_by_another_key_is_not_taken(db: &TestDb) {
    let dir = tempfile::tempdir().expect("dir");
    let (key, _) = log_with_a_held_checkpoint(db, dir.path(), 0).await;
    let held = std::fs::read_to_string(dir.path().join("old.txt")).expect("held");
    let text = &held[..held.rfind("\n\n").expect("signed") + 1];
    let other = NoteSigner::generate("ntm.test/log", KeyType::Ed25519).expect("key");
    let forged = dir.path().join("forged.txt");
    std::fs::write(&forged, other.sign(text)).expect("write");
    let vkey = verifier_of(&key);
    let refused = ntm(
        &db.url,
        &["verify", "--key", &vkey, "--checkpoint", path_str(&forged)],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("is not a checkpoint signed by"),
        "{}",
        stderr(&refused)
    );
}

async fn a_changed_tree_node_is_found_by_verify(db: &TestDb) {
    let dir = tempfile::tempdir().expect("dir");
    log_with_a_held_checkpoint(db, dir.path(), 1).await;
    attack::change_tree_nodes(db, 2).await;
    let (code, said) = crate::support::cli::ntm_verify(&db.url);
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("stored Merkle tree differs"), "{said}");
    assert!(said.contains("event 2"), "{said}");
}

/// The script's own tests (RFC 8032 and RFC 6962 vectors, a synthetic bundle and every
/// refusal), run as an auditor would run them: Python's standard library only.
#[test]
fn the_outside_verifiers_own_tests_pass() {
    let output = Command::new("python3")
        .args(["-m", "unittest", "scripts/test_verify_log_bundle.py"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("python3 runs the outside verifier's tests (it must be installed)");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("OK"), "{}", stderr(&output));
}
