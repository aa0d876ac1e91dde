//! The children of localities on the tree of a day, loaded in batches: one statement per day
//! among a batch's keys, or a part of a primer's statement.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use futures::future::BoxFuture;

use super::loaders::Primed;
use crate::projection::read::row_kinds::{packed_select, unpack};
use crate::projection::read::{Reads, TreeOn, CHILDREN_ORDER};
use crate::projection::rows::LocalityRow;
use crate::store::Db;

/// Children of a parent on the tree of a day.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ChildrenKey {
    pub parent: String,
    pub tree: TreeOn,
}

/// Loads the children of parents on the tree of a day: one statement per day (and choice of
/// ended units) among the keys of a batch.
pub struct ChildrenOn {
    reads: Reads,
}

impl ChildrenOn {
    pub fn new(reads: &Reads) -> Self {
        ChildrenOn {
            reads: reads.clone(),
        }
    }
}

impl Loader<ChildrenKey> for ChildrenOn {
    type Value = Arc<[LocalityRow]>;
    type Error = String;

    async fn load(
        &self,
        keys: &[ChildrenKey],
    ) -> Result<HashMap<ChildrenKey, Self::Value>, Self::Error> {
        let mut trees: Vec<TreeOn> = keys.iter().map(|k| k.tree).collect();
        trees.sort_by_key(|t| (t.on, t.include_ended));
        trees.dedup();
        let mut out = HashMap::new();
        for tree in trees {
            let parents: Vec<String> = keys
                .iter()
                .filter(|k| k.tree == tree)
                .map(|k| k.parent.clone())
                .collect();
            let rows = self
                .reads
                .children_on(&parents, tree)
                .await
                .map_err(|e| e.to_string())?;
            out.extend(children_by_key(&parents, tree, rows));
        }
        Ok(out)
    }
}

/// `rows` filed under the key of their parent among `parents`, on `tree`; every parent gets
/// an entry, empty when it has no children, so that it is cached too.
fn children_by_key(
    parents: &[String],
    tree: TreeOn,
    rows: Vec<LocalityRow>,
) -> HashMap<ChildrenKey, Arc<[LocalityRow]>> {
    let mut out: HashMap<&str, Vec<LocalityRow>> =
        parents.iter().map(|p| (p.as_str(), Vec::new())).collect();
    for row in rows {
        if let Some(list) = row.parent_id.as_deref().and_then(|p| out.get_mut(p)) {
            list.push(row);
        }
    }
    out.into_iter()
        .map(|(parent, rows)| {
            let key = ChildrenKey {
                parent: parent.to_owned(),
                tree,
            };
            (key, Arc::from(rows))
        })
        .collect()
}

/// The children loader as a primer for the tree of one day.
pub(super) struct DatedChildren<'a> {
    loader: &'a DataLoader<ChildrenOn, HashMapCache>,
    tree: TreeOn,
}

impl<'a> DatedChildren<'a> {
    pub(super) fn new(loader: &'a DataLoader<ChildrenOn, HashMapCache>, tree: TreeOn) -> Self {
        DatedChildren { loader, tree }
    }
}

impl Primed for DatedChildren<'_> {
    fn part(&self, db: &Db, n: usize) -> String {
        packed_select::<LocalityRow>(db, &self.tree.children(n), Some(CHILDREN_ORDER))
    }

    fn feed<'a>(&'a self, ids: &'a [String], text: &'a str) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let rows = unpack(text).map_err(|e| e.to_string())?;
            self.loader
                .feed_many(children_by_key(ids, self.tree, rows))
                .await;
            Ok(())
        })
    }

    fn prime_alone<'a>(&'a self, ids: &'a [String]) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let keys: Vec<ChildrenKey> = ids
                .iter()
                .map(|parent| ChildrenKey {
                    parent: parent.clone(),
                    tree: self.tree,
                })
                .collect();
            let rows = self.loader.loader().load(&keys).await?;
            self.loader.feed_many(rows).await;
            Ok(())
        })
    }
}
