//! The SQL reads the GraphQL API makes of the read tables, each counted, so a test can prove
//! how many statements a request costs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::NaiveDate;

use sqlx::Row as _;

use super::dated_tree::TreeOn;
use super::row_kinds::{order_by, packed_select, unpack, Row, RowKind};
use super::{with_reader, Connections, Readers};
use crate::projection::rows::{LocalityRow, RecognitionRow};
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

/// Which localities a list query asks for; everything optional narrows the set.
#[derive(Clone, Debug, Default)]
pub struct Candidates {
    /// The tree of one day: only the localities it places, each with the name, code, kind and
    /// parent of that day; `within`, `kind` and `ended` read that day. None: every entry of
    /// the register as it stands, by its latest tree.
    pub tree: Option<TreeOn>,
    /// Strictly below this locality.
    pub within: Option<String>,
    pub kind: Option<String>,
    /// Present standing: with a standing for this set.
    pub set: Option<String>,
    /// Present standing: holding this level.
    pub recognised_level: Option<String>,
    /// Present standing: at risk (true) or not (false).
    pub at_risk: Option<bool>,
    /// Ended (true, by the tree's day when there is one) or not.
    pub ended: Option<bool>,
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

    /// Every locality matching the SQL-side filters; name search and ordering happen after.
    pub async fn candidates(&self, filter: &Candidates) -> Result<Vec<LocalityRow>, sqlx::Error> {
        let mut clauses: Vec<String> = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        let bind = |clause: &str, value: String, binds: &mut Vec<String>| {
            binds.push(value);
            clause.replace('?', &format!("${}", binds.len()))
        };
        let postgres = matches!(self.readers.connections(), Connections::Postgres(_));
        let source = match (&filter.tree, &filter.within) {
            (Some(tree), Some(ancestor)) => {
                let walk = bind(&tree.walk("?", postgres), ancestor.clone(), &mut binds);
                format!("SELECT l.* FROM ({walk}) l WHERE 1 = 1")
            }
            (Some(tree), None) => format!("SELECT l.* FROM ({}) l WHERE 1 = 1", tree.entries()),
            (None, within) => {
                if let Some(ancestor) = within {
                    clauses.push(bind(&subtree(), ancestor.clone(), &mut binds));
                }
                "SELECT l.* FROM proj_localities l WHERE 1 = 1".to_owned()
            }
        };
        if let Some(kind) = &filter.kind {
            clauses.push(bind("l.kind = ?", kind.clone(), &mut binds));
        }
        let by = filter
            .tree
            .map(|t| format!(" AND l.ended_on <= {}", t.day()))
            .unwrap_or_default();
        match filter.ended {
            Some(true) => clauses.push(format!("(l.ended_on IS NOT NULL{by})")),
            Some(false) => clauses.push(format!("NOT (l.ended_on IS NOT NULL{by})")),
            None => {}
        }
        let mut standing: Vec<String> = Vec::new();
        if let Some(set) = &filter.set {
            standing.push(bind("s.set_code = ?", set.clone(), &mut binds));
        }
        if let Some(level) = &filter.recognised_level {
            standing.push(bind("s.recognised_level = ?", level.clone(), &mut binds));
        }
        match filter.at_risk {
            Some(true) => standing.push(format!("s.at_risk IN ({AT_RISK})")),
            Some(false) => standing.push(format!(
                "(s.at_risk IS NULL OR s.at_risk NOT IN ({AT_RISK}))"
            )),
            None => {}
        }
        if !standing.is_empty() {
            clauses.push(format!(
                "EXISTS (SELECT 1 FROM proj_standings s WHERE s.locality_id = l.locality_id AND {})",
                standing.join(" AND ")
            ));
        }
        let select: String = std::iter::once(source)
            .chain(clauses)
            .collect::<Vec<_>>()
            .join(" AND ");
        self.select(&select, None, &binds).await
    }
}

/// The path of the locality `?`; a parent not in the register stands as the root `/<id>/` of
/// its children (see the projection's paths).
const OWN_PATH: &str = "(SELECT COALESCE(MAX(a.path), '/' || ? || '/') \
     FROM proj_localities a WHERE a.locality_id = ?)";

/// Strictly below the locality `?`: the paths that start with its own, `[/a/b/, /a/b0)` as '0'
/// follows '/', a range of the path index where `LIKE '%/b/%'` scanned every row. The column
/// sorts bytewise on both engines (on PostgreSQL by `COLLATE "C"`, migration 0005).
fn subtree() -> String {
    format!("l.path > {OWN_PATH} AND l.path < substr({OWN_PATH}, 1, length({OWN_PATH}) - 1) || '0'")
}

/// The at-risk spellings of the read tables.
const AT_RISK: &str = "'key-criterion-failing', 'half-or-more-failing'";

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
