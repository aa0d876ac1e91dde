//! Appending: requests, expected versions, idempotency keys, and the single writer task.
//!
//! Every append of a process goes through one writer task. It takes the engine's append lock
//! (a transaction-scoped advisory lock on PostgreSQL, `BEGIN IMMEDIATE` on SQLite), so commits
//! happen in position order across processes too, and it writes whatever requests queued up
//! meanwhile in that one transaction: concurrent clients share one commit (group commit)
//! instead of queueing behind each other's fsync.

use std::collections::{HashMap, HashSet, VecDeque};

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot, watch};
use uuid::Uuid;

use super::envelope::{
    chain_hash, Cause, HashInput, Metadata, NewEvent, RecordedEvent, GENESIS_HASH,
};
use super::sql::{self, Head, Tx};
use super::tree;
use super::{Db, StoreError};
use crate::merkle::Frontier;

/// Requests written in one transaction at most, and events (a single request may exceed it).
const MAX_BATCH_REQUESTS: usize = 256;
const MAX_BATCH_EVENTS: usize = 2_000;

/// Namespace of the event ids derived from idempotency keys.
const IDEMPOTENCY_NAMESPACE: Uuid = Uuid::from_u128(0x6e74_6d2d_7472_6163_6b65_722d_6964_656d);

/// The version a stream must be at for an append to go ahead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpectedVersion {
    /// Append whatever the stream's version.
    Any,
    /// The stream must be at exactly this version (0: the stream must not exist yet).
    Exact(i64),
}

/// Events for one stream within an append.
#[derive(Clone, Debug)]
pub struct StreamAppend {
    pub stream_id: String,
    pub expected: ExpectedVersion,
    pub events: Vec<NewEvent>,
}

/// One atomic append to one or more streams: all of it is written, or none of it.
#[derive(Clone, Debug)]
pub struct AppendRequest {
    pub streams: Vec<StreamAppend>,
    pub metadata: Metadata,
    /// A retried request with the same key returns the first result and writes nothing.
    pub idempotency_key: Option<String>,
}

impl AppendRequest {
    /// A request appending `events` to one stream.
    pub fn single(
        stream_id: impl Into<String>,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
        metadata: Metadata,
    ) -> Self {
        AppendRequest {
            streams: vec![StreamAppend {
                stream_id: stream_id.into(),
                expected,
                events,
            }],
            metadata,
            idempotency_key: None,
        }
    }

    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    fn event_count(&self) -> usize {
        self.streams.iter().map(|s| s.events.len()).sum()
    }

    /// Event ids: derived from the idempotency key when there is one, so a retry has the same.
    fn event_ids(&self) -> Vec<Uuid> {
        (0..self.event_count()).map(|i| self.event_id(i)).collect()
    }

    /// The id of the `i`-th event of this request.
    fn event_id(&self, i: usize) -> Uuid {
        match &self.idempotency_key {
            Some(key) => Uuid::new_v5(&IDEMPOTENCY_NAMESPACE, format!("{key}\n{i}").as_bytes()),
            None => Uuid::now_v7(),
        }
    }

    fn validate(&self) -> Result<(), StoreError> {
        let invalid = |why: String| Err(StoreError::InvalidAppend(why));
        if self.streams.is_empty() {
            return invalid("an append needs at least one stream".into());
        }
        let mut seen = HashSet::new();
        let mut index = 0;
        for stream in &self.streams {
            if stream.stream_id.is_empty() {
                return invalid("a stream id must not be empty".into());
            }
            if !seen.insert(&stream.stream_id) {
                return invalid(format!("stream {} appears twice", stream.stream_id));
            }
            if stream.events.is_empty() {
                return invalid(format!("no events for stream {}", stream.stream_id));
            }
            if let ExpectedVersion::Exact(v) = stream.expected {
                if v < 0 {
                    return invalid(format!("expected version {v} is negative"));
                }
            }
            for event in &stream.events {
                if let Some(Cause::InRequest(cause)) = event.caused_by {
                    if cause == index || cause >= self.event_count() {
                        return invalid(format!(
                            "event {index} of the request names event {cause} as its cause: \
                             not another event of the request"
                        ));
                    }
                }
                index += 1;
                serde_json::from_str::<serde::de::IgnoredAny>(&event.payload).map_err(|e| {
                    StoreError::InvalidAppend(format!(
                        "payload of {} is not JSON: {e}",
                        event.event_type
                    ))
                })?;
            }
        }
        Ok(())
    }
}

/// What an append wrote (or, for an idempotent retry, what the first attempt wrote).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appended {
    pub events: Vec<RecordedEvent>,
}

