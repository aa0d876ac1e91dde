//! How the domain's locality events are stored: stream `locality/<uuid>`, type name, schema
//! version and effective date taken from the event (kept out of `domain`, which has no I/O).

use chrono::NaiveDate;

use crate::domain::locality::{LocalityEvent, LocalityId};
use crate::store::{DomainEvent, ExpectedVersion, NewEvent, StoreError, StreamAppend, StreamName};

impl DomainEvent for LocalityEvent {
    fn event_type(&self) -> &'static str {
        LocalityEvent::event_type(self)
    }

    fn schema_version(&self) -> i32 {
        i32::from(LocalityEvent::schema_version(self))
    }

    fn effective_on(&self) -> Option<NaiveDate> {
        LocalityEvent::effective_on(self)
    }
}

impl StreamName for LocalityId {
    const CATEGORY: &'static str = "locality";

    fn to_id_string(&self) -> String {
        self.0.to_string()
    }

    fn parse_id(id: &str) -> Option<Self> {
        id.parse().ok()
    }
}

/// Events for one locality's stream within a (possibly multi-stream) append.
pub fn stream_append(
    id: &LocalityId,
    expected: ExpectedVersion,
    events: &[LocalityEvent],
) -> Result<StreamAppend, StoreError> {
    Ok(StreamAppend {
        stream_id: id.stream_id(),
        expected,
        events: events
            .iter()
            .map(NewEvent::from_domain)
            .collect::<Result<_, _>>()?,
    })
}
