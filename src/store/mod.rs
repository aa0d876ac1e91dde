//! The append-only, hash-chained event store on SQLite or PostgreSQL (DESIGN §3).

mod append;
mod db;
mod envelope;
mod read;
mod read_many;
mod sql;
mod tree;
mod typed;
mod verify;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};

pub use append::{AppendRequest, Appended, ExpectedVersion, StreamAppend};
pub use db::{redact_url, Db};
pub(crate) use db::{twice_the_cores, with_db};
pub use envelope::{Cause, LogEntry, Metadata, NewEvent, RecordedEvent, GENESIS_HASH};
pub use read::{StreamRange, READ_BATCH};
pub use sql::Tx;
pub(crate) use sql::{micros, with_tx};
pub(crate) use tree::check_stored as check_stored_tree;
pub use typed::{DomainEvent, StreamName, TypedStore};
pub(crate) use verify::walk_log;
pub use verify::{ChainBreak, Problem, VerifyReport};

/// The event store: cheap to clone, shared by every request of the process.
#[derive(Clone)]
pub struct EventStore {
    db: Db,
    writer: mpsc::Sender<append::Job>,
    /// The position of the last append this process committed.
    committed: watch::Receiver<i64>,
    poll_interval: Duration,
    counts: Arc<AppendCounters>,
}

/// Appends this process asked for, and how many of them a version conflict refused.
#[derive(Default)]
struct AppendCounters {
    appends: AtomicU64,
    conflicts: AtomicU64,
}

/// A snapshot of [`EventStore::append_counts`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AppendCounts {
    pub appends: u64,
    pub conflicts: u64,
}

impl EventStore {
    /// Opens the store on a migrated database (completing the Merkle tree of events appended
    /// before it existed) and starts its writer task.
    pub async fn open(db: Db) -> Result<Self, StoreError> {
        tree::complete(&db).await?;
        Ok(Self::start(db, true))
    }

    /// A store whose appends do not grow the Merkle tree: only for the benchmark that measures
    /// what growing it costs. Its log has no tree, nor proofs, nor checkpoints.
    #[doc(hidden)]
    pub async fn open_without_tree_for_benchmarks(db: Db) -> Result<Self, StoreError> {
        Ok(Self::start(db, false))
    }

    fn start(db: Db, tree: bool) -> Self {
        let (sender, committed) = watch::channel(0);
        let writer = append::spawn_writer(db.clone(), sender, tree);
        EventStore {
            db,
            writer,
            committed,
            poll_interval: Duration::from_millis(500),
            counts: Arc::default(),
        }
    }

    /// How often subscriptions look for appends made by other processes.
    pub fn with_poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Appends atomically to one or more streams, checking each stream's expected version.
    pub async fn append(&self, request: AppendRequest) -> Result<Appended, StoreError> {
        let appended = append::submit(&self.writer, request).await;
        self.counts.appends.fetch_add(1, Ordering::Relaxed);
        if matches!(appended, Err(StoreError::VersionConflict { .. })) {
            self.counts.conflicts.fetch_add(1, Ordering::Relaxed);
        }
        appended
    }

    /// Appends asked for since the store was opened (by any clone), and those refused for a
    /// version conflict: how often writers collide.
    pub fn append_counts(&self) -> AppendCounts {
        AppendCounts {
            appends: self.counts.appends.load(Ordering::Relaxed),
            conflicts: self.counts.conflicts.load(Ordering::Relaxed),
        }
    }
}

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "version conflict on stream {stream_id}: expected version {expected}, actual {actual}"
    )]
    VersionConflict {
        stream_id: String,
        expected: i64,
        actual: i64,
    },
    #[error("idempotency key {key:?} was already used for a different append")]
    IdempotencyKeyReused { key: String },
    #[error("the log has {stored} events: no tree of {size}")]
    TreeTooSmall { size: u64, stored: u64 },
    #[error("position {position} is not among the first {size} events")]
    NotInTree { position: i64, size: u64 },
    #[error("invalid append: {0}")]
    InvalidAppend(String),
    #[error("events are append-only: a stream cannot be removed")]
    AppendOnly,
    #[error("{what} {value} does not fit the u32 of the eventually contract")]
    OutOfRange { what: &'static str, value: i64 },
    #[error("event at position {position} cannot be decoded: {source}")]
    Decode {
        position: i64,
        source: serde_json::Error,
    },
    #[error("stream {stream_id} was read back malformed near {detail:?}")]
    Malformed { stream_id: String, detail: String },
    #[error("event cannot be encoded: {0}")]
    Encode(serde_json::Error),
    #[error("unsupported database URL {0} (expected sqlite:// or postgres://)")]
    UnsupportedUrl(String),
    #[error("the event store's writer has stopped")]
    WriterStopped,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// A unique-constraint violation, recognised by its error kind (never by message text).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(e))
            if e.kind() == sqlx::error::ErrorKind::UniqueViolation)
    }
}
