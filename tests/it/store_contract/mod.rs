//! The storage contract: the same tests against SQLite and PostgreSQL.

use futures::StreamExt;
use ntm_tracker::store::{
    AppendRequest, Db, EventStore, ExpectedVersion, LogEntry, Metadata, NewEvent, Problem,
    RecordedEvent, StoreError, StreamAppend, StreamRange,
};
use serde_json::json;

use crate::support::store::{append_one, event, meta};
use crate::support::{on_both_engines, TestDb};

mod repository;
mod tamper;

on_both_engines!(
    round_trip_is_byte_exact,
    large_payloads_round_trip,
    concurrent_appenders_to_one_stream_conflict,
    idempotent_retry_returns_the_first_result,
    readers_never_skip_late_commits,
    multi_stream_append_is_all_or_nothing,
    stream_reads_are_bounded_by_version_and_time,
    subscriptions_resume_after_a_position,
    raw_update_and_delete_are_refused,
    tampering_is_detected_and_named,
    deleted_events_are_detected,
    undecodable_events_are_named,
    unreadable_columns_are_named,
    repository_loads_and_saves_an_aggregate,
);

async fn count(store: &EventStore) -> usize {
    store.read_all(0, i64::MAX).await.expect("read").len()
}

async fn round_trip_is_byte_exact(db: &TestDb) {
    let store = db.store().await;
    let nfc = "Xã Thạch Trung, thành phố Hà Tĩnh";
    let nfd = "Xa\u{0303} Tha\u{0323}ch Trung, thành phô\u{0302}\u{0301} Ha\u{0300} Ti\u{0303}nh";
    assert_ne!(nfc.as_bytes(), nfd.as_bytes());
    // The payload text is kept as given, including its key order and spacing.
    let payload = format!("{{\"nfd\": \"{nfd}\", \"nfc\": \"{nfc}\"}}");
    let new = NewEvent {
        event_type: "LocalityRenamed".into(),
        schema_version: 2,
        payload: payload.clone(),
        effective_on: chrono::NaiveDate::from_ymd_opt(2025, 1, 1),
        caused_by: None,
    };
    let metadata = Metadata {
        actor: "Văn phòng Điều phối NTM tỉnh Hà Tĩnh".into(),
        role: "recorder".into(),
        correlation_id: Some(uuid::Uuid::now_v7()),
        ..meta()
    };
    let request = AppendRequest::single(
        "stream/1",
        ExpectedVersion::Exact(0),
        vec![new],
        metadata.clone(),
    );
    let appended = store.append(request).await.expect("append");

    let read = store
        .read_stream("stream/1", StreamRange::all())
        .await
        .expect("read");
    assert_eq!(read, appended.events, "what was written is what is read");
    let e = &read[0];
    assert_eq!(e.payload.as_bytes(), payload.as_bytes());
    assert_eq!((e.stream_version, e.position, e.schema_version), (1, 1, 2));
    assert_eq!(e.event_type, "LocalityRenamed");
    assert_eq!(e.metadata().expect("metadata"), metadata);
    assert_eq!(e.effective_on, chrono::NaiveDate::from_ymd_opt(2025, 1, 1));
    assert_eq!(e.hash, e.computed_hash().to_vec());
    assert_eq!(store.read_all(0, 10).await.expect("read all"), read);
}

async fn large_payloads_round_trip(db: &TestDb) {
    let store = db.store().await;
    let big = "ệ".repeat(350_000); // 1.05 MB of UTF-8
    let request = AppendRequest::single(
        "stream/big",
        ExpectedVersion::Any,
        vec![event("EvidenceAttached", json!({ "text": big }))],
        meta(),
    );
    store.append(request).await.expect("append 1 MB");
    let read = store
        .read_stream("stream/big", StreamRange::all())
        .await
        .expect("read");
    let value: serde_json::Value = serde_json::from_str(&read[0].payload).expect("json");
    assert_eq!(value["text"].as_str().map(str::len), Some(big.len()));
    assert!(read[0].payload.len() > 1_000_000);
}

async fn concurrent_appenders_to_one_stream_conflict(db: &TestDb) {
    // Two store handles: two writer tasks, as two processes would have.
    let stores = [db.store().await, db.store().await];
    for round in 0..5_i64 {
        let mut tasks = Vec::new();
        for i in 0..8 {
            let store = stores[i % 2].clone();
            tasks.push(tokio::spawn(async move {
                let request = AppendRequest::single(
                    "stream/contended",
                    ExpectedVersion::Exact(round),
                    vec![event("Counted", json!({ "writer": i }))],
                    meta(),
                );
                store.append(request).await
            }));
        }
        let mut won = 0;
        for task in tasks {
            match task.await.expect("task") {
                Ok(_) => won += 1,
                Err(StoreError::VersionConflict {
                    expected, actual, ..
                }) => {
                    assert_eq!((expected, actual), (round, round + 1));
                }
                Err(other) => panic!("unexpected error {other}"),
            }
        }
        assert_eq!(won, 1, "exactly one appender wins round {round}");
    }
    let read = stores[0]
        .read_stream("stream/contended", StreamRange::all())
        .await
        .expect("read");
    let versions: Vec<i64> = read.iter().map(|e| e.stream_version).collect();
    assert_eq!(versions, vec![1, 2, 3, 4, 5]);
}

