//! Events as the audit feed shows them: envelope, metadata, hash chain; filters and pages.

use async_graphql::{Context, InputObject, Json, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::access::sees_identities;
use super::connection::{decode_numeric, numeric_key, page, PageInfo};
pub use super::event_types::EventType;
use super::scalars::Date;
use super::ApiError;
use crate::app::codec::locality_id_text;
use crate::projection::read::TreeOn;
use crate::store::RecordedEvent;

/// Whether a reader sees `event`: token events (names, roles, scopes) need `identities`.
pub fn visible(event: &RecordedEvent, identities: bool) -> bool {
    identities || !event.stream_id.starts_with(crate::auth::token::CATEGORY)
}

/// One recorded event: what happened, when it is true from, who recorded it and when, and its
/// link in the stream's SHA-256 hash chain.
pub struct EventView(pub RecordedEvent);

#[Object(name = "Event")]
impl EventView {
    /// Global position in the log: gap-free, the order of the audit feed.
    async fn position(&self) -> i64 {
        self.0.position
    }
    async fn stream_id(&self) -> &str {
        &self.0.stream_id
    }
    async fn locality_id(&self) -> Option<ID> {
        locality_id_text(&self.0.stream_id).map(|id| ID(id.to_owned()))
    }
    /// Version within its stream (1-based); what `expectedVersion` counts.
    async fn version(&self) -> i64 {
        self.0.stream_version
    }
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
    async fn schema_version(&self) -> i32 {
        self.0.schema_version
    }
    /// Valid time: the date the fact is true from (null for a retraction).
    async fn effective_on(&self) -> Option<Date> {
        self.0.effective_on.map(Date)
    }
    /// Transaction time, set by the server.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
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
    /// The event's fields, as stored.
    async fn payload(&self) -> Json<serde_json::Value> {
        Json(serde_json::from_str(&self.0.payload).unwrap_or_default())
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
}

#[derive(SimpleObject)]
pub struct EventEdge {
    pub cursor: String,
    pub node: EventView,
}

/// A page of events.
#[derive(SimpleObject)]
pub struct EventConnection {
    pub edges: Vec<EventEdge>,
    pub page_info: PageInfo,
}

/// Which events the audit feed and the `events` subscription deliver; all given fields must hold.
#[derive(InputObject, Clone, Debug, Default)]
pub struct EventFilter {
    /// Events of this locality only.
    pub locality: Option<ID>,
    /// Events of this locality and of every locality below it on `on`: those existing that
    /// day, and those that had ended by then where they stood when they ended (see
    /// docs/decisions/tree-on-a-date.md). All their events, whatever their
    /// effective date (narrow with `effectiveFrom`/`effectiveTo`).
    pub subtree: Option<ID>,
    /// The day whose tree `subtree` follows (default today, Vietnam's date; for a
    /// subscription, the day each event arrives).
    pub on: Option<Date>,
    pub types: Option<Vec<EventType>>,
    /// Recorded by this actor (a token name); auditors and admins only.
    pub actor: Option<String>,
    /// Recorded in this conversation (`Event.correlationId`).
    pub correlation_id: Option<ID>,
    /// Following from this event (`Event.causationId`): e.g. every event a merger caused.
    pub causation_id: Option<ID>,
    pub recorded_from: Option<DateTime<Utc>>,
    pub recorded_to: Option<DateTime<Utc>>,
    pub effective_from: Option<Date>,
    pub effective_to: Option<Date>,
    /// True: only recognitions granted with an override reason (`Event.overrideReason`);
    /// false: every event but those.
    pub overridden: Option<bool>,
}

impl EventFilter {
    /// The locality whose subtree is asked for, on the tree of `on` or else of `today`, ended
    /// units included.
    pub fn subtree_on(&self, today: chrono::NaiveDate) -> Option<(String, TreeOn)> {
        let tree = TreeOn {
            on: self.on.map_or(today, |d| d.0),
            include_ended: true,
        };
        self.subtree.as_ref().map(|id| (id.to_string(), tree))
    }

    /// Every condition except `subtree`, which needs the read tables.
    pub fn matches(&self, event: &RecordedEvent) -> bool {
        let in_range = |value: Option<chrono::NaiveDate>, from: Option<Date>, to: Option<Date>| {
            from.is_none_or(|f| value.is_some_and(|v| v >= f.0))
                && to.is_none_or(|t| value.is_some_and(|v| v <= t.0))
        };
        self.locality
            .as_ref()
            .is_none_or(|l| locality_id_text(&event.stream_id) == Some(l.as_str()))
            && self
                .types
                .as_ref()
                .is_none_or(|t| t.iter().any(|t| t.stored_name() == event.event_type))
            && self.matches_metadata(event)
            && self.recorded_from.is_none_or(|f| event.recorded_at >= f)
            && self.recorded_to.is_none_or(|t| event.recorded_at <= t)
            && in_range(event.effective_on, self.effective_from, self.effective_to)
            && self
                .overridden
                .is_none_or(|wanted| override_reason(event).is_some() == wanted)
    }

    /// The conditions on the metadata (actor, correlation and causation ids), which is parsed
    /// only when one of them is asked for, and then once.
    fn matches_metadata(&self, event: &RecordedEvent) -> bool {
        if self.actor.is_none() && self.correlation_id.is_none() && self.causation_id.is_none() {
            return true;
        }
        let Ok(metadata) = event.metadata() else {
            return false;
        };
        let same = |wanted: &Option<ID>, id: Option<uuid::Uuid>| {
            wanted
                .as_ref()
                .is_none_or(|w| id.is_some_and(|id| id.to_string() == w.as_str()))
        };
        self.actor.as_ref().is_none_or(|a| &metadata.actor == a)
            && same(&self.correlation_id, metadata.correlation_id)
            && same(&self.causation_id, metadata.causation_id)
    }
}

/// The override reason of a recognition granted with one; the payload is read only for a
/// `RecognitionGranted` event.
pub fn override_reason(event: &RecordedEvent) -> Option<String> {
    if event.event_type != "RecognitionGranted" {
        return None;
    }
    let payload: serde_json::Value = serde_json::from_str(&event.payload).ok()?;
    payload["override_reason"]
        .as_str()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
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
        .collect();
    let (items, page_info) = page(sorted, after, first)?;
    Ok(connection(items, page_info))
}

pub fn connection(items: Vec<(String, RecordedEvent)>, page_info: PageInfo) -> EventConnection {
    EventConnection {
        edges: items
            .into_iter()
            .map(|(cursor, e)| EventEdge {
                cursor,
                node: EventView(e),
            })
            .collect(),
        page_info,
    }
}

/// The position an `after` cursor of the audit feed stands for (0 without one).
pub fn feed_position(after: Option<&str>) -> Result<i64, ApiError> {
    after.map_or(Ok(0), decode_numeric)
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
