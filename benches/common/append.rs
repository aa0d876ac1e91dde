//! The store benchmark's append through the product, shared with the import benchmark, which
//! measures W2 (batches of 100) in its own run to compare against.

use ntm_tracker::store::{AppendRequest, EventStore, ExpectedVersion, Metadata, NewEvent};

/// Appends `count` events of `payload` to stream `s` from version `from`, `per_txn` events a
/// transaction.
pub async fn product_append(
    store: &EventStore,
    s: &str,
    from: usize,
    count: usize,
    per_txn: usize,
    payload: &str,
) {
    for start in (from..from + count).step_by(per_txn) {
        let events = (0..per_txn)
            .map(|_| NewEvent {
                event_type: "IndicatorRecorded".into(),
                schema_version: 1,
                payload: payload.to_owned(),
                effective_on: None,
                caused_by: None,
            })
            .collect();
        let request = AppendRequest::single(
            s,
            ExpectedVersion::Exact(start as i64),
            events,
            Metadata::system("bench"),
        );
        store.append(request).await.expect("append");
    }
}