async fn idempotent_retry_returns_the_first_result(db: &TestDb) {
    let store = db.store().await;
    let request = AppendRequest::single(
        "stream/7",
        ExpectedVersion::Exact(0),
        vec![
            event("Counted", json!({ "n": 1 })),
            event("Counted", json!({ "n": 2 })),
        ],
        meta(),
    )
    .idempotency_key("import-2024-batch-1");
    let first = store.append(request.clone()).await.expect("first");
    // The retry's expected version is stale now, yet it is answered, not refused.
    let retry = store.append(request.clone()).await.expect("retry");
    assert_eq!(first, retry);
    assert_eq!(count(&store).await, 2, "the retry wrote nothing");

    // Concurrent retries of one request: one write, the same answer for all.
    let concurrent = request.clone().idempotency_key("concurrent");
    let concurrent = AppendRequest {
        streams: vec![StreamAppend {
            stream_id: "stream/8".into(),
            ..concurrent.streams[0].clone()
        }],
        ..concurrent
    };
    let answers = futures::future::join_all((0..6).map(|_| store.append(concurrent.clone()))).await;
    let answers: Vec<_> = answers.into_iter().map(|a| a.expect("answered")).collect();
    assert!(answers.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(count(&store).await, 4);

    let mut other = request;
    other.streams[0].stream_id = "stream/9".into();
    match store.append(other).await {
        Err(StoreError::IdempotencyKeyReused { key }) => assert_eq!(key, "import-2024-batch-1"),
        other => panic!("expected IdempotencyKeyReused, got {other:?}"),
    }
    assert_eq!(count(&store).await, 4);
}

async fn readers_never_skip_late_commits(db: &TestDb) {
    const WRITERS: usize = 8;
    const PER_WRITER: u64 = 1_250;
    let reader = db.store().await;
    let tail = tokio::spawn(async move {
        let mut events = reader.subscribe(0).take(WRITERS * PER_WRITER as usize);
        let mut positions = Vec::new();
        while let Some(event) = events.next().await {
            positions.push(event.expect("event").position);
        }
        positions
    });
    let stores = [db.store().await, db.store().await];
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let store = stores[w % 2].clone();
            tokio::spawn(async move {
                for n in 0..PER_WRITER {
                    let stream = format!("stream/w{w}-s{}", n % 10);
                    append_one(&store, &stream, (n / 10) as i64, n).await;
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.expect("writer");
    }
    let positions = tokio::time::timeout(std::time::Duration::from_secs(60), tail)
        .await
        .expect("the reader sees every event")
        .expect("reader");
    let expected: Vec<i64> = (1..=(WRITERS as i64 * PER_WRITER as i64)).collect();
    assert_eq!(positions, expected, "every event once, in order, no gaps");
}

async fn multi_stream_append_is_all_or_nothing(db: &TestDb) {
    let store = db.store().await;
    append_one(&store, "stream/a", 0, 0).await;
    let merger = |expected_b| AppendRequest {
        streams: vec![
            StreamAppend {
                stream_id: "stream/a".into(),
                expected: ExpectedVersion::Exact(1),
                events: vec![event("MergedInto", json!({ "successor": "c" }))],
            },
            StreamAppend {
                stream_id: "stream/b".into(),
                expected: ExpectedVersion::Exact(expected_b),
                events: vec![event("MergedInto", json!({ "successor": "c" }))],
            },
            StreamAppend {
                stream_id: "stream/c".into(),
                expected: ExpectedVersion::Exact(0),
                events: vec![
                    event("LocalityEstablished", json!({})),
                    event("Counted", json!({})),
                ],
            },
        ],
        metadata: meta(),
        idempotency_key: None,
    };
    match store.append(merger(5)).await {
        Err(StoreError::VersionConflict {
            stream_id,
            expected,
            actual,
        }) => {
            assert_eq!((stream_id.as_str(), expected, actual), ("stream/b", 5, 0));
        }
        other => panic!("expected a conflict on b, got {other:?}"),
    }
    assert_eq!(
        count(&store).await,
        1,
        "nothing of the refused merger was written"
    );

    let appended = store.append(merger(0)).await.expect("merger");
    let positions: Vec<i64> = appended.events.iter().map(|e| e.position).collect();
    assert_eq!(positions, vec![2, 3, 4, 5]);
    assert_eq!(appended.version_of("stream/a"), Some(2));
    assert_eq!(appended.version_of("stream/c"), Some(2));
    assert!(appended
        .events
        .iter()
        .all(|e| e.recorded_at == appended.events[0].recorded_at));
}

async fn stream_reads_are_bounded_by_version_and_time(db: &TestDb) {
    let store = db.store().await;
    let first = append_one(&store, "stream/t", 0, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    append_one(&store, "stream/t", 1, 2).await;
    append_one(&store, "stream/t", 2, 3).await;
    let versions =
        |events: Vec<RecordedEvent>| events.iter().map(|e| e.stream_version).collect::<Vec<_>>();
    let read = |range| store.read_stream("stream/t", range);
    assert_eq!(
        versions(
            read(StreamRange::all().up_to_version(2))
                .await
                .expect("read")
        ),
        vec![1, 2]
    );
    assert_eq!(
        versions(
            read(StreamRange::all().from_version(2))
                .await
                .expect("read")
        ),
        vec![2, 3]
    );
    let known_then = StreamRange::all().recorded_until(first.recorded_at);
    assert_eq!(versions(read(known_then).await.expect("read")), vec![1]);
    let before = first.recorded_at - chrono::Duration::microseconds(1);
    assert!(read(StreamRange::all().recorded_until(before))
        .await
        .expect("read")
        .is_empty());
}

async fn subscriptions_resume_after_a_position(db: &TestDb) {
    let store = db.store().await;
    for n in 0..5 {
        append_one(&store, "stream/s", n, n as u64).await;
    }
    let mut live = store.subscribe(3);
    let mut seen = Vec::new();
    for _ in 0..2 {
        seen.push(live.next().await.expect("event").expect("ok").position);
    }
    let writer = store.clone();
    tokio::spawn(async move { append_one(&writer, "stream/s", 5, 5).await });
    seen.push(live.next().await.expect("live event").expect("ok").position);
    assert_eq!(seen, vec![4, 5, 6]);
    let caught_up: Vec<RecordedEvent> =
        store.catch_up(0).map(|e| e.expect("event")).collect().await;
    assert_eq!(caught_up.len(), 6);
    // The lean replay shape carries the same facts as the full envelope.
    let entries: Vec<LogEntry> = store
        .catch_up_entries(2)
        .map(|e| e.expect("entry"))
        .collect()
        .await;
    let expected: Vec<LogEntry> = caught_up[2..]
        .iter()
        .map(|e| LogEntry {
            position: e.position,
            stream_id: e.stream_id.clone(),
            stream_version: e.stream_version,
            event_type: e.event_type.clone(),
            schema_version: e.schema_version,
            recorded_at: e.recorded_at,
            payload: e.payload.clone(),
        })
        .collect();
    assert_eq!(entries, expected);
}

async fn raw_update_and_delete_are_refused(db: &TestDb) {
    let store = db.store().await;
    append_one(&store, "stream/u", 0, 1).await;
    for statement in [
        "UPDATE events SET payload = '{}'",
        "UPDATE events SET recorded_at = recorded_at",
        "DELETE FROM events",
    ] {
        let result = match &db.db {
            Db::Sqlite(pool) => sqlx::query(statement).execute(pool).await.map(|_| ()),
            Db::Postgres(pool) => sqlx::query(statement).execute(pool).await.map(|_| ()),
        };
        let error = result.expect_err(statement).to_string();
        assert!(error.contains("append-only"), "{statement}: {error}");
    }
    if let Db::Postgres(pool) = &db.db {
        assert!(sqlx::query("TRUNCATE events").execute(pool).await.is_err());
    }
    assert_eq!(count(&store).await, 1);
    let unchanged = store.verify().await.expect("verify");
    assert_eq!((unchanged.events, unchanged.first_break), (1, None));
}

async fn tampering_is_detected_and_named(db: &TestDb) {
    tamper::payload_change_is_named(db).await;
}

async fn deleted_events_are_detected(db: &TestDb) {
    tamper::deletion_is_named(db).await;
}

async fn undecodable_events_are_named(db: &TestDb) {
    tamper::undecodable_events_are_named(db).await;
}

async fn unreadable_columns_are_named(db: &TestDb) {
    tamper::unreadable_columns_are_named(db).await;
}

async fn repository_loads_and_saves_an_aggregate(db: &TestDb) {
    repository::round_trip(db).await;
}

#[test]
fn problems_are_named_in_words() {
    let problem = Problem::PositionGap { expected: 3 };
    let shown = ntm_tracker::store::ChainBreak {
        position: 4,
        stream_id: "stream/x".into(),
        stream_version: 2,
        problem,
    }
    .to_string();
    assert_eq!(
        shown,
        "stream stream/x version 2 (position 4): position gap, expected position 3"
    );
}

/// A task cancelled while it opens a write transaction must not leave SQLite locked: sqlx 0.8
/// can hand such a connection back still inside its transaction, and the pool closes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_transactions_never_leave_sqlite_locked() {
    let db = TestDb::sqlite().await;
    let store = db.store().await;
    let Db::Sqlite(pool) = db.db.clone() else {
        unreachable!("an SQLite test database")
    };
    for round in 0..200_u64 {
        let pool = pool.clone();
        let opening = tokio::spawn(async move {
            let _tx = pool.begin_with("BEGIN IMMEDIATE").await;
            std::future::pending::<()>().await;
        });
        tokio::time::sleep(std::time::Duration::from_micros(round % 7 * 50)).await;
        opening.abort();
        let _ = opening.await;
        let append = append_one(&store, "stream/cancel", round as i64, round);
        tokio::time::timeout(std::time::Duration::from_secs(5), append)
            .await
            .unwrap_or_else(|_| panic!("round {round}: the database stayed locked"));
    }
}
