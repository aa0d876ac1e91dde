//! Connections for the API's reads of the read tables ([`Reads`](super::Reads)), apart from
//! the main pool.
//!
//! sqlx 0.8's pool pings every connection on its way back, whatever happened to it: one more
//! round trip per statement, to the PostgreSQL backend or to SQLite's connection thread: without
//! it the API's one-statement read served a tenth more requests on PostgreSQL and a fifth to a
//! third more on SQLite (see docs/benchmarks/2026-11-29-api.md). The ping is there to catch a connection
//! left in an unknown state. Here a connection goes straight back only after a statement that
//! completed; one whose statement failed or was cancelled is closed instead (see [`Reader`]),
//! so the connections kept need no test.
//!
//! No statement on a read connection runs longer than [`STATEMENT_TIMEOUT`]: PostgreSQL's
//! `statement_timeout` stops it on the server even when the client has gone; on SQLite a
//! progress handler interrupts it, since a statement whose client left would otherwise keep
//! its thread busy to the end.

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use deadpool::managed::{
    Manager, Metrics, Object, Pool, PoolError, QueueMode, RecycleError, RecycleResult,
};
use deadpool::Runtime;
use sqlx::{Connection, PgConnection, SqliteConnection};

use crate::store::{twice_the_cores, Db};

/// Longest a connection is reused, as in sqlx's pool.
const MAX_LIFETIME: Duration = Duration::from_secs(30 * 60);
/// Longest a read waits for a free connection.
const WAIT: Duration = Duration::from_secs(10);
/// Longest one use of a read connection (a statement, or the few of one read) may run.
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(10);
/// SQLite virtual-machine instructions between two looks at the clock: about a millisecond.
const PROGRESS_STEPS: i32 = 20_000;

/// The main pool (for its engine and the reads that stay there, like the roll-up) and the read
/// connections of the same database. Cheap to clone; connections open on first use.
#[derive(Clone)]
pub struct Readers {
    db: Db,
    connections: Connections,
}

/// The read connections of either engine.
#[derive(Clone)]
pub enum Connections {
    Sqlite(Pool<Connect<SqliteConnection>>),
    Postgres(Pool<Connect<PgConnection>>),
}

impl Readers {
    /// Read connections to the database of `db`, with its connection settings.
    pub fn new(db: Db) -> Self {
        let connections = match &db {
            Db::Sqlite(pool) => {
                let options = (*pool.connect_options()).clone();
                Connections::Sqlite(pool_of(options))
            }
            Db::Postgres(pool) => {
                let timeout = STATEMENT_TIMEOUT.as_millis().to_string();
                let options = (*pool.connect_options())
                    .clone()
                    .options([("statement_timeout", timeout)]);
                Connections::Postgres(pool_of(options))
            }
        };
        Readers { db, connections }
    }

    /// The main pool.
    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn connections(&self) -> &Connections {
        &self.connections
    }
}

/// A pool of twice the cores' connections, at least 4; the one used last is reused first.
fn pool_of<C: ReadConnection>(options: C::Options) -> Pool<Connect<C>> {
    Pool::builder(Connect(options))
        .max_size(twice_the_cores() as usize)
        .queue_mode(QueueMode::Lifo)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(WAIT))
        .create_timeout(Some(WAIT))
        .build()
        .expect("a pool with a runtime for its timeouts")
}

/// A read connection's engine: how it bounds a statement's time.
pub trait ReadConnection: Connection {
    /// Makes statements stop once `deadline` (see [`Timed`]) has passed.
    fn bound(
        &mut self,
        deadline: Arc<AtomicU64>,
    ) -> impl std::future::Future<Output = Result<(), sqlx::Error>> + Send;
}

impl ReadConnection for SqliteConnection {
    async fn bound(&mut self, deadline: Arc<AtomicU64>) -> Result<(), sqlx::Error> {
        let mut handle = self.lock_handle().await?;
        handle.set_progress_handler(PROGRESS_STEPS, move || {
            millis_now() <= deadline.load(Ordering::Relaxed)
        });
        Ok(())
    }
}

impl ReadConnection for PgConnection {
    /// The server's `statement_timeout`, set when connecting, does it.
    async fn bound(&mut self, _: Arc<AtomicU64>) -> Result<(), sqlx::Error> {
        Ok(())
    }
}

