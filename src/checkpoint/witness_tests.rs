//! The witness's decisions against an in-memory log: trust on first use, growth proven,
//! and each refusal with its evidence, `latest` never replaced by a refused checkpoint.

use std::sync::Mutex;

use chrono::TimeZone;

use super::witness::*;
use super::*;
use crate::merkle::{consistency_ranges, leaf_hash, node_hash};

/// RFC 6962 `MTH` over leaf hashes, computed naively.
fn mth(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => crate::merkle::empty_root(),
        1 => leaves[0],
        n => {
            let k = 1 << (n - 1).ilog2();
            node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
        }
    }
}

/// A log in memory: its leaves, its key, the note it serves and the cosignatures it received.
struct FakeLog {
    key: NoteSigner,
    leaves: Mutex<Vec<Hash>>,
    served: Mutex<String>,
    received: Mutex<Vec<(u64, String)>>,
    knows_witness: bool,
}

impl FakeLog {
    fn new(events: usize) -> Self {
        let log = FakeLog {
            key: NoteSigner::generate("example.gov.vn/log", KeyType::Ed25519).expect("key"),
            leaves: Mutex::new(Vec::new()),
            served: Mutex::new(String::new()),
            received: Mutex::new(Vec::new()),
            knows_witness: true,
        };
        log.grow(events);
        log
    }

    fn leaves(&self) -> std::sync::MutexGuard<'_, Vec<Hash>> {
        self.leaves.lock().expect("lock")
    }

    /// `n` more events, and a checkpoint of them served.
    fn grow(&self, n: usize) {
        let start = self.leaves().len();
        self.leaves()
            .extend((start..start + n).map(|i| leaf_hash(&i.to_be_bytes())));
        self.publish_with(&self.key.clone());
    }

    fn publish_with(&self, key: &NoteSigner) {
        let leaves = self.leaves().clone();
        let checkpoint = Checkpoint {
            origin: "example.gov.vn/log".into(),
            size: leaves.len() as u64,
            root: mth(&leaves),
            time: Utc
                .with_ymd_and_hms(2026, 12, 1, 0, 0, 0)
                .single()
                .expect("date"),
        };
        *self.served.lock().expect("lock") = key.sign(&checkpoint.text());
    }
}

impl LogSource for FakeLog {
    async fn checkpoint(&self) -> Result<String, WitnessError> {
        Ok(self.served.lock().expect("lock").clone())
    }

    async fn consistency(&self, from: u64, to: u64) -> Result<Vec<Hash>, WitnessError> {
        let leaves = self.leaves().clone();
        Ok(consistency_ranges(from, to)
            .iter()
            .map(|r| mth(&leaves[r.start as usize..r.end as usize]))
            .collect())
    }

    async fn send_cosignature(&self, size: u64, line: &str) -> Delivery {
        self.received
            .lock()
            .expect("lock")
            .push((size, line.to_owned()));
        match self.knows_witness {
            true => Delivery::Kept,
            false => Delivery::Unknown("unknown witness".into()),
        }
    }
}

fn witness(log: &FakeLog, dir: &std::path::Path) -> Witness {
    Witness {
        log: log.key.verifier(),
        signer: NoteSigner::generate("auditor.example/witness", KeyType::Cosignature).expect("key"),
        dir: WitnessDir::new(dir),
    }
}

fn refusal(look: Look) -> (Refusal, std::path::PathBuf) {
    match look {
        Look::Refused { refused, evidence } => (refused.kind, evidence),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn latest(dir: &std::path::Path) -> String {
    std::fs::read_to_string(dir.join("latest")).expect("latest")
}

#[tokio::test]
async fn the_first_checkpoint_is_trusted_then_growth_is_proven_and_cosigned() {
    let dir = tempfile::tempdir().expect("dir");
    let log = FakeLog::new(5);
    let witness = witness(&log, dir.path());
    let look = witness.look(&log, 1_000).await.expect("look");
    assert!(
        matches!(look, Look::Cosigned { since: None, delivery: Delivery::Kept, ref checkpoint } if checkpoint.size == 5),
        "{look:?}"
    );
    let kept = SignedNote::parse(&latest(dir.path())).expect("kept note");
    assert_eq!(
        verify_cosignature(&witness.signer.verifier(), &kept),
        Ok(1_000)
    );
    assert_eq!(witness.log.verify(&kept), Ok(()));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("checkpoints/5.txt")).expect("copy"),
        latest(dir.path())
    );
    let sent = log.received.lock().expect("lock").clone();
    assert_eq!(sent.len(), 1);
    assert!(latest(dir.path()).ends_with(&sent[0].1));

    let look = witness.look(&log, 1_001).await.expect("look");
    assert!(matches!(look, Look::Unchanged { .. }), "{look:?}");
    for grown in [1, 2, 9] {
        log.grow(grown);
        let before = log.leaves().len() as u64 - grown as u64;
        let look = witness.look(&log, 1_002).await.expect("look");
        assert!(
            matches!(look, Look::Cosigned { since: Some(s), .. } if s == before),
            "{look:?}"
        );
    }
    assert!(latest(dir.path()).contains("\n17\n"));
}

