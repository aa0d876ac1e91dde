//! The tree on a date, from the validity periods: which localities stand below another on a
//! day, each with the name, code, kind and parent of that day; the same walk the roll-up makes.

use chrono::NaiveDate;

use super::api_reads::Reads;
use super::with_reader;
use crate::domain::tree::MAX_TREE_DEPTH;
use crate::projection::rows::{Columns, LocalityRow};

/// Where the localities of a dated read stand: the tree of one day, and whether units that had
/// ended by then are listed too, where they stood when they ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TreeOn {
    pub on: NaiveDate,
    pub include_ended: bool,
}

impl TreeOn {
    /// The tree of `on`, units that exist that day only.
    pub fn existing(on: NaiveDate) -> Self {
        TreeOn {
            on,
            include_ended: false,
        }
    }

    /// The day as an SQL literal. A `NaiveDate` prints as digits and dashes (`2024-06-30`),
    /// which both engines compare with their date columns (text on SQLite, `DATE` on
    /// PostgreSQL); inlined, it needs no parameter of its own in statements whose binds are
    /// locality ids.
    pub fn day(&self) -> String {
        format!("'{}'", self.on.format("%Y-%m-%d"))
    }

    /// Whether the period `p` of the register entry `l` places its locality on the day: valid
    /// that day or, with ended units, the last period of a unit that had ended by then (its
    /// end is that period's `valid_to`).
    pub(super) fn placed(&self, p: &str, l: &str) -> String {
        let day = self.day();
        let ended = if self.include_ended {
            format!(" OR {p}.valid_to = {l}.ended_on")
        } else {
            String::new()
        };
        format!("{p}.valid_from <= {day} AND ({p}.valid_to IS NULL OR {p}.valid_to > {day}{ended})")
    }

    /// The register entries (in [`LocalityRow`]'s columns, with the name, code, kind and parent
    /// of the day) of the localities strictly below `root` (an SQL expression, e.g. `$1`) on
    /// the day: its children by the periods that place them that day, their children, …, each
    /// once and never `root` itself, stopping at [`MAX_TREE_DEPTH`] levels as the roll-up
    /// does, so that a cycle planted behind the domain's back answers at once.
    ///
    /// Each step seeks the periods by parent (`proj_locality_periods_parent`) and the entries
    /// by id. PostgreSQL, which guesses a recursive walk ten times larger than a province,
    /// would rather hash the whole period and entry tables at every read (5–10 ms on the demo
    /// where the seeks take under one): the step is a `LATERAL` subquery that `OFFSET 0` keeps
    /// from being flattened into a join, which it can then only run as seeks.
    pub fn walk(&self, root: &str, postgres: bool) -> String {
        let placed = self.placed("p", "l");
        let columns = "l.locality_id, l.path, p.name, p.code, p.kind, p.parent_id, \
             l.established_on, l.ended_on, l.end_kind, l.last_position";
        let seek = |parent: &str| {
            format!(
                "SELECT {columns} FROM proj_locality_periods p \
                 JOIN proj_localities l ON l.locality_id = p.locality_id \
                 WHERE p.parent_id = {parent} AND {placed}"
            )
        };
        let step = if postgres {
            format!(
                "SELECT w.depth + 1, c.* FROM walk w \
                 CROSS JOIN LATERAL ({} OFFSET 0) c WHERE w.depth < {MAX_TREE_DEPTH}",
                seek("w.locality_id")
            )
        } else {
            format!(
                "SELECT w.depth + 1, {columns} FROM walk w \
                 JOIN proj_locality_periods p ON p.parent_id = w.locality_id \
                 JOIN proj_localities l ON l.locality_id = p.locality_id \
                 WHERE {placed} AND w.depth < {MAX_TREE_DEPTH}"
            )
        };
        let names = LocalityRow::COLUMNS.join(", ");
        format!(
            "WITH RECURSIVE walk (depth, {names}) AS (SELECT 1, c.* FROM ({}) c \
             UNION ALL {step}) SELECT DISTINCT {names} FROM walk WHERE locality_id <> {root}",
            seek(root)
        )
    }

    /// Whether `root` (an SQL expression) is `locality` (another) or above it on the day: the
    /// walk up its parents of that day, each step one seek on the periods' primary key.
    pub fn reaches(&self, locality: &str, root: &str) -> String {
        let placed = self.placed("p", "l");
        format!(
            "WITH RECURSIVE up (locality_id, depth) AS (SELECT {locality}, 0 \
             UNION ALL SELECT p.parent_id, u.depth + 1 FROM up u \
             JOIN proj_locality_periods p ON p.locality_id = u.locality_id \
             JOIN proj_localities l ON l.locality_id = u.locality_id \
             WHERE {placed} AND p.parent_id IS NOT NULL AND u.depth < {MAX_TREE_DEPTH}) \
             SELECT COUNT(*) FROM up WHERE locality_id = {root}"
        )
    }

    /// The register entries of every locality placed on the day, as [`TreeOn::walk`] gives
    /// them, for a list with no root.
    pub fn entries(&self) -> String {
        format!(
            "SELECT l.locality_id AS locality_id, l.path AS path, p.name AS name, \
             p.code AS code, p.kind AS kind, p.parent_id AS parent_id, \
             l.established_on AS established_on, l.ended_on AS ended_on, \
             l.end_kind AS end_kind, l.last_position AS last_position \
             FROM proj_locality_periods p JOIN proj_localities l ON l.locality_id = p.locality_id \
             WHERE {}",
            self.placed("p", "l")
        )
    }

    /// The children of `n` parents bound as `$1…$n` on the day, as [`TreeOn::entries`].
    pub fn children(&self, n: usize) -> String {
        let parents = (1..=n)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        format!("{} AND p.parent_id IN ({parents})", self.entries())
    }
}

/// The order of a parent's children: by name of the day, then id.
pub const CHILDREN_ORDER: &str = "name, locality_id";

impl Reads {
    /// The children of each of `parents` on the tree of `tree`, in name order.
    pub async fn children_on(
        &self,
        parents: &[String],
        tree: TreeOn,
    ) -> Result<Vec<LocalityRow>, sqlx::Error> {
        self.select(&tree.children(parents.len()), Some(CHILDREN_ORDER), parents)
            .await
    }

    /// Whether `locality` is `ancestor` or below it on the tree of `tree`.
    pub async fn is_within(
        &self,
        locality: &str,
        ancestor: &str,
        tree: TreeOn,
    ) -> Result<bool, sqlx::Error> {
        let sql = tree.reaches("$1", "$2");
        self.count(1);
        let (n,): (i64,) = with_reader!(self.readers(), conn => {
            sqlx::query_as(&sql).bind(locality).bind(ancestor).fetch_one(&mut *conn).await
        })?;
        Ok(n > 0)
    }
}
