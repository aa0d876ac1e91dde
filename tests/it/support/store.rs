//! Events appended straight to the store, below the domain: a counter event per append.

use ntm_tracker::store::{
    AppendRequest, EventStore, ExpectedVersion, Metadata, NewEvent, RecordedEvent,
};
use serde_json::json;

/// A new event of type `kind` carrying `payload`.
pub fn event(kind: &str, payload: serde_json::Value) -> NewEvent {
    NewEvent::json(kind, &payload).expect("serialisable")
}

/// The metadata of the system actor `test`.
pub fn meta() -> Metadata {
    Metadata::system("test")
}

/// Appends one `Counted` event numbered `n` to `stream`, expected at version `expected`.
pub async fn append_one(store: &EventStore, stream: &str, expected: i64, n: u64) -> RecordedEvent {
    let request = AppendRequest::single(
        stream,
        ExpectedVersion::Exact(expected),
        vec![event("Counted", json!({ "n": n }))],
        meta(),
    );
    let appended = store.append(request).await.expect("append");
    appended.events.into_iter().next().expect("one event")
}
