//! Who projects: on PostgreSQL the holder of a session advisory lock on a dedicated connection
//! (it dies with the connection, so a follower takes over); on SQLite, the one process.

use sqlx::postgres::{PgConnection, PgListener};
use sqlx::Connection;

use super::ProjectionError;
use crate::store::Db;

/// Key of the advisory lock held by the projecting process ("ntm_proj").
const LEADER_LOCK_KEY: i64 = 0x6e74_6d5f_7072_6f6a;

/// Channel of the payload-free notification sent by the `events_notify` trigger.
const CHANNEL: &str = "ntm_events";

/// The leadership of this process, held until dropped.
pub enum Leadership {
    Local,
    Postgres {
        lock: PgConnection,
        listener: Box<PgListener>,
    },
}

impl Leadership {
    /// The leadership, or [`ProjectionError::NotLeader`] when another process holds it.
    pub async fn try_acquire(db: &Db) -> Result<Self, ProjectionError> {
        let Db::Postgres(pool) = db else {
            return Ok(Leadership::Local);
        };
        let mut lock = pool.acquire().await?.detach();
        let (acquired,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_lock($1)")
            .bind(LEADER_LOCK_KEY)
            .fetch_one(&mut lock)
            .await?;
        if !acquired {
            let _ = lock.close().await;
            return Err(ProjectionError::NotLeader);
        }
        let mut listener = PgListener::connect_with(pool).await?;
        listener.listen(CHANNEL).await?;
        Ok(Leadership::Postgres {
            lock,
            listener: Box::new(listener),
        })
    }

    /// Returns when another process has appended (never on SQLite, where appends come from
    /// this process and wake the subscription directly).
    pub async fn notified(&mut self) -> Result<(), ProjectionError> {
        match self {
            Leadership::Local => std::future::pending().await,
            Leadership::Postgres { listener, .. } => {
                listener.recv().await?;
                Ok(())
            }
        }
    }

    /// Fails when the lock's connection is gone, and with it the lock.
    pub async fn check(&mut self) -> Result<(), ProjectionError> {
        if let Leadership::Postgres { lock, .. } = self {
            lock.ping().await?;
        }
        Ok(())
    }
}
