//! Each run of `ntm verify` is recorded, passed or failed, and the API serves the last one.

use ntm_tracker::app::clock::Clock;
use ntm_tracker::app::verifications::{self, Verification};
use ntm_tracker::store::Db;
use ntm_tracker::AccessSettings;
use serde_json::{json, Value};

use crate::support::cli::ntm_verify;
use crate::support::history::{self, Shape};
use crate::support::server::Server;
use crate::support::store::behind_the_triggers;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    a_sound_log_records_an_ok_run,
    a_tampered_log_records_the_failure,
    a_record_that_cannot_be_written_leaves_the_verdict,
);

const SHAPE: Shape = Shape {
    districts: 1,
    communes: 3,
    events_per_commune: 6,
};

/// `lastVerification` with every field.
const LAST: &str = "lastVerification { startedAt finishedAt ok eventsChecked streamsChecked \
    headPosition headHash readTablesCompared readTablesPosition problem }";

/// A server anonymous requests may read from, its read tables caught up with the history.
async fn server_over_a_history(db: &TestDb) -> Server {
    history::generate(&db.store().await, &SHAPE).await;
    let access = AccessSettings {
        public_read: true,
        failures_per_minute: 10_000,
        ..AccessSettings::default()
    };
    let server = Server::start_with(db, access).await;
    server.caught_up(server.event_count().await).await;
    server
}

/// `data` of an anonymous request that must have no errors.
async fn anonymous(server: &Server, query: &str) -> Value {
    let response = server.post_as(None, query, json!({})).await;
    assert!(response.get("errors").is_none(), "errors: {response:#}");
    response["data"].clone()
}

/// One value of the log's columns, for comparing a record with the log itself.
async fn log_value<T>(db: &Db, sql: &str) -> T
where
    T: for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
    T: Send + Unpin,
{
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql),
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql),
    }
}

async fn last_recorded(db: &TestDb) -> Verification {
    let last = verifications::last(&db.db).await.expect("read the record");
    last.expect("a run is recorded")
}

async fn a_sound_log_records_an_ok_run(db: &TestDb) {
    let server = server_over_a_history(db).await;
    let never = anonymous(&server, "{ lastVerification { ok } verifications { ok } }").await;
    assert_eq!(
        never,
        json!({ "lastVerification": null, "verifications": [] })
    );

    let events = server.event_count().await;
    let before = Clock::SYSTEM.now();
    let (code, text) = ntm_verify(&db.url);
    let after = Clock::SYSTEM.now();
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("recorded: verification 1, ok at "), "{text}");

    let run = last_recorded(db).await;
    assert!(run.ok() && run.problem.is_none(), "{run:?}");
    assert!(
        before - chrono::Duration::milliseconds(1) <= run.started_at,
        "{run:?}"
    );
    assert!(
        run.started_at <= run.finished_at && run.finished_at <= after,
        "{run:?}"
    );
    assert_eq!((run.events_checked, run.head_position), (events, events));
    let streams: i64 = log_value(&db.db, "SELECT COUNT(DISTINCT stream_id) FROM events").await;
    assert_eq!(run.streams_checked, streams);
    let head_sql = format!("SELECT hash FROM events WHERE position = {events}");
    let head_hash: Vec<u8> = log_value(&db.db, &head_sql).await;
    assert_eq!(run.head_hash.as_deref(), Some(head_hash.as_slice()));
    assert_eq!(
        run.read_tables_position,
        Some(events),
        "compared up to the head"
    );

    let served = anonymous(&server, &format!("{{ {LAST} }}")).await["lastVerification"].clone();
    let instant = |t: chrono::DateTime<chrono::Utc>| Value::from(t.to_rfc3339());
    let parsed = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().expect("text"));
    assert_eq!(
        parsed(&served["startedAt"]).ok(),
        parsed(&instant(run.started_at)).ok()
    );
    assert_eq!(
        parsed(&served["finishedAt"]).ok(),
        parsed(&instant(run.finished_at)).ok()
    );
    assert_eq!(served["ok"], json!(true));
    assert_eq!(served["eventsChecked"], json!(events));
    assert_eq!(served["streamsChecked"], json!(streams));
    assert_eq!(served["headPosition"], json!(events));
    assert_eq!(served["headHash"], json!(hex::encode(&head_hash)));
    assert_eq!(served["readTablesCompared"], json!(true));
    assert_eq!(served["readTablesPosition"], json!(events));
    assert_eq!(served["problem"], Value::Null);
}

