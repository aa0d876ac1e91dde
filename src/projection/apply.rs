//! Applying a batch of the global log: decode, fold onto the cached streams, derive the touched
//! localities, and write their rows with the checkpoint in one transaction.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::domain::catalog::Catalog;
use crate::domain::locality::LocalityEvent;
use crate::domain::standing::Recorded;
use crate::store::{Db, EventStore, RecordedEvent, StreamRange};

use super::derive::{derive, sets_mentioned, Derived, Dirty};
use super::tx::{advance, checkpoint, TableSet};
use super::{paths, write, ProjectionError};
use crate::store::Tx;

/// Streams of this category are localities; the rest of the log is skipped.
const CATEGORY: &str = "locality/";

/// Decoded streams kept between batches; beyond this many events the cache starts over.
const DEFAULT_CACHE_EVENTS: usize = 2_000_000;

/// Projects batches onto one table set; holds the decoded streams it has seen.
pub struct Applier {
    store: EventStore,
    catalog: Arc<Catalog>,
    set: TableSet,
    position: i64,
    streams: HashMap<String, Vec<Recorded<LocalityEvent>>>,
    cached: usize,
    cache_limit: usize,
}

impl Applier {
    /// An applier resuming from the table set's stored checkpoint.
    pub async fn resume(
        store: EventStore,
        catalog: Arc<Catalog>,
        set: TableSet,
    ) -> Result<Self, ProjectionError> {
        let position = checkpoint(store.db(), set).await?;
        Ok(Applier {
            store,
            catalog,
            set,
            position,
            streams: HashMap::new(),
            cached: 0,
            cache_limit: DEFAULT_CACHE_EVENTS,
        })
    }

    /// The position up to which this applier's tables are projected.
    pub fn position(&self) -> i64 {
        self.position
    }

    fn db(&self) -> &Db {
        self.store.db()
    }

    /// Applies the events after the checkpoint; events at or before it are ignored, so a
    /// batch delivered twice changes nothing. On error nothing is written and the cache is
    /// dropped: the caller resumes from the stored checkpoint.
    pub async fn apply(
        &mut self,
        batch: &[RecordedEvent],
        today: NaiveDate,
    ) -> Result<(), ProjectionError> {
        let fresh: Vec<&RecordedEvent> = batch
            .iter()
            .filter(|e| e.position > self.position)
            .collect();
        let Some(last) = fresh.last().map(|e| e.position) else {
            return Ok(());
        };
        let result = self.apply_fresh(&fresh, last, today).await;
        // A failed batch may have left the cache ahead of the tables; a big one just starts over.
        if result.is_err() || self.cached > self.cache_limit {
            self.streams.clear();
            self.cached = 0;
        }
        result
    }

    async fn apply_fresh(
        &mut self,
        fresh: &[&RecordedEvent],
        last: i64,
        today: NaiveDate,
    ) -> Result<(), ProjectionError> {
        let mut by_stream: BTreeMap<&str, Vec<&RecordedEvent>> = BTreeMap::new();
        for event in fresh {
            if event.stream_id.starts_with(CATEGORY) {
                by_stream
                    .entry(event.stream_id.as_str())
                    .or_default()
                    .push(event);
            }
        }
        let mut derived = Vec::with_capacity(by_stream.len());
        for (stream_id, events) in by_stream {
            derived.push(self.fold_stream(stream_id, &events, today).await?);
        }
        let mut tx = Tx::begin_write(self.db()).await?;
        let moves = paths::provisional(&mut tx, self.set, &mut derived).await?;
        write::write(&mut tx, self.set, &derived).await?;
        paths::settle(&mut tx, self.set, moves).await?;
        advance(&mut tx, self.set, self.position, last).await?;
        tx.commit().await?;
        self.position = last;
        Ok(())
    }

    /// Appends a stream's new events to its cached history and derives its rows.
    async fn fold_stream(
        &mut self,
        stream_id: &str,
        events: &[&RecordedEvent],
        today: NaiveDate,
    ) -> Result<Derived, ProjectionError> {
        if !self.streams.contains_key(stream_id) {
            let known = self.load(stream_id).await?;
            self.cached += known.len();
            self.streams.insert(stream_id.to_owned(), known);
        }
        let stream = self.streams.entry(stream_id.to_owned()).or_default();
        let before = sets_mentioned(stream);
        let was_empty = stream.is_empty();
        let mut dirty_from: Option<NaiveDate> = None;
        let mut undated = false;
        for event in events {
            let Some(recorded) = decode(event) else {
                continue;
            };
            let date = match &recorded.event {
                LocalityEvent::EventRetracted(r) => stream
                    .iter()
                    .find(|e| e.version == r.retracted_version)
                    .and_then(|e| e.event.effective_on()),
                other => other.effective_on(),
            };
            // An undated change (a retraction of an unknown version) re-derives everything.
            undated |= date.is_none();
            dirty_from = dirty_from.min(date).or(dirty_from).or(date);
            stream.push(recorded);
            self.cached += 1;
        }
        let dirty = match dirty_from {
            Some(date) if !was_empty && !undated => Dirty::From {
                date,
                fresh_sets: sets_mentioned(stream)
                    .difference(&before)
                    .cloned()
                    .collect(),
            },
            _ => Dirty::All,
        };
        let id = stream_id.trim_start_matches(CATEGORY);
        let last = events.last().map_or(0, |e| e.position);
        Ok(derive(id, stream, last, &self.catalog, today, &dirty))
    }

    /// The stream as this table set knows it: events up to the checkpoint.
    async fn load(&self, stream_id: &str) -> Result<Vec<Recorded<LocalityEvent>>, ProjectionError> {
        let events = self
            .store
            .read_stream(stream_id, StreamRange::all())
            .await?;
        Ok(events
            .iter()
            .filter(|e| e.position <= self.position)
            .filter_map(decode)
            .collect())
    }
}

/// A locality event with its version and recording time; an event this build cannot read is
/// logged and left out (the chain check still covers it).
pub fn decode(event: &RecordedEvent) -> Option<Recorded<LocalityEvent>> {
    match serde_json::from_str::<LocalityEvent>(&event.payload) {
        Ok(decoded) => Some(Recorded {
            version: u64::try_from(event.stream_version).unwrap_or(0),
            recorded_at: event.recorded_at,
            event: decoded,
        }),
        Err(error) => {
            tracing::warn!(position = event.position, %error, "event skipped by the projections");
            None
        }
    }
}
