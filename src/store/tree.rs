//! The Merkle tree over the log, stored as `merkle_nodes`: grown by the append in its own
//! transaction, and read for roots and proofs (docs/transparency-log.md).

use std::collections::HashMap;

use sqlx::QueryBuilder;

use super::db::with_db;
use super::sql::{with_tx, Tx};
use super::{Db, EventStore, StoreError};
use crate::merkle::{self, Frontier, Hash, NodeId, Range};

/// Rows per statement when writing nodes, and leaves read per statement when catching up.
const ROWS_PER_STATEMENT: usize = 500;
const LEAVES_PER_READ: i64 = 10_000;

/// How many leaves the stored tree has.
async fn stored_size(tx: &mut Tx) -> Result<u64, StoreError> {
    const SQL: &str = "SELECT COALESCE(MAX(idx) + 1, 0) FROM merkle_nodes WHERE level = 0";
    let (size,): (i64,) = with_tx!(tx, conn, DB => sqlx::query_as(SQL).fetch_one(conn).await?);
    Ok(u64::try_from(size).unwrap_or(0))
}

/// `SELECT` the stored nodes among `$ids` (at most [`ROWS_PER_STATEMENT`]) through `$exec`, a
/// connection or pool of engine `$db`.
macro_rules! select_nodes {
    ($exec:expr, $db:ty, $ids:expr) => {{
        let mut query = QueryBuilder::<$db>::new(
            "SELECT level, idx, hash FROM merkle_nodes WHERE (level, idx) IN (VALUES ",
        );
        let mut list = query.separated(", ");
        for id in $ids {
            list.push("(");
            list.push_bind_unseparated(i32::from(id.level));
            list.push_unseparated(", ");
            list.push_bind_unseparated(index_column(id.index));
            list.push_unseparated(")");
        }
        query.push(")");
        let rows: Vec<(i32, i64, Vec<u8>)> = query.build_query_as().fetch_all($exec).await?;
        rows
    }};
}

/// The stored nodes among `ids`, in the transaction (a node not stored is absent).
async fn nodes(tx: &mut Tx, ids: &[NodeId]) -> Result<HashMap<NodeId, Hash>, StoreError> {
    let mut found = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let rows = with_tx!(tx, conn, DB => select_nodes!(conn, DB, chunk));
        collect_nodes(&mut found, rows)?;
    }
    Ok(found)
}

/// The stored nodes among `ids` (at most a proof's), read in one statement without a
/// transaction: nodes never change once written.
async fn nodes_now(db: &Db, ids: &[NodeId]) -> Result<HashMap<NodeId, Hash>, StoreError> {
    let mut found = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let rows = with_db!(db, pool, DB => select_nodes!(pool, DB, chunk));
        collect_nodes(&mut found, rows)?;
    }
    Ok(found)
}

fn collect_nodes(
    found: &mut HashMap<NodeId, Hash>,
    rows: Vec<(i32, i64, Vec<u8>)>,
) -> Result<(), StoreError> {
    for (level, index, hash) in rows {
        let id = NodeId {
            level: u8::try_from(level).unwrap_or(u8::MAX),
            index: u64::try_from(index).unwrap_or(u64::MAX),
        };
        found.insert(id, stored_hash(hash)?);
    }
    Ok(())
}

fn index_column(index: u64) -> i64 {
    i64::try_from(index).unwrap_or(i64::MAX)
}

