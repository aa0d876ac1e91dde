//! DataLoaders over the read tables: the localities of a page, their parents, children,
//! periods, lineage and standings are read in batches, not one locality at a time.
//! Loaders live for one request and cache what they loaded, so a list resolver can prime them
//! for its whole page ([`Loaders::prime_page`]) and the nodes then read from the cache: the
//! statement count does not depend on how the executor happens to interleave the nodes.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use async_graphql::Lookahead;
use futures::future::BoxFuture;
use futures::try_join;

use super::children_loader::DatedChildren;
pub use super::children_loader::{ChildrenKey, ChildrenOn};
use super::grading_set::TerritoriesOf;
use super::recognised_loader::RecognisedOn;
use crate::projection::read::row_kinds::{
    packed, unpack, Criteria, Edges, Indicators, Localities, Periods, RowKind, Standings, Versions,
};
use crate::projection::read::{Reads, TreeOn};
use crate::projection::rows::LocalityRow;
use crate::store::Db;

/// The loaders of one request (or one WebSocket connection).
pub struct Loaders {
    reads: Reads,
    pub localities: Cached<Localities>,
    pub children: DataLoader<ChildrenOn, HashMapCache>,
    pub recognised: DataLoader<RecognisedOn, HashMapCache>,
    pub territories: DataLoader<TerritoriesOf, HashMapCache>,
    pub periods: Cached<Periods>,
    pub edges: Cached<Edges>,
    pub standings: Cached<Standings>,
    pub criteria: Cached<Criteria>,
    pub indicators: Cached<Indicators>,
    pub versions: Cached<Versions>,
    /// False on a WebSocket connection, where nothing primed would be read back.
    caching: bool,
}

/// A request-scoped loader of one row kind, caching by locality id.
pub type Cached<K> = DataLoader<ByLocality<K>, HashMapCache>;

/// How long a loader gathers keys before its statement. Sibling fields ask within one poll of
/// the request (microseconds); async-graphql's default of 1 ms was paid on every loader hop,
/// 3 ms of a single locality's standings with criteria (see the API benchmark).
const BATCH_WINDOW: Duration = Duration::from_micros(100);

impl Loaders {
    pub fn new(reads: &Reads, db: &Db) -> Self {
        fn loader<K: RowKind>(reads: &Reads) -> Cached<K> {
            DataLoader::with_cache(
                ByLocality {
                    reads: reads.clone(),
                    _kind: std::marker::PhantomData,
                },
                tokio::spawn,
                HashMapCache::default(),
            )
            .delay(BATCH_WINDOW)
        }
        Loaders {
            reads: reads.clone(),
            localities: loader(reads),
            children: DataLoader::with_cache(
                ChildrenOn::new(reads),
                tokio::spawn,
                HashMapCache::default(),
            )
            .delay(BATCH_WINDOW),
            recognised: DataLoader::with_cache(
                RecognisedOn::new(reads),
                tokio::spawn,
                HashMapCache::default(),
            )
            .delay(BATCH_WINDOW),
            territories: DataLoader::with_cache(
                TerritoriesOf::new(db.clone()),
                tokio::spawn,
                HashMapCache::default(),
            )
            .delay(BATCH_WINDOW),
            periods: loader(reads),
            edges: loader(reads),
            standings: loader(reads),
            criteria: loader(reads),
            indicators: loader(reads),
            versions: loader(reads),
            caching: true,
        }
    }

    /// Stops caching: a WebSocket connection lives for hours and must see new rows.
    pub fn without_cache(self) -> Self {
        self.localities.enable_all_cache(false);
        self.children.enable_all_cache(false);
        self.recognised.enable_all_cache(false);
        self.territories.enable_all_cache(false);
        self.periods.enable_all_cache(false);
        self.edges.enable_all_cache(false);
        self.standings.enable_all_cache(false);
        self.criteria.enable_all_cache(false);
        self.indicators.enable_all_cache(false);
        self.versions.enable_all_cache(false);
        Loaders {
            caching: false,
            ..self
        }
    }

