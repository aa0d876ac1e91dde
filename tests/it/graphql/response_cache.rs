//! Queries' answers kept while the store stands still (docs/decisions/response-cache.md): the
//! same query again costs one statement, an append or a projected position drops every kept
//! answer, tokens do not share answers, and errors are never kept.

use ntm_tracker::AccessSettings;
use serde_json::{json, Value};

use crate::support::graphql::register;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    the_same_query_again_is_answered_from_memory_until_an_append,
    a_kept_answer_is_sent_in_the_same_bytes,
    tokens_do_not_share_answers,
    an_answer_with_an_error_is_not_kept,
    no_budget_runs_every_query,
);

const LIST: &str = "{ head { position projected } \
    localities(first: 10, orderBy: {field: CODE}) { edges { node { name code } } } }";

fn statements(response: &Value) -> u64 {
    response["extensions"]["sqlStatements"]
        .as_u64()
        .unwrap_or_else(|| panic!("sqlStatements in {response:#}"))
}

async fn started(db: &TestDb, budget: usize) -> Server {
    let access = AccessSettings {
        failures_per_minute: 10_000,
        response_cache: budget,
        ..AccessSettings::default()
    };
    Server::start_with(db, access).await
}

async fn caught_up_server(db: &TestDb, budget: usize) -> Server {
    let server = started(db, budget).await;
    register(&server, "Xã Thạch Bình", "COMMUNE", "18112", None).await;
    server.caught_up(server.event_count().await).await;
    server
}

async fn the_same_query_again_is_answered_from_memory_until_an_append(db: &TestDb) {
    let server = caught_up_server(db, 1 << 20).await;
    let first = server.post(LIST, json!({})).await;
    assert!(first.get("errors").is_none(), "{first:#}");
    assert!(
        statements(&first) > 1,
        "the first answer is computed: {first:#}"
    );
    let again = server.post(LIST, json!({})).await;
    assert_eq!(again["data"], first["data"]);
    assert_eq!(statements(&again), 1, "only the store's positions are read");

    register(&server, "Xã Thạch Hà", "COMMUNE", "18100", None).await;
    let head = server.event_count().await;
    server.caught_up(head).await;
    let after = server.post(LIST, json!({})).await;
    assert!(statements(&after) > 1, "the append dropped it: {after:#}");
    assert_eq!(after["data"]["head"]["position"], head);
    let names: Vec<&Value> = after["data"]["localities"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| &edge["node"]["name"])
        .collect();
    assert_eq!(names, [&json!("Xã Thạch Hà"), &json!("Xã Thạch Bình")]);
}

async fn tokens_do_not_share_answers(db: &TestDb) {
    let server = caught_up_server(db, 1 << 20).await;
    let query = "{ events(first: 5) { edges { node { position actor } } } }";
    let admin = server.data(query, json!({})).await;
    assert!(
        admin["events"]["edges"][0]["node"]["actor"].is_string(),
        "{admin:#}"
    );
    let anonymous = server.post_as(None, query, json!({})).await;
    assert!(anonymous.get("errors").is_none(), "{anonymous:#}");
    assert_eq!(
        anonymous["data"]["events"]["edges"][0]["node"]["actor"],
        Value::Null
    );
    assert!(statements(&anonymous) > 1, "computed for its own reader");
}

async fn an_answer_with_an_error_is_not_kept(db: &TestDb) {
    let server = caught_up_server(db, 1 << 20).await;
    let query = "{ head { position } locality(id: \"not an id\") { name } }";
    for attempt in 0..2 {
        let response = server.post(query, json!({})).await;
        let errors = response["errors"].as_array().cloned().unwrap_or_default();
        assert_eq!(errors.len(), 1, "attempt {attempt}: {response:#}");
    }
}

async fn no_budget_runs_every_query(db: &TestDb) {
    let server = caught_up_server(db, 0).await;
    let first = server.post(LIST, json!({})).await;
    let again = server.post(LIST, json!({})).await;
    assert_eq!(again["data"], first["data"]);
    assert_eq!(statements(&again), statements(&first));
    assert!(statements(&again) > 1);
}

/// The raw body of an anonymous request: a POST of `query`, or a GET of it (`get`).
async fn raw(server: &Server, query: &str, get: bool) -> String {
    let client = reqwest::Client::new();
    let request = if get {
        client
            .get(server.url("/graphql"))
            .query(&[("query", query)])
    } else {
        client
            .post(server.url("/graphql"))
            .header("Content-Type", "application/json")
            .body(json!({ "query": query }).to_string())
    };
    let response = request.send().await.expect("request");
    assert_eq!(response.status(), 200);
    response.text().await.expect("body")
}

/// A kept answer is sent as the text of its first, shaped answer: the same bytes on GET (so the
/// same ETag) as a server without the cache sends, the same bytes but the statement count on
/// POST, and whole inside a batch.
async fn a_kept_answer_is_sent_in_the_same_bytes(db: &TestDb) {
    let server = caught_up_server(db, 1 << 20).await;
    // Fields in an order the engine would not keep on its own, and an alias.
    let query = "{ z: localities(first: 5) { edges { node { code name id } } } head { projected position } }";
    let computed = raw(&server, query, true).await;
    for _ in 0..2 {
        assert_eq!(raw(&server, query, true).await, computed, "GET");
    }
    assert!(computed.starts_with("{\"data\":{\"z\":"), "{computed}");
    let first = raw(&server, LIST, false).await;
    let again = raw(&server, LIST, false).await;
    let cut = |body: &str| body.split(",\"extensions\":").next().map(str::to_owned);
    assert_eq!(cut(&again), cut(&first));
    // The same history served without a cache: async-graphql writes the body, in the same bytes.
    let other = match db.db {
        ntm_tracker::store::Db::Sqlite(_) => TestDb::sqlite().await,
        ntm_tracker::store::Db::Postgres(_) => TestDb::postgres().await.expect("PostgreSQL"),
    };
    let uncached = caught_up_server(&other, 0).await;
    assert_eq!(
        raw(&uncached, LIST, true).await,
        raw(&server, LIST, true).await
    );
    assert_eq!(cut(&raw(&uncached, LIST, false).await), cut(&first));
    assert!(
        again.ends_with(",\"extensions\":{\"sqlStatements\":1}}"),
        "{again}"
    );

    let batch: Value = reqwest::Client::new()
        .post(server.url("/graphql"))
        .json(&json!([{ "query": LIST }, { "query": query }]))
        .send()
        .await
        .expect("batch")
        .json()
        .await
        .expect("JSON");
    let expected: Value = serde_json::from_str(&first).expect("JSON");
    assert_eq!(batch[0]["data"], expected["data"]);
    assert_eq!(batch[1]["data"]["z"]["edges"][0]["node"]["code"], "18112");
}
