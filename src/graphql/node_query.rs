//! The query fields that read by global id and the log itself: `node`, `nodes`, the audit feed
//! `events` and the log's `head`.

use async_graphql::{Context, Object, SimpleObject, ID};

use super::access::{allowed, sees_identities, Needs};
use super::events::{EventConnection, EventFilter};
use super::feed::{feed_page, Bounds, EventOrder, Narrowing, Take};
use super::node::{nodes, Node};
use super::scalars::Instant;
use super::{api, page_size, reach, scope, ApiError};
use crate::app::codec::locality_id_text;
use crate::auth::Right;
use crate::projection::read::TreeOn;

#[derive(Default)]
pub struct NodeQuery;

/// The log's newest event and how far the read tables have caught up with it.
#[derive(SimpleObject)]
pub struct LogHead {
    /// The position of the newest event in the log (0 when it is empty): subscribe with
    /// `after: position` to receive only what comes next.
    pub position: i64,
    /// When the newest event was recorded (null when the log is empty).
    pub recorded_at: Option<Instant>,
    /// The position up to which the read tables (present state) include the log: what
    /// `minPosition` waits for. At most `position`.
    pub projected: i64,
}

#[Object]
impl NodeQuery {
    /// The locality, event or standing with this global id (`Node.id`); null when there is
    /// none or the request may not see it (token events need an auditor or an admin). A
    /// malformed id is VALIDATION.
    #[graphql(guard = "Needs(Right::Read)")]
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id (`Node.id`); malformed: VALIDATION.")] id: ID,
        #[graphql(
            desc = "Wait (at most 5 s) until the read tables include this log position (NOT_READY \
                otherwise)."
        )]
        min_position: Option<i64>,
    ) -> async_graphql::Result<Option<Node>> {
        reach(ctx, min_position).await?;
        Ok(nodes(ctx, &[id], "id").await?.pop().flatten())
    }

    /// The nodes of these global ids, in the order asked, null for each there is none of or
    /// the request may not see; at most 500 ids. Localities, events and present standings are
    /// read in one statement each, however many ids.
    #[graphql(
        guard = "Needs(Right::Read)",
        complexity = "ids.len().max(1) * child_complexity"
    )]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Global ids (`Node.id`), at most 500; more, or a malformed one: VALIDATION."
        )]
        ids: Vec<ID>,
        #[graphql(
            desc = "Wait (at most 5 s) until the read tables include this log position (NOT_READY \
                otherwise)."
        )]
        min_position: Option<i64>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        reach(ctx, min_position).await?;
        nodes(ctx, &ids, "ids").await
    }

    /// The audit feed: the events of the log with their hash chain, oldest first (default),
    /// or newest first with `order: NEWEST_FIRST`, a page of `first` after the cursor `after`, or
    /// of `last` before the cursor `before` (at most 500; default `first: 20`).
    /// `afterPosition`/`beforePosition` bound it by `Event.position` (exclusive), the numbers
    /// the `events` subscription's `after` and `head.position` use; cursors are opaque.
    /// Actors, metadata and token events only for auditors and admins.
    #[graphql(
        guard = "Needs(Right::Read)",
        complexity = "first.or(last).unwrap_or(20).max(1) as usize * child_complexity"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Which events (default: all); `actor` only with an auditor or admin token."
        )]
        filter: Option<EventFilter>,
        #[graphql(desc = "The order of the feed: `OLDEST_FIRST` (the default) or `NEWEST_FIRST`.")]
        order: Option<EventOrder>,
        #[graphql(
            desc = "The page size, counted from its start (1 to 500, default 20); not with `last`."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The cursor of the edge the page starts after (VALIDATION if not one of the \
                feed)."
        )]
        after: Option<String>,
        #[graphql(
            desc = "The page size, counted from its end (1 to 500); not with `first` (VALIDATION)."
        )]
        last: Option<i32>,
        #[graphql(
            desc = "The cursor of the edge the page ends before (VALIDATION if not one of the \
                feed)."
        )]
        before: Option<String>,
        #[graphql(desc = "Only events whose `position` is above this one (exclusive).")]
        after_position: Option<i64>,
        #[graphql(desc = "Only events whose `position` is below this one (exclusive).")]
        before_position: Option<i64>,
        #[graphql(
            desc = "Wait (at most 5 s) until the read tables include this log position (NOT_READY \
                otherwise)."
        )]
        min_position: Option<i64>,
    ) -> async_graphql::Result<EventConnection> {
        let take = match (first, last) {
            (Some(_), Some(_)) => {
                return Err(ApiError::validation("last", "give first or last, not both").into())
            }
            (None, Some(n)) => Take::Last(
                page_size(Some(n)).map_err(|_| ApiError::validation("last", out_of_range(n)))?,
            ),
            (first, None) => Take::First(page_size(first)?),
        };
        reach(ctx, min_position).await?;
        let filter = filter.unwrap_or_default();
        if filter.actor.is_some() {
            allowed(ctx, Right::SeeIdentities)?;
        }
        let bounds = Bounds {
            after,
            before,
            after_position,
            before_position,
        };
        let narrowing = Narrowing {
            filter: &filter,
            identities: sees_identities(ctx),
            today: super::clock(ctx).today(),
        };
        let reads = &scope(ctx)?.reads;
        let order = order.unwrap_or_default();
        let forward = order == EventOrder::OldestFirst && matches!(take, Take::First(_));
        let page = feed_page(reads, &narrowing, order, &bounds, take).await?;
        if forward {
            // Oldest first with later events beyond the page: its events can no longer change.
            super::caching::events_page_is_final(ctx, &filter, &page);
        }
        prime_localities(ctx, &page).await?;
        Ok(page)
    }

    /// The log's head: the newest event's position and time, and how far the read tables
    /// have caught up.
    #[graphql(guard = "Needs(Right::Read)")]
    async fn head(&self, ctx: &Context<'_>) -> async_graphql::Result<LogHead> {
        let projected = api(ctx)?.projections.position();
        let (position, recorded_at) = scope(ctx)?.reads.log_head().await.map_err(ApiError::from)?;
        Ok(LogHead {
            position,
            recorded_at: recorded_at.map(Instant),
            projected: projected.min(position),
        })
    }
}

fn out_of_range(n: i32) -> String {
    format!("last must be from 1 to {}, got {n}", super::MAX_PAGE)
}

/// Reads the localities of a page's events, and what their selection asks for, together:
/// a page costs the same statements whatever its length.
async fn prime_localities(ctx: &Context<'_>, page: &EventConnection) -> Result<(), ApiError> {
    let locality = ctx
        .look_ahead()
        .field("edges")
        .field("node")
        .field("locality");
    if !locality.exists() {
        return Ok(());
    }
    let mut ids: Vec<String> = page
        .edges
        .iter()
        .filter_map(|e| locality_id_text(&e.node.0.stream_id).map(str::to_owned))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let loaders = &scope(ctx)?.loaders;
    let rows = loaders
        .localities
        .load_many(ids)
        .await
        .map_err(ApiError::internal)?;
    let rows: Vec<_> = rows
        .into_values()
        .filter_map(|r| r.first().cloned())
        .collect();
    let tree = TreeOn::existing(super::clock(ctx).today());
    loaders
        .prime_page(&locality, &rows, tree, false)
        .await
        .map_err(ApiError::internal)
}
