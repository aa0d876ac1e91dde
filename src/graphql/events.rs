//! Events as the audit feed shows them: envelope, metadata, hash chain, their locality; pages.

use async_graphql::{ComplexObject, Context, Json, Object, SimpleObject, ID};

use super::access::sees_identities;
use super::connection::{numeric_key, page, PageInfo};
pub use super::event_filter::{override_reason, EventFilter};
pub use super::event_types::EventType;
use super::locality::{load_locality, LocalityNode};
use super::scalars::{Date, Instant};
use super::ApiError;
use crate::app::codec::locality_id_text;
use crate::projection::read::{FeedQuery, Reads};
use crate::store::RecordedEvent;

/// Whether a reader sees `event`: token, account and session events (names, roles, scopes)
/// need `identities`.
pub fn visible(event: &RecordedEvent, identities: bool) -> bool {
    identities || !crate::auth::is_identity_stream(&event.stream_id)
}

/// One recorded event: what happened, when it is true from, who recorded it and when, and its
/// link in the stream's SHA-256 hash chain.
pub struct EventView(pub RecordedEvent);

/// One recorded event of the log: what happened, the date it is true from (valid time), who
/// recorded it and when (transaction time), and its link in its stream's SHA-256 hash chain.
#[Object(name = "Event")]
impl EventView {
    /// Its global id (`Node.id`): the event id, a UUID, as `eventId`.
    pub(super) async fn id(&self) -> ID {
        ID(self.0.event_id.to_string())
    }
    /// Global position in the log: gap-free, the order of the audit feed.
    async fn position(&self) -> i64 {
        self.0.position
    }
    /// The stream it belongs to: `locality/<locality id>`, `token/<token id>`,
    /// `user/<account id>`, `session/<session id>` or `catalog/<set code>`.
    async fn stream_id(&self) -> &str {
        &self.0.stream_id
    }
    /// Id of the locality whose stream it is; null for the streams of tokens and criteria sets.
    async fn locality_id(&self) -> Option<ID> {
        locality_id_text(&self.0.stream_id).map(|id| ID(id.to_owned()))
    }
    /// The locality whose stream it is, as it stands (null for the streams of tokens and
    /// criteria sets). The localities of a page are read together.
    async fn locality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<LocalityNode>> {
        match locality_id_text(&self.0.stream_id) {
            Some(id) => load_locality(ctx, id).await,
            None => Ok(None),
        }
    }
    /// Version within its stream (1-based); what `expectedVersion` counts.
    async fn version(&self) -> i64 {
        self.0.stream_version
    }
    /// The event's UUID, given when it was recorded; the same as `id`.
    async fn event_id(&self) -> ID {
        ID(self.0.event_id.to_string())
    }
    /// What kind of event it is (`eventType` is its stored name); an error for a kind this
    /// build does not know.
    #[graphql(name = "type")]
    async fn kind(&self) -> Result<EventType, ApiError> {
        EventType::from_stored(&self.0.event_type).ok_or_else(|| {
            ApiError::internal(format!("unknown event type {:?}", self.0.event_type))
        })
    }
    /// The version of its `payload`'s shape for its type (1 for every event this build
    /// writes); an older one is upcast when decoded, a newer one leaves `details` null.
    async fn schema_version(&self) -> i32 {
        self.0.schema_version
    }
    /// Valid time: the date the fact is true from (null for a retraction).
    async fn effective_on(&self) -> Option<Date> {
        self.0.effective_on.map(Date)
    }
    /// Transaction time, set by the server.
    async fn recorded_at(&self) -> Instant {
        Instant(self.0.recorded_at)
    }
    /// Who recorded it: the name of the token used (never from input). Null unless the
    /// request's token is an auditor's or an admin's.
    async fn actor(&self, ctx: &Context<'_>) -> Option<String> {
        sees_identities(ctx)
            .then(|| self.0.metadata().ok().map(|m| m.actor))
            .flatten()
    }
    /// Actor, role, token id, correlation and causation ids, as stored. Null unless the
    /// request's token is an auditor's or an admin's.
    async fn metadata(&self, ctx: &Context<'_>) -> Option<Json<serde_json::Value>> {
        sees_identities(ctx)
            .then(|| Json(serde_json::from_str(&self.0.metadata_json).unwrap_or_default()))
    }
    /// The request that recorded it (one per HTTP request or command-line run).
    async fn request_id(&self) -> Option<ID> {
        self.0.metadata().ok().and_then(|m| m.request_id).map(ID)
    }
    /// The conversation it belongs to: the client's `X-Correlation-Id` (or the request's own
    /// id), shared by every event recorded in its name.
    async fn correlation_id(&self) -> Option<ID> {
        let metadata = self.0.metadata().ok()?;
        metadata.correlation_id.map(|id| ID(id.to_string()))
    }
    /// The event this one follows from, when it is another event: the merger or split for
    /// the events on the other localities, the event a retraction withdraws, the merger an
    /// acknowledgement follows.
    async fn causation_id(&self) -> Option<ID> {
        let metadata = self.0.metadata().ok()?;
        metadata.causation_id.map(|id| ID(id.to_string()))
    }
    /// Why it was recorded as it is, when that is not plain: e.g. a rename inferred from the
    /// 2025 mapping rather than read in a legal act. Shown to everyone (it names no one).
    async fn reason(&self) -> Option<String> {
        self.0.metadata().ok().and_then(|m| m.reason)
    }
    /// Why a recognition was granted although its criteria, conditions or council vote did
    /// not support it; null for every other event. Shown to everyone: every override can be
    /// listed (`events(filter: {overridden: true})`).
    async fn override_reason(&self) -> Option<String> {
        override_reason(&self.0)
    }
    /// The event's fields, as stored; a password's hash (account events) is withheld: the
    /// event's `hash` still covers it.
    async fn payload(&self) -> Json<serde_json::Value> {
        let mut payload = serde_json::from_str(&self.0.payload).unwrap_or_default();
        crate::auth::user::shown_payload(&self.0.event_type, &mut payload);
        Json(payload)
    }
    /// SHA-256 (hex) over the canonical envelope and `prevHash`.
    async fn hash(&self) -> String {
        hex::encode(&self.0.hash)
    }
    /// The hash of the previous event of the same stream (64 zeros for the first).
    async fn prev_hash(&self) -> String {
        hex::encode(&self.0.prev_hash)
    }
    /// The stored name of its type, e.g. `IndicatorRecorded` (what `type` was before it
    /// became an enum).
    async fn event_type(&self) -> &str {
        &self.0.event_type
    }
    /// Its fields, typed by its kind; null for an event this build cannot decode (see
    /// `payload` for the recorded form).
    async fn details(&self) -> Option<super::event_details::EventDetails> {
        super::event_details::EventDetails::of(&self.0)
    }
    /// The RFC 6962 proof that it is in a signed checkpoint of the log: hashing `leafHash` with
    /// `hashes` must give the checkpoint's root. Null when `checkpoint` is not given and no
    /// checkpoint covers it yet (it is newer than the newest).
    async fn inclusion_proof(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The tree size of a kept checkpoint (NOT_FOUND when none is kept, VALIDATION \
                when it holds fewer events than this one's position); null: the newest."
        )]
        checkpoint: Option<i64>,
    ) -> async_graphql::Result<Option<super::transparency::InclusionProof>> {
        super::transparency::inclusion_proof(ctx, &self.0, checkpoint).await
    }
}

