//! The SQL reads the GraphQL API makes of the read tables, each counted, so a test can prove
//! how many statements a request costs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::NaiveDate;

use sqlx::Row as _;

use super::dated_tree::TreeOn;
use super::row_kinds::{order_by, packed_select, unpack, Row, RowKind};
use super::{with_reader, Connections, Readers};
use crate::projection::rows::RecognitionRow;
use crate::store::Db;

/// Statements issued for one request (or one WebSocket connection).
#[derive(Clone, Debug, Default)]
pub struct StatementCount(Arc<AtomicU64>);

impl StatementCount {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }
}

#[derive(Clone)]
pub struct Reads {
    readers: Readers,
    pub statements: StatementCount,
}

impl Reads {
    pub fn new(readers: Readers, statements: StatementCount) -> Self {
        Reads {
            readers,
            statements,
        }
    }

    /// The main pool, for the engine's SQL and the reads that run there (the roll-up).
    pub fn db(&self) -> &Db {
        self.readers.db()
    }

    /// The read connections, for reads written elsewhere (the roll-up's).
    pub fn readers(&self) -> &Readers {
        &self.readers
    }

    /// Whether the read tables are PostgreSQL's (else SQLite's), for SQL that differs.
    pub(super) fn is_postgres(&self) -> bool {
        matches!(self.readers.connections(), Connections::Postgres(_))
    }

    /// Counts a statement issued elsewhere (e.g. the roll-up's queries) for this request.
    pub fn count(&self, n: u64) {
        self.statements.add(n);
    }

    /// The rows of kind `K` of `ids`.
    pub async fn rows<K: RowKind>(&self, ids: &[String]) -> Result<Vec<K::Row>, sqlx::Error> {
        self.select(&K::select(ids.len()), K::ORDER, ids).await
    }

    /// The rows `select` gives, in `order` if any, with `binds` bound as `$1…$n`. On SQLite
    /// they come back packed (see [`packed_select`]); PostgreSQL sends rows in one stream, and
    /// reading them as they are costs less than building and parsing their JSON.
    pub(super) async fn select<R: Row>(
        &self,
        select: &str,
        order: Option<&str>,
        binds: &[String],
    ) -> Result<Vec<R>, sqlx::Error> {
        let Connections::Postgres(pool) = self.readers.connections() else {
            let part = packed_select::<R>(self.db(), select, order);
            return unpack(&self.fetch_packed(&[part], binds).await?[0]);
        };
        self.statements.add(1);
        let sql = format!("{select}{}", order_by(order));
        let mut query = sqlx::query_as::<_, R>(&sql);
        for value in binds {
            query = query.bind(value);
        }
        with_reader!(@on pool, conn => query.fetch_all(&mut *conn).await)
    }

    /// One statement selecting the packed subqueries `parts` (see
    /// [`packed`](super::row_kinds::packed)) with `binds` bound as `$1…$n`: the JSON text of
    /// each part, in order.
    pub async fn fetch_packed(
        &self,
        parts: &[String],
        binds: &[String],
    ) -> Result<Vec<String>, sqlx::Error> {
        self.statements.add(1);
        let sql = format!("SELECT {}", parts.join(", "));
        with_reader!(&self.readers, conn => {
            let mut query = sqlx::query(&sql);
            for value in binds {
                query = query.bind(value);
            }
            let row = query.fetch_one(&mut *conn).await?;
            (0..parts.len())
                .map(|i| row.try_get::<String, _>(i))
                .collect::<Result<Vec<_>, _>>()
        })
    }

    /// The locality holding official `code` on `on` (codes are reused over time).
    pub async fn holder_of_code(
        &self,
        code: &str,
        on: NaiveDate,
    ) -> Result<Option<String>, sqlx::Error> {
        const SQL: &str = "SELECT locality_id FROM proj_locality_periods WHERE code = $1 \
             AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2) \
             ORDER BY locality_id LIMIT 1";
        self.statements.add(1);
        let row: Option<(String,)> = with_reader!(&self.readers, conn => {
            sqlx::query_as(SQL).bind(code).bind(on).fetch_optional(&mut *conn).await
        })?;
        Ok(row.map(|r| r.0))
    }

    /// Every period of the recognition history of `localities`, in one statement.
    pub async fn recognition_periods(
        &self,
        localities: &[String],
    ) -> Result<Vec<RecognitionRow>, sqlx::Error> {
        if localities.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=localities.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT * FROM proj_recognition_history WHERE locality_id IN ({})",
            marks.join(", ")
        );
        self.statements.add(1);
        with_reader!(&self.readers, conn => {
            let mut query = sqlx::query_as(&sql);
            for id in localities {
                query = query.bind(id);
            }
            query.fetch_all(&mut *conn).await
        })
    }
}

/// The envelope columns, in the order `RecordedEvent` decodes them.
const EVENT_COLUMNS: &str = "position, stream_id, stream_version, event_id, event_type, \
     schema_version, payload, metadata, recorded_at, effective_on, prev_hash, hash";

impl Reads {
    /// Up to `limit` events after `after`, of one stream and/or of the streams of a locality
    /// and of every locality below it on the tree of a day.
    pub async fn events_after(
        &self,
        after: i64,
        stream: Option<&str>,
        subtree: Option<(&str, TreeOn)>,
        limit: i64,
    ) -> Result<Vec<crate::store::RecordedEvent>, sqlx::Error> {
        let postgres = matches!(self.readers.connections(), Connections::Postgres(_));
        let (root, streams) = match subtree {
            Some((root, tree)) => (
                Some(root),
                format!(
                    "AND (stream_id = 'locality/' || $4 OR stream_id IN \
                     (SELECT 'locality/' || locality_id FROM ({}) tree)) ",
                    tree.walk("$4", postgres)
                ),
            ),
            None => (None, String::new()),
        };
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE position > $1 \
             AND ($2 IS NULL OR stream_id = $2) {streams}ORDER BY position LIMIT $3"
        );
        self.statements.add(1);
        let rows = with_reader!(&self.readers, conn => {
            let query = sqlx::query_as(&sql).bind(after).bind(stream).bind(limit);
            match root {
                Some(root) => query.bind(root).fetch_all(&mut *conn).await,
                None => query.fetch_all(&mut *conn).await,
            }
        })?;
        Ok(rows)
    }
}
