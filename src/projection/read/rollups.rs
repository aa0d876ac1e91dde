//! Roll-ups per parent: the units of a subtree on a date counted by level and by criterion.

use chrono::NaiveDate;
use sqlx::Row;

use super::{with_reader, Connections, Readers};
use crate::domain::catalog::CriteriaSet;
use crate::domain::tree::MAX_TREE_DEPTH;
use crate::projection::ProjectionError;
use crate::store::{with_db, Db};

/// Units under one parent for one criteria set on one date (DESIGN §4 roll-up).
#[derive(Debug, Clone, PartialEq)]
pub struct Rollup {
    pub on: NaiveDate,
    /// Units existing on the date with a standing for the set: the denominator of every %.
    pub units: i64,
    /// (recognised level or `None`, number of units), ordered by level.
    pub levels: Vec<(Option<String>, i64)>,
    pub criteria_met_total: i64,
    /// Units meeting fewer than the `below` criteria asked for.
    pub below: i64,
    /// (criterion, units meeting it).
    pub criteria_passed: Vec<(String, i64)>,
}

impl Rollup {
    pub fn percent(&self, count: i64) -> f64 {
        if self.units == 0 {
            0.0
        } else {
            count as f64 * 100.0 / self.units as f64
        }
    }

    pub fn average_criteria_met(&self) -> f64 {
        if self.units == 0 {
            0.0
        } else {
            self.criteria_met_total as f64 / self.units as f64
        }
    }
}

/// The units of `$1`'s subtree on `$3` (its children, their children, …, along the parent
/// periods valid that day), each once and never `$1` itself, whatever the periods hold. The walk
/// stops at [`MAX_TREE_DEPTH`] levels: a directory that already holds a cycle (appended past the
/// domain's checks) answers at once instead of recursing for ever.
fn subtree() -> String {
    format!(
        "WITH RECURSIVE walk (locality_id, depth) AS ( \
         SELECT p.locality_id, 1 FROM proj_locality_periods p WHERE p.parent_id = $1 \
         AND p.valid_from <= $3 AND (p.valid_to IS NULL OR p.valid_to > $3) \
         UNION ALL SELECT p.locality_id, w.depth + 1 FROM proj_locality_periods p \
         JOIN walk w ON p.parent_id = w.locality_id \
         AND p.valid_from <= $3 AND (p.valid_to IS NULL OR p.valid_to > $3) \
         WHERE w.depth < {MAX_TREE_DEPTH}), \
         tree (locality_id) AS (SELECT DISTINCT locality_id FROM walk WHERE locality_id <> $1) "
    )
}

/// Each unit's standing period on `$3`. SQLite, which joins by nested loops, seeks the last
/// period begun by then (one seek on the primary key for its start, one for the row) rather than
/// scanning every earlier period for its end.
const UNITS_SQLITE: &str = "FROM tree CROSS JOIN proj_standing_history h \
     WHERE h.locality_id = tree.locality_id AND h.set_code = $2 \
     AND h.valid_from = (SELECT MAX(x.valid_from) FROM proj_standing_history x \
         WHERE x.locality_id = tree.locality_id AND x.set_code = $2 AND x.valid_from <= $3) \
     AND (h.valid_to IS NULL OR h.valid_to > $3) AND h.exists_on";

/// PostgreSQL hashes the set's periods valid on `$3` against the units: fewer steps than a
/// seek per unit once the subtree is large, and its estimate of a recursive subtree always is.
const UNITS_POSTGRES: &str = "FROM tree JOIN proj_standing_history h \
     ON h.locality_id = tree.locality_id WHERE h.set_code = $2 AND h.valid_from <= $3 \
     AND (h.valid_to IS NULL OR h.valid_to > $3) AND h.exists_on";

type LevelRow = (Option<String>, i64, i64, i64, Vec<i64>);

/// The roll-up of `parent`'s units for `set` as of `on`: one indexed query, one row per level.
pub async fn rollup(
    db: &Db,
    parent: &str,
    set: &CriteriaSet,
    on: NaiveDate,
    below: i32,
) -> Result<Rollup, ProjectionError> {
    let query = RollupQuery::new(set, matches!(db, Db::Postgres(_)));
    let rows = with_db!(db, pool => fetch_levels!(query, pool, parent, set, on, below));
    Ok(query.assemble(rows, on))
}

