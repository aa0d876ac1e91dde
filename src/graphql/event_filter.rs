//! Which events the audit feed and the `events` subscription deliver: the filter, what of it
//! SQL applies and what is matched in Rust.

use async_graphql::{InputObject, ID};

use super::events::EventType;
use super::scalars::{Date, Instant};
use crate::app::codec::locality_id_text;
use crate::projection::read::TreeOn;
use crate::store::RecordedEvent;

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
    /// Events of one of these types; null: every type.
    pub types: Option<Vec<EventType>>,
    /// Recorded by this actor (a token name); auditors and admins only.
    pub actor: Option<String>,
    /// Recorded in this conversation (`Event.correlationId`).
    pub correlation_id: Option<ID>,
    /// Following from this event (`Event.causationId`): e.g. every event a merger caused.
    pub causation_id: Option<ID>,
    /// Recorded at or after this instant (transaction time, `Event.recordedAt`).
    pub recorded_from: Option<Instant>,
    /// Recorded at or before this instant (transaction time, `Event.recordedAt`).
    pub recorded_to: Option<Instant>,
    /// True from this date or later (valid time, `Event.effectiveOn`); events without an
    /// effective date (retractions) are left out.
    pub effective_from: Option<Date>,
    /// True from this date or earlier (valid time, `Event.effectiveOn`); events without an
    /// effective date (retractions) are left out.
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

    /// Whether a condition SQL does not apply is given (metadata, times, overrides): then the
    /// feed matches every event SQL selects in Rust, and counting them reads them all.
    pub fn needs_rust(&self) -> bool {
        self.actor.is_some()
            || self.correlation_id.is_some()
            || self.causation_id.is_some()
            || self.recorded_from.is_some()
            || self.recorded_to.is_some()
            || self.effective_from.is_some()
            || self.effective_to.is_some()
            || self.overridden.is_some()
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
            && self.recorded_from.is_none_or(|f| event.recorded_at >= f.0)
            && self.recorded_to.is_none_or(|t| event.recorded_at <= t.0)
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
