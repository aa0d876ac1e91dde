//! A witness (`ntm witness`, run by an auditor): each checkpoint a log shows is checked against
//! the last one this witness accepted — signed by the log's key, and the old tree the start of
//! the new one — then cosigned, or refused with the evidence kept (docs/transparency-log.md,
//! "Witnesses").

use std::future::Future;
use std::path::PathBuf;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;

use super::note::{NoteError, NoteSigner, NoteVerifier, SignedNote};
pub use super::witness_dir::WitnessDir;
use super::{cosign, Checkpoint};
use crate::merkle::{self, Hash};

/// Why a checkpoint is refused: each is evidence against the log, not a local failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a checkpoint signed by the log's key.
    BadSignature,
    /// The same size as the accepted checkpoint with another root (or another log's name).
    Fork,
    /// Fewer events than the accepted checkpoint: history cut or rolled back.
    Truncation,
    /// More events, but the old tree is not the start of the new one: history changed.
    Rewrite,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refusal::BadSignature => "BAD SIGNATURE",
            Refusal::Fork => "FORK",
            Refusal::Truncation => "TRUNCATION",
            Refusal::Rewrite => "REWRITE",
        })
    }
}

/// A refusal with what it is about: sizes and roots.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {details}")]
pub struct Refused {
    pub kind: Refusal,
    pub details: String,
}

fn refused(kind: Refusal, details: String) -> Refused {
    Refused { kind, details }
}

fn describe(checkpoint: &Checkpoint) -> String {
    format!(
        "size {} root {}",
        checkpoint.size,
        BASE64.encode(checkpoint.root)
    )
}

/// What a checkpoint that is not refused outright needs next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison<'a> {
    /// Nothing accepted yet: trusted on first use.
    First,
    /// The accepted checkpoint again.
    Unchanged,
    /// Larger: a consistency proof from the accepted checkpoint decides.
    Grown { accepted: &'a Checkpoint },
}

/// The offered checkpoint against the accepted one, by size, root and origin.
pub fn compare<'a>(
    accepted: Option<&'a Checkpoint>,
    offered: &Checkpoint,
) -> Result<Comparison<'a>, Refused> {
    let Some(accepted) = accepted else {
        return Ok(Comparison::First);
    };
    if accepted.origin != offered.origin {
        let details = format!(
            "the log now calls itself {:?} ({}), it was {:?} ({})",
            offered.origin,
            describe(offered),
            accepted.origin,
            describe(accepted)
        );
        return Err(refused(Refusal::Fork, details));
    }
    let (was, now) = (describe(accepted), describe(offered));
    match offered.size.cmp(&accepted.size) {
        std::cmp::Ordering::Equal if offered.root == accepted.root => Ok(Comparison::Unchanged),
        std::cmp::Ordering::Equal => Err(refused(
            Refusal::Fork,
            format!("{now}, but {was} was accepted: two trees of the same size"),
        )),
        std::cmp::Ordering::Less => Err(refused(
            Refusal::Truncation,
            format!("{now}, smaller than the accepted {was}"),
        )),
        std::cmp::Ordering::Greater => Ok(Comparison::Grown { accepted }),
    }
}

/// The consistency proof checked against the roots of the two signed checkpoints.
pub fn check_grown(
    accepted: &Checkpoint,
    offered: &Checkpoint,
    proof: &[Hash],
) -> Result<(), Refused> {
    merkle::verify_consistency(
        accepted.size,
        offered.size,
        &accepted.root,
        &offered.root,
        proof,
    )
    .map_err(|error| {
        let details = format!(
            "{} is not an extension of the accepted {}: {error}",
            describe(offered),
            describe(accepted)
        );
        refused(Refusal::Rewrite, details)
    })
}

