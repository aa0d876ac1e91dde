//! The audit feed: the events of the log in either order, filtered, one page at a time from
//! either end, with its size counted only when asked.

use async_graphql::Enum;
use chrono::NaiveDate;

use super::connection::{decode_numeric, encode_cursor, numeric_key, PageInfo};
use super::events::{EventConnection, EventEdge, EventFilter, EventView, Total};
use super::ApiError;
use crate::projection::read::{FeedQuery, Reads};
use crate::store::RecordedEvent;

/// Events read per statement while filling a page or counting in Rust.
const SCAN: i64 = 1_000;

/// The order of the audit feed.
#[derive(Enum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EventOrder {
    /// Position ascending: the order the log was written in (the default).
    #[default]
    OldestFirst,
    /// Position descending: the newest event first, as an audit screen shows it.
    NewestFirst,
}

/// Which end of the (ordered, windowed) list a page is taken from, and how many.
#[derive(Clone, Copy, Debug)]
pub enum Take {
    /// The first n of the list (after `after`).
    First(usize),
    /// The last n of the list (before `before`), still in the list's order.
    Last(usize),
}

/// The arguments of a feed page that bound it: cursors (positions in either order) and plain
/// positions.
#[derive(Clone, Debug, Default)]
pub struct Bounds {
    pub after: Option<String>,
    pub before: Option<String>,
    pub after_position: Option<i64>,
    pub before_position: Option<i64>,
}

impl Bounds {
    /// The window of positions `(above, below)` the page is taken from, and the window the
    /// list's `totalCount` counts (the positions only: cursors page, they do not filter).
    fn windows(&self, order: EventOrder) -> Result<((i64, Option<i64>), FeedQuery), ApiError> {
        let cursor = |c: &Option<String>, field: &str| {
            c.as_deref()
                .map(|c| decode_numeric(c).map_err(|_| not_a_cursor(field)))
                .transpose()
        };
        let (after, before) = (
            cursor(&self.after, "after")?,
            cursor(&self.before, "before")?,
        );
        let (low, high) = match order {
            EventOrder::OldestFirst => (after, before),
            EventOrder::NewestFirst => (before, after),
        };
        let counted = FeedQuery {
            above: self.after_position.unwrap_or(0).max(0),
            below: self.before_position,
            ..FeedQuery::default()
        };
        let above = low.map_or(counted.above, |l| l.max(counted.above));
        let below = match (high, counted.below) {
            (Some(h), Some(b)) => Some(h.min(b)),
            (h, b) => h.or(b),
        };
        Ok(((above, below), counted))
    }
}

fn not_a_cursor(field: &str) -> ApiError {
    ApiError::validation(field, "not a cursor of the audit feed")
}

/// What narrows the feed: the filter, token events only with `identities`, a subtree on the
/// tree of its day (default `today`).
pub struct Narrowing<'a> {
    pub filter: &'a EventFilter,
    pub identities: bool,
    pub today: NaiveDate,
}

impl Narrowing<'_> {
    /// The SQL part of the filter over `window`.
    fn query(&self, window: FeedQuery) -> FeedQuery {
        FeedQuery {
            stream: self
                .filter
                .locality
                .as_ref()
                .map(|l| crate::app::codec::locality_stream_of(l.as_str())),
            subtree: self.filter.subtree_on(self.today),
            types: self
                .filter
                .types
                .as_ref()
                .map(|t| t.iter().map(|t| t.stored_name().to_owned()).collect()),
            hidden: (!self.identities).then_some(crate::auth::IDENTITY_CATEGORIES),
            ..window
        }
    }
}

/// A page of the feed: `take` events of the list in `order`, within `bounds`.
pub async fn feed_page(
    reads: &Reads,
    narrowing: &Narrowing<'_>,
    order: EventOrder,
    bounds: &Bounds,
    take: Take,
) -> Result<EventConnection, ApiError> {
    let ((above, below), counted) = bounds.windows(order)?;
    let query = narrowing.query(FeedQuery {
        above,
        below,
        ..FeedQuery::default()
    });
    let (wanted, from_end) = match take {
        Take::First(n) => (n, false),
        Take::Last(n) => (n, true),
    };
    // The list read from the end it is taken from: descending when exactly one of "newest
    // first" and "last" holds. One more than asked tells whether there are more.
    let newest_first = (order == EventOrder::NewestFirst) != from_end;
    let mut found = scan(reads, narrowing.filter, query, newest_first, wanted + 1).await?;
    let more = found.len() > wanted;
    found.truncate(wanted);
    if from_end {
        found.reverse();
    }
    let edges: Vec<EventEdge> = found
        .into_iter()
        .map(|e| EventEdge {
            cursor: encode_cursor(&numeric_key(e.position)),
            node: EventView(e),
        })
        .collect();
    let page_info = PageInfo {
        has_next_page: if from_end {
            bounds.before.is_some()
        } else {
            more
        },
        has_previous_page: if from_end {
            more
        } else {
            bounds.after.is_some()
        },
        start_cursor: edges.first().map(|e| e.cursor.clone()),
        end_cursor: edges.last().map(|e| e.cursor.clone()),
    };
    let total = Total::Feed(Box::new((
        reads.clone(),
        narrowing.filter.clone(),
        narrowing.query(counted),
    )));
    Ok(EventConnection {
        edges,
        page_info,
        total,
    })
}

/// Up to `limit` events of `query` that match the rest of `filter`, read `SCAN` at a time from
/// the end `newest_first` names.
async fn scan(
    reads: &Reads,
    filter: &EventFilter,
    mut query: FeedQuery,
    newest_first: bool,
    limit: usize,
) -> Result<Vec<RecordedEvent>, ApiError> {
    // Without a condition left to Rust, every row SQL gives is wanted: read no more.
    let chunk = match filter.needs_rust() {
        true => SCAN,
        false => SCAN.min(limit as i64),
    };
    let mut found = Vec::new();
    while found.len() < limit {
        let batch = reads.feed_events(&query, newest_first, chunk).await?;
        let Some(last) = batch.last() else { break };
        match newest_first {
            true => query.below = Some(last.position),
            false => query.above = last.position,
        }
        let full = batch.len() as i64 == chunk;
        found.extend(batch.into_iter().filter(|e| filter.matches(e)));
        if !full {
            break;
        }
    }
    found.truncate(limit);
    Ok(found)
}

/// How many events of `query` match `filter`: one `COUNT` when SQL applies the whole filter;
/// otherwise every event SQL selects is read and matched, `SCAN` at a time.
pub async fn count(reads: &Reads, filter: &EventFilter, query: FeedQuery) -> Result<i64, ApiError> {
    if !filter.needs_rust() {
        return Ok(reads.count_feed(&query).await?);
    }
    let mut query = query;
    let mut total = 0;
    loop {
        let batch = reads.feed_events(&query, false, SCAN).await?;
        let Some(last) = batch.last() else { break };
        query.above = last.position;
        let full = batch.len() as i64 == SCAN;
        total += batch.iter().filter(|e| filter.matches(e)).count() as i64;
        if !full {
            break;
        }
    }
    Ok(total)
}
