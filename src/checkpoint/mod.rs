//! Signed checkpoints of the log's Merkle tree, witnesses' cosignatures of them, and the keys
//! that sign both (docs/transparency-log.md).

mod cosign;
mod kept;
mod note;
#[cfg(test)]
mod tests;
pub mod witness;
mod witness_dir;
#[cfg(test)]
mod witness_tests;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};

use crate::merkle::Hash;
pub use cosign::{cosign, verify_cosignature};
pub use kept::{CheckpointError, Checkpoints, KeptCheckpoint};
pub use note::{KeyType, NoteError, NoteSigner, NoteVerifier, SignedNote};

/// What a checkpoint states: the log, its size, the root of its tree, and when it was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
    pub time: DateTime<Utc>,
}

impl Checkpoint {
    /// The note text: origin, size, base64 root, `time <RFC 3339>`, each line ending in `\n`.
    pub fn text(&self) -> String {
        format!(
            "{}\n{}\n{}\ntime {}\n",
            self.origin,
            self.size,
            BASE64.encode(self.root),
            self.time.to_rfc3339_opts(SecondsFormat::Secs, true)
        )
    }

    /// Reads a note text made by [`Checkpoint::text`].
    pub fn parse(text: &str) -> Result<Self, NoteError> {
        let bad = NoteError::Malformed;
        let lines: Vec<&str> = text.strip_suffix('\n').unwrap_or("").split('\n').collect();
        let [origin, size, root, time] = lines[..] else {
            return Err(bad("a checkpoint is four lines: origin, size, root, time"));
        };
        let size = match size.starts_with('0') && size != "0" {
            true => None,
            false => size.parse().ok(),
        };
        let root = BASE64.decode(root).ok().and_then(|r| r.try_into().ok());
        let time = time
            .strip_prefix("time ")
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok());
        match (origin.is_empty(), size, root, time) {
            (false, Some(size), Some(root), Some(time)) => Ok(Checkpoint {
                origin: origin.to_owned(),
                size,
                root,
                time: time.with_timezone(&Utc),
            }),
            _ => Err(bad("a checkpoint's size, root or time does not parse")),
        }
    }

    /// A signed checkpoint checked against the log's key: its signature, then its text.
    pub fn open(note: &str, key: &NoteVerifier) -> Result<(Self, SignedNote), NoteError> {
        let signed = SignedNote::parse(note)?;
        key.verify(&signed)?;
        Ok((Checkpoint::parse(&signed.text)?, signed))
    }
}

/// Who signs the log's checkpoints, what the log is called, and whose cosignatures it keeps
/// (`NTM_CHECKPOINT_KEY`, `NTM_LOG_ORIGIN`, `NTM_WITNESS_KEYS`).
#[derive(Clone, Debug, Default)]
pub struct LogSettings {
    pub signer: Option<NoteSigner>,
    pub origin: Option<String>,
    pub witnesses: Vec<NoteVerifier>,
}

impl LogSettings {
    /// The checkpoints of `store` under these settings.
    pub fn checkpoints(&self, store: crate::store::EventStore) -> Checkpoints {
        Checkpoints::new(store, self.signer.clone(), self.origin.clone())
            .with_witnesses(self.witnesses.clone())
    }
}
