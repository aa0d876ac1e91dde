//! `ntm witness` as an auditor runs it, a real process against a real server: it cosigns a
//! log that only grows, and refuses (exit 3, evidence kept, `latest` untouched) a log the DBA
//! rewrote or truncated, or a checkpoint signed by another key.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use ntm_tracker::checkpoint::{
    verify_cosignature, KeptCheckpoint, KeyType, LogSettings, NoteSigner, NoteVerifier, SignedNote,
};
use ntm_tracker::AccessSettings;

use super::attack::{rewrite_history, truncate_history};
use crate::support::cli::{ntm, path_str, stderr, stdout, succeeded};
use crate::support::history::{self, Shape};
use crate::support::server::Server;
use crate::support::store::scalar;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    a_witness_cosigns_the_first_checkpoint_then_each_consistent_one,
    a_rewritten_history_is_refused_as_a_fork_then_a_rewrite,
    a_truncated_history_is_refused,
    a_checkpoint_signed_by_another_key_is_refused,
    a_cosignature_by_an_unknown_witness_is_refused_and_not_kept,
    a_watching_witness_keeps_looking_after_a_refusal,
);

/// The witness needs no database: one that cannot be reached proves it never connects.
const NO_DATABASE: &str = "postgres://nobody@127.0.0.1:1/none";

const SHAPE: Shape = Shape {
    districts: 2,
    communes: 4,
    events_per_commune: 10,
};

/// A log with its key, a server that knows the witness, and the witness's key and directory.
struct Setup {
    server: Server,
    log_key: NoteSigner,
    witness_vkey: NoteVerifier,
    key_file: PathBuf,
    dir: tempfile::TempDir,
}

/// A witness key made as an auditor makes it: `ntm key generate --witness`.
fn witness_key(dir: &Path, name: &str) -> (PathBuf, NoteVerifier) {
    let file = dir.join(format!("{}.key", name.replace('/', "_")));
    let printed = succeeded(&ntm(
        NO_DATABASE,
        &[
            "key",
            "generate",
            "--witness",
            "--name",
            name,
            "--out",
            path_str(&file),
        ],
    ));
    let vkey = NoteVerifier::parse(printed.trim()).expect("a verifier key");
    (file, vkey)
}

fn log_key() -> NoteSigner {
    NoteSigner::generate("ntm.example.gov.vn/log", KeyType::Ed25519).expect("key")
}

async fn setup(db: &TestDb) -> Setup {
    let log_key = log_key();
    setup_signed_by(db, log_key.clone(), log_key).await
}

/// [`setup`] with a server signing with `server_key`; the witness trusts `log_key`.
async fn setup_signed_by(db: &TestDb, log_key: NoteSigner, server_key: NoteSigner) -> Setup {
    let dir = tempfile::tempdir().expect("dir");
    let (key_file, witness_vkey) = witness_key(dir.path(), "auditor.example/witness");
    let server = serve(db, server_key, witness_vkey.clone()).await;
    history::generate(&server.store, &SHAPE).await;
    Setup {
        server,
        log_key,
        witness_vkey,
        key_file,
        dir,
    }
}

async fn serve(db: &TestDb, signer: NoteSigner, witness: NoteVerifier) -> Server {
    let log = LogSettings {
        signer: Some(signer),
        origin: None,
        witnesses: vec![witness],
    };
    let access = AccessSettings {
        log,
        failures_per_minute: 10_000,
        ..AccessSettings::default()
    };
    Server::start_with(db, access).await
}

impl Setup {
    fn store_dir(&self) -> PathBuf {
        self.dir.path().join("witness")
    }

    fn args(&self) -> Vec<String> {
        let log_vkey = self.log_key.verifier().to_string();
        [
            "witness",
            "--url",
            &self.server.url(""),
            "--key",
            &log_vkey,
            "--store",
            path_str(&self.store_dir()),
            "--signing-key",
            path_str(&self.key_file),
        ]
        .map(str::to_owned)
        .to_vec()
    }

    /// One look by `ntm witness`, off the runtime's threads (the server runs on them).
    async fn look(&self) -> Output {
        let args = self.args();
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            ntm(NO_DATABASE, &args)
        })
        .await
        .expect("run ntm witness")
    }

    /// A checkpoint of the log as it now is in `db`, signed with the log's key.
    async fn checkpoint(&self, db: &TestDb) -> KeptCheckpoint {
        LogSettings {
            signer: Some(self.log_key.clone()),
            ..LogSettings::default()
        }
        .checkpoints(db.store().await)
        .make()
        .await
        .expect("checkpoint")
    }

    fn latest(&self) -> String {
        std::fs::read_to_string(self.store_dir().join("latest")).expect("latest")
    }

    fn refused(&self) -> Vec<PathBuf> {
        match std::fs::read_dir(self.store_dir().join("refused")) {
            Ok(entries) => entries.map(|e| e.expect("entry").path()).collect(),
            Err(_) => Vec::new(),
        }
    }

    /// `GET /checkpoint`, taken apart.
    async fn served(&self) -> SignedNote {
        let note = reqwest::get(self.server.url("/checkpoint"))
            .await
            .expect("GET /checkpoint")
            .text()
            .await
            .expect("body");
        SignedNote::parse(&note).expect("a signed note")
    }
}

