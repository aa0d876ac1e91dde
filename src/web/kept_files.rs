//! Files checked by the upload page, kept in memory by their SHA-256 for a short time, so that
//! committing after the dry run does not need the file sent again
//! (docs/import-export.md, "The upload page").

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::import::fact_kind::FactKind;

/// How long a checked file waits for its commit.
pub const KEEP_FOR: Duration = Duration::from_secs(15 * 60);
/// Files kept at most (the oldest goes first): bounds the memory to this many uploads.
const MOST: usize = 16;

/// A checked file, as uploaded.
#[derive(Clone)]
pub struct Kept {
    pub kind: FactKind,
    pub name: String,
    pub bytes: Vec<u8>,
    /// Who uploaded it: only they may commit it.
    owner: String,
    at: Instant,
}

#[derive(Clone, Default)]
pub struct KeptFiles(Arc<Mutex<HashMap<String, Kept>>>);

impl KeptFiles {
    /// Keeps `bytes` for `owner` under `sha256`.
    pub fn keep(&self, sha256: &str, owner: &str, kind: FactKind, name: &str, bytes: Vec<u8>) {
        let mut files = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        files.retain(|_, kept| kept.at.elapsed() < KEEP_FOR);
        if files.len() >= MOST {
            let oldest = files
                .iter()
                .min_by_key(|(_, k)| k.at)
                .map(|(s, _)| s.clone());
            oldest.map(|sha| files.remove(&sha));
        }
        let kept = Kept {
            kind,
            name: name.to_owned(),
            bytes,
            owner: owner.to_owned(),
            at: Instant::now(),
        };
        files.insert(sha256.to_owned(), kept);
    }

    /// The file `owner` uploaded under `sha256`, if still kept; it is kept no longer.
    pub fn take(&self, sha256: &str, owner: &str) -> Option<Kept> {
        let mut files = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let fresh = files
            .get(sha256)
            .is_some_and(|k| k.owner == owner && k.at.elapsed() < KEEP_FOR);
        fresh.then(|| files.remove(sha256)).flatten()
    }
}
