//! Reading: one stream within bounds, the global log in batches, and live subscriptions.

use std::collections::VecDeque;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use tokio::sync::{mpsc, watch};

use super::db::with_db;
use super::envelope::{LogEntry, LogRow, RecordedEvent};
use super::sql::EVENT_COLUMNS;
use super::{EventStore, StoreError};

/// Events per read of the global log.
pub const READ_BATCH: i64 = 4_096;

/// Events handed from the reading task to the consumer at a time.
const CHUNK: usize = 256;

/// Which events of a stream to read: versions `from..=to`, recorded up to a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamRange {
    pub from_version: i64,
    pub to_version: i64,
    pub recorded_until: Option<DateTime<Utc>>,
}

impl StreamRange {
    /// The whole stream.
    pub fn all() -> Self {
        StreamRange {
            from_version: 1,
            to_version: i64::MAX,
            recorded_until: None,
        }
    }

    pub fn from_version(mut self, version: i64) -> Self {
        self.from_version = version;
        self
    }

    pub fn up_to_version(mut self, version: i64) -> Self {
        self.to_version = version;
        self
    }

    /// Only events recorded at or before `t`: the stream as it was known at `t`.
    pub fn recorded_until(mut self, t: DateTime<Utc>) -> Self {
        self.recorded_until = Some(t);
        self
    }
}

