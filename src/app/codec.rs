//! The one stream codec: how a locality's events are named, encoded and decoded in the store.
//!
//! Stream names are built and parsed here only (`locality/<uuid>`). Every reader of the log
//! (commands, the API, imports, the projector, `ntm replay`, `ntm verify`) decodes through
//! [`decode`], which follows one policy for an event it cannot read: **it is never skipped**.
//! The reader stops and names the event ([`Undecodable`]): a projection that silently left an
//! event out would show a standing the log does not support.
//!
//! Payloads carry a schema version. An event stored under an older version than this build
//! writes is brought up to date by [`Upcaster`]s, one step per version, before it is decoded;
//! a newer version than this build knows is refused (it was written by a later release).

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use crate::domain::locality::{LocalityEvent, LocalityId};
use crate::domain::standing::Recorded;
use crate::store::{
    DomainEvent, ExpectedVersion, LogEntry, NewEvent, RecordedEvent, StoreError, StreamAppend,
    StreamName,
};

/// The category of the localities' streams: `locality/<uuid>`.
pub const LOCALITY_CATEGORY: &str = "locality";

/// The stream of locality `id`.
pub fn locality_stream(id: &LocalityId) -> String {
    format!("{LOCALITY_CATEGORY}/{}", id.0)
}

/// The stream named by a locality id given as text (as the API receives it); no check that
/// the text is a UUID, so an unknown id reads as an empty stream.
pub fn locality_stream_of(id: &str) -> String {
    format!("{LOCALITY_CATEGORY}/{id}")
}

/// The id part of a locality stream's name, as stored; `None` for any other stream.
pub fn locality_id_text(stream_id: &str) -> Option<&str> {
    stream_id
        .strip_prefix(LOCALITY_CATEGORY)
        .and_then(|rest| rest.strip_prefix('/'))
}

/// The locality a stream belongs to; `None` for any other stream (tokens, …).
pub fn locality_of(stream_id: &str) -> Option<LocalityId> {
    locality_id_text(stream_id)?.parse().ok()
}

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
    const CATEGORY: &'static str = LOCALITY_CATEGORY;

    fn to_id_string(&self) -> String {
        self.0.to_string()
    }

    fn parse_id(id: &str) -> Option<Self> {
        id.parse().ok()
    }
}

/// The events of one locality's stream within a (possibly multi-stream) append.
pub fn encode(
    id: &LocalityId,
    expected: ExpectedVersion,
    events: &[LocalityEvent],
) -> Result<StreamAppend, StoreError> {
    Ok(StreamAppend {
        stream_id: locality_stream(id),
        expected,
        events: events
            .iter()
            .map(NewEvent::from_domain)
            .collect::<Result<_, _>>()?,
    })
}

/// What the codec needs of a stored event: [`RecordedEvent`] and the projector's lighter
/// [`LogEntry`] both have it.
pub trait Stored {
    fn position(&self) -> i64;
    fn stream_id(&self) -> &str;
    fn stream_version(&self) -> i64;
    fn event_type(&self) -> &str;
    fn schema_version(&self) -> i32;
    fn recorded_at(&self) -> DateTime<Utc>;
    fn payload(&self) -> &str;
}

macro_rules! stored {
    ($type:ty) => {
        impl Stored for $type {
            fn position(&self) -> i64 {
                self.position
            }
            fn stream_id(&self) -> &str {
                &self.stream_id
            }
            fn stream_version(&self) -> i64 {
                self.stream_version
            }
            fn event_type(&self) -> &str {
                &self.event_type
            }
            fn schema_version(&self) -> i32 {
                self.schema_version
            }
            fn recorded_at(&self) -> DateTime<Utc> {
                self.recorded_at
            }
            fn payload(&self) -> &str {
                &self.payload
            }
        }
    };
}
stored!(RecordedEvent);
stored!(LogEntry);

/// A stored event this build cannot read as a locality event, named for the operator.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "event at position {position} ({event_type} v{schema_version} in {stream_id}) \
     does not decode: {reason}"
)]
pub struct Undecodable {
    pub position: i64,
    pub stream_id: String,
    pub event_type: String,
    pub schema_version: i32,
    pub reason: String,
}

/// One step of a payload's schema: turns the JSON of `event_type` at version `from` into the
/// JSON of version `from + 1`.
///
/// ```
/// use ntm_tracker::app::codec::Upcaster;
/// use serde_json::json;
///
/// // Suppose version 1 of LocalityRenamed called the field `title`.
/// let step = Upcaster {
///     event_type: "LocalityRenamed",
///     from: 1,
///     upcast: |mut v| {
///         let body = v.as_object_mut().ok_or("not an object")?;
///         let title = body.remove("title").ok_or("no title")?;
///         body.insert("name".into(), title);
///         Ok(v)
///     },
/// };
/// let v2 = (step.upcast)(json!({"type": "LocalityRenamed", "title": "Xã Thạch Hà"})).unwrap();
/// assert_eq!(v2, json!({"type": "LocalityRenamed", "name": "Xã Thạch Hà"}));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Upcaster {
    pub event_type: &'static str,
    pub from: i32,
    pub upcast: fn(Value) -> Result<Value, &'static str>,
}

/// The upcasters of this build, oldest step first. Empty while every payload is at version 1:
/// add one here (and bump [`LocalityEvent::schema_version`]) when a payload's shape changes.
pub const UPCASTERS: &[Upcaster] = &[];

