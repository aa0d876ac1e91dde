//! Roll-ups per parent as offices report them: every unit of the programme's kinds under the
//! parent on a date, with or without data, counted by the level it holds (whatever set granted
//! it), graded by one set, and broken down by the parent's children.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sqlx::Row;

use super::census::{census_sql, Census, CensusRow, CensusSets, CENSUS_KINDS};
use super::{with_reader, Connections, Readers};
use crate::domain::catalog::CriteriaSet;
use crate::domain::terms::{LocalityKind, RecognitionLevel};
use crate::domain::tree::MAX_TREE_DEPTH;
use crate::projection::ProjectionError;
use crate::store::{with_db, Db};

/// What a roll-up counts.
#[derive(Debug, Clone, Copy)]
pub struct RollupQuery<'a> {
    pub parent: &'a str,
    pub on: NaiveDate,
    /// The kinds counted: communes for NTM, wards and towns for the urban standard.
    pub kinds: &'a [LocalityKind],
    /// The set that grades the criteria; `None` when no set is in force (criteria all unknown).
    pub set: Option<&'a CriteriaSet>,
    /// Units meeting fewer criteria than this are counted in [`Figures::below`].
    pub below: i32,
    /// Also count what district and province levels are computed from (their [`Census`]).
    pub census: Option<CensusSets<'a>>,
}

/// The figures of one group of units.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// Units of the kinds existing under the parent on the date: the denominator of every %.
    pub units: i64,
    /// Units with at least one criterion known (met or not met) in the grading set.
    pub with_data: i64,
    /// (highest level held or `None`, units), ordered by level.
    pub levels: Vec<(Option<String>, i64)>,
    pub criteria_met_total: i64,
    pub below: i64,
    /// Units per band of the grading set, in the set's order.
    pub bands: Vec<i64>,
    /// Units holding a recognition the revocation rule finds at risk.
    pub at_risk: i64,
    /// Units holding a recognition whose risk cannot be assessed for want of data.
    pub cannot_be_assessed: i64,
    /// Units with recognitions carried over by a merger and not yet acknowledged.
    pub pending_acknowledgement: i64,
    /// (criterion or condition, units meeting it), in the set's order.
    pub criteria_passed: Vec<(String, i64)>,
}

impl Figures {
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

    /// Adds `other` to these figures.
    fn add(&mut self, other: &Figures) {
        self.units += other.units;
        self.with_data += other.with_data;
        self.criteria_met_total += other.criteria_met_total;
        self.below += other.below;
        self.at_risk += other.at_risk;
        self.cannot_be_assessed += other.cannot_be_assessed;
        self.pending_acknowledgement += other.pending_acknowledgement;
        add_counts(&mut self.bands, &other.bands);
        let mut levels: BTreeMap<Option<String>, i64> = self.levels.drain(..).collect();
        for (level, units) in &other.levels {
            *levels.entry(level.clone()).or_default() += units;
        }
        self.levels = levels.into_iter().collect();
        for ((_, mine), (_, theirs)) in self.criteria_passed.iter_mut().zip(&other.criteria_passed)
        {
            *mine += theirs;
        }
    }
}

fn add_counts(into: &mut Vec<i64>, other: &[i64]) {
    into.resize(into.len().max(other.len()), 0);
    for (a, b) in into.iter_mut().zip(other) {
        *a += b;
    }
}

/// A roll-up: the parent's figures, the sum of its children's.
#[derive(Debug, Clone, PartialEq)]
pub struct Rollup {
    pub on: NaiveDate,
    pub total: Figures,
    /// (child of the parent on the date, figures of the units at or under it), children with
    /// at least one unit only, ordered by id.
    pub children: Vec<(String, Figures)>,
    /// With [`RollupQuery::census`]: the parent's census and each child's (empty without).
    pub census: Census,
    pub child_census: BTreeMap<String, Census>,
}

/// The units of `$1`'s subtree on `$2`, each once with the child of `$1` it lies under (along
/// the parent periods valid that day), never `$1` itself. The walk stops at
/// [`MAX_TREE_DEPTH`] levels: a directory that already holds a cycle answers at once.
fn subtree() -> String {
    format!(
        "WITH RECURSIVE walk (locality_id, depth, child, name) AS ( \
         SELECT p.locality_id, 1, p.locality_id, p.name FROM proj_locality_periods p \
         WHERE p.parent_id = $1 AND p.valid_from <= $2 AND (p.valid_to IS NULL OR p.valid_to > $2) \
         UNION ALL SELECT p.locality_id, w.depth + 1, w.child, p.name FROM proj_locality_periods p \
         JOIN walk w ON p.parent_id = w.locality_id \
         AND p.valid_from <= $2 AND (p.valid_to IS NULL OR p.valid_to > $2) \
         WHERE w.depth < {MAX_TREE_DEPTH}), \
         tree (locality_id, child, name) AS (SELECT locality_id, MIN(child), MIN(name) FROM walk \
         WHERE locality_id <> $1 GROUP BY locality_id) "
    )
}

