//! DataLoaders over the read tables: the localities of a page, their parents, children,
//! periods, lineage and standings each cost one batched statement, not one per locality.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};

use super::reads::Reads;
use crate::projection::rows::{
    CriterionRow, EdgeRow, IndicatorRow, LocalityRow, PeriodRow, StandingRow,
};

/// The loaders of one request (or one WebSocket connection).
pub struct Loaders {
    pub localities: DataLoader<ByLocality<LocalityRows>>,
    pub children: DataLoader<ByLocality<ChildRows>>,
    pub periods: DataLoader<ByLocality<PeriodRows>>,
    pub edges: DataLoader<ByLocality<EdgeRows>>,
    pub standings: DataLoader<ByLocality<StandingRows>>,
    pub criteria: DataLoader<ByLocality<CriterionRows>>,
    pub indicators: DataLoader<ByLocality<IndicatorRows>>,
}

impl Loaders {
    pub fn new(reads: &Reads) -> Self {
        fn loader<T: Load>(reads: &Reads) -> DataLoader<ByLocality<T>> {
            DataLoader::new(
                ByLocality {
                    reads: reads.clone(),
                    _rows: std::marker::PhantomData,
                },
                tokio::spawn,
            )
        }
        Loaders {
            localities: loader(reads),
            children: loader(reads),
            periods: loader(reads),
            edges: loader(reads),
            standings: loader(reads),
            criteria: loader(reads),
            indicators: loader(reads),
        }
    }
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
        let mut out: HashMap<String, Vec<T::Row>> = HashMap::new();
        for row in rows {
            for key in T::keys(&row) {
                if keys.iter().any(|k| k == key) {
                    out.entry(key.to_owned()).or_default().push(row.clone());
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