/// [`rollup`] on one of the API's read connections, which stop a statement after
/// [`STATEMENT_TIMEOUT`](super::STATEMENT_TIMEOUT).
pub async fn rollup_on_reader(
    readers: &Readers,
    parent: &str,
    set: &CriteriaSet,
    on: NaiveDate,
    below: i32,
) -> Result<Rollup, ProjectionError> {
    let postgres = matches!(readers.connections(), Connections::Postgres(_));
    let query = RollupQuery::new(set, postgres);
    let rows: Result<Vec<LevelRow>, ProjectionError> = with_reader!(readers, conn => {
        Ok(fetch_levels!(query, &mut *conn, parent, set, on, below))
    });
    Ok(query.assemble(rows?, on))
}

/// Runs a [`RollupQuery`] on `$executor` (of either engine) and reads its rows; `?` on a
/// failure.
macro_rules! fetch_levels {
    ($query:expr, $executor:expr, $parent:expr, $set:expr, $on:expr, $below:expr) => {{
        let found = sqlx::query(&$query.sql)
            .bind($parent)
            .bind($set.code.as_str())
            .bind($on)
            .bind($below)
            .fetch_all($executor)
            .await?;
        let criteria = $query.codes.len();
        found
            .iter()
            .map(|row| -> Result<LevelRow, sqlx::Error> {
                let sum = |i: usize| {
                    row.try_get::<Option<i64>, _>(i)
                        .map(Option::unwrap_or_default)
                };
                let passed = (0..criteria)
                    .map(|k| sum(4 + k))
                    .collect::<Result<_, _>>()?;
                Ok((row.try_get(0)?, row.try_get(1)?, sum(2)?, sum(3)?, passed))
            })
            .collect::<Result<Vec<_>, _>>()?
    }};
}
use fetch_levels;

/// The roll-up's statement for one set on one engine, and the criteria its columns count.
struct RollupQuery<'a> {
    sql: String,
    codes: Vec<&'a str>,
}

impl<'a> RollupQuery<'a> {
    fn new(set: &'a CriteriaSet, postgres: bool) -> Self {
        let codes: Vec<&str> = set
            .criteria
            .iter()
            .chain(set.conditions.iter().map(|c| &c.criterion))
            .map(|c| c.code.as_str())
            .collect();
        // Per-criterion passes: the criterion's letter in each unit's statuses.
        let passes: String = (1..=codes.len())
            .map(|k| format!(", SUM(CASE WHEN substr(h.statuses, {k}, 1) = 'M' THEN 1 ELSE 0 END)"))
            .collect();
        let units = if postgres {
            UNITS_POSTGRES
        } else {
            UNITS_SQLITE
        };
        let subtree = subtree();
        let sql = format!(
            "{subtree}SELECT h.recognised_level, COUNT(*), SUM(h.criteria_met), \
             SUM(CASE WHEN h.criteria_met < $4 THEN 1 ELSE 0 END){passes} {units} \
             GROUP BY h.recognised_level"
        );
        RollupQuery { sql, codes }
    }

    /// The roll-up from the statement's rows, one per level.
    fn assemble(&self, mut rows: Vec<LevelRow>, on: NaiveDate) -> Rollup {
        // Ordered here: engines order NULLs and text differently.
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        let mut criteria_passed: Vec<(String, i64)> = self
            .codes
            .iter()
            .enumerate()
            .map(|(k, code)| ((*code).to_owned(), rows.iter().map(|r| r.4[k]).sum()))
            .collect();
        criteria_passed.sort();
        Rollup {
            on,
            units: rows.iter().map(|r| r.1).sum(),
            criteria_met_total: rows.iter().map(|r| r.2).sum(),
            below: rows.iter().map(|r| r.3).sum(),
            levels: rows.into_iter().map(|r| (r.0, r.1)).collect(),
            criteria_passed,
        }
    }
}