/// The period of `table` (alias `alias`) valid on `$2` for the unit, joined on `extra`. SQLite
/// joins by nested loops: it seeks the last period begun by then (one seek on the primary key)
/// rather than scanning every earlier period; PostgreSQL hashes the periods valid on the date.
pub(super) fn period_join(table: &str, alias: &str, extra: &str, postgres: bool) -> String {
    let valid = format!(
        "{alias}.locality_id = tree.locality_id{extra} AND {alias}.valid_from <= $2 \
         AND ({alias}.valid_to IS NULL OR {alias}.valid_to > $2)"
    );
    if postgres {
        format!("{table} {alias} ON {valid}")
    } else {
        format!(
            "{table} {alias} ON {valid} AND {alias}.valid_from = (SELECT MAX(x.valid_from) \
             FROM {table} x WHERE x.locality_id = tree.locality_id{} AND x.valid_from <= $2)",
            extra.replace(&format!("{alias}."), "x.")
        )
    }
}

/// One row of the statement: a child, a kind, a level, a revocation, and the sums.
struct GroupRow {
    child: String,
    level: Option<String>,
    kind: Option<String>,
    revoked: bool,
    figures: Figures,
    /// With a census: the name and the huyện / thị xã standings' statuses (of a district).
    name: Option<String>,
    statuses: (Option<String>, Option<String>),
}

/// The roll-up's statement for one question on one engine.
struct Statement<'a> {
    sql: String,
    query: RollupQuery<'a>,
    codes: Vec<&'a str>,
}

impl<'a> Statement<'a> {
    fn new(query: RollupQuery<'a>, postgres: bool) -> Self {
        let codes: Vec<&str> = query.set.map_or_else(Vec::new, |set| {
            set.criteria
                .iter()
                .chain(set.conditions.iter().map(|c| &c.criterion))
                .map(|c| c.code.as_str())
                .collect()
        });
        let passes: String = (1..=codes.len())
            .map(|k| format!(", SUM(CASE WHEN substr(h.statuses, {k}, 1) = 'M' THEN 1 ELSE 0 END)"))
            .collect();
        let bands: String = query
            .set
            .map(|s| s.bands.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|b| {
                format!(
                    ", SUM(CASE WHEN COALESCE(h.criteria_met, 0) BETWEEN {} AND {} THEN 1 ELSE 0 END)",
                    b.from, b.to
                )
            })
            .collect();
        let census_kinds = query.census.map_or(&[][..], |_| &CENSUS_KINDS[..]);
        let kinds: Vec<String> = query
            .kinds
            .iter()
            .chain(census_kinds)
            .map(|k| format!("'{}'", k.spelling()))
            .collect();
        let kinds = if kinds.is_empty() {
            "NULL".to_owned()
        } else {
            kinds.join(", ")
        };
        let recognition = period_join("proj_recognition_history", "r", "", postgres);
        let standing = period_join(
            "proj_standing_history",
            "h",
            " AND h.set_code = $3",
            postgres,
        );
        let (census_columns, census_joins) = census_sql(query.census.is_some(), postgres);
        let subtree = subtree();
        let sql = format!(
            "{subtree}SELECT tree.child, r.recognised_level, COUNT(*), \
             SUM(CASE WHEN h.statuses LIKE '%M%' OR h.statuses LIKE '%N%' THEN 1 ELSE 0 END), \
             SUM(COALESCE(h.criteria_met, 0)), \
             SUM(CASE WHEN COALESCE(h.criteria_met, 0) < $4 THEN 1 ELSE 0 END), \
             SUM(CASE WHEN r.at_risk IN ({AT_RISK}) THEN 1 ELSE 0 END), \
             SUM(CASE WHEN r.at_risk = 'cannot-be-assessed' THEN 1 ELSE 0 END), \
             SUM(CASE WHEN r.pending_acknowledgement > 0 THEN 1 ELSE 0 END)\
             {bands}{passes}, r.kind, r.revoked{census_columns} \
             FROM tree JOIN {recognition} \
             LEFT JOIN {standing}{census_joins} \
             WHERE r.exists_on AND r.kind IN ({kinds}) \
             GROUP BY tree.child, r.recognised_level, r.kind, r.revoked"
        );
        Statement { sql, query, codes }
    }

    /// The figures of one row: its columns after the child and the level.
    fn group(
        &self,
        sum: impl Fn(usize) -> Result<i64, sqlx::Error>,
    ) -> Result<Figures, sqlx::Error> {
        let bands = self.query.set.map_or(0, |s| s.bands.len());
        let units = sum(2)?;
        Ok(Figures {
            units,
            with_data: sum(3)?,
            levels: Vec::new(),
            criteria_met_total: sum(4)?,
            below: sum(5)?,
            at_risk: sum(6)?,
            cannot_be_assessed: sum(7)?,
            pending_acknowledgement: sum(8)?,
            bands: (0..bands).map(|b| sum(9 + b)).collect::<Result<_, _>>()?,
            criteria_passed: self
                .codes
                .iter()
                .enumerate()
                .map(|(k, code)| Ok(((*code).to_owned(), sum(9 + bands + k)?)))
                .collect::<Result<_, sqlx::Error>>()?,
        })
    }