#[tokio::test]
async fn a_rewritten_history_is_refused_with_its_evidence_and_refused_again() {
    let dir = tempfile::tempdir().expect("dir");
    let log = FakeLog::new(6);
    let witness = witness(&log, dir.path());
    witness.look(&log, 1).await.expect("first look");
    let accepted = latest(dir.path());
    log.leaves()[2] = leaf_hash(b"changed");
    log.grow(3);
    let (kind, evidence) = refusal(witness.look(&log, 2).await.expect("look"));
    assert_eq!(kind, Refusal::Rewrite);
    assert_eq!(evidence, dir.path().join("refused/9-2.txt"));
    let kept = std::fs::read_to_string(&evidence).expect("evidence");
    assert!(kept.starts_with("refused: REWRITE: size 9 root "), "{kept}");
    assert!(kept.contains(&*log.served.lock().expect("lock")), "{kept}");
    assert!(kept.contains(&accepted), "{kept}");
    assert_eq!(latest(dir.path()), accepted);
    // The same bad log, later and larger: still refused.
    log.grow(1);
    assert_eq!(
        refusal(witness.look(&log, 3).await.expect("look")).0,
        Refusal::Rewrite
    );
    assert_eq!(latest(dir.path()), accepted);
    assert!(!dir.path().join("checkpoints/10.txt").exists());
}

#[tokio::test]
async fn a_fork_a_truncation_and_another_key_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let log = FakeLog::new(8);
    let witness = witness(&log, dir.path());
    witness.look(&log, 1).await.expect("first look");
    let accepted = latest(dir.path());

    log.leaves()[7] = leaf_hash(b"other");
    log.publish_with(&log.key.clone());
    assert_eq!(
        refusal(witness.look(&log, 2).await.expect("look")).0,
        Refusal::Fork
    );

    log.leaves().truncate(5);
    log.publish_with(&log.key.clone());
    let (kind, evidence) = refusal(witness.look(&log, 3).await.expect("look"));
    assert_eq!(kind, Refusal::Truncation);
    assert_eq!(evidence, dir.path().join("refused/5-3.txt"));

    let impostor = NoteSigner::generate("example.gov.vn/log", KeyType::Ed25519).expect("key");
    log.publish_with(&impostor);
    assert_eq!(
        refusal(witness.look(&log, 4).await.expect("look")).0,
        Refusal::BadSignature
    );
    *log.served.lock().expect("lock") = "not a note".into();
    let (kind, evidence) = refusal(witness.look(&log, 5).await.expect("look"));
    assert_eq!(kind, Refusal::BadSignature);
    assert_eq!(evidence, dir.path().join("refused/unreadable-5.txt"));
    assert_eq!(latest(dir.path()), accepted);
    assert_eq!(log.received.lock().expect("lock").len(), 1);
}

#[tokio::test]
async fn a_cosignature_the_log_lacks_is_sent_again() {
    let dir = tempfile::tempdir().expect("dir");
    let mut log = FakeLog::new(3);
    log.knows_witness = false;
    let witness = witness(&log, dir.path());
    let look = witness.look(&log, 7).await.expect("look");
    assert!(
        matches!(
            look,
            Look::Cosigned {
                delivery: Delivery::Unknown(_),
                ..
            }
        ),
        "{look:?}"
    );
    let look = witness.look(&log, 8).await.expect("look");
    assert!(
        matches!(
            look,
            Look::Unchanged {
                delivery: Some(Delivery::Unknown(_)),
                ..
            }
        ),
        "{look:?}"
    );
    let sent = log.received.lock().expect("lock").clone();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0], sent[1], "the kept cosignature, not a new one");
}

#[test]
fn another_origin_at_any_size_is_a_fork() {
    let at = Utc
        .with_ymd_and_hms(2026, 12, 1, 0, 0, 0)
        .single()
        .expect("date");
    let accepted = Checkpoint {
        origin: "a".into(),
        size: 4,
        root: [1; 32],
        time: at,
    };
    let offered = Checkpoint {
        origin: "b".into(),
        size: 9,
        ..accepted.clone()
    };
    let refused = compare(Some(&accepted), &offered).expect_err("refused");
    assert_eq!(refused.kind, Refusal::Fork);
    assert!(refused.details.contains("\"b\""), "{}", refused.details);
    assert_eq!(compare(None, &offered), Ok(Comparison::First));
}
