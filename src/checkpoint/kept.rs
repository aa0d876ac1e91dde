//! Making, keeping and serving checkpoints, and keeping the cosignatures witnesses send back.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::note::{NoteError, NoteSigner, NoteVerifier, SignedNote};
use super::{verify_cosignature, Checkpoint};
use crate::app::clock::Clock;
use crate::merkle::Hash;
use crate::store::{with_db, EventStore, StoreError};

/// What went wrong with a checkpoint.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error("no signing key is set (NTM_CHECKPOINT_KEY): checkpoints cannot be made")]
    NoKey,
    #[error("no checkpoint of {0} events was made")]
    Unknown(u64),
    #[error("the cosignature is by no witness this log knows (NTM_WITNESS_KEYS)")]
    UnknownWitness,
    #[error(transparent)]
    Note(#[from] NoteError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for CheckpointError {
    fn from(error: sqlx::Error) -> Self {
        CheckpointError::Store(StoreError::Database(error))
    }
}

/// A checkpoint as kept in `checkpoints`, with the cosignatures received for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptCheckpoint {
    pub size: u64,
    pub root: Hash,
    pub made_at: DateTime<Utc>,
    /// The signed note as made: text, blank line, the log's signature.
    pub note: String,
    pub cosignatures: Vec<Cosigned>,
}

impl KeptCheckpoint {
    /// The note with every cosignature line after the log's: what `GET /checkpoint` serves.
    pub fn cosigned_note(&self) -> String {
        let mut note = self.note.clone();
        for cosignature in &self.cosignatures {
            note.push_str(&cosignature.line);
        }
        note
    }
}

/// A witness's cosignature of a checkpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cosigned {
    pub witness: String,
    pub key_id: String,
    /// When the witness signed (its own clock, Unix seconds).
    pub signed_at: i64,
    /// The signature line, ending in a newline.
    pub line: String,
}

#[derive(sqlx::FromRow)]
struct CheckpointRow {
    tree_size: i64,
    root_hash: Vec<u8>,
    made_at: DateTime<Utc>,
    note: String,
}

const COLUMNS: &str = "tree_size, root_hash, made_at, note";

/// The log's checkpoints: made with its key, kept in the database, served as notes.
#[derive(Clone)]
pub struct Checkpoints {
    store: EventStore,
    signer: Option<NoteSigner>,
    origin: String,
    witnesses: Vec<NoteVerifier>,
    clock: Clock,
}

impl Checkpoints {
    /// `origin` names the log in its checkpoints (default: the key's name).
    pub fn new(store: EventStore, signer: Option<NoteSigner>, origin: Option<String>) -> Self {
        let origin = origin
            .or_else(|| signer.as_ref().map(|s| s.name().to_owned()))
            .unwrap_or_else(|| "ntm-tracker".to_owned());
        Checkpoints {
            store,
            signer,
            origin,
            witnesses: Vec::new(),
            clock: Clock::SYSTEM,
        }
    }

    /// The witnesses whose cosignatures are kept.
    pub fn with_witnesses(mut self, witnesses: Vec<NoteVerifier>) -> Self {
        self.witnesses = witnesses;
        self
    }

    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The log's verifier key, when this process holds the signing key.
    pub fn verifier(&self) -> Option<NoteVerifier> {
        self.signer.as_ref().map(NoteSigner::verifier)
    }

    pub fn witnesses(&self) -> &[NoteVerifier] {
        &self.witnesses
    }

    /// A checkpoint of the whole log as it is now (the one kept already when nothing was
    /// appended since).
    pub async fn make(&self) -> Result<KeptCheckpoint, CheckpointError> {
        let signer = self.signer.as_ref().ok_or(CheckpointError::NoKey)?;
        let size = u64::try_from(self.store.last_position().await?).unwrap_or(0);
        if let Some(kept) = self.at(size).await? {
            // Kept already; unless another key signed it (a key changed since): that one is
            // not this key's to hand out, and the next checkpoint comes when the log grows.
            signer.verifier().verify(&SignedNote::parse(&kept.note)?)?;
            return Ok(kept);
        }
        let checkpoint = Checkpoint {
            origin: self.origin.clone(),
            size,
            root: self.store.tree_root(size).await?,
            time: self.clock.now(),
        };
        let note = signer.sign(&checkpoint.text());
        const SQL: &str = "INSERT INTO checkpoints (tree_size, root_hash, made_at, note) \
                           VALUES ($1, $2, $3, $4) ON CONFLICT (tree_size) DO NOTHING";
        let size_column = i64::try_from(size).unwrap_or(i64::MAX);
        with_db!(self.store.db(), pool => {
            sqlx::query(SQL)
                .bind(size_column)
                .bind(checkpoint.root.as_slice())
                .bind(crate::store::micros(checkpoint.time))
                .bind(&note)
                .execute(pool)
                .await
                .map(|_| ())?
        });
        self.at(size).await?.ok_or(CheckpointError::Unknown(size))
    }

    /// A checkpoint when the log has grown by `events` since the newest, or has grown at all
    /// and the newest is older than `age`; `None` when none is due.
    pub async fn make_if_due(
        &self,
        events: u64,
        age: Duration,
    ) -> Result<Option<KeptCheckpoint>, CheckpointError> {
        let size = u64::try_from(self.store.last_position().await?).unwrap_or(0);
        let due = match self.latest().await? {
            None => size > 0,
            Some(newest) if newest.size >= size => false,
            Some(newest) => {
                let elapsed = (self.clock.now() - newest.made_at)
                    .to_std()
                    .unwrap_or_default();
                size - newest.size >= events || elapsed >= age
            }
        };
        match due {
            true => self.make().await.map(Some),
            false => Ok(None),
        }
    }