/// Why a look did not reach a verdict, or could not keep it.
#[derive(Debug, thiserror::Error)]
pub enum WitnessError {
    #[error("{url}: {detail}")]
    Http { url: String, detail: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a checkpoint signed by the log's key: {source}")]
    Kept { path: PathBuf, source: NoteError },
    #[error("cannot cosign: {0}")]
    Cosign(NoteError),
}

/// How the log took the witness's cosignature.
#[derive(Debug)]
pub enum Delivery {
    Kept,
    /// Refused (`422`): the log does not know this witness's key; its message.
    Unknown(String),
    /// Not delivered (network, another status): the witness's record stands all the same.
    Failed(WitnessError),
}

/// Where checkpoints and proofs come from and cosignatures go: the log's HTTP API, or a fake.
pub trait LogSource {
    /// The latest signed checkpoint as served (`GET /checkpoint`).
    fn checkpoint(&self) -> impl Future<Output = Result<String, WitnessError>> + Send;
    /// `PROOF(from, to)` (`GET /proof/consistency`).
    fn consistency(
        &self,
        from: u64,
        to: u64,
    ) -> impl Future<Output = Result<Vec<Hash>, WitnessError>> + Send;
    /// Hands over a cosignature line (`POST /checkpoints/{size}/cosignatures`).
    fn send_cosignature(&self, size: u64, line: &str) -> impl Future<Output = Delivery> + Send;
}

/// What one look found.
#[derive(Debug)]
pub enum Look {
    /// Accepted and cosigned; `since` is the size it extends (`None`: trusted on first use).
    Cosigned {
        checkpoint: Checkpoint,
        since: Option<u64>,
        delivery: Delivery,
    },
    /// The accepted checkpoint again; `delivery` when its cosignature was missing from the
    /// log's note and was sent again.
    Unchanged {
        checkpoint: Checkpoint,
        delivery: Option<Delivery>,
    },
    /// Refused; the evidence is in `evidence`.
    Refused { refused: Refused, evidence: PathBuf },
}

/// A witness of one log: the log's key, the witness's own key, and what it keeps.
pub struct Witness {
    pub log: NoteVerifier,
    pub signer: NoteSigner,
    pub dir: WitnessDir,
}

/// The line of `key`'s signature in `note`, if it carries one.
fn signature_line(note: &SignedNote, key: &NoteVerifier) -> Option<String> {
    let bytes = key.signature_in(note)?;
    let mut encoded = key.id().to_be_bytes().to_vec();
    encoded.extend_from_slice(bytes);
    Some(format!("— {} {}\n", key.name(), BASE64.encode(encoded)))
}

impl Witness {
    /// The accepted checkpoint, checked again against the log's key.
    fn accepted(&self) -> Result<Option<(Checkpoint, SignedNote)>, WitnessError> {
        let Some(note) = self.dir.latest()? else {
            return Ok(None);
        };
        Checkpoint::open(&note, &self.log)
            .map(Some)
            .map_err(|source| WitnessError::Kept {
                path: self.dir.latest_path(),
                source,
            })
    }

    /// Fetches the log's checkpoint, decides, and cosigns or refuses; `now` in Unix seconds.
    pub async fn look(&self, source: &impl LogSource, now: u64) -> Result<Look, WitnessError> {
        let accepted = self.accepted()?;
        let note = source.checkpoint().await?;
        let previous = accepted.as_ref().map(|(_, signed)| self.kept_note(signed));
        let refuse = |refused: Refused, size: Option<u64>, proof: &[Hash]| {
            let evidence =
                self.dir
                    .keep_refused(&refused, size, now, &note, previous.as_deref(), proof)?;
            Ok(Look::Refused { refused, evidence })
        };
        let (offered, signed) = match Checkpoint::open(&note, &self.log) {
            Ok(opened) => opened,
            Err(error) => {
                let details = format!("not a checkpoint signed by {}: {error}", self.log);
                let size = SignedNote::parse(&note)
                    .ok()
                    .and_then(|n| Checkpoint::parse(&n.text).ok())
                    .map(|c| c.size);
                return refuse(refused(Refusal::BadSignature, details), size, &[]);
            }
        };
        let old = accepted.as_ref().map(|(checkpoint, _)| checkpoint);
        let since = match compare(old, &offered) {
            Err(refusal) => return refuse(refusal, Some(offered.size), &[]),
            Ok(Comparison::Unchanged) => return self.unchanged(source, offered, &signed).await,
            Ok(Comparison::First) => None,
            Ok(Comparison::Grown { accepted }) => {
                let proof = source.consistency(accepted.size, offered.size).await?;
                if let Err(refusal) = check_grown(accepted, &offered, &proof) {
                    return refuse(refusal, Some(offered.size), &proof);
                }
                Some(accepted.size)
            }
        };
        let line = cosign(&self.signer, &signed.text, now).map_err(WitnessError::Cosign)?;
        self.dir
            .keep_accepted(offered.size, &format!("{}{line}", self.kept_note(&signed)))?;
        let delivery = source.send_cosignature(offered.size, &line).await;
        Ok(Look::Cosigned {
            checkpoint: offered,
            since,
            delivery,
        })
    }

    /// The log's note as this witness keeps it: the text and the log's signature only (other
    /// witnesses' lines are theirs to vouch for), plus this witness's line when it has one.
    fn kept_note(&self, signed: &SignedNote) -> String {
        let mut note = format!("{}\n", signed.text);
        for key in [&self.log, &self.signer.verifier()] {
            note.push_str(&signature_line(signed, key).unwrap_or_default());
        }
        note
    }

    /// The accepted checkpoint again: its cosignature sent again when the log's note lacks it.
    async fn unchanged(
        &self,
        source: &impl LogSource,
        checkpoint: Checkpoint,
        served: &SignedNote,
    ) -> Result<Look, WitnessError> {
        let me = self.signer.verifier();
        let mut delivery = None;
        if super::verify_cosignature(&me, served).is_err() {
            let kept = self.accepted()?.map(|(_, signed)| signed);
            if let Some(line) = kept.as_ref().and_then(|k| signature_line(k, &me)) {
                delivery = Some(source.send_cosignature(checkpoint.size, &line).await);
            }
        }
        Ok(Look::Unchanged {
            checkpoint,
            delivery,
        })
    }
}