/// One event of a page, with its cursor.
#[derive(SimpleObject)]
pub struct EventEdge {
    /// Opaque cursor of this event in its list: pass it as `after` to continue after it (on
    /// the feed, also as `before`).
    pub cursor: String,
    /// The event.
    pub node: EventView,
}

/// A page of events.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct EventConnection {
    /// The page's events, in the list's order.
    pub edges: Vec<EventEdge>,
    /// Whether there are more pages either side, and the cursors of the page's ends.
    pub page_info: PageInfo,
    #[graphql(skip)]
    pub total: Total,
}

/// The size of a list of events: known (a stream's history, read whole), or to be counted
/// when asked (the feed: its reads, its filter and the part of it SQL applies).
pub enum Total {
    Known(i64),
    Feed(Box<(Reads, EventFilter, FeedQuery)>),
}

#[ComplexObject]
impl EventConnection {
    /// How many events the list holds, whatever page is asked: every event matching the
    /// filter (and `afterPosition`/`beforePosition` on the feed). Counted only when asked for:
    /// one `COUNT` in SQL when the filter is the locality, subtree and types; with a filter on
    /// metadata, times or overrides, by reading every event of the rest of the filter.
    async fn total_count(&self) -> async_graphql::Result<i64> {
        match &self.total {
            Total::Known(n) => Ok(*n),
            Total::Feed(counted) => {
                let (reads, filter, query) = counted.as_ref();
                Ok(super::feed::count(reads, filter, query.clone()).await?)
            }
        }
    }
}

/// A page of one stream's events, filtered by type and date.
pub fn history_page(
    events: Vec<RecordedEvent>,
    first: usize,
    after: Option<&str>,
    types: Option<Vec<EventType>>,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<EventConnection, ApiError> {
    let filter = EventFilter {
        types,
        ..EventFilter::default()
    };
    let sorted = events
        .into_iter()
        .filter(|e| filter.matches(e))
        .filter(|e| {
            let date = e.effective_on.unwrap_or(e.recorded_at.date_naive());
            from.is_none_or(|f| date >= f.0) && to.is_none_or(|t| date <= t.0)
        })
        .map(|e| (numeric_key(e.stream_version), e))
        .collect::<Vec<_>>();
    let total = Total::Known(sorted.len() as i64);
    let (items, page_info) = page(sorted, after, first)?;
    Ok(connection(items, page_info, total))
}

pub fn connection(
    items: Vec<(String, RecordedEvent)>,
    page_info: PageInfo,
    total: Total,
) -> EventConnection {
    EventConnection {
        edges: items
            .into_iter()
            .map(|(cursor, e)| EventEdge {
                cursor,
                node: EventView(e),
            })
            .collect(),
        page_info,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::EventType;
    use crate::domain::locality::LocalityEvent;

    #[test]
    fn every_domain_event_type_can_be_filtered_on() {
        let api: Vec<&str> = EventType::ALL.iter().map(|t| t.stored_name()).collect();
        for name in LocalityEvent::TYPES {
            assert!(api.contains(name), "EventType lacks {name}");
        }
    }
}