    /// The newest checkpoint.
    pub async fn latest(&self) -> Result<Option<KeptCheckpoint>, CheckpointError> {
        let sql = format!("SELECT {COLUMNS} FROM checkpoints ORDER BY tree_size DESC LIMIT 1");
        self.one(&sql, None).await
    }

    /// The checkpoint of the first `size` events.
    pub async fn at(&self, size: u64) -> Result<Option<KeptCheckpoint>, CheckpointError> {
        let sql = format!("SELECT {COLUMNS} FROM checkpoints WHERE tree_size = $1");
        self.one(&sql, Some(size)).await
    }

    /// The newest `limit` checkpoints of fewer than `before` events, newest first.
    pub async fn list(
        &self,
        limit: i64,
        before: Option<u64>,
    ) -> Result<Vec<KeptCheckpoint>, CheckpointError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM checkpoints WHERE tree_size < $1 \
             ORDER BY tree_size DESC LIMIT $2"
        );
        let before = before.map_or(i64::MAX, |b| i64::try_from(b).unwrap_or(i64::MAX));
        let rows: Vec<CheckpointRow> = with_db!(self.store.db(), pool => {
            sqlx::query_as(&sql).bind(before).bind(limit).fetch_all(pool).await?
        });
        let mut kept = Vec::with_capacity(rows.len());
        for row in rows {
            kept.push(self.with_cosignatures(row).await?);
        }
        Ok(kept)
    }

    async fn one(
        &self,
        sql: &str,
        size: Option<u64>,
    ) -> Result<Option<KeptCheckpoint>, CheckpointError> {
        let size = size.map(|s| i64::try_from(s).unwrap_or(i64::MAX));
        let row: Option<CheckpointRow> = with_db!(self.store.db(), pool => {
            let query = sqlx::query_as(sql);
            match size {
                Some(size) => query.bind(size).fetch_optional(pool).await?,
                None => query.fetch_optional(pool).await?,
            }
        });
        match row {
            Some(row) => Ok(Some(self.with_cosignatures(row).await?)),
            None => Ok(None),
        }
    }

    async fn with_cosignatures(
        &self,
        row: CheckpointRow,
    ) -> Result<KeptCheckpoint, CheckpointError> {
        const SQL: &str = "SELECT witness, key_id, signed_at, line FROM checkpoint_cosignatures \
                           WHERE tree_size = $1 ORDER BY received_at, witness";
        let cosignatures: Vec<(String, String, i64, String)> = with_db!(self.store.db(), pool => {
            sqlx::query_as(SQL).bind(row.tree_size).fetch_all(pool).await?
        });
        let root = row
            .root_hash
            .try_into()
            .map_err(|_| StoreError::Malformed {
                stream_id: "checkpoints".into(),
                detail: format!("the root of checkpoint {}", row.tree_size),
            })?;
        Ok(KeptCheckpoint {
            size: u64::try_from(row.tree_size).unwrap_or(0),
            root,
            made_at: row.made_at,
            note: row.note,
            cosignatures: cosignatures
                .into_iter()
                .map(|(witness, key_id, signed_at, line)| Cosigned {
                    witness,
                    key_id,
                    signed_at,
                    line,
                })
                .collect(),
        })
    }

    /// Keeps a witness's cosignature `line` of the checkpoint of `size` events, after checking
    /// it against that witness's key; a line kept already is kept once.
    pub async fn add_cosignature(
        &self,
        size: u64,
        line: &str,
    ) -> Result<Cosigned, CheckpointError> {
        let kept = self.at(size).await?.ok_or(CheckpointError::Unknown(size))?;
        let line = format!("{}\n", line.trim_end_matches('\n'));
        let mut note = SignedNote::parse(&format!("{}{line}", kept.note))?;
        note.signatures.remove(0);
        let (witness, time) = self
            .witnesses
            .iter()
            .find_map(|w| verify_cosignature(w, &note).ok().map(|t| (w, t)))
            .ok_or(CheckpointError::UnknownWitness)?;
        let cosigned = Cosigned {
            witness: witness.name().to_owned(),
            key_id: format!("{:08x}", witness.id()),
            signed_at: i64::try_from(time).unwrap_or(i64::MAX),
            line,
        };
        const SQL: &str = "INSERT INTO checkpoint_cosignatures \
                           (tree_size, witness, key_id, signed_at, line, received_at) \
                           VALUES ($1, $2, $3, $4, $5, $6) \
                           ON CONFLICT (tree_size, witness, key_id) DO NOTHING";
        let size = i64::try_from(size).unwrap_or(i64::MAX);
        let now = crate::store::micros(self.clock.now());
        with_db!(self.store.db(), pool => {
            sqlx::query(SQL)
                .bind(size)
                .bind(&cosigned.witness)
                .bind(&cosigned.key_id)
                .bind(cosigned.signed_at)
                .bind(&cosigned.line)
                .bind(now)
                .execute(pool)
                .await
                .map(|_| ())?
        });
        Ok(cosigned)
    }
}
