//! The `localities` list: filters over the read tables, diacritic-insensitive name search,
//! ordering and Relay paging with `totalCount`.

use async_graphql::{Enum, InputObject, SimpleObject, ID};

use super::connection::{page, PageInfo, SortKey};
use super::diacritics::{name_matches, search_key};
use super::enums::{LocalityKind, RecognitionLevel};
use super::locality::LocalityNode;
use super::scalars::Date;
use super::ApiError;
use crate::domain::terms::{LocalityKind as DomainKind, RecognitionLevel as DomainLevel};
use crate::projection::read::{Candidates, Reads, TreeOn};
use crate::projection::rows::LocalityRow;

/// Which localities to list; every given field must hold. The list is that of one day, `on`
/// (default today, Vietnam's date): the localities existing that day, each with the name, code,
/// kind and parent of that day, which `within`, `kind`, `name` and the order read.
#[derive(InputObject, Clone, Debug, Default)]
pub struct LocalityFilter {
    /// The day of the list (default today).
    pub on: Option<Date>,
    /// Also the localities that had ended by `on` (merged, split, dissolved), where they stood
    /// when they ended, with their last name, code and kind.
    #[graphql(default)]
    pub include_ended: bool,
    /// Only localities below this one (its whole subtree on `on`).
    pub within: Option<ID>,
    /// Only localities of this kind on `on`.
    pub kind: Option<LocalityKind>,
    /// Only localities with a present standing for this criteria set (e.g.
    /// `NTM-XA-2021-2025`).
    pub set: Option<String>,
    /// Only localities holding this recognised level in their present standing (in `set`,
    /// when given).
    pub recognised_level: Option<RecognitionLevel>,
    /// Only recognised localities at risk of revocation (true) or not at risk (false), in
    /// their present standing.
    pub at_risk: Option<bool>,
    /// Only localities that had ended by `on` (true: implies `includeEnded`) or that exist on
    /// `on` (false).
    pub ended: Option<bool>,
    /// Part of the name, ignoring case and Vietnamese diacritics: "thach trung" finds
    /// "Thạch Trung".
    pub name: Option<String>,
}

/// Order of the `localities` list; ties are broken by id, so paging is stable.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LocalityOrder {
    /// By name, ignoring case and diacritics.
    #[default]
    Name,
    /// By official code.
    Code,
}

#[derive(SimpleObject)]
pub struct LocalityEdge {
    pub cursor: String,
    pub node: LocalityNode,
}

/// A page of localities.
#[derive(SimpleObject)]
pub struct LocalityConnection {
    pub edges: Vec<LocalityEdge>,
    pub page_info: PageInfo,
    /// Localities matching the filter, over all pages.
    pub total_count: i64,
}

fn sort_key(row: &LocalityRow, order: LocalityOrder) -> SortKey {
    let value = match order {
        LocalityOrder::Name => search_key(row.name.as_deref().unwrap_or_default()),
        LocalityOrder::Code => row.code.clone().unwrap_or_default(),
    };
    (value, row.locality_id.clone())
}

impl LocalityFilter {
    /// The tree the list is read on: that of `on`, or of `today` without it.
    pub fn tree(&self, today: chrono::NaiveDate) -> TreeOn {
        TreeOn {
            on: self.on.map_or(today, |d| d.0),
            include_ended: self.include_ended || self.ended == Some(true),
        }
    }
}

/// One page of the filtered, ordered list on the tree of `tree`: the SQL narrows by tree, kind
/// and standing; the name is matched here, over that candidate set, so the read tables need no
/// column without diacritics. Its nodes are read on `filter.on` when given.
pub async fn localities_page(
    reads: &Reads,
    filter: LocalityFilter,
    tree: TreeOn,
    order: LocalityOrder,
    first: usize,
    after: Option<&str>,
) -> Result<LocalityConnection, ApiError> {
    let on = filter.on.map(|d| d.0);
    let candidates = Candidates {
        tree: Some(tree),
        within: filter.within.map(|id| id.to_string()),
        kind: filter
            .kind
            .map(|k| DomainKind::from(k).spelling().to_owned()),
        set: filter.set,
        recognised_level: filter
            .recognised_level
            .map(|l| DomainLevel::from(l).spelling().to_owned()),
        at_risk: filter.at_risk,
        ended: filter.ended,
    };
    let rows = reads.candidates(&candidates).await?;
    let mut sorted: Vec<(SortKey, LocalityRow)> = rows
        .into_iter()
        .filter(|r| {
            filter
                .name
                .as_deref()
                .is_none_or(|q| name_matches(r.name.as_deref().unwrap_or_default(), q))
        })
        .map(|r| (sort_key(&r, order), r))
        .collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let total_count = sorted.len() as i64;
    let (items, page_info) = page(sorted, after, first)?;
    Ok(LocalityConnection {
        edges: items
            .into_iter()
            .map(|(cursor, row)| LocalityEdge {
                cursor,
                node: LocalityNode { row, on },
            })
            .collect(),
        page_info,
        total_count,
    })
}
