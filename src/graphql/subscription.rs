//! Live subscriptions over graphql-transport-ws, fed by the store's ordered log
//! (`EventStore::subscribe`): catch-up then live, with nothing lost or repeated in between.

use async_graphql::{Context, Subscription, ID};
use chrono::NaiveDate;
use futures::stream::{BoxStream, StreamExt};

use super::access::{allowed, sees_identities, Needs};
use super::events::{visible, EventFilter, EventView};
use super::standing::StandingView;
use super::streams::standing_code;
use super::{api, scope, ApiContext, ApiError, MIN_POSITION_WAIT};
use crate::app::codec::locality_id_text;
use crate::auth::Right;
use crate::projection::read::row_kinds::Standings;
use crate::projection::read::{Reads, TreeOn};
use crate::store::RecordedEvent;

pub struct SubscriptionRoot;

/// Whether an event belongs to `subtree` on the tree of `on` (default: today as it arrives),
/// ended units included, once the read tables include it.
async fn within(
    api: &ApiContext,
    reads: &Reads,
    event: &RecordedEvent,
    subtree: Option<&str>,
    on: Option<NaiveDate>,
) -> Result<bool, ApiError> {
    let Some(ancestor) = subtree else {
        return Ok(true);
    };
    let tree = TreeOn {
        on: on.unwrap_or_else(|| api.clock.today()),
        include_ended: true,
    };
    let Some(locality) = locality_id_text(&event.stream_id) else {
        return Ok(false);
    };
    api.projections
        .wait_for(event.position, MIN_POSITION_WAIT)
        .await?;
    Ok(reads.is_within(locality, ancestor, tree).await?)
}

/// Live feeds over `/graphql/ws` (graphql-transport-ws): the log's events and the standings they
/// change, caught up from a position then live, nothing lost or repeated.
#[Subscription(name = "Subscription")]
impl SubscriptionRoot {
    /// Every event matching `filter` after position `after` (default: the current end of the
    /// log), in position order, then each new one as it is recorded. To resume after a
    /// disconnect, pass the position of the last event received. Actors, metadata and token
    /// events only reach auditors and admins.
    #[graphql(guard = "Needs(Right::Read)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Which events (default: all); `actor` only with an auditor or admin token."
        )]
        filter: Option<EventFilter>,
        #[graphql(
            desc = "Deliver events whose `position` is above this one (default: the end of the \
                log)."
        )]
        after: Option<i64>,
    ) -> async_graphql::Result<BoxStream<'static, async_graphql::Result<EventView>>> {
        let api = api(ctx)?.clone();
        let reads = scope(ctx)?.reads.clone();
        let after = match after {
            Some(p) => p,
            None => api.store.last_position().await.map_err(ApiError::from)?,
        };
        let filter = filter.unwrap_or_default();
        if filter.actor.is_some() {
            allowed(ctx, Right::SeeIdentities)?;
        }
        let identities = sees_identities(ctx);
        let stream = api.store.subscribe(after).filter_map(move |item| {
            let (api, reads, filter) = (api.clone(), reads.clone(), filter.clone());
            async move {
                let event = match item {
                    Ok(event) => event,
                    Err(error) => return Some(Err(ApiError::from(error).into())),
                };
                if !filter.matches(&event) || !visible(&event, identities) {
                    return None;
                }
                let subtree = filter.subtree.as_ref().map(|s| s.to_string());
                let on = filter.on.map(|d| d.0);
                match within(&api, &reads, &event, subtree.as_deref(), on).await {
                    Ok(true) => Some(Ok(EventView(event))),
                    Ok(false) => None,
                    Err(error) => Some(Err(error.into())),
                }
            }
        });
        Ok(stream.boxed())
    }

    /// The present standing of each (locality, set) an event after position `after` (default:
    /// the current end of the log) touches, once the read tables include that event; only
    /// localities in `subtree` (on today's tree as each event arrives, ended units included)
    /// and standings for `set` when given. Each item's `position` is that of the event that
    /// changed it, and grows from item to item; a change the read tables have already
    /// overtaken with a later event of the same locality comes once, with that event. To
    /// resume after a disconnect, pass the `position` of the last item received: nothing is
    /// lost or repeated.
    #[graphql(guard = "Needs(Right::Read)")]
    async fn standing_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only localities below this one, itself included (its id; malformed: \
                VALIDATION); null: all."
        )]
        subtree: Option<ID>,
        #[graphql(
            desc = "Only standings for this set code (unknown: NOT_FOUND); null: every set."
        )]
        set: Option<String>,
        #[graphql(
            desc = "Deliver changes by events whose `position` is above this one (default: the \
                end of the log)."
        )]
        after: Option<i64>,
    ) -> async_graphql::Result<BoxStream<'static, async_graphql::Result<StandingView>>> {
        let api = api(ctx)?.clone();
        let reads = scope(ctx)?.reads.clone();
        // Refused now, not silent forever: an unknown set (a restatement's code stands for the
        // set it restates, whose standings it grades) or a malformed subtree id.
        let set = match set {
            Some(code) => Some(standing_code(&api.catalog.current(), &code)?.to_string()),
            None => None,
        };
        let subtree = subtree.map(|s| s.to_string());
        if let Some(id) = &subtree {
            if id.parse::<crate::domain::locality::LocalityId>().is_err() {
                let message = format!("{id:?} is not a locality id (a UUID)");
                return Err(ApiError::validation("subtree", message).into());
            }
        }
        let after = match after {
            Some(p) => p,
            None => api.store.last_position().await.map_err(ApiError::from)?,
        };
        let stream = api.store.subscribe(after).then(move |item| {
            let (api, reads, subtree, set) =
                (api.clone(), reads.clone(), subtree.clone(), set.clone());
            async move {
                let event = item.map_err(ApiError::from)?;
                let Some(locality) = locality_id_text(&event.stream_id) else {
                    return Ok(Vec::new());
                };
                // Waits for the projection even without a subtree: the standing must include it.
                api.projections
                    .wait_for(event.position, MIN_POSITION_WAIT)
                    .await?;
                if !within(&api, &reads, &event, subtree.as_deref(), None).await? {
                    return Ok(Vec::new());
                }
                let rows = reads.rows::<Standings>(&[locality.to_owned()]).await?;
                // A row that already includes a later event of its stream is delivered with
                // that event, not twice: each item carries the position of the event that
                // changed it, and positions only grow.
                Ok::<_, ApiError>(
                    rows.iter()
                        .filter(|r| set.as_ref().is_none_or(|s| &r.set_code == s))
                        .filter(|r| r.last_position <= event.position)
                        .map(StandingView::from_row)
                        .collect(),
                )
            }
        });
        let flattened = stream.flat_map(|batch| {
            let items: Vec<async_graphql::Result<StandingView>> = match batch {
                Ok(list) => list.into_iter().map(Ok).collect(),
                Err(error) => vec![Err(error.into())],
            };
            futures::stream::iter(items)
        });
        Ok(flattened.boxed())
    }
}