fn refused_with(output: &Output, kind: &str) {
    assert_eq!(output.status.code(), Some(3), "{}", stderr(output));
    let printed = stderr(output);
    assert!(
        printed.starts_with(&format!("refused: {kind}: ")),
        "{printed}"
    );
}

async fn a_witness_cosigns_the_first_checkpoint_then_each_consistent_one(db: &TestDb) {
    let setup = setup(db).await;
    let first = setup.checkpoint(db).await;
    let output = setup.look().await;
    let printed = succeeded(&output);
    assert!(
        printed.starts_with(&format!(
            "cosigned: ntm.example.gov.vn/log size {} root ",
            first.size
        )),
        "{printed}"
    );
    assert!(printed.contains("trusted on first use"), "{printed}");
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
    let served = setup.served().await;
    verify_cosignature(&setup.witness_vkey, &served).expect("the log serves the cosignature");
    let kept = setup.latest();
    let copy = setup
        .store_dir()
        .join(format!("checkpoints/{}.txt", first.size));
    assert_eq!(std::fs::read_to_string(copy).expect("copy"), kept);
    assert!(kept.starts_with(&first.note), "{kept}");

    let again = succeeded(&setup.look().await);
    assert!(again.starts_with("nothing new: "), "{again}");

    let commune = history::commune(&SHAPE, 3);
    history::append_one(&setup.server.store, &commune).await;
    history::append_one(&setup.server.store, &commune).await;
    let second = setup.checkpoint(db).await;
    let printed = succeeded(&setup.look().await);
    assert!(
        printed.starts_with(&format!(
            "cosigned: ntm.example.gov.vn/log size {} ",
            second.size
        )) && printed.contains(&format!("(consistent with {})", first.size)),
        "{printed}"
    );
    let served = setup.served().await;
    assert!(served
        .text
        .starts_with(&format!("ntm.example.gov.vn/log\n{}\n", second.size)));
    verify_cosignature(&setup.witness_vkey, &served).expect("cosigned again");
    assert!(setup.refused().is_empty());
}

async fn a_rewritten_history_is_refused_as_a_fork_then_a_rewrite(db: &TestDb) {
    let setup = setup(db).await;
    let commune = history::commune(&SHAPE, 3);
    let target = history::append_one(&setup.server.store, &commune).await;
    history::append_one(&setup.server.store, &commune).await;
    let accepted = setup.checkpoint(db).await;
    succeeded(&setup.look().await);
    let kept = setup.latest();

    // The DBA changes a reading, recomputes every hash and the tree, forgets the checkpoints,
    // and signs the rewritten log with the log's (compromised) key.
    rewrite_history(db, target, true).await;
    let forged = setup.checkpoint(db).await;
    assert_eq!(forged.size, accepted.size);
    assert_ne!(forged.root, accepted.root);
    refused_with(&setup.look().await, "FORK");

    history::append_one(&db.store().await, &commune).await;
    let grown = setup.checkpoint(db).await;
    let output = setup.look().await;
    refused_with(&output, "REWRITE");
    assert!(stderr(&output).contains(&format!("size {}", grown.size)));
    assert!(stderr(&output).contains(&format!("size {}", accepted.size)));
    assert!(stdout(&output).is_empty());
    assert_eq!(
        setup.latest(),
        kept,
        "a refused checkpoint never replaces latest"
    );
    let evidence = setup.refused();
    assert_eq!(evidence.len(), 2, "{evidence:?}");
    let rewrite = evidence
        .iter()
        .find(|p| path_str(p).contains(&format!("/{}-", grown.size)))
        .expect("the rewrite's evidence");
    let text = std::fs::read_to_string(rewrite).expect("evidence");
    assert!(text.starts_with("refused: REWRITE: "), "{text}");
    assert!(text.contains(&grown.note) && text.contains(&kept), "{text}");
}

