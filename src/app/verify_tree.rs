//! `ntm verify`'s check of the transparency log: the Merkle tree recomputed from the events as
//! they are walked, compared with every checkpoint kept in the database and with one held
//! outside it (`--checkpoint FILE`); then every stored node of the tree.

use std::collections::BTreeMap;

use crate::checkpoint::{Checkpoint, NoteVerifier, SignedNote};
use crate::merkle::{Frontier, Hash};
use crate::store::{with_tx, StoreError, Tx};

/// What the log must still agree with: the checkpoints kept in the database, and those an
/// auditor holds outside it.
#[derive(Clone, Debug, Default)]
pub struct Held {
    /// Checkpoints from outside the database, their signatures checked already.
    pub outside: Vec<Checkpoint>,
    /// The log's key, to check the signatures of the checkpoints kept in the database.
    pub key: Option<NoteVerifier>,
}

/// The tree grown from the walked events, compared at every checkpoint's size.
pub(crate) struct TreeCheck {
    frontier: Frontier,
    /// Root expected at each size, and where the expectation comes from.
    expected: BTreeMap<u64, Vec<(Hash, String)>>,
    finding: Option<String>,
}

impl TreeCheck {
    /// Reads the kept checkpoints in the snapshot (checking their signatures when the key is
    /// known) and adds those held outside.
    pub async fn start(tx: &mut Tx, held: &Held) -> Result<Self, StoreError> {
        const SQL: &str = "SELECT tree_size, root_hash, note FROM checkpoints ORDER BY tree_size";
        let kept: Vec<(i64, Vec<u8>, String)> =
            with_tx!(tx, conn, DB => sqlx::query_as(SQL).fetch_all(conn).await?);
        let mut check = TreeCheck {
            frontier: Frontier::default(),
            expected: BTreeMap::new(),
            finding: None,
        };
        for (size, root, note) in kept {
            let size = u64::try_from(size).unwrap_or(0);
            let signed = SignedNote::parse(&note).map_err(|e| e.to_string());
            let opened = match (&held.key, signed) {
                (_, Err(e)) => Err(e),
                (Some(key), Ok(signed)) => key.verify(&signed).map_err(|e| e.to_string()),
                (None, Ok(_)) => Ok(()),
            };
            if let Err(reason) = opened {
                check.found(format!("checkpoint {size} kept in the database: {reason}"));
            }
            if let Ok(root) = Hash::try_from(root) {
                let source = format!("the checkpoint of {size} events kept in the database");
                check.expected.entry(size).or_default().push((root, source));
            }
        }
        for checkpoint in &held.outside {
            let source = format!("the checkpoint of {} events held outside", checkpoint.size);
            let entry = check.expected.entry(checkpoint.size).or_default();
            entry.push((checkpoint.root, source));
        }
        if let Some(root) = check.expected.get(&0).and_then(|e| e.first()).map(|e| e.0) {
            check.compare(0, root);
        }
        Ok(check)
    }

    /// How many checkpoints the tree is compared with.
    pub fn compared(&self) -> usize {
        self.expected.values().map(Vec::len).sum()
    }

    fn found(&mut self, finding: String) {
        self.finding.get_or_insert(finding);
    }

    fn compare(&mut self, size: u64, root: Hash) {
        let expected = self.expected.get(&size).cloned().unwrap_or_default();
        for (wanted, source) in expected {
            if wanted != root {
                self.found(format!(
                    "the first {size} events do not have the root of {source}: history before it was changed"
                ));
            }
        }
    }

    /// The next event of the walk, by its stored hash.
    pub fn push(&mut self, hash: &[u8]) {
        self.frontier.push(hash);
        let size = self.frontier.size();
        if self.expected.contains_key(&size) {
            self.compare(size, self.frontier.root());
        }
    }

    /// After the walk: a checkpoint larger than the log means events were removed; then every
    /// stored node is checked.
    pub async fn finish(mut self, tx: &mut Tx) -> Result<Option<String>, StoreError> {
        let size = self.frontier.size();
        if let Some((&larger, sources)) = self.expected.range(size + 1..).next() {
            let source = sources.first().map_or("", |s| s.1.as_str()).to_owned();
            self.found(format!(
                "the log has {size} events, fewer than the {larger} of {source}: history was cut"
            ));
        }
        if self.finding.is_none() {
            if let Some(node) = crate::store::check_stored_tree(tx, size).await? {
                self.found(format!(
                    "the stored Merkle tree differs from the events: {node}"
                ));
            }
        }
        Ok(self.finding)
    }
}