/// Milliseconds since the first call, on a monotonic clock.
fn millis_now() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    let start = *START.get_or_init(Instant::now);
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// A read connection with the deadline of its current use, in `millis_now`'s milliseconds.
pub struct Timed<C> {
    connection: C,
    deadline: Arc<AtomicU64>,
}

/// Opens connections with the main pool's options; reuses them until `MAX_LIFETIME`.
pub struct Connect<C: Connection>(C::Options);

impl<C: ReadConnection> Manager for Connect<C> {
    type Type = Timed<C>;
    type Error = sqlx::Error;

    async fn create(&self) -> Result<Timed<C>, sqlx::Error> {
        let mut connection = C::connect_with(&self.0).await?;
        let deadline = Arc::new(AtomicU64::new(u64::MAX));
        connection.bound(deadline.clone()).await?;
        Ok(Timed {
            connection,
            deadline,
        })
    }

    async fn recycle(&self, _: &mut Timed<C>, metrics: &Metrics) -> RecycleResult<sqlx::Error> {
        if metrics.age() < MAX_LIFETIME {
            Ok(())
        } else {
            Err(RecycleError::message("older than the longest reuse"))
        }
    }
}

/// A read connection, closed when dropped unless [`Reader::keep`] hands it back; its
/// statements stop [`STATEMENT_TIMEOUT`] after it was taken.
pub struct Reader<C: ReadConnection>(Option<Object<Connect<C>>>);

impl<C: ReadConnection> Reader<C> {
    pub async fn get(pool: &Pool<Connect<C>>) -> Result<Self, sqlx::Error> {
        match pool.get().await {
            Ok(connection) => {
                let budget = u64::try_from(STATEMENT_TIMEOUT.as_millis()).unwrap_or(u64::MAX);
                let deadline = millis_now().saturating_add(budget);
                connection.deadline.store(deadline, Ordering::Relaxed);
                Ok(Reader(Some(connection)))
            }
            Err(PoolError::Backend(error)) => Err(error),
            Err(PoolError::Timeout(_)) => Err(sqlx::Error::PoolTimedOut),
            Err(PoolError::Closed) => Err(sqlx::Error::PoolClosed),
            Err(other) => Err(sqlx::Error::Configuration(other.to_string().into())),
        }
    }

    /// Back to the pool, for a connection whose statements all completed.
    pub fn keep(mut self) {
        drop(self.0.take());
    }
}

impl<C: ReadConnection> Drop for Reader<C> {
    fn drop(&mut self) {
        if let Some(connection) = self.0.take() {
            drop(Object::take(connection));
        }
    }
}

impl<C: ReadConnection> Deref for Reader<C> {
    type Target = C;

    fn deref(&self) -> &C {
        &self
            .0
            .as_ref()
            .expect("a reader holds its connection until kept")
            .connection
    }
}

impl<C: ReadConnection> DerefMut for Reader<C> {
    fn deref_mut(&mut self) -> &mut C {
        &mut self
            .0
            .as_mut()
            .expect("a reader holds its connection until kept")
            .connection
    }
}

/// Runs `$body` with `$conn` bound to `&mut` a read connection of `$readers`' engine; the body
/// is type-checked once per engine and must give a `Result` whose error converts from
/// `sqlx::Error`. The connection goes back to the pool only when the body gives `Ok`.
/// `with_reader!(@on pool, conn => …)` does the same on one engine's pool.
macro_rules! with_reader {
    ($readers:expr, $conn:ident => $body:expr) => {
        match $readers.connections() {
            $crate::projection::read::Connections::Sqlite(pool) => {
                $crate::projection::read::with_reader!(@on pool, $conn => $body)
            }
            $crate::projection::read::Connections::Postgres(pool) => {
                $crate::projection::read::with_reader!(@on pool, $conn => $body)
            }
        }
    };
    (@on $pool:ident, $conn:ident => $body:expr) => {{
        let mut reader = $crate::projection::read::Reader::get($pool).await?;
        let $conn = &mut *reader;
        let result = $body;
        if result.is_ok() {
            reader.keep();
        }
        result
    }};
}
pub(crate) use with_reader;