    /// Loads, in one statement, what the `node` selection of a page of `rows` placed on the
    /// tree of `tree` will ask for, so that its nodes find it cached; their parents (with
    /// their validity periods when `dated`, to be read on that day) in another, where they are
    /// often cached already (a locality's children).
    pub async fn prime_page(
        &self,
        node: &Lookahead<'_>,
        rows: &[LocalityRow],
        tree: TreeOn,
        dated: bool,
    ) -> Result<(), String> {
        if !self.caching {
            return Ok(());
        }
        let ids: Vec<String> = rows.iter().map(|r| r.locality_id.clone()).collect();
        let mut parents: Vec<String> = rows.iter().filter_map(|r| r.parent_id.clone()).collect();
        parents.sort_unstable();
        parents.dedup();
        let parents = self.uncached(parents, dated);
        let parent = node.field("parent");
        let parents = async {
            if parent.exists() && !parents.is_empty() {
                self.prime(&parent, &parents, Entries::read_on(dated), tree)
                    .await?;
            }
            Ok(())
        };
        try_join!(parents, self.prime(node, &ids, Entries::No, tree)).map(|_| ())
    }

    /// Those of `ids` whose entries (and periods, when `dated`) are not cached yet: the parent
    /// of a locality's children is that locality, read already.
    fn uncached(&self, mut ids: Vec<String>, dated: bool) -> Vec<String> {
        let entries = self.localities.get_cached_values::<String>();
        let periods = dated.then(|| self.periods.get_cached_values::<String>());
        ids.retain(|id| {
            !entries.contains_key(id) || periods.as_ref().is_some_and(|p| !p.contains_key(id))
        });
        ids
    }

    /// Loads the locality `id` and what its `node` selection will ask for, in one statement: a
    /// single locality otherwise pays one loader hop per level (locality, standings, criteria).
    /// With `dated`, its periods too, to read it on the day of `tree`.
    pub async fn prime_locality(
        &self,
        node: &Lookahead<'_>,
        id: &str,
        tree: TreeOn,
        dated: bool,
    ) -> Result<(), String> {
        if !self.caching {
            return Ok(());
        }
        self.prime(node, &[id.to_owned()], Entries::read_on(dated), tree)
            .await
    }

    /// Reads the rows of `ids` that `node` asks for (and the `entries` asked for), every kind
    /// a part of one statement, and caches them; their children are those of the day of
    /// `tree`.
    async fn prime(
        &self,
        node: &Lookahead<'_>,
        ids: &[String],
        entries: Entries,
        tree: TreeOn,
    ) -> Result<(), String> {
        let standing = [node.field("standings"), node.field("standing")];
        let criteria: Vec<Lookahead<'_>> = standing.iter().map(|s| s.field("criteria")).collect();
        let asked = |field: &str| node.field(field).exists();
        let children = DatedChildren::new(&self.children, TreeOn::existing(tree.on));
        let periods = asked("periods")
            || asked("thresholdRegion")
            || asked("communeGroup")
            || entries == Entries::OnDay;
        let kinds: [(bool, &dyn Primed); 8] = [
            (entries != Entries::No, &self.localities),
            (asked("version"), &self.versions),
            (asked("children"), &children),
            (periods, &self.periods),
            (asked("predecessors") || asked("successors"), &self.edges),
            (standing.iter().any(Lookahead::exists), &self.standings),
            (criteria.iter().any(Lookahead::exists), &self.criteria),
            (
                criteria.iter().any(|c| c.field("indicators").exists()),
                &self.indicators,
            ),
        ];
        let loaders: Vec<&dyn Primed> = kinds
            .into_iter()
            .filter_map(|(asked, loader)| asked.then_some(loader))
            .collect();
        if loaders.is_empty() || ids.is_empty() {
            return Ok(());
        }
        if let [alone] = loaders[..] {
            return alone.prime_alone(ids).await;
        }
        let db = self.reads.db();
        let parts: Vec<String> = loaders.iter().map(|l| l.part(db, ids.len())).collect();
        let texts = self
            .reads
            .fetch_packed(&parts, ids)
            .await
            .map_err(|e| e.to_string())?;
        for (loader, text) in loaders.iter().zip(&texts) {
            loader.feed(ids, text).await?;
        }
        Ok(())
    }
}

