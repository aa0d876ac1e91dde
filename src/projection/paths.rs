//! Materialised subtree paths (`/<province>/<district>/<commune>/`) by the latest parent: a
//! locality's subtree is every row whose path starts with its own. A parent not (yet) in the
//! directory stands as the root `/<parent>/`, and is re-rooted when it arrives.

use std::collections::{HashMap, HashSet};

use sqlx::QueryBuilder;

use super::derive::Derived;
use super::table_set::TableSet;
use super::ProjectionError;
use crate::domain::tree::MAX_TREE_DEPTH;
use crate::store::{with_tx, Tx};

/// Localities of a batch whose path changed (id, old path, new path), and the batch.
pub struct Moves {
    moved: Vec<(String, String, String)>,
    batch: HashSet<String>,
}

/// Gives each locality of the batch its path: from its parent's path in the batch, else the
/// stored one, else the parent's provisional root. Returns those whose path changed.
pub async fn assign(
    tx: &mut Tx,
    set: TableSet,
    derived: &mut [Derived],
) -> Result<Moves, ProjectionError> {
    let parents: HashMap<String, Option<String>> = derived
        .iter()
        .map(|d| (d.locality.locality_id.clone(), d.locality.parent_id.clone()))
        .collect();
    let outside = parents
        .values()
        .flatten()
        .filter(|p| !parents.contains_key(*p));
    let wanted: Vec<&str> = parents
        .keys()
        .map(String::as_str)
        .chain(outside.map(String::as_str))
        .collect();
    let stored = stored_paths(tx, set, &wanted).await?;
    let mut memo = HashMap::new();
    let mut moves = Vec::new();
    for d in derived.iter_mut() {
        let id = d.locality.locality_id.clone();
        let path = path_in_batch(&id, &parents, &stored, &mut memo, 0);
        let old = stored.get(&id).cloned().unwrap_or_else(|| root(&id));
        if old != path {
            moves.push((id, old, path.clone()));
        }
        d.locality.path = path;
    }
    Ok(Moves {
        moved: moves,
        batch: parents.into_keys().collect(),
    })
}

fn path_in_batch(
    id: &str,
    parents: &HashMap<String, Option<String>>,
    stored: &HashMap<String, String>,
    memo: &mut HashMap<String, String>,
    depth: usize,
) -> String {
    if let Some(path) = memo.get(id) {
        return path.clone();
    }
    let path = match parents.get(id) {
        None => stored.get(id).cloned().unwrap_or_else(|| root(id)),
        Some(None) => root(id),
        Some(Some(_)) if depth > MAX_TREE_DEPTH => root(id),
        Some(Some(parent)) => {
            format!(
                "{}{id}/",
                path_in_batch(parent, parents, stored, memo, depth + 1)
            )
        }
    };
    memo.insert(id.to_owned(), path.clone());
    path
}

async fn stored_paths(
    tx: &mut Tx,
    set: TableSet,
    ids: &[&str],
) -> Result<HashMap<String, String>, ProjectionError> {
    let table = set.table("proj_localities");
    let mut stored = HashMap::new();
    for chunk in ids.chunks(400) {
        let rows: Vec<(String, String)> = with_tx!(tx, conn, E => {
            let mut query = QueryBuilder::<E>::new(format!("SELECT locality_id, path FROM {table} WHERE locality_id IN ("));
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            query.push(")");
            query.build_query_as().fetch_all(&mut *conn).await?
        });
        stored.extend(rows);
    }
    Ok(stored)
}

fn root(id: &str) -> String {
    format!("/{id}/")
}

/// Once the batch is written: the stored descendants outside the batch of each moved
/// locality follow it (a parent registered after its children, or a transfer).
pub async fn settle(tx: &mut Tx, set: TableSet, moves: Moves) -> Result<(), ProjectionError> {
    let table = set.table("proj_localities");
    let mut with_children = HashSet::new();
    for chunk in moves.moved.chunks(400) {
        let rows: Vec<(String, String)> = with_tx!(tx, conn, E => {
            let mut query = QueryBuilder::<E>::new(format!("SELECT locality_id, parent_id FROM {table} WHERE parent_id IN ("));
            let mut list = query.separated(", ");
            for (id, _, _) in chunk {
                list.push_bind(id.as_str());
            }
            query.push(")");
            query.build_query_as().fetch_all(&mut *conn).await?
        });
        let outside = rows
            .into_iter()
            .filter(|(child, _)| !moves.batch.contains(child));
        with_children.extend(outside.map(|(_, parent)| parent));
    }
    let update =
        format!("UPDATE {table} SET path = $1 || substr(path, $2) WHERE substr(path, 1, $3) = $4");
    let mut moved: Vec<_> = moves
        .moved
        .iter()
        .filter(|(id, _, _)| with_children.contains(id))
        .collect();
    // Deepest first, so a moved parent does not carry along a child that moved elsewhere.
    moved.sort_by_key(|(_, old, _)| std::cmp::Reverse(old.len()));
    for (_, old, new) in moved {
        let length = i32::try_from(old.len()).unwrap_or(i32::MAX);
        with_tx!(tx, conn, _E => {
            sqlx::query(&update).bind(new).bind(length + 1).bind(length).bind(old).execute(&mut *conn).await?;
        });
    }
    Ok(())
}

/// The paths of a whole directory at once, as the incremental upkeep leaves them.
pub fn derive_all(parents: &HashMap<String, Option<String>>) -> HashMap<String, String> {
    fn path_of(
        id: &str,
        parents: &HashMap<String, Option<String>>,
        memo: &mut HashMap<String, String>,
        depth: usize,
    ) -> String {
        if let Some(p) = memo.get(id) {
            return p.clone();
        }
        let path = match parents.get(id) {
            None => root(id),
            Some(None) => root(id),
            Some(Some(_)) if depth > MAX_TREE_DEPTH => root(id),
            Some(Some(parent)) => format!("{}{id}/", path_of(parent, parents, memo, depth + 1)),
        };
        memo.insert(id.to_owned(), path.clone());
        path
    }
    let mut memo = HashMap::new();
    parents
        .keys()
        .map(|id| (id.clone(), path_of(id, parents, &mut memo, 0)))
        .collect()
}
