//! The store's SQL, written once for both engines; only taking the append lock differs.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::{Postgres, QueryBuilder, Sqlite, Transaction};
use uuid::Uuid;

use super::db::with_db;
use super::envelope::RecordedEvent;
use super::{Db, StoreError};

/// Every column of `events`, in the order of [`RecordedEvent`].
pub(crate) const EVENT_COLUMNS: &str = "position, stream_id, stream_version, event_id, \
     event_type, schema_version, payload, metadata, recorded_at, effective_on, prev_hash, hash";

/// Key of the PostgreSQL advisory lock that serialises appends across processes.
const APPEND_LOCK_KEY: i64 = 0x006e_746d_5f6c_6f67; // "ntm_log"

/// Rows per multi-row statement: below both engines' limits on bound parameters.
const ROWS_PER_STATEMENT: usize = 500;

/// An open transaction on either engine.
pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$conn` bound to the transaction's connection and `$db` naming the
/// engine's `sqlx::Database` type, once per engine.
macro_rules! with_tx {
    ($tx:expr, $conn:ident, $db:ident => $body:expr) => {
        match $tx {
            Tx::Sqlite(t) => {
                type $db = sqlx::Sqlite;
                let $conn = &mut **t;
                $body
            }
            Tx::Postgres(t) => {
                type $db = sqlx::Postgres;
                let $conn = &mut **t;
                $body
            }
        }
    };
}

impl Tx {
    /// A transaction holding the append lock: nobody else appends until it ends.
    pub(crate) async fn begin_append(db: &Db) -> Result<Tx, StoreError> {
        Ok(match db {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(APPEND_LOCK_KEY)
                    .execute(&mut *tx)
                    .await?;
                Tx::Postgres(tx)
            }
        })
    }

    /// A plain transaction, for consistent reads.
    pub(crate) async fn begin_read(db: &Db) -> Result<Tx, StoreError> {
        Ok(match db {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// The last event of a stream: what the next append chains to.
#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct Head {
    pub stream_id: String,
    pub stream_version: i64,
    pub hash: Vec<u8>,
}

/// The heads of the given streams that exist (one index probe per stream).
pub(crate) async fn stream_heads(
    tx: &mut Tx,
    stream_ids: &[&str],
) -> Result<HashMap<String, Head>, StoreError> {
    let unique: Vec<&str> = {
        let mut seen = HashSet::new();
        stream_ids
            .iter()
            .copied()
            .filter(|s| seen.insert(*s))
            .collect()
    };
    let mut heads = HashMap::with_capacity(unique.len());
    for chunk in unique.chunks(100) {
        let rows: Vec<Head> = with_tx!(tx, conn, DB => {
            let mut query = QueryBuilder::<DB>::new("");
            for (i, stream_id) in chunk.iter().enumerate() {
                if i > 0 {
                    query.push(" UNION ALL ");
                }
                query.push(
                    "SELECT * FROM (SELECT stream_id, stream_version, hash FROM events \
                     WHERE stream_id = ",
                );
                query.push_bind(*stream_id);
                query.push(format!(" ORDER BY stream_version DESC LIMIT 1) AS head{i}"));
            }
            query.build_query_as().fetch_all(conn).await?
        });
        heads.extend(rows.into_iter().map(|h| (h.stream_id.clone(), h)));
    }
    Ok(heads)
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

/// The position and recording time of the newest event (0 and none for an empty log).
pub(crate) async fn last_event(tx: &mut Tx) -> Result<(i64, Option<DateTime<Utc>>), StoreError> {
    const SQL: &str = "SELECT position, recorded_at FROM events ORDER BY position DESC LIMIT 1";
    let row: Option<(i64, DateTime<Utc>)> =
        with_tx!(tx, conn, _DB => sqlx::query_as(SQL).fetch_optional(conn).await?);
    Ok(row.map_or((0, None), |(p, t)| (p, Some(t))))
}

pub(crate) async fn insert_events(tx: &mut Tx, rows: &[&RecordedEvent]) -> Result<(), StoreError> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        with_tx!(tx, conn, DB => {
            let mut query = QueryBuilder::<DB>::new(format!("INSERT INTO events ({EVENT_COLUMNS}) "));
            query.push_values(chunk, |mut row, e| {
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
                    .push_bind(&e.hash);
            });
            query.build().execute(conn).await?;
        });
    }
    Ok(())
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