/// The event `stored` holds, with its stream version and recording time, or why it cannot be
/// read (see the module's policy).
pub fn decode(stored: &impl Stored) -> Result<Recorded<LocalityEvent>, Undecodable> {
    let event = decode_with(stored, UPCASTERS, current_version)?;
    Ok(Recorded {
        version: u64::try_from(stored.stream_version()).unwrap_or(0),
        recorded_at: stored.recorded_at(),
        event,
    })
}

/// The schema version this build writes for `event_type` (every locality event: 1 today).
fn current_version(_event_type: &str) -> i32 {
    1
}

/// [`decode`] with the given upcasters and current versions (the tests bring their own).
pub fn decode_with(
    stored: &impl Stored,
    upcasters: &[Upcaster],
    current: fn(&str) -> i32,
) -> Result<LocalityEvent, Undecodable> {
    let refuse = |reason: String| Undecodable {
        position: stored.position(),
        stream_id: stored.stream_id().to_owned(),
        event_type: stored.event_type().to_owned(),
        schema_version: stored.schema_version(),
        reason,
    };
    let kind = stored.event_type();
    let target = current(kind);
    let mut version = stored.schema_version();
    let event: LocalityEvent = if version == target {
        serde_json::from_str(stored.payload()).map_err(|e| refuse(e.to_string()))?
    } else if version > target {
        return Err(refuse(format!(
            "this build reads {kind} up to version {target}: written by a later release"
        )));
    } else {
        let mut value: Value =
            serde_json::from_str(stored.payload()).map_err(|e| refuse(e.to_string()))?;
        while version < target {
            let step = upcasters
                .iter()
                .find(|u| u.event_type == kind && u.from == version)
                .ok_or_else(|| refuse(format!("no upcaster from version {version}")))?;
            value = (step.upcast)(value)
                .map_err(|why| refuse(format!("upcasting from version {version}: {why}")))?;
            version += 1;
        }
        serde_json::from_value(value).map_err(|e| refuse(e.to_string()))?
    };
    if event.event_type() != kind {
        return Err(refuse(format!("the payload is a {}", event.event_type())));
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn stored(event_type: &str, schema_version: i32, payload: Value) -> LogEntry {
        LogEntry {
            position: 7,
            stream_id: "locality/0195f0b2-0000-7000-8000-000000000001".into(),
            stream_version: 3,
            event_type: event_type.into(),
            schema_version,
            recorded_at: crate::app::clock::now(),
            payload: payload.to_string(),
        }
    }

    /// Version 1 of a hypothetical LocalityRenamed kept the name under `title`; version 2 (the
    /// shape this build decodes, in this test) calls it `name`.
    const RENAMED_V1_TO_V2: Upcaster = Upcaster {
        event_type: "LocalityRenamed",
        from: 1,
        upcast: |mut value| {
            let body = value.as_object_mut().ok_or("not an object")?;
            let title = body.remove("title").ok_or("no title")?;
            body.insert("name".into(), title);
            Ok(value)
        },
    };

    fn renamed_at_v2(kind: &str) -> i32 {
        if kind == "LocalityRenamed" {
            2
        } else {
            1
        }
    }

    fn v1_rename() -> LogEntry {
        stored(
            "LocalityRenamed",
            1,
            json!({"type": "LocalityRenamed", "effective_on": "2025-07-01",
                   "title": "Xã Thạch Hà", "legal_act": "1665/NQ-UBTVQH15"}),
        )
    }

    #[test]
    fn an_older_payload_is_upcast_to_the_shape_this_build_reads() {
        let event = decode_with(&v1_rename(), &[RENAMED_V1_TO_V2], renamed_at_v2).expect("upcast");
        let LocalityEvent::LocalityRenamed(renamed) = event else {
            panic!("decoded as {event:?}");
        };
        assert_eq!(renamed.name, "Xã Thạch Hà");
    }

    #[test]
    fn a_missing_upcaster_or_a_later_version_names_the_event() {
        let error = decode_with(&v1_rename(), &[], renamed_at_v2).expect_err("refused");
        assert_eq!(error.position, 7);
        assert!(
            error.reason.contains("no upcaster from version 1"),
            "{error}"
        );
        let later = stored("LocalityRenamed", 2, json!({}));
        let error = decode(&later).expect_err("refused");
        assert!(error.reason.contains("later release"), "{error}");
    }

    #[test]
    fn a_payload_of_another_type_than_its_envelope_says_is_refused() {
        let payload = json!({"type": "LocalityRenamed", "effective_on": "2025-07-01",
            "name": "Xã Thạch Hà", "legal_act": "1665/NQ-UBTVQH15"});
        assert!(decode(&stored("LocalityRenamed", 1, payload.clone())).is_ok());
        let error = decode(&stored("LocalityRecoded", 1, payload)).expect_err("refused");
        assert!(error.reason.contains("is a LocalityRenamed"), "{error}");
    }

    #[test]
    fn stream_names_are_built_and_parsed_here() {
        let id: LocalityId = "0195f0b2-0000-7000-8000-000000000001".parse().expect("id");
        let stream = locality_stream(&id);
        assert_eq!(stream, "locality/0195f0b2-0000-7000-8000-000000000001");
        assert_eq!(locality_of(&stream), Some(id));
        assert_eq!(
            locality_of("token/0195f0b2-0000-7000-8000-000000000001"),
            None
        );
        assert_eq!(locality_of("localityx/1"), None);
    }
}
