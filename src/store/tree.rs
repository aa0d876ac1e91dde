//! The Merkle tree over the log, kept in `events.tree_nodes`: the event at position p holds the
//! roots of the complete subtrees its leaf completes (level 0, its leaf hash, first). Grown by
//! the append in the same `INSERT`, read for roots and proofs (docs/transparency-log.md).

use std::collections::HashMap;

use sqlx::QueryBuilder;

use super::db::with_db;
use super::sql::{with_tx, Tx};
use super::{Db, EventStore, StoreError};
use crate::merkle::{self, Frontier, Hash, NodeId, Range};

/// Rows per statement when reading nodes, and events per read when filling or checking.
const ROWS_PER_STATEMENT: usize = 500;
const EVENTS_PER_READ: i64 = 8_192;

/// Where node `id` is kept: the position of the event whose leaf ends its range, and its
/// offset in that event's `tree_nodes`.
fn home(id: NodeId) -> (i64, usize) {
    let position = (id.index + 1) << id.level;
    (
        i64::try_from(position).unwrap_or(i64::MAX),
        32 * usize::from(id.level),
    )
}

/// The `tree_nodes` of `nodes`' events, in the order the frontier made them.
pub(crate) fn blob(nodes: &[(NodeId, Hash)]) -> Vec<u8> {
    nodes.iter().flat_map(|(_, hash)| *hash).collect()
}

/// `SELECT` the `tree_nodes` of the events at `$positions` through `$exec`, a connection or
/// pool of engine `$db`.
macro_rules! select_nodes {
    ($exec:expr, $db:ty, $positions:expr) => {{
        let mut query =
            QueryBuilder::<$db>::new("SELECT position, tree_nodes FROM events WHERE position IN (");
        let mut list = query.separated(", ");
        for position in $positions {
            list.push_bind(*position);
        }
        query.push(")");
        let rows: Vec<(i64, Option<Vec<u8>>)> = query.build_query_as().fetch_all($exec).await?;
        rows
    }};
}

/// The positions holding `ids`, each once.
fn homes(ids: &[NodeId]) -> Vec<i64> {
    let mut positions: Vec<i64> = ids.iter().map(|id| home(*id).0).collect();
    positions.sort_unstable();
    positions.dedup();
    positions
}

/// The nodes among `ids` found in `rows` (a node not stored is absent).
fn found_in(ids: &[NodeId], rows: Vec<(i64, Option<Vec<u8>>)>) -> HashMap<NodeId, Hash> {
    let rows: HashMap<i64, Vec<u8>> = rows
        .into_iter()
        .filter_map(|(position, nodes)| Some((position, nodes?)))
        .collect();
    let mut found = HashMap::with_capacity(ids.len());
    for id in ids {
        let (position, offset) = home(*id);
        let hash = rows
            .get(&position)
            .and_then(|nodes| nodes.get(offset..offset + 32))
            .and_then(|bytes| Hash::try_from(bytes).ok());
        if let Some(hash) = hash {
            found.insert(*id, hash);
        }
    }
    found
}

/// The stored nodes among `ids`, in the transaction.
async fn nodes(tx: &mut Tx, ids: &[NodeId]) -> Result<HashMap<NodeId, Hash>, StoreError> {
    let mut rows = Vec::new();
    for chunk in homes(ids).chunks(ROWS_PER_STATEMENT) {
        rows.extend(with_tx!(tx, conn, DB => select_nodes!(conn, DB, chunk)));
    }
    Ok(found_in(ids, rows))
}

/// The stored nodes among `ids` (at most a proof's), read without a transaction: a node never
/// changes once written.
async fn nodes_now(db: &Db, ids: &[NodeId]) -> Result<HashMap<NodeId, Hash>, StoreError> {
    let mut rows = Vec::new();
    for chunk in homes(ids).chunks(ROWS_PER_STATEMENT) {
        rows.extend(with_db!(db, pool, DB => select_nodes!(pool, DB, chunk)));
    }
    Ok(found_in(ids, rows))
}

