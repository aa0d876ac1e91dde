//! The audit feed: every event in position order, filtered, one page at a time.

use chrono::NaiveDate;

use super::connection::{numeric_key, page, PageInfo};
use super::events::{connection, visible, EventConnection, EventFilter};
use super::ApiError;
use crate::projection::read::{Reads, TreeOn};

fn subtree_ref(subtree: &Option<(String, TreeOn)>) -> Option<(&str, TreeOn)> {
    subtree.as_ref().map(|(id, tree)| (id.as_str(), *tree))
}

/// Events read per statement while filling a page.
const SCAN: i64 = 1_000;

/// The page of events matching `filter` after position `after`, token events only with
/// `identities`; a subtree without a day is today's.
pub async fn feed_page(
    reads: &Reads,
    filter: &EventFilter,
    after: i64,
    first: usize,
    identities: bool,
    today: NaiveDate,
) -> Result<EventConnection, ApiError> {
    let stream = filter
        .locality
        .as_ref()
        .map(|l| crate::app::codec::locality_stream_of(l.as_str()));
    let subtree = filter.subtree_on(today);
    let mut found = Vec::new();
    let mut cursor = after;
    // One more than asked for tells whether there is a next page.
    while found.len() <= first {
        let batch = reads
            .events_after(cursor, stream.as_deref(), subtree_ref(&subtree), SCAN)
            .await?;
        let Some(last) = batch.last() else { break };
        cursor = last.position;
        let full = batch.len() as i64 == SCAN;
        found.extend(
            batch
                .into_iter()
                .filter(|e| filter.matches(e) && visible(e, identities)),
        );
        if !full {
            break;
        }
    }
    let sorted = found
        .into_iter()
        .map(|e| (numeric_key(e.position), e))
        .collect();
    let (items, mut info): (_, PageInfo) = page(sorted, None, first)?;
    info.has_previous_page = after > 0;
    Ok(connection(items, info))
}
