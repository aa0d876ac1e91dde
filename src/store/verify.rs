//! Tamper evidence: every event's columns parse, every stream's hash chain holds, positions
//! have no gaps, and (told by the caller) every event decodes.

use std::collections::HashMap;
use std::fmt;

use futures::TryStreamExt;
use sqlx::{ColumnIndex, Decode, FromRow, Row, Type};

use super::envelope::{Metadata, RecordedEvent, GENESIS_HASH};
use super::sql::{with_tx, Tx, EVENT_COLUMNS};
use super::{EventStore, StoreError};

/// What `verify` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    pub events: u64,
    pub streams: u64,
    /// The last event, in position order, that held: its position and hash (`None`: none did,
    /// or the log is empty). The log is verified up to it.
    pub head: Option<(i64, Vec<u8>)>,
    /// The first event, in position order, that does not hold.
    pub first_break: Option<ChainBreak>,
}

/// An event that does not hold: a column does not parse, it does not fit its chain, or it does
/// not decode. `stream_id` and `stream_version` are empty and 0 when they are what does not
/// parse (neither engine's column types let that happen).
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
    /// A column does not hold a value of its type: the event cannot even be hashed.
    Unreadable {
        column: &'static str,
        reason: String,
    },
    /// The event's chain holds but its content is not an event this build reads (unknown type,
    /// a payload that does not decode, an unsupported schema version): an event written around
    /// the store, its hashes re-computed.
    Undecodable { reason: String },
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
            Problem::Unreadable { column, reason } => {
                write!(f, "column {column} does not parse: {reason}")
            }
            Problem::Undecodable { reason } => write!(f, "does not decode: {reason}"),
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
    /// The position the next event must have.
    fn next_position(&self) -> i64 {
        i64::try_from(self.events).unwrap_or(i64::MAX) + 1
    }

    fn check(&mut self, event: &RecordedEvent) -> Option<Problem> {
        let expected_position = self.next_position();
        self.events += 1;
        let head = self.heads.get_mut(&event.stream_id);
        let (last_version, last_hash) = head
            .as_ref()
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
        if problem.is_none() {
            match head {
                Some(head) => {
                    head.0 = event.stream_version;
                    head.1.clone_from(&event.hash);
                }
                None => {
                    let head = (event.stream_version, event.hash.clone());
                    self.heads.insert(event.stream_id.clone(), head);
                }
            }
        }
        problem
    }
}

/// Marks the dates of a row that a chrono type can hold. PostgreSQL keeps years up to 294276 and
/// `infinity`, which sqlx's chrono decoding cannot hold (it panics), so those columns are only
/// decoded within years 1–9999: RFC 3339's range, that of the hash's canonical text and of
/// SQLite's column. SQLite's text is parsed, and fails as an error.
const fn date_guards(postgres: bool) -> &'static str {
    if postgres {
        "recorded_at BETWEEN TIMESTAMPTZ '0001-01-01 00:00:00+00' \
         AND TIMESTAMPTZ '9999-12-31 23:59:59.999999+00', \
         (effective_on IS NULL OR effective_on BETWEEN DATE '0001-01-01' AND DATE '9999-12-31')"
    } else {
        "1, 1"
    }
}

/// Column names of `EVENT_COLUMNS`, by index.
const COLUMN_NAMES: [&str; 12] = [
    "position",
    "stream_id",
    "stream_version",
    "event_id",
    "event_type",
    "schema_version",
    "payload",
    "metadata",
    "recorded_at",
    "effective_on",
    "prev_hash",
    "hash",
];

/// One column of a log row, or the problem naming it.
fn column<'r, R: Row, T>(row: &'r R, index: usize) -> Result<T, Problem>
where
    usize: ColumnIndex<R>,
    T: Decode<'r, R::Database> + Type<R::Database>,
{
    row.try_get(index).map_err(|error| Problem::Unreadable {
        column: COLUMN_NAMES[index],
        reason: error.to_string(),
    })
}

