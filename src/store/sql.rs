//! The store's SQL, written once for both engines; only taking the append lock differs.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::{Postgres, QueryBuilder, Sqlite, Transaction};
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};
use uuid::Uuid;

use super::db::with_db;
use super::envelope::RecordedEvent;
use super::{Db, StoreError};

/// Every column of `events`, in the order of [`RecordedEvent`].
pub(crate) const EVENT_COLUMNS: &str = "position, stream_id, stream_version, event_id, \
     event_type, schema_version, payload, metadata, recorded_at, effective_on, prev_hash, hash";

/// Opens a PostgreSQL transaction holding the advisory lock that serialises appends across
/// processes (key 0x006e746d5f6c6f67, "ntm_log"); released at commit or rollback.
const BEGIN_LOCKED: &str = "BEGIN; SELECT pg_advisory_xact_lock(31090260539371367)";

/// Rows per multi-row statement: below both engines' limits on bound parameters.
const ROWS_PER_STATEMENT: usize = 500;

/// An open transaction on either engine. A SQLite write transaction also holds its database's
/// in-process write gate (see `write_gate`).
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>, Option<OwnedMutexGuard<()>>),
    Postgres(Transaction<'static, Postgres>),
}

/// The in-process queue for one SQLite file's write lock. Writers of this process (the append
/// writer, the projector) wait their turn here instead of in SQLite's busy handler, which
/// sleeps in growing steps of up to 100 ms; other processes still meet the busy timeout.
fn write_gate(pool: &sqlx::SqlitePool) -> Arc<AsyncMutex<()>> {
    static GATES: OnceLock<Mutex<HashMap<PathBuf, Arc<AsyncMutex<()>>>>> = OnceLock::new();
    let file = pool.connect_options().get_filename().to_path_buf();
    let mut gates = GATES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    gates.entry(file).or_default().clone()
}

async fn begin_immediate(pool: &sqlx::SqlitePool) -> Result<Tx, StoreError> {
    let gate = write_gate(pool).lock_owned().await;
    Ok(Tx::Sqlite(
        pool.begin_with("BEGIN IMMEDIATE").await?,
        Some(gate),
    ))
}

/// Runs `$body` with `$conn` bound to the transaction's connection and `$db` naming the
/// engine's `sqlx::Database` type, once per engine.
macro_rules! with_tx {
    ($tx:expr, $conn:ident, $db:ident => $body:expr) => {
        match $tx {
            $crate::store::Tx::Sqlite(t, _) => {
                #[allow(dead_code, reason = "not every body names the engine")]
                type $db = sqlx::Sqlite;
                let $conn = &mut **t;
                $body
            }
            $crate::store::Tx::Postgres(t) => {
                #[allow(dead_code, reason = "not every body names the engine")]
                type $db = sqlx::Postgres;
                let $conn = &mut **t;
                $body
            }
        }
    };
}
pub(crate) use with_tx;

impl Tx {
    /// A transaction holding the append lock: nobody else appends until it ends.
    pub(crate) async fn begin_append(db: &Db) -> Result<Tx, StoreError> {
        Ok(match db {
            Db::Sqlite(pool) => begin_immediate(pool).await?,
            // One round trip: the lock is taken by the statement that opens the transaction.
            Db::Postgres(pool) => Tx::Postgres(pool.begin_with(BEGIN_LOCKED).await?),
        })
    }

