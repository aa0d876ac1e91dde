//! `ntm verify`, projection half: the locality streams decoded (strictly) from the log, every
//! read model re-derived from them in memory and compared with the stored rows; the first
//! differing row is named.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;

use chrono::NaiveDate;

use crate::domain::catalog::Catalog;
use crate::domain::locality::LocalityEvent;
use crate::domain::profile::Profile;
use crate::domain::standing::{effective_facts, Recorded};
use crate::store::{with_tx, Db, RecordedEvent, Tx};

use super::ancestry::stream_links;
use super::derive::{derive, Derived};
use super::projector::today;
use super::rows::*;
use super::table_set::TableSet;
use super::{directory, paths, ProjectionError};
use crate::app::codec::{self, locality_id_text};
use crate::domain::territory::Ancestry;

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
    pub recognition: Vec<RecognitionRow>,
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

/// The locality streams of the log, decoded as `ntm verify`'s walk over the log meets them.
/// Everything is kept: the projections are compared up to the checkpoint, the locality tree is
/// checked on the whole log.
pub struct LocalityLog {
    checkpoint: i64,
    streams: BTreeMap<String, Stream>,
}

#[derive(Default)]
struct Stream {
    events: Vec<Recorded<LocalityEvent>>,
    /// How many of `events` are at or before the checkpoint, and the position of the last.
    at_checkpoint: (usize, i64),
}

impl LocalityLog {
    /// For the live table set, whose `checkpoint` was read in the same snapshot as the log.
    pub fn new(checkpoint: i64) -> Self {
        LocalityLog {
            checkpoint,
            streams: BTreeMap::new(),
        }
    }

    pub fn checkpoint(&self) -> i64 {
        self.checkpoint
    }

    /// Takes the next event of the log if it is a locality's; `Err` says why it does not decode.
    pub fn ingest(&mut self, event: &RecordedEvent) -> Result<(), String> {
        let Some(id) = locality_id_text(&event.stream_id) else {
            return Ok(());
        };
        let recorded = decode_envelope(event)?;
        let stream = match self.streams.get_mut(id) {
            Some(stream) => stream,
            None => self.streams.entry(id.to_owned()).or_default(),
        };
        stream.events.push(recorded);
        if event.position <= self.checkpoint {
            stream.at_checkpoint = (stream.events.len(), event.position);
        }
        Ok(())
    }

    /// Every read model as a full rebuild up to the checkpoint would write it, each locality's
    /// present standing graded on its date in `graded_on` (today for the others).
    pub fn expected(&self, catalog: &Catalog, graded_on: &HashMap<String, NaiveDate>) -> Tables {
        let today = today();
        let projected = self
            .streams
            .iter()
            .filter(|(_, stream)| stream.at_checkpoint.0 > 0);
        // Where each locality is: every stream is in memory, so its ancestors' links are too.
        let ancestry: Ancestry = if catalog.has_territorial_sets() {
            let links = |(id, stream): (&String, &Stream)| {
                let events = &stream.events[..stream.at_checkpoint.0];
                (id.clone(), stream_links(events))
            };
            projected.clone().map(links).collect()
        } else {
            Ancestry::new()
        };
        let derived: Vec<Derived> = projected
            .map(|(id, stream)| {
                let (count, last) = stream.at_checkpoint;
                let on = graded_on.get(id).copied().unwrap_or(today);
                derive(id, &stream.events[..count], last, catalog, on, &ancestry)
            })
            .collect();
        Tables::from_derived(derived)
    }

    /// Every locality's directory periods (its parent over valid time among them) as the whole
    /// log gives them, sorted by locality and date.
    pub fn periods(&self) -> Vec<PeriodRow> {
        self.streams
            .iter()
            .flat_map(|(id, stream)| {
                let known: Vec<(u64, &LocalityEvent)> = stream
                    .events
                    .iter()
                    .map(|r| (r.version, &r.event))
                    .collect();
                let profile = Profile::fold(effective_facts(&known));
                directory::periods(id, &profile)
            })
            .collect()
    }
}

/// A locality event as this build reads it ([`codec::decode`]), or why it cannot; the
/// envelope's effective date must also be the payload's (as the store wrote it from it): the
/// projector only needs the payload, so a disagreement is a rewrite.
fn decode_envelope(event: &RecordedEvent) -> Result<Recorded<LocalityEvent>, String> {
    let recorded = codec::decode(event).map_err(|e| e.reason)?;
    if recorded.event.effective_on() != event.effective_on {
        return Err(format!(
            "effective_on {:?} but the payload's is {:?}",
            event.effective_on,
            recorded.event.effective_on()
        ));
    }
    Ok(recorded)
}

/// Compares the live read tables, read within the snapshot `tx`, with what `log` (read in the
/// same snapshot, up to the checkpoint read there) derives.
pub async fn compare(
    tx: &mut Tx,
    log: &LocalityLog,
    catalog: &Catalog,
) -> Result<ProjectionReport, ProjectionError> {
    let stored = Tables::load_in(tx, TableSet::Live).await?;
    // A present standing is graded on the day it was written (`as_of`); re-grading it on
    // another day may rightly differ (a new year brings new targets), so compare like with like.
    let graded_on: HashMap<String, NaiveDate> = stored
        .standings
        .iter()
        .map(|row| (row.locality_id.clone(), row.as_of))
        .collect();
    let expected = log.expected(catalog, &graded_on);
    Ok(ProjectionReport {
        checkpoint: log.checkpoint,
        localities: expected.localities.len(),
        first_mismatch: expected.first_difference(&stored),
    })
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
            tables.recognition.extend(d.recognition);
        }
        tables.sort();
        tables
    }

    /// Every row of a stored table set, as one snapshot.
    pub async fn load(db: &Db, set: TableSet) -> Result<Tables, ProjectionError> {
        let mut tx = Tx::begin_snapshot(db).await?;
        let tables = Tables::load_in(&mut tx, set).await?;
        tx.commit().await?;
        Ok(tables)
    }

    /// Every row of a stored table set, within `tx`.
    pub async fn load_in(tx: &mut Tx, set: TableSet) -> Result<Tables, ProjectionError> {
        macro_rules! all {
            ($table:literal) => {
                with_tx!(tx, conn, _E => {
                    let sql = format!("SELECT * FROM {}", set.table($table));
                    sqlx::query_as(&sql).fetch_all(&mut *conn).await?
                })
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
            recognition: all!("proj_recognition_history"),
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
        self.recognition
            .sort_by(|a, b| (&a.locality_id, a.valid_from).cmp(&(&b.locality_id, b.valid_from)));
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
            .or_else(|| {
                first(
                    "proj_recognition_history",
                    &self.recognition,
                    &stored.recognition,
                )
            })
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