/// A row of the log, or the problem naming the event's position and the column that does not
/// parse.
fn read_checked<'r, R: Row>(row: &'r R, expected_position: i64) -> Result<RecordedEvent, ChainBreak>
where
    usize: ColumnIndex<R>,
    RecordedEvent: FromRow<'r, R>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
    bool: Decode<'r, R::Database> + Type<R::Database>,
    String: Decode<'r, R::Database> + Type<R::Database>,
{
    let position = column(row, 0);
    let stream_id = column(row, 1);
    let stream_version = column(row, 2);
    let broken = |problem| ChainBreak {
        position: *position.as_ref().unwrap_or(&expected_position),
        stream_id: stream_id.clone().unwrap_or_default(),
        stream_version: *stream_version.as_ref().unwrap_or(&0),
        problem,
    };
    let in_range = |index: usize, guard: usize| match row.try_get::<bool, _>(guard) {
        Ok(true) => Ok(()),
        _ => Err(Problem::Unreadable {
            column: COLUMN_NAMES[index],
            reason: "outside the years 1 to 9999".into(),
        }),
    };
    let read = || {
        in_range(8, 12)?;
        in_range(9, 13)?;
        RecordedEvent::from_row(row).map_err(unreadable)
    };
    read().map_err(broken)
}

/// The problem of a column `RecordedEvent::from_row` could not decode: sqlx names its index.
fn unreadable(error: sqlx::Error) -> Problem {
    let column = match &error {
        sqlx::Error::ColumnDecode { index, .. } => index
            .parse::<usize>()
            .ok()
            .and_then(|i| COLUMN_NAMES.get(i).copied()),
        _ => None,
    };
    Problem::Unreadable {
        column: column.unwrap_or("?"),
        reason: error.to_string(),
    }
}

/// Checks every event of the log in position order, within the snapshot `tx`: its columns
/// parse (its metadata too), its chain holds, and `inspect`, which decodes what the caller
/// knows, accepts it. Stops at the first event that does not hold. One statement streams the
/// log: memory holds a row at a time and the streams' heads.
pub(crate) async fn walk_log(
    tx: &mut Tx,
    mut inspect: impl FnMut(&RecordedEvent) -> Result<(), String>,
) -> Result<VerifyReport, StoreError> {
    let guards = date_guards(matches!(tx, Tx::Postgres(_)));
    let sql = format!("SELECT {EVENT_COLUMNS}, {guards} FROM events ORDER BY position");
    let mut checker = ChainChecker::default();
    let mut head = None;
    let first_break = with_tx!(tx, conn, _DB => {
        let mut rows = sqlx::query(&sql).fetch(conn);
        let mut first_break = None;
        while let Some(row) = rows.try_next().await? {
            let checked = read_checked(&row, checker.next_position()).and_then(|event| {
                check_one(&mut checker, &event, &mut inspect)?;
                head = Some((event.position, event.hash));
                Ok(())
            });
            if let Err(broken) = checked {
                first_break = Some(broken);
                break;
            }
        }
        first_break
    });
    Ok(VerifyReport {
        events: checker.events,
        streams: checker.heads.len() as u64,
        head,
        first_break,
    })
}

fn check_one(
    checker: &mut ChainChecker,
    event: &RecordedEvent,
    inspect: &mut impl FnMut(&RecordedEvent) -> Result<(), String>,
) -> Result<(), ChainBreak> {
    let problem = checker.check(event).or_else(|| {
        let metadata = serde_json::from_str::<Metadata>(&event.metadata_json);
        let metadata = metadata.err().map(|error| Problem::Unreadable {
            column: "metadata",
            reason: error.to_string(),
        });
        metadata.or_else(|| {
            inspect(event)
                .err()
                .map(|reason| Problem::Undecodable { reason })
        })
    });
    match problem {
        Some(problem) => Err(ChainBreak {
            position: event.position,
            stream_id: event.stream_id.clone(),
            stream_version: event.stream_version,
            problem,
        }),
        None => Ok(()),
    }
}

impl EventStore {
    /// Walks the whole log, as one snapshot, in position order and reports the first event
    /// whose columns do not parse or whose chain does not hold. Decoding is the caller's: see
    /// `ntm verify`.
    pub async fn verify(&self) -> Result<VerifyReport, StoreError> {
        let mut tx = Tx::begin_snapshot(&self.db).await?;
        let report = walk_log(&mut tx, |_| Ok(())).await?;
        tx.commit().await?;
        Ok(report)
    }
}
