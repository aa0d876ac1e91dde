//! The table sets, and the checkpoint that moves with them.

use super::ProjectionError;
use crate::store::{with_db, with_tx, Db, Tx};

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
    let (position,): (i64,) = with_db!(db, pool => {
        sqlx::query_as(SQL).bind(set.checkpoint_name()).fetch_one(pool).await?
    });
    Ok(position)
}

/// The position up to which `set` has been projected, read within `tx`.
pub async fn checkpoint_in(tx: &mut Tx, set: TableSet) -> Result<i64, ProjectionError> {
    const SQL: &str = "SELECT position FROM proj_checkpoints WHERE table_set = $1";
    let (position,): (i64,) = with_tx!(tx, conn, _E => {
        sqlx::query_as(SQL).bind(set.checkpoint_name()).fetch_one(&mut *conn).await?
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
