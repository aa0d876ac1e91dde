//! Many writers on one commune at once: without `expectedVersion` every command lands (in
//! turn within the process, deciding again after other processes' writes); with it, a
//! conflict is the answer.

use std::sync::Arc;

use ntm_tracker::store::StreamRange;
use serde_json::{json, Value};

use crate::support::graphql::enrolled_commune;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    concurrent_writers_without_expected_version_all_land,
    concurrent_writers_with_the_same_expected_version_one_lands
);

const WRITERS: usize = 8;
const PER_WRITER: usize = 12;

const READING: &str = "mutation($input: RecordIndicatorReadingInput!) {
    recordIndicatorReading(input: $input) { version position } }";

fn reading(locality: &str, key: &str, percent: usize) -> Value {
    json!({ "input": {
        "locality": locality, "idempotencyKey": key, "set": "NTM-XA-2021-2025",
        "indicator": "2.1", "value": { "percent": percent }, "effectiveOn": "2021-02-01" } })
}

async fn concurrent_writers_without_expected_version_all_land(db: &TestDb) {
    let server = Arc::new(Server::start(db).await);
    let commune = enrolled_commune(&server).await;
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (server, commune) = (server.clone(), commune.clone());
            tokio::spawn(async move {
                for n in 0..PER_WRITER {
                    let key = format!("writer {w} reading {n}");
                    let response = server.post(READING, reading(&commune, &key, n)).await;
                    assert!(response.get("errors").is_none(), "{key}: {response:#}");
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.expect("writer");
    }
    let stream = server
        .store
        .read_stream(
            &ntm_tracker::app::codec::locality_stream_of(&commune),
            StreamRange::all(),
        )
        .await
        .expect("stream");
    let readings = stream
        .iter()
        .filter(|e| e.event_type == "IndicatorRecorded")
        .count();
    assert_eq!(readings, WRITERS * PER_WRITER);
    assert_eq!(stream.len(), 2 + WRITERS * PER_WRITER, "nothing else");
    // Commands of one process take turns on a locality: none of them even reached the store
    // with a stale version.
    assert_eq!(server.store.append_counts().conflicts, 0);
}

async fn concurrent_writers_with_the_same_expected_version_one_lands(db: &TestDb) {
    let server = Arc::new(Server::start(db).await);
    let commune = enrolled_commune(&server).await;
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (server, commune) = (server.clone(), commune.clone());
            tokio::spawn(async move {
                let mut input = reading(&commune, &format!("strict {w}"), w);
                input["input"]["expectedVersion"] = json!(2);
                server.post(READING, input).await
            })
        })
        .collect();
    let mut landed = 0;
    for writer in writers {
        let response = writer.await.expect("writer");
        match response.get("errors") {
            None => landed += 1,
            Some(errors) => assert_eq!(
                errors[0]["extensions"]["code"], "VERSION_CONFLICT",
                "{response:#}"
            ),
        }
    }
    assert_eq!(landed, 1, "one writer saw version 2, the others a conflict");
    assert_eq!(
        server.event_count().await,
        4,
        "token, register, enrol, one reading"
    );
}