fn stored_hash(bytes: Vec<u8>) -> Result<Hash, StoreError> {
    bytes
        .try_into()
        .map_err(|bytes: Vec<u8>| StoreError::Malformed {
            stream_id: "merkle_nodes".into(),
            detail: format!("a node hash of {} bytes", bytes.len()),
        })
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

/// Writes the nodes an append completed: on PostgreSQL one statement with a column per array,
/// on SQLite multi-row `VALUES`.
pub(crate) async fn insert_nodes(tx: &mut Tx, made: &[(NodeId, Hash)]) -> Result<(), StoreError> {
    if made.is_empty() {
        return Ok(());
    }
    match tx {
        Tx::Postgres(t) => {
            sqlx::query(
                "INSERT INTO merkle_nodes (level, idx, hash) \
                 SELECT * FROM UNNEST($1::integer[], $2::bigint[], $3::bytea[])",
            )
            .bind(
                made.iter()
                    .map(|(id, _)| i32::from(id.level))
                    .collect::<Vec<_>>(),
            )
            .bind(
                made.iter()
                    .map(|(id, _)| index_column(id.index))
                    .collect::<Vec<_>>(),
            )
            .bind(
                made.iter()
                    .map(|(_, hash)| hash.as_slice())
                    .collect::<Vec<_>>(),
            )
            .execute(&mut **t)
            .await?;
        }
        Tx::Sqlite(t, _) => {
            for chunk in made.chunks(ROWS_PER_STATEMENT) {
                let mut query = QueryBuilder::<sqlx::Sqlite>::new(
                    "INSERT INTO merkle_nodes (level, idx, hash) ",
                );
                query.push_values(chunk, |mut row, (id, hash)| {
                    row.push_bind(i32::from(id.level))
                        .push_bind(index_column(id.index))
                        .push_bind(hash.as_slice());
                });
                query.build().execute(&mut **t).await?;
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
            stream_id: "merkle_nodes".into(),
            detail: format!("the frontier of {stored} leaves is incomplete"),
        })?;
    while frontier.size() < size {
        let after = index_column(frontier.size());
        let until = index_column(size).min(after + LEAVES_PER_READ);
        const SQL: &str =
            "SELECT hash FROM events WHERE position > $1 AND position <= $2 ORDER BY position";
        let hashes: Vec<(Vec<u8>,)> = with_tx!(tx, conn, DB => {
            sqlx::query_as(SQL).bind(after).bind(until).fetch_all(conn).await?
        });
        let made: Vec<(NodeId, Hash)> = hashes.iter().flat_map(|(h,)| frontier.push(h)).collect();
        insert_nodes(tx, &made).await?;
    }
    Ok(frontier)
}

/// Fills the tree for events appended before it existed, under the append lock; a read and
/// nothing more once the tree holds the whole log.
pub(crate) async fn complete(db: &Db) -> Result<(), StoreError> {
    let mut tx = Tx::begin_read(db).await?;
    let behind = stored_size(&mut tx).await? < log_size(&mut tx).await?;
    tx.commit().await?;
    if behind {
        let mut tx = Tx::begin_append(db).await?;
        let size = log_size(&mut tx).await?;
        frontier_at(&mut tx, size).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// How many events the log has (reading no other column: a damaged row is `ntm verify`'s to
/// name, not this one's).
async fn log_size(tx: &mut Tx) -> Result<u64, StoreError> {
    const SQL: &str = "SELECT COALESCE(MAX(position), 0) FROM events";
    let (size,): (i64,) = with_tx!(tx, conn, DB => sqlx::query_as(SQL).fetch_one(conn).await?);
    Ok(u64::try_from(size).unwrap_or(0))
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

/// A stored node of one level: its index and hash.
type NodeRow = (i64, Vec<u8>);

/// Nodes compared per statement by [`check_stored`].
const NODES_PER_CHECK: i64 = 8_192;

/// Checks every stored node of the tree of `size` leaves within the snapshot `tx`: each leaf
/// is the hash of its event's stored hash, each interior node the hash of its two children,
/// and nothing beyond `size` is stored. Reads in chunks: memory holds a chunk. Returns the
/// first node that does not hold, described.
pub(crate) async fn check_stored(tx: &mut Tx, size: u64) -> Result<Option<String>, StoreError> {
    let stored = stored_size(tx).await?;
    if stored != size {
        return Ok(Some(format!(
            "the tree has {stored} leaves, the log {size} events"
        )));
    }
    let size = index_column(size);
    const LEAVES: &str = "SELECT m.idx, m.hash, e.hash FROM merkle_nodes m \
        JOIN events e ON e.position = m.idx + 1 \
        WHERE m.level = 0 AND m.idx >= $1 AND m.idx < $2 ORDER BY m.idx";
    let mut start = 0;
    while start < size {
        let end = (start + NODES_PER_CHECK).min(size);
        let rows: Vec<(i64, Vec<u8>, Vec<u8>)> = with_tx!(tx, conn, DB => {
            sqlx::query_as(LEAVES).bind(start).bind(end).fetch_all(conn).await?
        });
        if rows.len() as i64 != end - start {
            return Ok(Some(format!("leaves from {start} are missing")));
        }
        for (index, stored, event) in rows {
            if stored != merkle::leaf_hash(&event) {
                return Ok(Some(format!(
                    "leaf {index} is not the hash of event {}",
                    index + 1
                )));
            }
        }
        start = end;
    }
    const LEVEL: &str = "SELECT idx, hash FROM merkle_nodes \
        WHERE level = $1 AND idx >= $2 AND idx < $3 ORDER BY idx";
    for level in 1..64_i32 {
        let count = size >> level;
        if count == 0 {
            break;
        }
        let mut start = 0;
        while start < count {
            let end = (start + NODES_PER_CHECK).min(count);
            let (parents, children): (Vec<NodeRow>, Vec<NodeRow>) = with_tx!(tx, conn, DB => {
                let parents = sqlx::query_as(LEVEL).bind(level).bind(start).bind(end)
                    .fetch_all(&mut *conn).await?;
                let children = sqlx::query_as(LEVEL).bind(level - 1).bind(2 * start)
                    .bind(2 * end).fetch_all(&mut *conn).await?;
                (parents, children)
            });
            if parents.len() as i64 != end - start || children.len() as i64 != 2 * (end - start) {
                return Ok(Some(format!(
                    "nodes of level {level} from {start} are missing"
                )));
            }
            for ((index, parent), pair) in parents.iter().zip(children.chunks(2)) {
                let left: Hash = stored_hash(pair[0].1.clone())?;
                let right: Hash = stored_hash(pair[1].1.clone())?;
                if *parent != merkle::node_hash(&left, &right) {
                    return Ok(Some(format!(
                        "node {index} of level {level} is not the hash of its children"
                    )));
                }
            }
            start = end;
        }
    }
    Ok(None)
}
