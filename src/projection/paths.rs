//! Materialised subtree paths (`/<province>/<district>/<commune>/`) by the latest parent: a
//! locality's subtree is every row whose path starts with its own. A parent not (yet) in the
//! directory stands as the root `/<parent>/`, and is re-rooted when it arrives.

use std::collections::HashMap;

use sqlx::QueryBuilder;

use super::derive::Derived;
use super::tx::TableSet;
use super::ProjectionError;
use crate::store::{with_tx, Tx};

/// Localities whose path must be re-derived once the batch is written.
pub struct Moves(Vec<(String, Option<String>)>);

/// Gives each row its stored path (or its own root when new) and notes those that moved.
pub async fn provisional(
    tx: &mut Tx,
    set: TableSet,
    derived: &mut [Derived],
) -> Result<Moves, ProjectionError> {
    let table = set.table("proj_localities");
    let mut stored: HashMap<String, (String, Option<String>)> = HashMap::new();
    for chunk in derived.chunks(400) {
        let rows: Vec<(String, String, Option<String>)> = with_tx!(tx, conn, E => {
            let mut query = QueryBuilder::<E>::new(format!("SELECT locality_id, path, parent_id FROM {table} WHERE locality_id IN ("));
            let mut list = query.separated(", ");
            for d in chunk {
                list.push_bind(d.locality.locality_id.clone());
            }
            query.push(")");
            query.build_query_as().fetch_all(&mut *conn).await?
        });
        stored.extend(
            rows.into_iter()
                .map(|(id, path, parent)| (id, (path, parent))),
        );
    }
    let mut moves = Vec::new();
    for d in derived.iter_mut() {
        let row = &mut d.locality;
        match stored.get(&row.locality_id) {
            Some((path, parent)) if *parent == row.parent_id => row.path.clone_from(path),
            Some((path, _)) => {
                row.path.clone_from(path);
                moves.push((row.locality_id.clone(), row.parent_id.clone()));
            }
            None => {
                row.path = root(&row.locality_id);
                moves.push((row.locality_id.clone(), row.parent_id.clone()));
            }
        }
    }
    Ok(Moves(moves))
}

fn root(id: &str) -> String {
    format!("/{id}/")
}

/// Re-roots each moved locality under its parent, carrying its subtree along.
pub async fn settle(tx: &mut Tx, set: TableSet, moves: Moves) -> Result<(), ProjectionError> {
    let table = set.table("proj_localities");
    let select = format!("SELECT path FROM {table} WHERE locality_id = $1");
    let update = format!("UPDATE {table} SET path = $1 || substr(path, $2) WHERE path LIKE $3");
    for (id, parent) in moves.0 {
        let current: Option<String> = with_tx!(tx, conn, _E => {
            sqlx::query_scalar(&select).bind(&id).fetch_optional(&mut *conn).await?
        });
        let current = current.unwrap_or_else(|| root(&id));
        let parent_path = match &parent {
            Some(p) => {
                let stored: Option<String> = with_tx!(tx, conn, _E => {
                    sqlx::query_scalar(&select).bind(p).fetch_optional(&mut *conn).await?
                });
                stored.unwrap_or_else(|| root(p))
            }
            None => "/".to_owned(),
        };
        let desired = format!("{parent_path}{id}/");
        if desired != current {
            let skip = i32::try_from(current.len() + 1).unwrap_or(i32::MAX);
            with_tx!(tx, conn, _E => {
                sqlx::query(&update).bind(&desired).bind(skip).bind(format!("{current}%")).execute(&mut *conn).await?;
            });
        }
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
            Some(Some(_)) if depth > 64 => root(id),
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
