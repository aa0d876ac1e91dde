//! Tamper evidence: re-computes every stream's hash chain and the density of positions.

use std::collections::HashMap;
use std::fmt;

use futures::TryStreamExt;

use super::db::with_db;
use super::envelope::{RecordedEvent, GENESIS_HASH};
use super::sql::EVENT_COLUMNS;
use super::{EventStore, StoreError};

/// What `verify` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    pub events: u64,
    pub streams: u64,
    /// The first event, in position order, whose chain does not hold.
    pub first_break: Option<ChainBreak>,
}

/// An event that does not fit its chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainBreak {
    pub position: i64,
    pub stream_id: String,
    pub stream_version: i64,
    pub problem: Problem,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The stored hash is not the hash of the stored content: the event was altered.
    HashMismatch { stored: String, computed: String },
    /// `prev_hash` is not the hash of the stream's previous event: an event was removed,
    /// inserted or altered before this one.
    BrokenLink { stored: String, expected: String },
    /// The stream skips versions.
    VersionGap { expected: i64 },
    /// The global log skips positions: events were removed.
    PositionGap { expected: i64 },
}

impl fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "stream {} version {} (position {}): ",
            self.stream_id, self.stream_version, self.position
        )?;
        match &self.problem {
            Problem::HashMismatch { stored, computed } => {
                write!(f, "content does not match its hash (stored {stored}, computed {computed})")
            }
            Problem::BrokenLink { stored, expected } => write!(
                f,
                "prev_hash does not link to the previous event (stored {stored}, expected {expected})"
            ),
            Problem::VersionGap { expected } => write!(f, "version gap, expected {expected}"),
            Problem::PositionGap { expected } => {
                write!(f, "position gap, expected position {expected}")
            }
        }
    }
}

/// Checks events one at a time, in position order.
#[derive(Default)]
struct ChainChecker {
    events: u64,
    heads: HashMap<String, (i64, Vec<u8>)>,
}

impl ChainChecker {
    fn check(&mut self, event: RecordedEvent) -> Option<ChainBreak> {
        let expected_position = i64::try_from(self.events).unwrap_or(i64::MAX) + 1;
        self.events += 1;
        let (last_version, last_hash) = self
            .heads
            .get(&event.stream_id)
            .map_or((0, GENESIS_HASH.as_slice()), |(v, h)| (*v, h.as_slice()));
        let problem = if event.position != expected_position {
            Some(Problem::PositionGap {
                expected: expected_position,
            })
        } else if event.stream_version != last_version + 1 {
            Some(Problem::VersionGap {
                expected: last_version + 1,
            })
        } else if event.prev_hash != last_hash {
            Some(Problem::BrokenLink {
                stored: hex::encode(&event.prev_hash),
                expected: hex::encode(last_hash),
            })
        } else {
            let computed = event.computed_hash();
            (event.hash != computed).then(|| Problem::HashMismatch {
                stored: hex::encode(&event.hash),
                computed: hex::encode(computed),
            })
        };
        if let Some(problem) = problem {
            return Some(ChainBreak {
                position: event.position,
                stream_id: event.stream_id,
                stream_version: event.stream_version,
                problem,
            });
        }
        self.heads
            .insert(event.stream_id, (event.stream_version, event.hash));
        None
    }
}

impl EventStore {
    /// Walks the whole log in position order and reports the first event that breaks a chain.
    pub async fn verify(&self) -> Result<VerifyReport, StoreError> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY position");
        let mut checker = ChainChecker::default();
        let first_break = with_db!(&self.db, pool => {
            let mut rows = sqlx::query_as::<_, RecordedEvent>(&sql).fetch(pool);
            let mut first_break = None;
            while let Some(event) = rows.try_next().await? {
                first_break = checker.check(event);
                if first_break.is_some() {
                    break;
                }
            }
            first_break
        });
        Ok(VerifyReport {
            events: checker.events,
            streams: checker.heads.len() as u64,
            first_break,
        })
    }
}