impl EventStore {
    /// The events of `stream_id` within `range`, in version order.
    pub async fn read_stream(
        &self,
        stream_id: &str,
        range: StreamRange,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE stream_id = $1 \
             AND stream_version >= $2 AND stream_version <= $3 AND recorded_at <= $4 \
             ORDER BY stream_version"
        );
        // A far but four-digit-year bound: SQLite compares the RFC 3339 text.
        let until = range.recorded_until.unwrap_or_else(|| {
            DateTime::<Utc>::from_timestamp(253_402_300_799, 0).unwrap_or_default()
        });
        let events = with_db!(&self.db, pool => {
            sqlx::query_as(&sql)
                .bind(stream_id)
                .bind(range.from_version)
                .bind(range.to_version)
                .bind(until)
                .fetch_all(pool)
                .await?
        });
        Ok(events)
    }

    /// What folding a stream needs and no more: (version, position, payload) from
    /// `from_version` on, in version order.
    pub async fn read_stream_payloads(
        &self,
        stream_id: &str,
        from_version: i64,
    ) -> Result<Vec<(i64, i64, String)>, StoreError> {
        const SQL: &str = "SELECT stream_version, position, payload FROM events \
             WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version";
        let rows = with_db!(&self.db, pool => {
            sqlx::query_as(SQL).bind(stream_id).bind(from_version).fetch_all(pool).await?
        });
        Ok(rows)
    }

    /// Up to `limit` events of the global log with a position after `after`, in order.
    pub async fn read_all(&self, after: i64, limit: i64) -> Result<Vec<RecordedEvent>, StoreError> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2"
        );
        let events = with_db!(&self.db, pool => {
            sqlx::query_as(&sql).bind(after).bind(limit).fetch_all(pool).await?
        });
        Ok(events)
    }

    /// Every event of one of `types` after position `after` (what folding needs), in
    /// position order: the tail of the log a read table has not reached yet.
    pub async fn entries_after(
        &self,
        after: i64,
        types: &[&str],
    ) -> Result<Vec<LogEntry>, StoreError> {
        let list: Vec<String> = (2..types.len() + 2).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT {} FROM events WHERE position > $1 \
             AND event_type IN ({}) ORDER BY position",
            LogEntry::COLUMNS,
            list.join(", ")
        );
        let rows = with_db!(&self.db, pool => {
            let mut query = sqlx::query_as(&sql).bind(after);
            for event_type in types {
                query = query.bind(*event_type);
            }
            query.fetch_all(pool).await?
        });
        Ok(rows)
    }

    /// The position of the newest event, 0 when the log is empty.
    pub async fn last_position(&self) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT COALESCE(MAX(position), 0) FROM events";
        let (position,): (i64,) =
            with_db!(&self.db, pool => sqlx::query_as(SQL).fetch_one(pool).await?);
        Ok(position)
    }

    /// Every event after `after`, in position order, then every new one as it commits;
    /// never ends by itself. A wake-up comes from this process's writer or, for appends of
    /// other processes, from polling at the interval of [`EventStore::with_poll_interval`];
    /// either way the stream re-reads from its last position, so nothing is skipped or repeated.
    pub fn subscribe(&self, after: i64) -> BoxStream<'static, Result<RecordedEvent, StoreError>> {
        self.read_from(after, true)
    }

    /// Every event after `after` that exists now, in position order, read in batches.
    pub fn catch_up(&self, after: i64) -> BoxStream<'static, Result<RecordedEvent, StoreError>> {
        self.read_from(after, false)
    }

    /// Like [`EventStore::catch_up`], with only what folding needs ([`LogEntry`]): replaying
    /// for projections reads far fewer bytes than the full audited envelope.
    pub fn catch_up_entries(&self, after: i64) -> BoxStream<'static, Result<LogEntry, StoreError>> {
        self.read_from(after, false)
    }

    /// Like [`EventStore::subscribe`], with only what folding needs ([`LogEntry`]).
    pub fn subscribe_entries(
        &self,
        after: i64,
    ) -> BoxStream<'static, Result<LogEntry, StoreError>> {
        self.read_from(after, true)
    }

    /// Streams the log after `after` from a producer task, so that reading the database and
    /// the consumer's work overlap instead of taking turns row by row.
    fn read_from<T: LogRow>(
        &self,
        after: i64,
        live: bool,
    ) -> BoxStream<'static, Result<T, StoreError>> {
        let (sender, receiver) = mpsc::channel(4);
        tokio::spawn(self.clone().pump(after, live, sender));
        let state = (receiver, VecDeque::new());
        stream::unfold(state, |(mut receiver, mut buffer)| async move {
            loop {
                if let Some(event) = buffer.pop_front() {
                    return Some((Ok(event), (receiver, buffer)));
                }
                match receiver.recv().await? {
                    Ok(chunk) => buffer.extend(chunk),
                    Err(error) => return Some((Err(error), (receiver, buffer))),
                }
            }
        })
        .boxed()
    }

    /// Sends every event after `checkpoint` to `sender`, batch by batch; when `live`, waits for
    /// new commits at the end of the log. Stops when the receiver is dropped or on an error.
    async fn pump<T: LogRow>(
        self,
        mut checkpoint: i64,
        live: bool,
        sender: mpsc::Sender<Result<Vec<T>, StoreError>>,
    ) {
        let sql = format!(
            "SELECT {} FROM events WHERE position > $1 ORDER BY position LIMIT $2",
            T::COLUMNS
        );
        loop {
            let mut commits = self.committed.clone();
            commits.borrow_and_update();
            let mut sent = 0;
            let mut chunk = Vec::with_capacity(CHUNK);
            let read: Result<(), sqlx::Error> = with_db!(&self.db, pool => {
                let mut rows = sqlx::query_as::<_, T>(&sql)
                    .bind(checkpoint)
                    .bind(READ_BATCH)
                    .fetch(pool);
                loop {
                    match rows.try_next().await {
                        Ok(Some(event)) => {
                            checkpoint = event.position();
                            sent += 1;
                            chunk.push(event);
                            if chunk.len() == CHUNK {
                                let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                                if sender.send(Ok(full)).await.is_err() {
                                    return; // nobody is listening any more
                                }
                            }
                        }
                        Ok(None) => break Ok(()),
                        Err(error) => break Err(error),
                    }
                }
            });
            if !chunk.is_empty() && sender.send(Ok(chunk)).await.is_err() {
                return;
            }
            if let Err(error) = read {
                let _ = sender.send(Err(error.into())).await;
                return;
            }
            if sent == 0 {
                if !live {
                    return;
                }
                tokio::select! {
                    () = sender.closed() => return,
                    () = wait_for_commit(&mut commits, self.poll_interval) => {}
                }
            }
        }
    }
}

/// Returns after this process commits an append, or after `poll` at the latest.
async fn wait_for_commit(commits: &mut watch::Receiver<i64>, poll: Duration) {
    let changed = async {
        if commits.changed().await.is_err() {
            // The writer has stopped: only polling is left.
            std::future::pending::<()>().await;
        }
    };
    let _ = tokio::time::timeout(poll, changed).await;
}