impl Appended {
    /// The position of the last event written.
    pub fn last_position(&self) -> i64 {
        self.events.last().map_or(0, |e| e.position)
    }

    /// The version `stream_id` is at after this append.
    pub fn version_of(&self, stream_id: &str) -> Option<i64> {
        self.events
            .iter()
            .filter(|e| e.stream_id == stream_id)
            .map(|e| e.stream_version)
            .max()
    }
}

pub(crate) struct Job {
    request: AppendRequest,
    reply: oneshot::Sender<Result<Appended, StoreError>>,
}

/// Sends `request` to the writer task and waits for its outcome.
pub(crate) async fn submit(
    writer: &mpsc::Sender<Job>,
    request: AppendRequest,
) -> Result<Appended, StoreError> {
    request.validate()?;
    let (reply, outcome) = oneshot::channel();
    writer
        .send(Job { request, reply })
        .await
        .map_err(|_| StoreError::WriterStopped)?;
    outcome.await.map_err(|_| StoreError::WriterStopped)?
}

/// Starts the writer task; it stops when every sender is dropped. `tree`: whether it grows
/// the Merkle tree (always, but for the benchmark's baseline).
pub(crate) fn spawn_writer(db: Db, committed: watch::Sender<i64>, grow: bool) -> mpsc::Sender<Job> {
    let (sender, receiver) = mpsc::channel(1024);
    tokio::spawn(run_writer(db, receiver, committed, grow));
    sender
}

async fn run_writer(
    db: Db,
    mut inbox: mpsc::Receiver<Job>,
    committed: watch::Sender<i64>,
    grow: bool,
) {
    let mut deferred = VecDeque::new();
    // The Merkle tree's right edge after this writer's last commit: kept while nobody else
    // appends (the log's tip still equals its size), so growing the tree reads nothing.
    let mut edge = TreeEdge {
        grown: grow,
        frontier: None,
    };
    loop {
        let first = match deferred.pop_front() {
            Some(job) => job,
            None => match inbox.recv().await {
                Some(job) => job,
                None => return,
            },
        };
        // Let clients woken by the previous commit queue their next request, so that
        // concurrent appends share this transaction rather than alternating with it.
        tokio::task::yield_now().await;
        let mut events = first.request.event_count();
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH_REQUESTS && events < MAX_BATCH_EVENTS {
            let Some(job) = deferred.pop_front().or_else(|| inbox.try_recv().ok()) else {
                break;
            };
            events += job.request.event_count();
            jobs.push(job);
        }
        write_jobs(&db, jobs, &mut deferred, &committed, &mut edge).await;
    }
}

/// The writer's Merkle tree: whether it grows it, and its right edge after the last commit.
struct TreeEdge {
    grown: bool,
    frontier: Option<Frontier>,
}

/// What became of one request of a batch.
enum Outcome {
    Written(Vec<RecordedEvent>),
    Refused(StoreError),
    /// The idempotency key was used before: answer with the events it wrote.
    Retried(Vec<Uuid>),
    /// Shares its idempotency key with an earlier request of this batch: write it next time.
    Deferred,
}

async fn write_jobs(
    db: &Db,
    jobs: Vec<Job>,
    deferred: &mut VecDeque<Job>,
    committed: &watch::Sender<i64>,
    edge: &mut TreeEdge,
) {
    let requests: Vec<&AppendRequest> = jobs.iter().map(|j| &j.request).collect();
    match write_batch(db, &requests, edge).await {
        Ok(outcomes) => {
            let last = outcomes.iter().filter_map(|o| match o {
                Outcome::Written(events) => events.last().map(|e| e.position),
                _ => None,
            });
            if let Some(last) = last.max() {
                committed.send_replace(last);
            }
            for (job, outcome) in jobs.into_iter().zip(outcomes) {
                let result = match outcome {
                    Outcome::Written(events) => Ok(Appended { events }),
                    Outcome::Refused(error) => Err(error),
                    Outcome::Retried(ids) => load_retried(db, &job.request, &ids).await,
                    Outcome::Deferred => {
                        deferred.push_back(job);
                        continue;
                    }
                };
                let _ = job.reply.send(result);
            }
        }
        // A failed transaction must not take its neighbours down: try each request alone.
        Err(_) if jobs.len() > 1 => {
            for job in jobs {
                Box::pin(write_jobs(db, vec![job], deferred, committed, edge)).await;
            }
        }
        Err(error) => {
            if let Some(job) = jobs.into_iter().next() {
                let result = explain_failure(db, &job.request, error).await;
                let _ = job.reply.send(result);
            }
        }
    }
}