/// Which register entries a primer loads beside what the selection asks for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Entries {
    /// None: the rows are at hand (a page).
    No,
    /// The entries of the ids, as they stand.
    Latest,
    /// The entries and their validity periods, to read them on a day.
    OnDay,
}

impl Entries {
    fn read_on(dated: bool) -> Self {
        if dated {
            Entries::OnDay
        } else {
            Entries::Latest
        }
    }
}

/// A loader a primer can fill from its part of a combined statement.
pub(super) trait Primed: Sync {
    /// Its part of the statement, for `n` ids.
    fn part(&self, db: &Db, n: usize) -> String;
    /// Caches the rows of `ids` packed in `text`.
    fn feed<'a>(&'a self, ids: &'a [String], text: &'a str) -> BoxFuture<'a, Result<(), String>>;
    /// Reads and caches the rows of `ids` in a statement of their own. A primer knows all its
    /// keys, so it calls the loader's batch read directly instead of waiting out the
    /// gathering window of a spawned load.
    fn prime_alone<'a>(&'a self, ids: &'a [String]) -> BoxFuture<'a, Result<(), String>>;
}

impl<K: RowKind> Primed for Cached<K> {
    fn part(&self, db: &Db, n: usize) -> String {
        packed::<K>(db, n)
    }

    fn feed<'a>(&'a self, ids: &'a [String], text: &'a str) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let rows = unpack(text).map_err(|e| e.to_string())?;
            self.feed_many(by_key::<K>(ids, rows)).await;
            Ok(())
        })
    }

    fn prime_alone<'a>(&'a self, ids: &'a [String]) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let rows = self.loader().load(ids).await?;
            self.feed_many(rows).await;
            Ok(())
        })
    }
}

/// Loads rows keyed by locality id with one statement per batch of keys.
pub struct ByLocality<K> {
    reads: Reads,
    _kind: std::marker::PhantomData<K>,
}

impl<K: RowKind> Loader<String> for ByLocality<K> {
    type Value = Rows<K>;
    type Error = String;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, Self::Error> {
        let rows = self
            .reads
            .rows::<K>(keys)
            .await
            .map_err(|e| e.to_string())?;
        Ok(by_key::<K>(keys, rows))
    }
}

/// The rows of one locality, shared: a resolver's read from the cache is a reference count.
pub type Rows<K> = Arc<[<K as RowKind>::Row]>;

/// `rows` filed under each of `keys`; every key gets an entry, empty when it has no rows, so
/// that it is cached too. A row filed under one key (all but edges) is moved, not copied.
fn by_key<K: RowKind>(keys: &[String], rows: Vec<K::Row>) -> HashMap<String, Rows<K>> {
    let mut out: HashMap<&str, Vec<K::Row>> =
        keys.iter().map(|k| (k.as_str(), Vec::new())).collect();
    for row in rows {
        let mut under: Vec<&str> = K::keys(&row)
            .into_iter()
            .filter_map(|k| out.get_key_value(k).map(|(k, _)| *k))
            .collect();
        under.dedup();
        if let Some((last, others)) = under.split_last() {
            for key in others {
                out.entry(key).or_default().push(row.clone());
            }
            out.entry(last).or_default().push(row);
        }
    }
    out.into_iter()
        .map(|(key, rows)| (key.to_owned(), Rows::<K>::from(rows)))
        .collect()
}