async fn a_tampered_log_records_the_failure(db: &TestDb) {
    let server = server_over_a_history(db).await;
    let (code, text) = ntm_verify(&db.url);
    assert_eq!(code, Some(0), "{text}");

    // Still JSON, but no longer the content its hash was computed over.
    let tamper = "UPDATE events SET payload = payload || ' ' WHERE position = 3";
    behind_the_triggers(&db.db, tamper).await;
    let (code, text) = ntm_verify(&db.url);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("BROKEN: stream "), "{text}");
    assert!(
        text.contains("recorded: verification 2, failed at "),
        "{text}"
    );

    let run = last_recorded(db).await;
    let problem = run.problem.clone().expect("the problem is recorded");
    assert!(!run.ok());
    assert!(problem.starts_with("BROKEN: stream "), "{problem}");
    assert!(
        problem.contains("(position 3): content does not match its hash"),
        "{problem}"
    );
    assert!(
        text.contains(&problem),
        "the record says what verify printed: {text}"
    );
    assert_eq!((run.events_checked, run.head_position), (3, 2), "{run:?}");
    let head_hash: Vec<u8> = log_value(&db.db, "SELECT hash FROM events WHERE position = 2").await;
    assert_eq!(run.head_hash, Some(head_hash));
    assert_eq!(
        run.read_tables_position, None,
        "the read tables were not compared"
    );

    let both = format!("{{ {LAST} verifications(first: 5) {{ ok }} }}");
    let data = anonymous(&server, &both).await;
    let served = &data["lastVerification"];
    assert_eq!(served["ok"], json!(false));
    assert_eq!(served["problem"], json!(problem));
    assert_eq!(served["headPosition"], json!(2));
    assert_eq!(served["eventsChecked"], json!(3));
    assert_eq!(served["readTablesCompared"], json!(false));
    assert_eq!(served["readTablesPosition"], Value::Null);
    assert_eq!(
        data["verifications"],
        json!([{ "ok": false }, { "ok": true }]),
        "newest first"
    );

    let refused = server
        .post_as(None, "{ verifications(first: 101) { ok } }", json!({}))
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"],
        json!("VALIDATION"),
        "{refused:#}"
    );
}

async fn a_record_that_cannot_be_written_leaves_the_verdict(db: &TestDb) {
    history::generate(&db.store().await, &SHAPE).await;
    let dropped = "DROP TABLE verifications";
    match &db.db {
        Db::Sqlite(pool) => sqlx::query(dropped).execute(pool).await.map(|_| ()),
        Db::Postgres(pool) => sqlx::query(dropped).execute(pool).await.map(|_| ()),
    }
    .expect(dropped);

    let (code, text) = ntm_verify(&db.url);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("every hash chain holds"), "{text}");
    assert!(
        text.contains("warning: this verification could not be recorded"),
        "{text}"
    );

    behind_the_triggers(
        &db.db,
        "UPDATE events SET metadata = '{}' WHERE position = 2",
    )
    .await;
    let (code, text) = ntm_verify(&db.url);
    assert_eq!(code, Some(2), "the finding's exit code stays: {text}");
    assert!(text.contains("BROKEN: stream "), "{text}");
    assert!(
        text.contains("warning: this verification could not be recorded"),
        "{text}"
    );
}
