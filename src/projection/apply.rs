//! Applying the global log: entries are folded onto cached locality streams as they arrive
//! (`ingest`), then the touched localities are derived and written with the checkpoint in one
//! transaction (`flush`). The live projector flushes every batch; a rebuild flushes once.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::app::catalog;
use crate::app::codec::{self, locality_id_text, locality_stream_of};
use crate::domain::catalog::Catalog;
use crate::domain::locality::LocalityEvent;
use crate::domain::standing::Recorded;
use crate::store::{with_db, Db, EventStore, LogEntry, Tx};

use super::derive::{derive, Derived};
use super::table_set::{advance, checkpoint, TableSet};
use super::{paths, write, ProjectionError};

mod located;

/// Decoded events kept between flushes; beyond this many the cache starts over.
const DEFAULT_CACHE_EVENTS: usize = 2_000_000;

mod published;

/// Localities graded again per transaction by [`Applier::regrade`].
const REGRADE_CHUNK: usize = 256;

/// A locality's decoded events and the position of its newest event.
#[derive(Default)]
struct Stream {
    events: Vec<Recorded<LocalityEvent>>,
    last_position: i64,
    /// The rows last written for it, to write only what changes.
    written: Option<Derived>,
}

/// Projects the log onto one table set; holds the decoded streams it has seen.
pub struct Applier {
    store: EventStore,
    /// The catalogue of the binary, over which the versions published in the log are loaded.
    base: Arc<Catalog>,
    /// The catalogue as the log knows it at `position`: what the tables are graded with.
    catalog: Arc<Catalog>,
    /// A version was published among the entries ingested and not yet flushed.
    catalog_published: bool,
    set: TableSet,
    /// Written with the tables: everything up to here is in them.
    position: i64,
    /// Folded into the cache: everything up to here is, once flushed.
    ingested: i64,
    streams: HashMap<String, Stream>,
    touched: BTreeSet<String>,
    cached: usize,
}

impl Applier {
    /// An applier resuming from the table set's stored checkpoint, grading with `base` and the
    /// versions published up to there.
    pub async fn resume(
        store: EventStore,
        base: Arc<Catalog>,
        set: TableSet,
    ) -> Result<Self, ProjectionError> {
        let position = checkpoint(store.db(), set).await?;
        let catalog = Arc::new(catalog::load_at(&store, &base, position).await?);
        Ok(Applier {
            store,
            base,
            catalog,
            catalog_published: false,
            set,
            position,
            ingested: position,
            streams: HashMap::new(),
            touched: BTreeSet::new(),
            cached: 0,
        })
    }

    /// The position up to which this applier's tables are projected.
    pub fn position(&self) -> i64 {
        self.position
    }

    /// The catalogue the tables are graded with: as the log knows it at [`Applier::position`].
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    fn db(&self) -> &Db {
        self.store.db()
    }

    /// Ingests and flushes: the batch's localities are in the tables when it returns.
    pub async fn apply(
        &mut self,
        batch: &[LogEntry],
        today: NaiveDate,
    ) -> Result<(), ProjectionError> {
        self.ingest(batch).await?;
        self.flush(today).await
    }

    /// Folds the entries after the ingested position onto the cached streams; entries already
    /// seen are ignored, so a batch delivered twice changes nothing. On error the cache is
    /// dropped: the caller resumes from the stored checkpoint.
    pub async fn ingest(&mut self, batch: &[LogEntry]) -> Result<(), ProjectionError> {
        let fresh: Vec<&LogEntry> = batch
            .iter()
            .filter(|e| e.position > self.ingested)
            .collect();
        let result = self.load_missing(&fresh).await;
        if result.is_err() {
            self.forget();
            return result;
        }
        for entry in fresh {
            self.ingested = entry.position;
            if entry.stream_id.starts_with(catalog::CATEGORY) {
                self.catalog_published = true;
            }
            let Some(id) = locality_id_text(&entry.stream_id) else {
                continue;
            };
            let recorded = match codec::decode(entry) {
                Ok(recorded) => recorded,
                Err(error) => {
                    self.forget();
                    return Err(error.into());
                }
            };
            let stream = self.streams.entry(id.to_owned()).or_default();
            stream.last_position = entry.position;
            stream.events.push(recorded);
            self.cached += 1;
            if !self.touched.contains(id) {
                self.touched.insert(id.to_owned());
            }
        }
        Ok(())
    }

    /// Loads, as they stand at the checkpoint, the streams the batch touches for the first
    /// time. A stream absent from the cache has no event between the checkpoint and the batch:
    /// the cache is only ever dropped right after a flush.
    async fn load_missing(&mut self, fresh: &[&LogEntry]) -> Result<(), ProjectionError> {
        let missing: BTreeSet<&str> = fresh
            .iter()
            .filter_map(|e| locality_id_text(&e.stream_id))
            .filter(|id| !self.streams.contains_key(*id))
            .collect();
        if self.position == 0 || missing.is_empty() {
            return Ok(());
        }
        let missing: Vec<&str> = missing.into_iter().collect();
        self.load_streams(&missing).await
    }

    /// Loads the streams of `missing` (none of them cached) as they stand at the checkpoint,
    /// and what is stored for them.
    async fn load_streams(&mut self, missing: &[&str]) -> Result<(), ProjectionError> {
        let ids: Vec<String> = missing.iter().map(|id| locality_stream_of(id)).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        for entry in self.store.read_streams_entries(&ids, self.position).await? {
            let id = locality_id_text(&entry.stream_id).unwrap_or_default();
            let recorded = codec::decode(&entry)?;
            let stream = self.streams.entry(id.to_owned()).or_default();
            stream.last_position = entry.position;
            stream.events.push(recorded);
            self.cached += 1;
        }
        self.recall_written(missing).await
    }

