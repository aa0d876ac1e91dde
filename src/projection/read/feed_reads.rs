//! The audit feed's reads of the log on the API's read connections, counted: a window of
//! positions read either way and narrowed in SQL (stream, subtree, types, hidden streams), its
//! count, events by id and the log's head.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::api_reads::Reads;
use super::dated_tree::TreeOn;
use super::{with_reader, Connections};
use crate::store::RecordedEvent;

/// The envelope columns, in the order `RecordedEvent` decodes them.
const EVENT_COLUMNS: &str = "position, stream_id, stream_version, event_id, event_type, \
     schema_version, payload, metadata, recorded_at, effective_on, prev_hash, hash";

/// The part of a feed's filter SQL can apply, and its window of positions.
#[derive(Clone, Debug, Default)]
pub struct FeedQuery {
    /// Positions strictly above this one.
    pub above: i64,
    /// Positions strictly below this one, if given.
    pub below: Option<i64>,
    /// One stream only.
    pub stream: Option<String>,
    /// The streams of a locality and of every locality below it on the tree of a day.
    pub subtree: Option<(String, TreeOn)>,
    /// These stored event types only (none: every type).
    pub types: Option<Vec<String>>,
    /// Streams whose id starts with one of these are left out (token, account and session
    /// events for most readers).
    pub hidden: Option<&'static [&'static str]>,
}

/// A value bound to a placeholder.
enum Bind {
    Int(i64),
    Text(String),
}

impl FeedQuery {
    /// The `WHERE` conditions and their binds.
    fn conditions(&self, postgres: bool) -> (String, Vec<Bind>) {
        let mut binds = vec![Bind::Int(self.above)];
        let mut sql = String::from("position > $1");
        let next = |value: Bind, binds: &mut Vec<Bind>| {
            binds.push(value);
            format!("${}", binds.len())
        };
        if let Some(below) = self.below {
            sql += &format!(" AND position < {}", next(Bind::Int(below), &mut binds));
        }
        if let Some(stream) = &self.stream {
            sql += &format!(
                " AND stream_id = {}",
                next(Bind::Text(stream.clone()), &mut binds)
            );
        }
        if let Some((root, tree)) = &self.subtree {
            let mark = next(Bind::Text(root.clone()), &mut binds);
            sql += &format!(
                " AND (stream_id = 'locality/' || {mark} OR stream_id IN \
                 (SELECT 'locality/' || locality_id FROM ({}) tree))",
                tree.walk(&mark, postgres)
            );
        }
        if let Some(types) = &self.types {
            let marks: Vec<String> = types
                .iter()
                .map(|t| next(Bind::Text(t.clone()), &mut binds))
                .collect();
            match marks.is_empty() {
                true => sql += " AND 1 = 0",
                false => sql += &format!(" AND event_type IN ({})", marks.join(", ")),
            }
        }
        for prefix in self.hidden.unwrap_or_default() {
            let mark = next(Bind::Text(format!("{prefix}%")), &mut binds);
            sql += &format!(" AND stream_id NOT LIKE {mark}");
        }
        (sql, binds)
    }
}

/// Binds `binds` in order to a query built by `sqlx::query_as` or `sqlx::query_scalar`.
macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut query = $query;
        for value in $binds {
            query = match value {
                Bind::Int(n) => query.bind(*n),
                Bind::Text(text) => query.bind(text.clone()),
            };
        }
        query
    }};
}

impl Reads {
    fn postgres(&self) -> bool {
        matches!(self.readers().connections(), Connections::Postgres(_))
    }

    /// Up to `limit` events of `query`'s window, oldest first or newest first.
    pub async fn feed_events(
        &self,
        query: &FeedQuery,
        newest_first: bool,
        limit: i64,
    ) -> Result<Vec<RecordedEvent>, sqlx::Error> {
        let (conditions, binds) = query.conditions(self.postgres());
        let direction = if newest_first { "DESC" } else { "ASC" };
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE {conditions} \
             ORDER BY position {direction} LIMIT {limit}"
        );
        self.count(1);
        with_reader!(self.readers(), conn => {
            bind_all!(sqlx::query_as(&sql), &binds).fetch_all(&mut *conn).await
        })
    }

    /// How many events `query`'s window holds.
    pub async fn count_feed(&self, query: &FeedQuery) -> Result<i64, sqlx::Error> {
        let (conditions, binds) = query.conditions(self.postgres());
        let sql = format!("SELECT COUNT(*) FROM events WHERE {conditions}");
        self.count(1);
        with_reader!(self.readers(), conn => {
            bind_all!(sqlx::query_scalar(&sql), &binds).fetch_one(&mut *conn).await
        })
    }

    /// The events of these ids (those that exist), in position order, in one statement.
    pub async fn events_by_id(&self, ids: &[Uuid]) -> Result<Vec<RecordedEvent>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE event_id IN ({}) ORDER BY position",
            marks.join(", ")
        );
        self.count(1);
        with_reader!(self.readers(), conn => {
            let mut query = sqlx::query_as(&sql);
            for id in ids {
                query = query.bind(*id);
            }
            query.fetch_all(&mut *conn).await
        })
    }

    /// What every answer of the API is a function of, besides its document, variables, actor
    /// and day: the log's head, the read tables' checkpoint, the last recorded run of
    /// `ntm verify` (0 for none) and how many signed checkpoints and cosignatures are kept
    /// (both append-only: a checkpoint or a cosignature is added without an event), read
    /// together in one statement.
    pub async fn freshness(&self) -> Result<(i64, i64, i64, i64), sqlx::Error> {
        const SQL: &str = "SELECT \
             (SELECT COALESCE(MAX(position), 0) FROM events), \
             (SELECT position FROM proj_checkpoints WHERE table_set = 'live'), \
             (SELECT COALESCE(MAX(id), 0) FROM verifications), \
             (SELECT COUNT(*) FROM checkpoints) \
               + (SELECT COUNT(*) FROM checkpoint_cosignatures)";
        self.count(1);
        with_reader!(self.readers(), conn => {
            sqlx::query_as(SQL).fetch_one(&mut *conn).await
        })
    }

    /// The newest event's position and recording time (0 and none for an empty log).
    pub async fn log_head(&self) -> Result<(i64, Option<DateTime<Utc>>), sqlx::Error> {
        const SQL: &str = "SELECT position, recorded_at FROM events \
             ORDER BY position DESC LIMIT 1";
        self.count(1);
        let row: Option<(i64, DateTime<Utc>)> = with_reader!(self.readers(), conn => {
            sqlx::query_as(SQL).fetch_optional(&mut *conn).await
        })?;
        Ok(row.map_or((0, None), |(position, at)| (position, Some(at))))
    }
}