async fn a_truncated_history_is_refused(db: &TestDb) {
    let setup = setup(db).await;
    let accepted = setup.checkpoint(db).await;
    succeeded(&setup.look().await);
    let kept = setup.latest();
    let keep = i64::try_from(accepted.size).expect("size") - 5;
    truncate_history(db, keep).await;
    let cut = setup.checkpoint(db).await;
    assert_eq!(cut.size, accepted.size - 5);
    let output = setup.look().await;
    refused_with(&output, "TRUNCATION");
    assert!(stderr(&output).contains(&format!("size {}", cut.size)));
    assert_eq!(setup.latest(), kept);
    assert_eq!(setup.refused().len(), 1);
    // Later runs keep refusing the same log.
    refused_with(&setup.look().await, "TRUNCATION");
    assert_eq!(setup.latest(), kept);
}

async fn a_checkpoint_signed_by_another_key_is_refused(db: &TestDb) {
    // The server signs with an impostor's key of the same name; the witness expects the log's.
    let impostor = log_key();
    let setup = setup_signed_by(db, log_key(), impostor.clone()).await;
    LogSettings {
        signer: Some(impostor),
        ..LogSettings::default()
    }
    .checkpoints(db.store().await)
    .make()
    .await
    .expect("checkpoint");
    let output = setup.look().await;
    refused_with(&output, "BAD SIGNATURE");
    assert!(!setup.store_dir().join("latest").exists());
    assert_eq!(setup.refused().len(), 1);
    assert_eq!(
        scalar(&db.db, "SELECT COUNT(*) FROM checkpoint_cosignatures").await,
        0
    );
}

async fn a_cosignature_by_an_unknown_witness_is_refused_and_not_kept(db: &TestDb) {
    let setup = setup(db).await;
    let kept = setup.checkpoint(db).await;
    let stranger =
        NoteSigner::generate("stranger.example/witness", KeyType::Cosignature).expect("key");
    let text = SignedNote::parse(&kept.note).expect("note").text;
    let line = ntm_tracker::checkpoint::cosign(&stranger, &text, 1_700_000_000).expect("line");
    let response = reqwest::Client::new()
        .post(
            setup
                .server
                .url(&format!("/checkpoints/{}/cosignatures", kept.size)),
        )
        .header("content-type", "text/plain")
        .body(line)
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert!(body.to_string().contains("VALIDATION"), "{body}");
    assert_eq!(setup.served().await.signatures.len(), 1);
    assert_eq!(
        scalar(&db.db, "SELECT COUNT(*) FROM checkpoint_cosignatures").await,
        0
    );

    // A witness the log does not know: a warning, and its own record stands.
    let (file, _) = witness_key(setup.dir.path(), "stranger.example/witness");
    let mut args = setup.args();
    let at = args
        .iter()
        .position(|a| a == "--signing-key")
        .expect("flag")
        + 1;
    args[at] = path_str(&file).to_owned();
    let output = tokio::task::spawn_blocking(move || {
        ntm(
            NO_DATABASE,
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        )
    })
    .await
    .expect("run");
    assert!(succeeded(&output).starts_with("cosigned: "));
    assert!(stderr(&output).starts_with("warning: the log does not know"));
    assert!(setup.store_dir().join("latest").exists());

    // No log at the URL: exit 1, naming it.
    let mut args = setup.args();
    args[2] = "http://127.0.0.1:1".into();
    let output = tokio::task::spawn_blocking(move || {
        ntm(
            NO_DATABASE,
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        )
    })
    .await
    .expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("http://127.0.0.1:1/checkpoint"),
        "{}",
        stderr(&output)
    );
}

async fn a_watching_witness_keeps_looking_after_a_refusal(db: &TestDb) {
    let setup = setup(db).await;
    let commune = history::commune(&SHAPE, 3);
    let target = history::append_one(&setup.server.store, &commune).await;
    setup.checkpoint(db).await;
    let mut args = setup.args();
    args.extend(["--every".to_owned(), "1".to_owned()]);
    let child = Command::new(env!("CARGO_BIN_EXE_ntm"))
        .args(&args)
        .env("DATABASE_URL", NO_DATABASE)
        .env("NTM_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ntm witness");
    let latest = setup.store_dir().join("latest");
    wait_until(|| latest.exists()).await;
    rewrite_history(db, target, true).await;
    history::append_one(&db.store().await, &commune).await;
    setup.checkpoint(db).await;
    wait_until(|| setup.refused().len() >= 2).await;
    let pid = child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(killed.expect("kill").success());
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("wait");
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("cosigned: "),
        "{}",
        stdout(&output)
    );
    let refusals = stderr(&output)
        .lines()
        .filter(|l| l.starts_with("refused: REWRITE: "))
        .count();
    assert!(refusals >= 2, "{}", stderr(&output));
}

/// Waits up to 30 seconds for `done`.
async fn wait_until(mut done: impl FnMut() -> bool) {
    for _ in 0..300 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out");
}
