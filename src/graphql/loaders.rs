//! DataLoaders over the read tables: the localities of a page, their parents, children,
//! periods, lineage and standings each cost one batched statement, not one per locality.
//! Loaders live for one request and cache what they loaded, so a list resolver can prime them
//! for its whole page ([`Loaders::prime_page`]) and the nodes then read from the cache: the
//! statement count does not depend on how the executor happens to interleave the nodes.

use std::collections::HashMap;
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use async_graphql::Lookahead;
use futures::try_join;

use super::reads::{Reads, StreamVersion};
use crate::projection::rows::{
    CriterionRow, EdgeRow, IndicatorRow, LocalityRow, PeriodRow, StandingRow,
};

/// The loaders of one request (or one WebSocket connection).
pub struct Loaders {
    pub localities: Cached<LocalityRows>,
    pub children: Cached<ChildRows>,
    pub periods: Cached<PeriodRows>,
    pub edges: Cached<EdgeRows>,
    pub standings: Cached<StandingRows>,
    pub criteria: Cached<CriterionRows>,
    pub indicators: Cached<IndicatorRows>,
    pub versions: Cached<VersionRows>,
    /// False on a WebSocket connection, where nothing primed would be read back.
    caching: bool,
}

/// A request-scoped loader of one row kind, caching by locality id.
pub type Cached<T> = DataLoader<ByLocality<T>, HashMapCache>;

/// How long a loader gathers keys before its statement. Sibling fields ask within one poll of
/// the request (microseconds); async-graphql's default of 1 ms was paid on every loader hop,
/// 3 ms of a single locality's standings with criteria (see the API benchmark).
const BATCH_WINDOW: Duration = Duration::from_micros(100);

impl Loaders {
    pub fn new(reads: &Reads) -> Self {
        fn loader<T: Load>(reads: &Reads) -> Cached<T> {
            DataLoader::with_cache(
                ByLocality {
                    reads: reads.clone(),
                    _rows: std::marker::PhantomData,
                },
                tokio::spawn,
                HashMapCache::default(),
            )
            .delay(BATCH_WINDOW)
        }
        Loaders {
            localities: loader(reads),
            children: loader(reads),
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

    /// Loads, one statement per row kind, what the `node` selection of a page of `rows` will
    /// ask for, so that its nodes find it cached.
    pub async fn prime_page(
        &self,
        node: &Lookahead<'_>,
        rows: &[LocalityRow],
    ) -> Result<(), String> {
        if !self.caching {
            return Ok(());
        }
        let ids: Vec<String> = rows.iter().map(|r| r.locality_id.clone()).collect();
        let parents: Vec<String> = rows.iter().filter_map(|r| r.parent_id.clone()).collect();
        // Through the loader: the parents are often cached already (a locality's children).
        let parents = async {
            if node.field("parent").exists() && !parents.is_empty() {
                self.localities.load_many(parents).await?;
            }
            Ok(())
        };
        try_join!(parents, self.prime_rows(node, &ids)).map(|_| ())
    }

    /// Loads the locality `id` and what its `node` selection will ask for, at once: a single
    /// locality otherwise pays one loader hop per level (locality, standings, criteria).
    pub async fn prime_locality(&self, node: &Lookahead<'_>, id: &str) -> Result<(), String> {
        if !self.caching {
            return Ok(());
        }
        let ids = [id.to_owned()];
        try_join!(
            prime(true, &self.localities, &ids),
            self.prime_rows(node, &ids)
        )
        .map(|_| ())
    }

    /// The rows of `ids` that `node` asks for, one statement per kind, run concurrently.
    async fn prime_rows(&self, node: &Lookahead<'_>, ids: &[String]) -> Result<(), String> {
        let standing = [node.field("standings"), node.field("standing")];
        let criteria: Vec<Lookahead<'_>> = standing.iter().map(|s| s.field("criteria")).collect();
        let asked = |field: &str| node.field(field).exists();
        try_join!(
            prime(asked("version"), &self.versions, ids),
            prime(asked("children"), &self.children, ids),
            prime(asked("periods"), &self.periods, ids),
            prime(
                asked("predecessors") || asked("successors"),
                &self.edges,
                ids
            ),
            prime(standing.iter().any(Lookahead::exists), &self.standings, ids),
            prime(criteria.iter().any(Lookahead::exists), &self.criteria, ids),
            prime(
                criteria.iter().any(|c| c.field("indicators").exists()),
                &self.indicators,
                ids
            ),
        )
        .map(|_| ())
    }
}

/// Reads the rows of `ids` of one kind, when `asked`, and caches them. A primer knows all its
/// keys, so it calls the loader's batch read directly instead of waiting out the gathering
/// window of a spawned load.
async fn prime<T: Load>(asked: bool, loader: &Cached<T>, ids: &[String]) -> Result<(), String> {
    if asked && !ids.is_empty() {
        let rows = loader.loader().load(ids).await?;
        loader.feed_many(rows).await;
    }
    Ok(())
}

/// Loads rows keyed by locality id with one statement per batch of keys.
pub struct ByLocality<T> {
    reads: Reads,
    _rows: std::marker::PhantomData<T>,
}

/// One kind of row: how a batch is read and which locality each row belongs to.
pub trait Load: Send + Sync + 'static {
    type Row: Clone + Send + Sync + 'static;
    fn read(
        reads: &Reads,
        ids: &[String],
    ) -> impl std::future::Future<Output = Result<Vec<Self::Row>, sqlx::Error>> + Send;
    /// The localities a row is filed under (an edge is filed under both its ends).
    fn keys(row: &Self::Row) -> Vec<&str>;
}

impl<T: Load> Loader<String> for ByLocality<T> {
    type Value = Vec<T::Row>;
    type Error = String;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, Self::Error> {
        let rows = T::read(&self.reads, keys)
            .await
            .map_err(|e| e.to_string())?;
        // Every key gets an entry, empty when it has no rows, so that it is cached too.
        let mut out: HashMap<String, Vec<T::Row>> =
            keys.iter().map(|k| (k.clone(), Vec::new())).collect();
        for row in rows {
            for key in T::keys(&row) {
                if let Some(list) = out.get_mut(key) {
                    list.push(row.clone());
                }
            }
        }
        Ok(out)
    }
}

/// Declares a row kind read by one `Reads` method and filed under the given fields.
macro_rules! row_kind {
    ($kind:ident, $row:ty, $method:ident, |$r:ident| $keys:expr) => {
        pub struct $kind;
        impl Load for $kind {
            type Row = $row;
            async fn read(reads: &Reads, ids: &[String]) -> Result<Vec<$row>, sqlx::Error> {
                reads.$method(ids).await
            }
            fn keys($r: &$row) -> Vec<&str> {
                $keys
            }
        }
    };
}

row_kind!(LocalityRows, LocalityRow, localities, |r| vec![
    &r.locality_id
]);
row_kind!(ChildRows, LocalityRow, children, |r| r
    .parent_id
    .as_deref()
    .into_iter()
    .collect());
row_kind!(PeriodRows, PeriodRow, periods, |r| vec![&r.locality_id]);
row_kind!(EdgeRows, EdgeRow, edges, |r| vec![&r.from_id, &r.to_id]);
row_kind!(StandingRows, StandingRow, standings, |r| vec![
    &r.locality_id
]);
row_kind!(CriterionRows, CriterionRow, criteria, |r| vec![
    &r.locality_id
]);
row_kind!(IndicatorRows, IndicatorRow, indicators, |r| vec![
    &r.locality_id
]);
row_kind!(VersionRows, StreamVersion, versions, |r| vec![
    r.locality_id()
]);
