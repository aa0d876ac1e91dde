//! A transaction on either engine, the table sets, and the checkpoint that moves with them.

use sqlx::{Postgres, Sqlite, Transaction};

use super::ProjectionError;
use crate::store::Db;

/// An open transaction on either engine (the store keeps its own private twin).
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$conn` bound to the transaction's connection and `$engine` naming the
/// engine's `sqlx::Database` type, once per engine.
macro_rules! with_tx {
    ($tx:expr, $conn:ident, $engine:ident => $body:expr) => {
        match $tx {
            $crate::projection::tx::Tx::Sqlite(t) => {
                #[allow(dead_code)]
                type $engine = sqlx::Sqlite;
                let $conn = &mut **t;
                $body
            }
            $crate::projection::tx::Tx::Postgres(t) => {
                #[allow(dead_code)]
                type $engine = sqlx::Postgres;
                let $conn = &mut **t;
                $body
            }
        }
    };
}
pub(crate) use with_tx;

/// Runs `$body` with `$pool` bound to whichever pool `$db` holds (the store's `with_db!` is
/// private to it).
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite($pool) => $body,
            $crate::store::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_db;

impl Tx {
    /// A write transaction; on SQLite it takes the write lock at once, so it never has to be
    /// upgraded half-way (which could fail with SQLITE_BUSY).
    pub async fn begin(db: &Db) -> Result<Tx, ProjectionError> {
        Ok(match db {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    pub async fn commit(self) -> Result<(), ProjectionError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// Which copy of the read tables: the served one, or the one `ntm replay` rebuilds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableSet {
    Live,
    Next,
}

impl TableSet {
    /// The physical name of `table` in this set.
    pub fn table(self, table: &str) -> String {
        match self {
            TableSet::Live => table.to_owned(),
            TableSet::Next => format!("{table}_next"),
        }
    }

    pub fn checkpoint_name(self) -> &'static str {
        match self {
            TableSet::Live => "live",
            TableSet::Next => "next",
        }
    }
}

/// The position up to which `set` has been projected.
pub async fn checkpoint(db: &Db, set: TableSet) -> Result<i64, ProjectionError> {
    const SQL: &str = "SELECT position FROM proj_checkpoints WHERE table_set = $1";
    let (position,): (i64,) = on_db!(db, pool => {
        sqlx::query_as(SQL).bind(set.checkpoint_name()).fetch_one(pool).await?
    });
    Ok(position)
}

/// Moves the checkpoint from `from` to `to` inside the batch's transaction. It fails with
/// [`ProjectionError::Fenced`] when someone else moved it meanwhile (a replay swapped tables in,
/// or another projector took over), so a stale projector can never write twice.
pub async fn advance(
    tx: &mut Tx,
    set: TableSet,
    from: i64,
    to: i64,
) -> Result<(), ProjectionError> {
    const SQL: &str =
        "UPDATE proj_checkpoints SET position = $1 WHERE table_set = $2 AND position = $3";
    let result = with_tx!(tx, conn, _E => {
        sqlx::query(SQL).bind(to).bind(set.checkpoint_name()).bind(from).execute(conn).await?.rows_affected()
    });
    if result == 1 {
        Ok(())
    } else {
        Err(ProjectionError::Fenced { expected: from })
    }
}