    /// Grades again on `today` every present standing graded before the catalogue's last
    /// calendar change (1 January, a set coming into or going out of force), so that present
    /// standings are never stale when no fact arrives. Called between flushes; returns how many
    /// localities were graded again.
    #[tracing::instrument(name = "projection_regrade", skip_all, fields(set = ?self.set, %today))]
    pub async fn regrade(&mut self, today: NaiveDate) -> Result<usize, ProjectionError> {
        let since = self.catalog.last_calendar_change(today);
        let standings = self.set.table("proj_standings");
        let sql = format!("SELECT DISTINCT locality_id FROM {standings} WHERE as_of < $1");
        let stale: Vec<(String,)> = with_db!(self.db(), pool => {
            sqlx::query_as(&sql).bind(since).fetch_all(pool).await?
        });
        for chunk in stale.chunks(REGRADE_CHUNK) {
            let ids: Vec<&str> = chunk.iter().map(|(id,)| id.as_str()).collect();
            let missing: Vec<&str> = ids
                .iter()
                .copied()
                .filter(|id| !self.streams.contains_key(*id))
                .collect();
            let loaded = self.load_streams(&missing).await;
            self.touched.extend(ids.iter().map(|id| (*id).to_owned()));
            let written = match loaded {
                Ok(()) => self.write_touched(today).await,
                Err(error) => Err(error),
            };
            self.touched.clear();
            if let Err(error) = written {
                self.forget();
                return Err(error);
            }
        }
        if self.cached > DEFAULT_CACHE_EVENTS {
            self.forget();
        }
        Ok(stale.len())
    }

    /// What is stored for localities just loaded, without reading every row back: the rows are
    /// what this same derivation wrote from the events up to the checkpoint (`ntm verify`
    /// checks exactly that), graded on the stored `as_of` and placed at the stored path.
    async fn recall_written(&mut self, ids: &[&str]) -> Result<(), ProjectionError> {
        let localities = self.set.table("proj_localities");
        let standings = self.set.table("proj_standings");
        let sql = format!(
            "SELECT l.locality_id, l.path, MIN(s.as_of) FROM {localities} l \
             LEFT JOIN {standings} s ON s.locality_id = l.locality_id WHERE l.locality_id IN ("
        );
        let ancestry = self.stored_ancestry_of(ids).await?;
        for chunk in ids.chunks(400) {
            let stored: Vec<(String, String, Option<NaiveDate>)> = with_db!(self.db(), pool => {
                let mut query = sqlx::QueryBuilder::new(&sql);
                let mut list = query.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                query.push(") GROUP BY l.locality_id, l.path");
                query.build_query_as().fetch_all(pool).await?
            });
            for (id, path, as_of) in stored {
                let Some(stream) = self.streams.get_mut(&id) else {
                    continue;
                };
                let graded_on = as_of.unwrap_or_else(super::projector::today);
                let mut written = derive(
                    &id,
                    &stream.events,
                    stream.last_position,
                    &self.catalog,
                    graded_on,
                    &ancestry,
                );
                written.locality.path = path;
                stream.written = Some(written);
            }
        }
        Ok(())
    }

    /// Derives every locality touched since the last flush (present standing graded on `today`)
    /// and writes their rows with the checkpoint, in one transaction.
    #[tracing::instrument(name = "projection_flush", skip_all, fields(
        set = ?self.set, from = self.position, to = self.ingested, localities = self.touched.len(),
    ))]
    pub async fn flush(&mut self, today: NaiveDate) -> Result<(), ProjectionError> {
        if self.ingested == self.position {
            return Ok(());
        }
        let result = match self.catalog_published {
            true => self.write_all_with_published(today).await,
            false => self.write_touched(today).await,
        };
        self.touched.clear();
        if result.is_err() || self.cached > DEFAULT_CACHE_EVENTS {
            self.forget();
        }
        result
    }

    async fn write_touched(&mut self, today: NaiveDate) -> Result<(), ProjectionError> {
        if self.catalog.has_territorial_sets() {
            self.touch_descendants().await?;
        }
        let ancestry = self.touched_ancestry().await?;
        let mut derived: Vec<Derived> = self
            .touched
            .iter()
            .filter_map(|id| {
                let stream = self.streams.get(id)?;
                Some(derive(
                    id,
                    &stream.events,
                    stream.last_position,
                    &self.catalog,
                    today,
                    &ancestry,
                ))
            })
            .collect();
        let mut tx = Tx::begin_write(self.db()).await?;
        let moves = paths::assign(&mut tx, self.set, &mut derived).await?;
        let mut batch = write::Batch {
            derived: &derived,
            previous: Vec::new(),
            unknown: Vec::new(),
            // Checkpoint 0: nothing was ever written to this table set.
            fresh: self.position == 0,
        };
        for d in &derived {
            let id = d.locality.locality_id.as_str();
            match self.streams.get(id).and_then(|s| s.written.as_ref()) {
                Some(previous) => batch.previous.push(previous),
                None => batch.unknown.push(id),
            }
        }
        write::write(&mut tx, self.set, &batch).await?;
        paths::settle(&mut tx, self.set, moves).await?;
        advance(&mut tx, self.set, self.position, self.ingested).await?;
        tx.commit().await?;
        self.position = self.ingested;
        for d in derived {
            if let Some(stream) = self.streams.get_mut(&d.locality.locality_id) {
                stream.written = Some(d);
            }
        }
        Ok(())
    }

    /// Drops the cache and what was ingested but not written.
    fn forget(&mut self) {
        self.catalog_published = false;
        self.streams.clear();
        self.touched.clear();
        self.cached = 0;
        self.ingested = self.position;
    }
}