/// Writes a batch in one transaction under the append lock, with the Merkle tree's nodes its
/// events complete; returns one outcome per request.
async fn write_batch(
    db: &Db,
    requests: &[&AppendRequest],
    edge: &mut TreeEdge,
) -> Result<Vec<Outcome>, StoreError> {
    let mut tx = Tx::begin_append(db).await?;
    let stream_ids: Vec<&str> = requests
        .iter()
        .flat_map(|r| r.streams.iter().map(|s| s.stream_id.as_str()))
        .collect();
    let tips = sql::log_tips(&mut tx, &stream_ids).await?;
    let mut heads = tips.heads;
    let event_ids: Vec<Vec<Uuid>> = requests.iter().map(|r| r.event_ids()).collect();
    let keyed_first_ids: Vec<Uuid> = requests
        .iter()
        .zip(&event_ids)
        .filter(|(r, ids)| r.idempotency_key.is_some() && !ids.is_empty())
        .map(|(_, ids)| ids[0])
        .collect();
    let used = sql::existing_event_ids(&mut tx, &keyed_first_ids).await?;
    // Never earlier than the previous event: recorded_at follows position order.
    let recorded_at =
        sql::micros(crate::app::clock::now()).max(tips.last_recorded_at.unwrap_or_default());

    let mut sequencer = Sequencer {
        next_position: tips.last_position + 1,
        recorded_at,
        heads: &mut heads,
    };
    let mut keys_in_batch = HashSet::new();
    let mut outcomes = Vec::with_capacity(requests.len());
    for (request, ids) in requests.iter().zip(event_ids) {
        let outcome = match (&request.idempotency_key, ids.first()) {
            (Some(_), Some(first)) if used.contains(first) => Outcome::Retried(ids),
            (Some(_), Some(first)) if !keys_in_batch.insert(*first) => Outcome::Deferred,
            _ => sequencer.add(request, &ids),
        };
        outcomes.push(outcome);
    }
    let rows: Vec<&RecordedEvent> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Written(events) => Some(events),
            _ => None,
        })
        .flatten()
        .collect();
    if !edge.grown {
        sql::insert_events(&mut tx, &rows, &[]).await?;
        tx.commit().await?;
        return Ok(outcomes);
    }
    let size = u64::try_from(tips.last_position).unwrap_or(0);
    let mut grown = match edge.frontier.take() {
        Some(kept) if kept.size() == size => kept,
        _ => tree::frontier_at(&mut tx, size).await?,
    };
    let nodes: Vec<Vec<u8>> = rows
        .iter()
        .map(|e| tree::blob(&grown.push(&e.hash)))
        .collect();
    sql::insert_events(&mut tx, &rows, &nodes).await?;
    tx.commit().await?;
    edge.frontier = Some(grown);
    Ok(outcomes)
}

/// Assigns positions, versions and hashes to the requests of a batch, in order.
struct Sequencer<'a> {
    next_position: i64,
    recorded_at: DateTime<Utc>,
    heads: &'a mut HashMap<String, Head>,
}

impl Sequencer<'_> {
    fn add(&mut self, request: &AppendRequest, ids: &[Uuid]) -> Outcome {
        for stream in &request.streams {
            let actual = self
                .heads
                .get(&stream.stream_id)
                .map_or(0, |h| h.stream_version);
            if let ExpectedVersion::Exact(expected) = stream.expected {
                if expected != actual {
                    return Outcome::Refused(StoreError::VersionConflict {
                        stream_id: stream.stream_id.clone(),
                        expected,
                        actual,
                    });
                }
            }
        }
        let metadata = match serde_json::to_string(&request.metadata) {
            Ok(json) => json,
            Err(error) => return Outcome::Refused(StoreError::Encode(error)),
        };
        let all_ids = ids;
        let mut ids = ids.iter();
        let mut written = Vec::with_capacity(request.event_count());
        for stream in &request.streams {
            let head = self.heads.entry(stream.stream_id.clone()).or_insert(Head {
                stream_id: stream.stream_id.clone(),
                stream_version: 0,
                hash: GENESIS_HASH.to_vec(),
            });
            for (event, event_id) in stream.events.iter().zip(ids.by_ref()) {
                let caused = match caused_metadata(&request.metadata, event, all_ids) {
                    Ok(caused) => caused,
                    Err(error) => return Outcome::Refused(error),
                };
                let event = record(
                    head,
                    self.next_position,
                    self.recorded_at,
                    event,
                    *event_id,
                    caused.as_deref().unwrap_or(&metadata),
                );
                self.next_position += 1;
                head.stream_version = event.stream_version;
                head.hash.clone_from(&event.hash);
                written.push(event);
            }
        }
        Outcome::Written(written)
    }
}