    /// The roll-up from the statement's rows: each child's figures, and their sum.
    fn assemble(&self, rows: Vec<GroupRow>) -> Rollup {
        let empty = self.empty();
        let mut children: BTreeMap<String, Figures> = BTreeMap::new();
        let mut child_census: BTreeMap<String, Census> = BTreeMap::new();
        for row in rows {
            let kind = row.kind.as_deref().and_then(LocalityKind::from_spelling);
            if self.query.census.is_some() {
                child_census
                    .entry(row.child.clone())
                    .or_default()
                    .count(CensusRow {
                        child: &row.child,
                        kind,
                        level: row
                            .level
                            .as_deref()
                            .and_then(RecognitionLevel::from_spelling),
                        revoked: row.revoked,
                        units: row.figures.units,
                        name: row.name.clone(),
                        huyen_statuses: row.statuses.0.clone(),
                        town_statuses: row.statuses.1.clone(),
                    });
            }
            if !kind.is_some_and(|k| self.query.kinds.contains(&k)) {
                continue;
            }
            let mut figures = row.figures;
            figures.levels = vec![(row.level, figures.units)];
            children
                .entry(row.child)
                .or_insert_with(|| empty.clone())
                .add(&figures);
        }
        let mut total = empty;
        for figures in children.values() {
            total.add(figures);
        }
        let mut census = Census::default();
        for c in child_census.values() {
            census.add(c);
        }
        Rollup {
            on: self.query.on,
            total,
            children: children.into_iter().collect(),
            census,
            child_census,
        }
    }

    /// The first column after the sums: the kind, then revoked and the census's columns.
    fn census_column(&self) -> usize {
        9 + self.query.set.map_or(0, |s| s.bands.len()) + self.codes.len()
    }

    /// Figures of no unit, with every band and criterion listed.
    fn empty(&self) -> Figures {
        Figures {
            bands: vec![0; self.query.set.map_or(0, |s| s.bands.len())],
            criteria_passed: self.codes.iter().map(|c| ((*c).to_owned(), 0)).collect(),
            ..Figures::default()
        }
    }
}

/// The at-risk spellings of the read tables.
const AT_RISK: &str = "'key-criterion-failing', 'half-or-more-failing', 'communes-revoked'";

/// Runs a [`Statement`] on `$executor` (of either engine) and reads its rows; `?` on a failure.
macro_rules! fetch_groups {
    ($statement:expr, $executor:expr) => {{
        let statement = &$statement;
        let query = statement.query;
        let bound = sqlx::query(&statement.sql)
            .bind(query.parent)
            .bind(query.on)
            .bind(query.set.map(|s| s.code.as_str()))
            .bind(query.below);
        let bound = match query.census {
            Some(sets) => bound.bind(sets.huyen).bind(sets.town_city),
            None => bound,
        };
        let found = bound.fetch_all($executor).await?;
        found
            .iter()
            .map(|row| -> Result<GroupRow, sqlx::Error> {
                let sum = |i: usize| {
                    row.try_get::<Option<i64>, _>(i)
                        .map(Option::unwrap_or_default)
                };
                let at = statement.census_column();
                Ok(GroupRow {
                    child: row.try_get(0)?,
                    level: row.try_get(1)?,
                    figures: statement.group(sum)?,
                    kind: row.try_get(at)?,
                    revoked: row.try_get(at + 1)?,
                    name: row.try_get(at + 2)?,
                    statuses: (row.try_get(at + 3)?, row.try_get(at + 4)?),
                })
            })
            .collect::<Result<Vec<_>, _>>()?
    }};
}

/// The roll-up `query` asks for: one indexed statement, one row per child and level.
pub async fn rollup(db: &Db, query: RollupQuery<'_>) -> Result<Rollup, ProjectionError> {
    let statement = Statement::new(query, matches!(db, Db::Postgres(_)));
    let rows = with_db!(db, pool => fetch_groups!(statement, pool));
    Ok(statement.assemble(rows))
}

/// [`rollup`] on one of the API's read connections, which stop a statement after
/// [`STATEMENT_TIMEOUT`](super::STATEMENT_TIMEOUT).
pub async fn rollup_on_reader(
    readers: &Readers,
    query: RollupQuery<'_>,
) -> Result<Rollup, ProjectionError> {
    let postgres = matches!(readers.connections(), Connections::Postgres(_));
    let statement = Statement::new(query, postgres);
    let rows: Result<Vec<GroupRow>, ProjectionError> = with_reader!(readers, conn => {
        Ok(fetch_groups!(statement, &mut *conn))
    });
    Ok(statement.assemble(rows?))
}