/// How many events the log has (reading no other column: a damaged row is `ntm verify`'s to
/// name, not this one's).
async fn log_size(tx: &mut Tx) -> Result<u64, StoreError> {
    const SQL: &str = "SELECT COALESCE(MAX(position), 0) FROM events";
    let (size,): (i64,) = with_tx!(tx, conn, DB => sqlx::query_as(SQL).fetch_one(conn).await?);
    Ok(u64::try_from(size).unwrap_or(0))
}

/// Whether the event at `position` has its tree nodes.
async fn has_nodes(tx: &mut Tx, position: u64) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT tree_nodes IS NOT NULL FROM events WHERE position = $1";
    let position = i64::try_from(position).unwrap_or(i64::MAX);
    let row: Option<(bool,)> = with_tx!(tx, conn, DB => {
        sqlx::query_as(SQL).bind(position).fetch_optional(conn).await?
    });
    Ok(row.is_some_and(|(has,)| has))
}

/// How many leaves the stored tree has: events have their nodes from the first on, up to some
/// position (every append writes them; filling an older log goes in order). The newest event
/// answers at once; otherwise a binary search by position.
async fn stored_size(tx: &mut Tx) -> Result<u64, StoreError> {
    let size = log_size(tx).await?;
    if size == 0 || has_nodes(tx, size).await? {
        return Ok(size);
    }
    let (mut with, mut without) = (0, size);
    while without - with > 1 {
        let middle = with + (without - with) / 2;
        match has_nodes(tx, middle).await? {
            true => with = middle,
            false => without = middle,
        }
    }
    Ok(with)
}

/// The hashes of `ranges` of the tree of `size` leaves. A node missing means the tree is not
/// that large yet.
async fn range_hashes(db: &Db, size: u64, ranges: &[Range]) -> Result<Vec<Hash>, StoreError> {
    let found = nodes_now(db, &merkle::nodes_of(ranges)).await?;
    let mut complete = true;
    let mut node = |id: NodeId| {
        found.get(&id).copied().unwrap_or_else(|| {
            complete = false;
            [0; 32]
        })
    };
    let hashes = ranges.iter().map(|r| r.hash(&mut node)).collect();
    if complete {
        return Ok(hashes);
    }
    let mut tx = Tx::begin_read(db).await?;
    let stored = stored_size(&mut tx).await?;
    tx.commit().await?;
    Err(StoreError::TreeTooSmall { size, stored })
}

/// Sets the `tree_nodes` of events appended before the tree existed (the one update the log
/// allows: a missing `tree_nodes`, nothing else changed).
async fn fill(tx: &mut Tx, filled: &[(i64, Vec<u8>)]) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE events SET tree_nodes = $1 WHERE position = $2";
    match tx {
        Tx::Postgres(t) => {
            sqlx::query(
                "UPDATE events SET tree_nodes = filled.nodes \
                 FROM UNNEST($1::bigint[], $2::bytea[]) AS filled (position, nodes) \
                 WHERE events.position = filled.position",
            )
            .bind(filled.iter().map(|(p, _)| *p).collect::<Vec<_>>())
            .bind(filled.iter().map(|(_, n)| n.as_slice()).collect::<Vec<_>>())
            .execute(&mut **t)
            .await?;
        }
        Tx::Sqlite(t, _) => {
            for (position, nodes) in filled {
                sqlx::query(SQL)
                    .bind(nodes.as_slice())
                    .bind(position)
                    .execute(&mut **t)
                    .await?;
            }
        }
    }
    Ok(())
}

/// The tree's frontier at `size` leaves, having first stored the nodes of any events up to
/// position `size` the tree does not have yet (the log before the tree existed). Run inside
/// the append lock.
pub(crate) async fn frontier_at(tx: &mut Tx, size: u64) -> Result<Frontier, StoreError> {
    let stored = stored_size(tx).await?.min(size);
    let ids = Frontier::nodes(stored);
    let found = nodes(tx, &ids).await?;
    let roots = ids.iter().filter_map(|id| found.get(id).copied()).collect();
    let mut frontier =
        Frontier::from_roots(stored, roots).ok_or_else(|| StoreError::Malformed {
            stream_id: "events.tree_nodes".into(),
            detail: format!("the frontier of {stored} leaves is incomplete"),
        })?;
    while frontier.size() < size {
        let after = i64::try_from(frontier.size()).unwrap_or(i64::MAX);
        let until = i64::try_from(size)
            .unwrap_or(i64::MAX)
            .min(after + EVENTS_PER_READ);
        const SQL: &str = "SELECT position, hash FROM events \
                           WHERE position > $1 AND position <= $2 ORDER BY position";
        let hashes: Vec<(i64, Vec<u8>)> = with_tx!(tx, conn, DB => {
            sqlx::query_as(SQL).bind(after).bind(until).fetch_all(conn).await?
        });
        let filled: Vec<(i64, Vec<u8>)> = hashes
            .iter()
            .map(|(position, hash)| (*position, blob(&frontier.push(hash))))
            .collect();
        fill(tx, &filled).await?;
    }
    Ok(frontier)
}

