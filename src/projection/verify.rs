//! `ntm verify`, projection half: every read model re-derived in memory from the log and
//! compared with the stored rows; the first differing row is named.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;

use chrono::NaiveDate;
use futures::TryStreamExt;

use crate::domain::catalog::Catalog;
use crate::domain::locality::LocalityEvent;
use crate::domain::standing::Recorded;
use crate::store::{Db, EventStore};

use super::apply::decode;
use super::derive::{derive, Derived};
use super::paths;
use super::projector::today;
use super::rows::*;
use super::tx::{checkpoint, TableSet};
use super::ProjectionError;
use crate::store::with_db;

/// The content of one table set, each table sorted by its key.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tables {
    pub localities: Vec<LocalityRow>,
    pub periods: Vec<PeriodRow>,
    pub edges: Vec<EdgeRow>,
    pub standings: Vec<StandingRow>,
    pub criteria: Vec<CriterionRow>,
    pub indicators: Vec<IndicatorRow>,
    pub history: Vec<HistoryRow>,
}

/// The first row where two table sets differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub table: &'static str,
    /// `None`: the row is missing on that side.
    pub expected: Option<String>,
    pub stored: Option<String>,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |row: &Option<String>| row.clone().unwrap_or_else(|| "(no row)".into());
        write!(
            f,
            "{}: expected {} but stored {}",
            self.table,
            show(&self.expected),
            show(&self.stored)
        )
    }
}

/// What the projection check found.
#[derive(Debug)]
pub struct ProjectionReport {
    pub checkpoint: i64,
    pub localities: usize,
    pub first_mismatch: Option<Mismatch>,
}

/// Re-derives the read models from the events up to the live checkpoint and compares.
pub async fn verify(
    store: &EventStore,
    catalog: &Catalog,
) -> Result<ProjectionReport, ProjectionError> {
    let position = checkpoint(store.db(), TableSet::Live).await?;
    let stored = Tables::load(store.db(), TableSet::Live).await?;
    // A present standing is graded on the day it was written (`as_of`); re-grading it on
    // another day may rightly differ (a new year brings new targets), so compare like with like.
    let graded_on: HashMap<String, NaiveDate> = stored
        .standings
        .iter()
        .map(|row| (row.locality_id.clone(), row.as_of))
        .collect();
    let expected = derive_in_memory(store, catalog, position, &graded_on).await?;
    Ok(ProjectionReport {
        checkpoint: position,
        localities: expected.localities.len(),
        first_mismatch: expected.first_difference(&stored),
    })
}

/// Every read model as a full rebuild up to `position` would write it, each locality's present
/// standing graded on its date in `graded_on` (today for the others).
pub async fn derive_in_memory(
    store: &EventStore,
    catalog: &Catalog,
    position: i64,
    graded_on: &HashMap<String, NaiveDate>,
) -> Result<Tables, ProjectionError> {
    let mut streams: BTreeMap<String, (Vec<Recorded<LocalityEvent>>, i64)> = BTreeMap::new();
    let mut events = store.catch_up_entries(0);
    while let Some(event) = events.try_next().await? {
        if event.position > position {
            break;
        }
        let Some(id) = event.stream_id.strip_prefix("locality/") else {
            continue;
        };
        let entry = streams.entry(id.to_owned()).or_default();
        entry.1 = event.position;
        entry.0.extend(decode(&event));
    }
    let today = today();
    let derived: Vec<Derived> = streams
        .iter()
        .map(|(id, (events, last))| {
            let on = graded_on.get(id).copied().unwrap_or(today);
            derive(id, events, *last, catalog, on)
        })
        .collect();
    Ok(Tables::from_derived(derived))
}

