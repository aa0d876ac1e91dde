//! Many streams at once: the cold loads of the live projector and the stream-by-stream rebuild.
//!
//! On SQLite each stream comes back as one row, its events packed into one text (fields split by
//! U+001F, events by U+001E: JSON never holds either unescaped). A row costs sqlx-sqlite about
//! 14 µs, far more than its bytes, because each one crosses from the connection's thread; a
//! hundred-event stream is then one crossing instead of a hundred. PostgreSQL rows are cheap and
//! are read as they are.

use chrono::{DateTime, Utc};

use super::db::with_db;
use super::envelope::{LogEntry, LogRow};
use super::{Db, EventStore, StoreError};

/// Streams per statement: below both engines' limits on bound parameters.
const STREAMS_PER_STATEMENT: usize = 400;

const FIELD: char = '\u{1f}';
const EVENT: char = '\u{1e}';

impl EventStore {
    /// The events up to position `up_to` of each of `stream_ids`, as [`LogEntry`]s ordered by
    /// stream and version: many streams loaded in a few statements.
    pub async fn read_streams_entries(
        &self,
        stream_ids: &[&str],
        up_to: i64,
    ) -> Result<Vec<LogEntry>, StoreError> {
        let mut entries = Vec::new();
        for chunk in stream_ids.chunks(STREAMS_PER_STATEMENT) {
            match &self.db {
                Db::Sqlite(pool) => {
                    let mut query = sqlx::QueryBuilder::new(PACKED_SQLITE);
                    let mut list = query.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    query.push(") GROUP BY stream_id ORDER BY stream_id");
                    let rows: Vec<(String, String)> =
                        query.build_query_as().fetch_all(pool).await?;
                    for (stream_id, packed) in rows {
                        entries.extend(unpack(&stream_id, &packed)?);
                    }
                }
                Db::Postgres(pool) => {
                    let sql = format!(
                        "SELECT {} FROM events WHERE stream_id = ANY($1) \
                         ORDER BY stream_id, stream_version",
                        LogEntry::COLUMNS
                    );
                    let rows: Vec<LogEntry> =
                        sqlx::query_as(&sql).bind(chunk).fetch_all(pool).await?;
                    entries.extend(rows);
                }
            }
        }
        // No bound on position in SQL: SQLite would then scan by position instead of seeking
        // each stream. Events beyond `up_to` are the few appended since.
        entries.retain(|e| e.position <= up_to);
        Ok(entries)
    }

    /// The streams whose first event is at or before `up_to` and whose id starts with
    /// `category`, in the order they began: parents, registered first, come before children.
    pub async fn stream_ids_by_start(
        &self,
        category: &str,
        up_to: i64,
    ) -> Result<Vec<String>, StoreError> {
        const SQL: &str = "SELECT stream_id FROM events WHERE stream_version = 1 \
             AND position <= $1 AND substr(stream_id, 1, length($2)) = $2 ORDER BY position";
        let ids: Vec<(String,)> = with_db!(&self.db, pool => {
            sqlx::query_as(SQL).bind(up_to).bind(category).fetch_all(pool).await?
        });
        Ok(ids.into_iter().map(|(id,)| id).collect())
    }
}

/// One row per stream (the `IN (` list follows): its events in version order, packed.
const PACKED_SQLITE: &str = "SELECT stream_id, group_concat(\
     position || char(31) || stream_version || char(31) || schema_version || char(31) || \
     event_type || char(31) || recorded_at || char(31) || payload, char(30) \
     ORDER BY stream_version) FROM events WHERE stream_id IN (";

/// The events of one packed stream.
fn unpack(stream_id: &str, packed: &str) -> Result<Vec<LogEntry>, StoreError> {
    packed
        .split(EVENT)
        .map(|event| {
            let malformed = || StoreError::Malformed {
                stream_id: stream_id.to_owned(),
                detail: event.chars().take(80).collect(),
            };
            let mut fields = event.splitn(6, FIELD);
            let mut next = || fields.next().ok_or_else(malformed);
            let position = next()?.parse().map_err(|_| malformed())?;
            let stream_version = next()?.parse().map_err(|_| malformed())?;
            let schema_version = next()?.parse().map_err(|_| malformed())?;
            let event_type = next()?.to_owned();
            let recorded_at = DateTime::parse_from_rfc3339(next()?)
                .map_err(|_| malformed())?
                .with_timezone(&Utc);
            Ok(LogEntry {
                position,
                stream_id: stream_id.to_owned(),
                stream_version,
                event_type,
                schema_version,
                recorded_at,
                payload: next()?.to_owned(),
            })
        })
        .collect()
}
