//! The `localities` list: ordering, Relay paging both ways with `totalCount`, read a page at a
//! time in SQL (`projection::read::locality_list`).

use async_graphql::{Enum, InputObject, SimpleObject};

use super::connection::{KeyCursor, PageInfo};
use super::locality::LocalityNode;
use super::ApiError;
use crate::projection::read::{Reads, Slice, SortKey, TreeOn};

pub use super::connection::Window;
pub use super::enums::LocalityKind;
pub use super::locality_filter::{CriteriaMetRange, CriterionFilter, LocalityFilter};

/// What the `localities` list is ordered by; ties are broken by id, so paging is stable, and
/// localities without a value come last in either direction.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LocalityOrder {
    /// By name on the list's day, ignoring case and diacritics.
    #[default]
    Name,
    /// By official code on the list's day.
    Code,
    /// By criteria met in the present standing for the filter's `set` (required).
    CriteriaMet,
    /// By the recognised level held on the list's day, whatever set granted it: a level that
    /// includes others (nâng cao includes NTM) ranks above them.
    Level,
    /// By the signing date of the recognition held on the list's day.
    RecognisedOn,
}

/// A direction of ordering.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OrderDirection {
    /// Smallest first (A to Z, oldest first).
    #[default]
    Asc,
    /// Largest first (Z to A, newest first).
    Desc,
}

/// The order of the `localities` list.
#[derive(InputObject, Clone, Copy, Debug, Default)]
pub struct LocalityOrdering {
    /// The value ordered by (default `NAME`).
    #[graphql(default)]
    pub field: LocalityOrder,
    /// The direction (default `ASC`).
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl LocalityOrdering {
    /// The SQL key, which needs the filter's set to order by criteria met.
    fn key(&self, set: Option<&str>) -> Result<SortKey, ApiError> {
        Ok(match self.field {
            LocalityOrder::Name => SortKey::Name,
            LocalityOrder::Code => SortKey::Code,
            LocalityOrder::CriteriaMet => SortKey::CriteriaMet {
                set: set
                    .ok_or_else(|| {
                        ApiError::validation("orderBy", "CRITERIA_MET needs the filter's set")
                    })?
                    .to_owned(),
            },
            LocalityOrder::Level => SortKey::Level,
            LocalityOrder::RecognisedOn => SortKey::RecognisedOn,
        })
    }

    /// The tag cursors of this order carry, so a cursor of another order is refused.
    fn tag(&self) -> String {
        format!("{:?}-{:?}", self.field, self.direction).to_lowercase()
    }
}

/// A locality of the list and its cursor.
#[derive(SimpleObject)]
pub struct LocalityEdge {
    /// Pass it as `after` (or `before`) to page from this locality.
    pub cursor: String,
    /// The locality, read on the list's day.
    pub node: LocalityNode,
}

/// A page of localities.
#[derive(SimpleObject)]
pub struct LocalityConnection {
    /// The page's localities, in the list's order.
    pub edges: Vec<LocalityEdge>,
    /// Where the page sits in the list.
    pub page_info: PageInfo,
    /// Localities matching the filter, over all pages (counted only when selected).
    pub total_count: i64,
}

/// One page of the filtered, ordered list on the tree of `tree`, as `window` asks: one SQL
/// statement for the page and, when `count`, one for `totalCount`. Its nodes are read on
/// `filter.on` when given.
pub async fn localities_page(
    reads: &Reads,
    filter: LocalityFilter,
    tree: TreeOn,
    ordering: LocalityOrdering,
    window: &Window,
    count: bool,
) -> Result<LocalityConnection, ApiError> {
    let on = filter.on.map(|d| d.0);
    let list = filter.to_list()?;
    let key = ordering.key(filter.set.as_deref())?;
    let tag = ordering.tag();
    let cursor = |text: &Option<String>, field: &str| {
        text.as_deref()
            .map(|t| KeyCursor::decode(t, &tag, field).map(|c| (c.key, c.id)))
            .transpose()
    };
    let slice = Slice {
        size: window.size,
        from_end: window.from_end,
        after: cursor(&window.after, "after")?,
        before: cursor(&window.before, "before")?,
    };
    let descending = ordering.direction == OrderDirection::Desc;
    let (rows, more) = reads
        .locality_slice(&list, tree, &key, descending, &slice)
        .await
        .map_err(ApiError::internal)?;
    let total_count = if count {
        reads
            .locality_count(&list, tree)
            .await
            .map_err(ApiError::internal)?
    } else {
        0
    };
    let edges: Vec<LocalityEdge> = rows
        .into_iter()
        .map(|listed| LocalityEdge {
            cursor: KeyCursor {
                key: listed.sort_key,
                id: listed.row.locality_id.clone(),
            }
            .encode(&tag),
            node: LocalityNode {
                row: listed.row,
                on,
            },
        })
        .collect();
    let cursors: Vec<String> = edges.iter().map(|e| e.cursor.clone()).collect();
    Ok(LocalityConnection {
        page_info: window.page_info(&cursors, more),
        edges,
        total_count,
    })
}
