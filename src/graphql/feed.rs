//! The audit feed: every event in position order, filtered, one page at a time.

use super::connection::{numeric_key, page, PageInfo};
use super::events::{connection, visible, EventConnection, EventFilter};
use super::ApiError;
use crate::projection::read::Reads;

/// Events read per statement while filling a page.
const SCAN: i64 = 1_000;

/// The page of events matching `filter` after position `after`, token events only with
/// `identities`.
pub async fn feed_page(
    reads: &Reads,
    filter: &EventFilter,
    after: i64,
    first: usize,
    identities: bool,
) -> Result<EventConnection, ApiError> {
    let stream = filter
        .locality
        .as_ref()
        .map(|l| crate::app::codec::locality_stream_of(l.as_str()));
    let subtree = filter.subtree.as_ref().map(|s| s.to_string());
    let mut found = Vec::new();
    let mut cursor = after;
    // One more than asked for tells whether there is a next page.
    while found.len() <= first {
        let batch = reads
            .events_after(cursor, stream.as_deref(), subtree.as_deref(), SCAN)
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