    /// A transaction for writing other tables than `events`; on SQLite it takes the write lock
    /// at once, so it never has to be upgraded half-way (which fails with SQLITE_BUSY).
    pub(crate) async fn begin_write(db: &Db) -> Result<Tx, StoreError> {
        Ok(match db {
            Db::Sqlite(pool) => begin_immediate(pool).await?,
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// A plain transaction, for consistent reads.
    pub(crate) async fn begin_read(db: &Db) -> Result<Tx, StoreError> {
        Ok(match db {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin().await?, None),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// One consistent snapshot for a long read, on one connection, without blocking writers.
    /// PostgreSQL: `REPEATABLE READ, READ ONLY`, every statement sees the database as of the
    /// first. SQLite: a deferred `BEGIN`, which in WAL mode sees the database as of its first
    /// read until it ends.
    pub(crate) async fn begin_snapshot(db: &Db) -> Result<Tx, StoreError> {
        const BEGIN_SNAPSHOT: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
        Ok(match db {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN DEFERRED").await?, None),
            Db::Postgres(pool) => Tx::Postgres(pool.begin_with(BEGIN_SNAPSHOT).await?),
        })
    }

    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t, _gate) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// The last event of a stream: what the next append chains to.
#[derive(Clone, Debug)]
pub(crate) struct Head {
    pub stream_id: String,
    pub stream_version: i64,
    pub hash: Vec<u8>,
}

/// Where the log ends: the heads of some streams, and the newest event of all.
#[derive(Debug, Default)]
pub(crate) struct Tips {
    pub heads: HashMap<String, Head>,
    pub last_position: i64,
    pub last_recorded_at: Option<DateTime<Utc>>,
}

/// A row of the tips query: a stream head, or (with an empty stream id, which no stream
/// has) the newest event of the log, whose second column is then its position.
#[derive(sqlx::FromRow)]
struct TipRow {
    stream_id: String,
    number: i64,
    hash: Vec<u8>,
    recorded_at: DateTime<Utc>,
}

/// The heads of the given streams that exist, and the log's newest event, in one round trip
/// (one index probe per stream).
pub(crate) async fn log_tips(tx: &mut Tx, stream_ids: &[&str]) -> Result<Tips, StoreError> {
    let mut seen = HashSet::new();
    let unique: Vec<&str> = stream_ids
        .iter()
        .copied()
        .filter(|s| seen.insert(*s))
        .collect();
    let mut tips = Tips::default();
    // At least one query, for the newest event, even when no stream is asked for.
    let chunks: Vec<&[&str]> = match unique.len() {
        0 => vec![&[]],
        _ => unique.chunks(100).collect(),
    };
    for (n, chunk) in chunks.into_iter().enumerate() {
        let rows: Vec<TipRow> = with_tx!(tx, conn, DB => {
            let mut query = QueryBuilder::<DB>::new("");
            let mut separated = n == 0;
            if separated {
                query.push(
                    "SELECT * FROM (SELECT '' AS stream_id, position AS number, hash, recorded_at \
                     FROM events ORDER BY position DESC LIMIT 1) AS newest",
                );
            }
            for (i, stream_id) in chunk.iter().enumerate() {
                if separated {
                    query.push(" UNION ALL ");
                }
                separated = true;
                query.push(
                    "SELECT * FROM (SELECT stream_id, stream_version AS number, hash, recorded_at \
                     FROM events WHERE stream_id = ",
                );
                query.push_bind(*stream_id);
                query.push(format!(" ORDER BY stream_version DESC LIMIT 1) AS head{i}"));
            }
            query.build_query_as().fetch_all(conn).await?
        });
        for row in rows {
            if row.stream_id.is_empty() {
                tips.last_position = row.number;
                tips.last_recorded_at = Some(row.recorded_at);
            } else {
                let head = Head {
                    stream_id: row.stream_id,
                    stream_version: row.number,
                    hash: row.hash,
                };
                tips.heads.insert(head.stream_id.clone(), head);
            }
        }
    }
    Ok(tips)
}

/// Which of `ids` are already stored.
pub(crate) async fn existing_event_ids(
    tx: &mut Tx,
    ids: &[Uuid],
) -> Result<HashSet<Uuid>, StoreError> {
    let mut found = HashSet::new();
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let rows: Vec<(Uuid,)> = with_tx!(tx, conn, DB => {
            let mut query = QueryBuilder::<DB>::new("SELECT event_id FROM events WHERE event_id IN (");
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            query.push(")");
            query.build_query_as().fetch_all(conn).await?
        });
        found.extend(rows.into_iter().map(|(id,)| id));
    }
    Ok(found)
}

/// Writes `rows`, each with the Merkle tree nodes its leaf completes (`tree_nodes[i]` for
/// `rows[i]`; none: written without, as only the benchmark's baseline does).
pub(crate) async fn insert_events(
    tx: &mut Tx,
    rows: &[&RecordedEvent],
    tree_nodes: &[Vec<u8>],
) -> Result<(), StoreError> {
    let nodes_of = |i: usize| tree_nodes.get(i).map(Vec::as_slice);
    match tx {
        Tx::Sqlite(t, _) => insert_values(t, rows, nodes_of).await,
        // PostgreSQL plans one array per column once, where a multi-row VALUES list would
        // bind thirteen parameters per row.
        Tx::Postgres(t) => insert_unnest(t, rows, nodes_of).await,
    }
}

/// SQLite: multi-row `VALUES`, [`ROWS_PER_STATEMENT`] rows a statement.
#[inline]
async fn insert_values<'n>(
    t: &mut Transaction<'static, Sqlite>,
    rows: &[&RecordedEvent],
    nodes_of: impl Fn(usize) -> Option<&'n [u8]>,
) -> Result<(), StoreError> {
    for (n, chunk) in rows.chunks(ROWS_PER_STATEMENT).enumerate() {
        let mut query = QueryBuilder::<Sqlite>::new(format!(
            "INSERT INTO events ({EVENT_COLUMNS}, tree_nodes) "
        ));
        let first = n * ROWS_PER_STATEMENT;
        query.push_values(chunk.iter().enumerate(), |mut row, (i, e)| {
            row.push_bind(e.position)
                .push_bind(&e.stream_id)
                .push_bind(e.stream_version)
                .push_bind(e.event_id)
                .push_bind(&e.event_type)
                .push_bind(e.schema_version)
                .push_bind(&e.payload)
                .push_bind(&e.metadata_json)
                .push_bind(e.recorded_at)
                .push_bind(e.effective_on)
                .push_bind(&e.prev_hash)
                .push_bind(&e.hash)
                .push_bind(nodes_of(first + i));
        });
        query.build().execute(&mut **t).await?;
    }
    Ok(())
}

/// PostgreSQL: one statement, each column bound as one array.
#[inline]
async fn insert_unnest<'n>(
    t: &mut Transaction<'static, Postgres>,
    rows: &[&RecordedEvent],
    nodes_of: impl Fn(usize) -> Option<&'n [u8]>,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO events ({EVENT_COLUMNS}, tree_nodes) SELECT * FROM UNNEST($1::bigint[], \
         $2::text[], $3::bigint[], $4::uuid[], $5::text[], $6::integer[], $7::text[], \
         $8::text[], $9::timestamptz[], $10::date[], $11::bytea[], $12::bytea[], $13::bytea[])"
    ))
    .bind(column(rows, |e| e.position))
    .bind(column(rows, |e| e.stream_id.as_str()))
    .bind(column(rows, |e| e.stream_version))
    .bind(column(rows, |e| e.event_id))
    .bind(column(rows, |e| e.event_type.as_str()))
    .bind(column(rows, |e| e.schema_version))
    .bind(column(rows, |e| e.payload.as_str()))
    .bind(column(rows, |e| e.metadata_json.as_str()))
    .bind(column(rows, |e| e.recorded_at))
    .bind(column(rows, |e| e.effective_on))
    .bind(column(rows, |e| e.prev_hash.as_slice()))
    .bind(column(rows, |e| e.hash.as_slice()))
    .bind((0..rows.len()).map(nodes_of).collect::<Vec<_>>())
    .execute(&mut **t)
    .await?;
    Ok(())
}

/// One column of `rows`, as the array bound for it (one allocation, of exactly its length).
#[inline]
fn column<'r, T>(rows: &[&'r RecordedEvent], field: impl Fn(&'r RecordedEvent) -> T) -> Vec<T> {
    rows.iter().map(|e| field(e)).collect()
}

/// The events with the given ids, in position order.
pub(crate) async fn events_by_ids(db: &Db, ids: &[Uuid]) -> Result<Vec<RecordedEvent>, StoreError> {
    let mut events = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let rows: Vec<RecordedEvent> = with_db!(db, pool, DB => {
            let mut query = QueryBuilder::<DB>::new(format!(
                "SELECT {EVENT_COLUMNS} FROM events WHERE event_id IN ("
            ));
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            query.push(") ORDER BY position");
            query.build_query_as().fetch_all(pool).await?
        });
        events.extend(rows);
    }
    events.sort_by_key(|e| e.position);
    Ok(events)
}

/// `t` cut to whole microseconds: the precision both engines keep, so hashes re-compute.
pub(crate) fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}