/// The metadata of an event caused by another one: the request's, with that event's id as the
/// causation id; `None` for an event that follows from the request itself.
fn caused_metadata(
    metadata: &Metadata,
    event: &NewEvent,
    ids: &[Uuid],
) -> Result<Option<String>, StoreError> {
    let cause = match event.caused_by {
        None => return Ok(None),
        Some(Cause::Event(id)) => id,
        Some(Cause::InRequest(index)) => ids[index],
    };
    let caused = Metadata {
        causation_id: Some(cause),
        ..metadata.clone()
    };
    serde_json::to_string(&caused)
        .map(Some)
        .map_err(StoreError::Encode)
}

/// The stored form of `event` appended after `head`.
fn record(
    head: &Head,
    position: i64,
    recorded_at: DateTime<Utc>,
    event: &NewEvent,
    id: Uuid,
    metadata: &str,
) -> RecordedEvent {
    let input = HashInput {
        stream_id: &head.stream_id,
        stream_version: head.stream_version + 1,
        event_id: id,
        event_type: &event.event_type,
        schema_version: event.schema_version,
        effective_on: event.effective_on,
        recorded_at,
        metadata,
        payload: &event.payload,
        prev_hash: &head.hash,
    };
    let hash = chain_hash(&input).to_vec();
    RecordedEvent {
        position,
        stream_id: head.stream_id.clone(),
        stream_version: head.stream_version + 1,
        event_id: id,
        event_type: event.event_type.clone(),
        schema_version: event.schema_version,
        payload: event.payload.clone(),
        metadata_json: metadata.to_owned(),
        recorded_at,
        effective_on: event.effective_on,
        prev_hash: head.hash.clone(),
        hash,
    }
}

/// The answer to a retried request: the events its first attempt wrote, if it was the same.
async fn load_retried(
    db: &Db,
    request: &AppendRequest,
    ids: &[Uuid],
) -> Result<Appended, StoreError> {
    let events = sql::events_by_ids(db, ids).await?;
    let asked = request
        .streams
        .iter()
        .flat_map(|s| s.events.iter().map(move |e| (&s.stream_id, &e.event_type)));
    let same = events.len() == ids.len()
        && asked
            .zip(&events)
            .all(|((stream, kind), e)| *stream == e.stream_id && *kind == e.event_type);
    if same {
        Ok(Appended { events })
    } else {
        Err(StoreError::IdempotencyKeyReused {
            key: request.idempotency_key.clone().unwrap_or_default(),
        })
    }
}

/// Turns a failed single-request write into the error the caller should see. A unique
/// violation (by its error kind) means another writer got there first: either the same
/// idempotent request, or another append to one of the streams.
async fn explain_failure(
    db: &Db,
    request: &AppendRequest,
    error: StoreError,
) -> Result<Appended, StoreError> {
    if !error.is_unique_violation() {
        return Err(error);
    }
    let ids = request.event_ids();
    if request.idempotency_key.is_some() && !sql::events_by_ids(db, &ids[..1]).await?.is_empty() {
        return load_retried(db, request, &ids).await;
    }
    let stream_ids: Vec<&str> = request
        .streams
        .iter()
        .map(|s| s.stream_id.as_str())
        .collect();
    let mut tx = Tx::begin_read(db).await?;
    let heads = sql::log_tips(&mut tx, &stream_ids).await?.heads;
    tx.commit().await?;
    for stream in &request.streams {
        let actual = heads.get(&stream.stream_id).map_or(0, |h| h.stream_version);
        match stream.expected {
            ExpectedVersion::Exact(expected) if expected != actual => {
                return Err(StoreError::VersionConflict {
                    stream_id: stream.stream_id.clone(),
                    expected,
                    actual,
                })
            }
            _ => {}
        }
    }
    Err(error)
}

/// Events a single command may append at most, for looking up an idempotency key's result.
const MAX_EVENTS_PER_KEY: usize = 256;

impl super::EventStore {
    /// What an earlier append with idempotency `key` wrote, if any. Lets a command handler
    /// answer a retry with the first result instead of deciding again on the changed stream.
    pub async fn appended_with_key(&self, key: &str) -> Result<Option<Appended>, StoreError> {
        let probe = AppendRequest {
            streams: Vec::new(),
            metadata: Metadata::default(),
            idempotency_key: Some(key.to_owned()),
        };
        let first = (0..MAX_EVENTS_PER_KEY).map(|i| probe.event_id(i));
        let ids: Vec<Uuid> = first.collect();
        let events = sql::events_by_ids(&self.db, &ids[..1]).await?;
        if events.is_empty() {
            return Ok(None);
        }
        let events = sql::events_by_ids(&self.db, &ids).await?;
        Ok(Some(Appended { events }))
    }
}