/// Fills the tree for events appended before it existed, under the append lock; two reads and
/// nothing more once the tree holds the whole log.
pub(crate) async fn complete(db: &Db) -> Result<(), StoreError> {
    let mut tx = Tx::begin_read(db).await?;
    let size = log_size(&mut tx).await?;
    let behind = size > 0 && !has_nodes(&mut tx, size).await?;
    tx.commit().await?;
    if behind {
        let mut tx = Tx::begin_append(db).await?;
        let size = log_size(&mut tx).await?;
        frontier_at(&mut tx, size).await?;
        tx.commit().await?;
    }
    Ok(())
}

impl EventStore {
    /// The root hash of the log's first `size` events.
    pub async fn tree_root(&self, size: u64) -> Result<Hash, StoreError> {
        let root = range_hashes(&self.db, size, &[Range::new(0, size)]).await?;
        Ok(root[0])
    }

    /// The roots of the complete subtrees of the first `size` events, largest first.
    pub async fn tree_frontier(&self, size: u64) -> Result<Vec<Hash>, StoreError> {
        let ranges: Vec<Range> = Frontier::nodes(size)
            .into_iter()
            .map(|id| Range::new(id.index << id.level, (id.index + 1) << id.level))
            .collect();
        range_hashes(&self.db, size, &ranges).await
    }

    /// The RFC 6962 proof that the event at `position` is in the tree of `size` events.
    pub async fn inclusion_proof(&self, position: i64, size: u64) -> Result<Vec<Hash>, StoreError> {
        let index = u64::try_from(position - 1).unwrap_or(u64::MAX);
        if index >= size {
            return Err(StoreError::NotInTree { position, size });
        }
        range_hashes(&self.db, size, &merkle::inclusion_ranges(index, size)).await
    }

    /// The RFC 6962 proof that the tree of `old` events is the start of the tree of `new`.
    pub async fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>, StoreError> {
        if old > new {
            return Err(StoreError::TreeTooSmall {
                size: old,
                stored: new,
            });
        }
        range_hashes(&self.db, new, &merkle::consistency_ranges(old, new)).await
    }
}

/// Checks the stored tree of the log's `size` events within the snapshot `tx`: each event's
/// `tree_nodes` must be exactly the nodes its leaf completes, recomputed from the events'
/// hashes. Reads in chunks: memory holds a chunk. Returns the first event that does not hold.
pub(crate) async fn check_stored(tx: &mut Tx, size: u64) -> Result<Option<String>, StoreError> {
    const SQL: &str = "SELECT position, hash, tree_nodes FROM events \
                       WHERE position > $1 AND position <= $2 ORDER BY position";
    let size = i64::try_from(size).unwrap_or(i64::MAX);
    let mut frontier = Frontier::default();
    let mut after = 0;
    while after < size {
        let until = size.min(after + EVENTS_PER_READ);
        let rows: Vec<(i64, Vec<u8>, Option<Vec<u8>>)> = with_tx!(tx, conn, DB => {
            sqlx::query_as(SQL).bind(after).bind(until).fetch_all(conn).await?
        });
        for (position, hash, stored) in rows {
            let expected = blob(&frontier.push(&hash));
            match stored {
                Some(stored) if stored == expected => {}
                Some(_) => {
                    return Ok(Some(format!(
                        "the tree nodes of event {position} are not those its hash completes"
                    )))
                }
                None => return Ok(Some(format!("event {position} has no tree nodes"))),
            }
        }
        after = until;
    }
    Ok(None)
}