impl Tables {
    fn from_derived(derived: Vec<Derived>) -> Tables {
        let parents: HashMap<String, Option<String>> = derived
            .iter()
            .map(|d| (d.locality.locality_id.clone(), d.locality.parent_id.clone()))
            .collect();
        let paths = paths::derive_all(&parents);
        let mut tables = Tables::default();
        for mut d in derived {
            d.locality.path = paths
                .get(&d.locality.locality_id)
                .cloned()
                .unwrap_or_default();
            tables.localities.push(d.locality);
            tables.periods.extend(d.periods);
            tables.edges.extend(d.edges);
            tables.standings.extend(d.standings);
            tables.criteria.extend(d.criteria);
            tables.indicators.extend(d.indicators);
            tables.history.extend(d.history);
        }
        tables.sort();
        tables
    }

    /// Every row of a stored table set.
    pub async fn load(db: &Db, set: TableSet) -> Result<Tables, ProjectionError> {
        macro_rules! all {
            ($table:literal) => {
                with_db!(db, pool => sqlx::query_as(&format!("SELECT * FROM {}", set.table($table))).fetch_all(pool).await?)
            };
        }
        let mut tables = Tables {
            localities: all!("proj_localities"),
            periods: all!("proj_locality_periods"),
            edges: all!("proj_lineage_edges"),
            standings: all!("proj_standings"),
            criteria: all!("proj_standing_criteria"),
            indicators: all!("proj_standing_indicators"),
            history: all!("proj_standing_history"),
        };
        tables.sort();
        Ok(tables)
    }

    /// Sorted by primary key, in Rust (database collations differ).
    fn sort(&mut self) {
        self.localities
            .sort_by(|a, b| a.locality_id.cmp(&b.locality_id));
        self.periods
            .sort_by(|a, b| (&a.locality_id, a.valid_from).cmp(&(&b.locality_id, b.valid_from)));
        self.edges.sort_by(|a, b| edge_key(a).cmp(&edge_key(b)));
        self.standings
            .sort_by(|a, b| (&a.locality_id, &a.set_code).cmp(&(&b.locality_id, &b.set_code)));
        self.criteria.sort_by(|a, b| {
            (&a.locality_id, &a.set_code, &a.criterion).cmp(&(
                &b.locality_id,
                &b.set_code,
                &b.criterion,
            ))
        });
        self.indicators.sort_by(|a, b| {
            (&a.locality_id, &a.set_code, &a.indicator).cmp(&(
                &b.locality_id,
                &b.set_code,
                &b.indicator,
            ))
        });
        self.history.sort_by(|a, b| {
            (&a.locality_id, &a.set_code, a.valid_from).cmp(&(
                &b.locality_id,
                &b.set_code,
                b.valid_from,
            ))
        });
    }

    /// The first row, table by table, where `self` (expected) and `stored` differ.
    pub fn first_difference(&self, stored: &Tables) -> Option<Mismatch> {
        first("proj_localities", &self.localities, &stored.localities)
            .or_else(|| first("proj_locality_periods", &self.periods, &stored.periods))
            .or_else(|| first("proj_lineage_edges", &self.edges, &stored.edges))
            .or_else(|| first("proj_standings", &self.standings, &stored.standings))
            .or_else(|| first("proj_standing_criteria", &self.criteria, &stored.criteria))
            .or_else(|| {
                first(
                    "proj_standing_indicators",
                    &self.indicators,
                    &stored.indicators,
                )
            })
            .or_else(|| first("proj_standing_history", &self.history, &stored.history))
    }
}

fn edge_key(e: &EdgeRow) -> (&str, &str, &str, &str) {
    (&e.recorded_on, &e.from_id, &e.to_id, &e.kind)
}

fn first<R: Debug + PartialEq>(
    table: &'static str,
    expected: &[R],
    stored: &[R],
) -> Option<Mismatch> {
    let show = |row: Option<&R>| row.map(|r| format!("{r:?}"));
    let at = (0..expected.len().max(stored.len())).find(|i| expected.get(*i) != stored.get(*i))?;
    Some(Mismatch {
        table,
        expected: show(expected.get(at)),
        stored: show(stored.get(at)),
    })
}
