//! The kinds of rows read by a list of locality ids, each as one `SELECT` with the ids bound
//! as `$1…$n`, and how several kinds come back from one statement: each kind's rows packed
//! into one JSON array of arrays, a column of a single row.
//!
//! One statement instead of one per kind spares PostgreSQL a round trip and a backend wake-up
//! per kind, and SQLite a row crossing per row: sqlx-sqlite hands each row over from its
//! connection thread at 5–15 µs, which made the 40 criteria rows of one locality most of a
//! request.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use sqlx::postgres::PgRow;
use sqlx::FromRow;

use crate::projection::rows::{
    Columns, CriterionRow, EdgeRow, IndicatorRow, LocalityRow, PeriodRow, StandingRow,
};
use crate::store::Db;

/// A read-table row as both engines read it: packed as JSON, or as a PostgreSQL row.
pub trait Row:
    Columns + DeserializeOwned + for<'r> FromRow<'r, PgRow> + Clone + Send + Sync + Unpin + 'static
{
}

impl<R> Row for R where
    R: Columns
        + DeserializeOwned
        + for<'r> FromRow<'r, PgRow>
        + Clone
        + Send
        + Sync
        + Unpin
        + 'static
{
}

/// A kind of row read by locality ids.
pub trait RowKind: Send + Sync + 'static {
    type Row: Row;
    /// The `SELECT` of the rows of `n` ids bound as `$1…$n`, without its order.
    fn select(n: usize) -> String;
    /// The order the rows keep, if any.
    const ORDER: Option<&'static str> = None;
    /// The localities a row is filed under (an edge is filed under both its ends).
    fn keys(row: &Self::Row) -> Vec<&str>;
}

/// `$1, $2, …, $n` for an `IN` list.
fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rows of `K` for `n` ids as a scalar subquery: see [`packed_select`].
pub fn packed<K: RowKind>(db: &Db, n: usize) -> String {
    packed_select::<K::Row>(db, &K::select(n), K::ORDER)
}

/// The rows of `select` as a scalar subquery giving one JSON array of arrays, each array the
/// row's [`Columns`] in order.
pub fn packed_select<R: Columns>(db: &Db, select: &str, order: Option<&str>) -> String {
    let columns = R::COLUMNS.join(", ");
    let order = order_by(order);
    match db {
        Db::Sqlite(_) => {
            format!("(SELECT json_group_array(json_array({columns}){order}) FROM ({select}))")
        }
        Db::Postgres(_) => format!(
            "(SELECT coalesce(json_agg(json_build_array({columns}){order}), '[]')::text \
             FROM ({select}) AS packed_rows)"
        ),
    }
}

/// ` ORDER BY …` for `order`, or nothing.
pub fn order_by(order: Option<&str>) -> String {
    order.map(|o| format!(" ORDER BY {o}")).unwrap_or_default()
}

/// The rows of one packed column.
pub fn unpack<R: DeserializeOwned>(text: &str) -> Result<Vec<R>, sqlx::Error> {
    serde_json::from_str(text).map_err(|e| sqlx::Error::Decode(e.into()))
}

/// Declares a kind: its marker type, row, `SELECT` and keys.
macro_rules! kind {
    ($(#[$meta:meta])* $kind:ident: $row:ty, |$n:ident| $select:expr, $(order $order:literal,)?
     |$r:ident| $keys:expr) => {
        $(#[$meta])*
        pub struct $kind;
        impl RowKind for $kind {
            type Row = $row;
            fn select($n: usize) -> String {
                $select
            }
            $(const ORDER: Option<&'static str> = Some($order);)?
            fn keys($r: &$row) -> Vec<&str> {
                $keys
            }
        }
    };
}

kind!(
    /// Register entries by id.
    Localities: LocalityRow,
    |n| format!("SELECT * FROM proj_localities WHERE locality_id IN ({})", placeholders(n)),
    |r| vec![&r.locality_id]
);
kind!(
    /// Validity periods, oldest first.
    Periods: PeriodRow,
    |n| format!("SELECT * FROM proj_locality_periods WHERE locality_id IN ({})", placeholders(n)),
    order "locality_id, valid_from",
    |r| vec![&r.locality_id]
);
kind!(
    /// Lineage edges with one of the ids on either side.
    Edges: EdgeRow,
    |n| {
        let list = placeholders(n);
        format!("SELECT * FROM proj_lineage_edges WHERE from_id IN ({list}) OR to_id IN ({list})")
    },
    order "effective_on, from_id, to_id",
    |r| vec![&r.from_id, &r.to_id]
);
kind!(
    /// Present standings, by set.
    Standings: StandingRow,
    |n| format!("SELECT * FROM proj_standings WHERE locality_id IN ({})", placeholders(n)),
    order "set_code",
    |r| vec![&r.locality_id]
);
kind!(
    /// Criteria of the present standings.
    Criteria: CriterionRow,
    |n| format!("SELECT * FROM proj_standing_criteria WHERE locality_id IN ({})", placeholders(n)),
    |r| vec![&r.locality_id]
);
kind!(
    /// Indicators of the present standings.
    Indicators: IndicatorRow,
    |n| format!("SELECT * FROM proj_standing_indicators WHERE locality_id IN ({})", placeholders(n)),
    |r| vec![&r.locality_id]
);
kind!(
    /// The versions of the localities' streams: what `expectedVersion` compares with.
    Versions: StreamVersion,
    |n| {
        let streams = (1..=n).map(|i| format!("'locality/' || ${i}")).collect::<Vec<_>>();
        format!(
            "SELECT stream_id, MAX(stream_version) AS version FROM events \
             WHERE stream_id IN ({}) GROUP BY stream_id",
            streams.join(", ")
        )
    },
    |r| vec![r.locality_id()]
);

/// The version a stream is at.
#[derive(Clone, Debug, Deserialize, FromRow)]
pub struct StreamVersion {
    pub stream_id: String,
    pub version: i64,
}

impl Columns for StreamVersion {
    const COLUMNS: &'static [&'static str] = &["stream_id", "version"];
}

impl StreamVersion {
    pub fn locality_id(&self) -> &str {
        crate::app::codec::locality_id_text(&self.stream_id).unwrap_or_default()
    }
}
