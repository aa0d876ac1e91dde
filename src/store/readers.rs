//! Connections for the API's reads of the read tables (`graphql::reads`), apart from the main
//! pool.
//!
//! sqlx 0.8's pool pings every connection on its way back, whatever happened to it: one more
//! round trip per statement, to the PostgreSQL backend or to SQLite's connection thread: without
//! it the API's one-statement read served a tenth more requests on PostgreSQL and a fifth to a
//! third more on SQLite (see the README's API benchmark). The ping is there to catch a connection
//! left in an unknown state. Here a connection goes straight back only after a statement that
//! completed; one whose statement failed or was cancelled is closed instead (see [`Reader`]),
//! so the connections kept need no test.

use std::ops::{Deref, DerefMut};
use std::time::Duration;

use deadpool::managed::{
    Manager, Metrics, Object, Pool, PoolError, QueueMode, RecycleError, RecycleResult,
};
use deadpool::Runtime;
use sqlx::{Connection, PgConnection, SqliteConnection};

use super::db::twice_the_cores;
use super::Db;

/// Longest a connection is reused, as in sqlx's pool.
const MAX_LIFETIME: Duration = Duration::from_secs(30 * 60);
/// Longest a read waits for a free connection.
const WAIT: Duration = Duration::from_secs(10);

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
                let options = (*pool.connect_options()).clone();
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
fn pool_of<C: Connection>(options: C::Options) -> Pool<Connect<C>> {
    Pool::builder(Connect(options))
        .max_size(twice_the_cores() as usize)
        .queue_mode(QueueMode::Lifo)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(WAIT))
        .create_timeout(Some(WAIT))
        .build()
        .expect("a pool with a runtime for its timeouts")
}

/// Opens connections with the main pool's options; reuses them until [`MAX_LIFETIME`].
pub struct Connect<C: Connection>(C::Options);

impl<C: Connection> Manager for Connect<C> {
    type Type = C;
    type Error = sqlx::Error;

    async fn create(&self) -> Result<C, sqlx::Error> {
        C::connect_with(&self.0).await
    }

    async fn recycle(&self, _: &mut C, metrics: &Metrics) -> RecycleResult<sqlx::Error> {
        if metrics.age() < MAX_LIFETIME {
            Ok(())
        } else {
            Err(RecycleError::message("older than the longest reuse"))
        }
    }
}

/// A read connection, closed when dropped unless [`Reader::keep`] hands it back.
pub struct Reader<C: Connection>(Option<Object<Connect<C>>>);

impl<C: Connection> Reader<C> {
    pub async fn get(pool: &Pool<Connect<C>>) -> Result<Self, sqlx::Error> {
        match pool.get().await {
            Ok(connection) => Ok(Reader(Some(connection))),
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

impl<C: Connection> Drop for Reader<C> {
    fn drop(&mut self) {
        if let Some(connection) = self.0.take() {
            drop(Object::take(connection));
        }
    }
}

impl<C: Connection> Deref for Reader<C> {
    type Target = C;

    fn deref(&self) -> &C {
        self.0
            .as_ref()
            .expect("a reader holds its connection until kept")
    }
}

impl<C: Connection> DerefMut for Reader<C> {
    fn deref_mut(&mut self) -> &mut C {
        self.0
            .as_mut()
            .expect("a reader holds its connection until kept")
    }
}

/// Runs `$body` with `$conn` bound to `&mut` a read connection of `$readers`' engine; the body
/// is type-checked once per engine and must give a `Result` whose error converts from
/// `sqlx::Error`. The connection goes back to the pool only when the body gives `Ok`.
/// `with_reader!(@on pool, conn => …)` does the same on one engine's pool.
macro_rules! with_reader {
    ($readers:expr, $conn:ident => $body:expr) => {
        match $readers.connections() {
            $crate::store::Connections::Sqlite(pool) => {
                $crate::store::with_reader!(@on pool, $conn => $body)
            }
            $crate::store::Connections::Postgres(pool) => {
                $crate::store::with_reader!(@on pool, $conn => $body)
            }
        }
    };
    (@on $pool:ident, $conn:ident => $body:expr) => {{
        let mut reader = $crate::store::Reader::get($pool).await?;
        let $conn = &mut *reader;
        let result = $body;
        if result.is_ok() {
            reader.keep();
        }
        result
    }};
}
pub(crate) use with_reader;
