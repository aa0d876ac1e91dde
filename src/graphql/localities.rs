//! The `localities` list: filters over the read tables, diacritic-insensitive name search,
//! ordering and Relay paging with `totalCount`.

use async_graphql::{Enum, InputObject, SimpleObject, ID};

use super::connection::{page, PageInfo, SortKey};
use super::diacritics::{name_matches, search_key};
use super::enums::{LocalityKind, RecognitionLevel};
use super::locality::LocalityNode;
use super::ApiError;
use crate::domain::terms::{LocalityKind as DomainKind, RecognitionLevel as DomainLevel};
use crate::projection::read::{Candidates, Reads};
use crate::projection::rows::LocalityRow;

/// Which localities to list; every given field must hold.
#[derive(InputObject, Clone, Debug, Default)]
pub struct LocalityFilter {
    /// Only localities below this one (its whole subtree, by today's tree).
    pub within: Option<ID>,
    pub kind: Option<LocalityKind>,
    /// Only localities with a standing for this criteria set (e.g. `NTM-XA-2021-2025`).
    pub set: Option<String>,
    /// Only localities holding this recognised level (in `set`, when given).
    pub recognised_level: Option<RecognitionLevel>,
    /// Only recognised localities at risk of revocation (true) or not at risk (false).
    pub at_risk: Option<bool>,
    /// Only localities that have ended (true) or still exist (false).
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

/// One page of the filtered, ordered list: the SQL narrows by tree, kind and standing; the
/// name is matched here, over that candidate set, so the read tables need no column without diacritics.
pub async fn localities_page(
    reads: &Reads,
    filter: LocalityFilter,
    order: LocalityOrder,
    first: usize,
    after: Option<&str>,
) -> Result<LocalityConnection, ApiError> {
    let candidates = Candidates {
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
                node: LocalityNode(row),
            })
            .collect(),
        page_info,
        total_count,
    })
}
