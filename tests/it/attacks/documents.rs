//! Documents that made the server overflow its stack, grow by hundreds of megabytes or run
//! for seconds, and requests a browser could send from any page.

use std::time::{Duration, Instant};

use ntm_tracker::AccessSettings;
use serde_json::{json, Value};

use crate::support::graphql::register;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    deeply_nested_values_are_refused_on_every_transport,
    fanning_fragments_and_aliases_are_refused_at_once,
    costly_fields_count_what_they_cost,
    mutations_need_a_json_post,
    a_request_stops_at_its_timeout
);

/// 2,000 nested list literals in an argument, as in the review's repro.
pub fn nested_lists(depth: usize) -> String {
    format!(
        "{{ localities(filter: {{name: {}\"x\"{}}}) {{ totalCount }} }}",
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

/// `n` fragments, each spreading the next twice: 2^n selections from under a kilobyte.
pub fn fanning_fragments(n: usize) -> String {
    let mut query = "query { __typename ...F0 }".to_owned();
    for i in 0..n {
        query += &format!(" fragment F{i} on Query {{ ...F{} ...F{} }}", i + 1, i + 1);
    }
    query + &format!(" fragment F{n} on Query {{ __typename }}")
}

/// 22 levels of selection in 23 brackets: within the nesting limit, beyond the depth limit.
pub fn too_deep() -> String {
    format!(
        "{{ __schema {{ types {}{{ name }}{} }} }}",
        "{ fields { type ".repeat(10),
        " } }".repeat(10)
    )
}

fn limit_of(response: &Value) -> (&Value, &Value) {
    let extensions = &response["errors"][0]["extensions"];
    (&extensions["code"], &extensions["limit"])
}

/// The answer to `GET /graphql?query=…`.
async fn get(server: &Server, authorization: Option<&str>, query: &str) -> Value {
    let mut request = reqwest::Client::new()
        .get(server.url("/graphql"))
        .query(&[("query", query)]);
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    let response = request.send().await.expect("GET");
    response.json().await.expect("JSON")
}

async fn still_serving(server: &Server) {
    assert_eq!(
        server.data("{ __typename }", json!({})).await["__typename"],
        "Query"
    );
}

async fn deeply_nested_values_are_refused_on_every_transport(db: &TestDb) {
    let server = Server::start(db).await;
    let objects = format!(
        "{{ localities(filter: {{name: \"x\"}}) @skip(if: {}true{}) {{ totalCount }} }}",
        "{a: ".repeat(3_000),
        "}".repeat(3_000)
    );
    for query in [nested_lists(2_000), objects] {
        let response = server.post(&query, json!({})).await;
        assert_eq!(
            limit_of(&response),
            (&json!("VALIDATION"), &json!("MAX_NESTING")),
            "{response:#}"
        );
    }
    let response = get(&server, None, &nested_lists(2_000)).await;
    assert_eq!(limit_of(&response).1, "MAX_NESTING", "{response:#}");
    still_serving(&server).await;
}

async fn fanning_fragments_and_aliases_are_refused_at_once(db: &TestDb) {
    let server = Server::start(db).await;
    for n in [22, 30, 60] {
        let started = Instant::now();
        let response = server.post(&fanning_fragments(n), json!({})).await;
        let (code, limit) = limit_of(&response);
        assert_eq!(code, "VALIDATION", "{response:#}");
        assert!(
            limit == "MAX_FIELDS" || limit == "MAX_NESTING",
            "{response:#}"
        );
        assert!(started.elapsed() < Duration::from_secs(2), "{n} fragments");
    }
    let summaries: String = (0..1_000)
        .map(|i| format!(" s{i}:summary(parent:$p,set:$s){{units}}"))
        .collect();
    let query = format!("query($p: ID!, $s: String!) {{{summaries} }}");
    let variables = json!({ "p": "x", "s": "NTM-XA-2021-2025" });
    let response = server.post(&query, variables).await;
    assert_eq!(limit_of(&response).1, "MAX_ALIASES", "{response:#}");
    still_serving(&server).await;
}

/// Aliases within the alias limit still pay for the roll-ups and time travel they run.
async fn costly_fields_count_what_they_cost(db: &TestDb) {
    let server = Server::start(db).await;
    let province = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let field = |i: usize, body: &str| format!(" a{i}: {body}");
    let costly = [
        format!("summary(parent: \"{province}\", set: \"NTM-XA-2021-2025\") {{ units }}"),
        format!("standing(locality: \"{province}\", set: \"NTM-XA-2021-2025\", on: \"2020-01-01\") {{ criteriaMet }}"),
        format!("diff(locality: \"{province}\", set: \"NTM-XA-2021-2025\", from: \"2019-01-01\", to: \"2020-01-01\") {{ from }}"),
    ];
    for body in &costly {
        let many: String = (0..199).map(|i| field(i, body)).collect();
        let started = Instant::now();
        let response = server.post(&format!("{{{many} }}"), json!({})).await;
        assert_eq!(
            limit_of(&response),
            (&json!("VALIDATION"), &json!("MAX_COMPLEXITY")),
            "{response:#}"
        );
        assert!(started.elapsed() < Duration::from_secs(2));
        // A dashboard's handful is fine.
        let few: String = (0..5).map(|i| field(i, body)).collect();
        let response = server.post(&format!("{{{few} }}"), json!({})).await;
        assert!(response.get("errors").is_none(), "{response:#}");
    }
    let response = server.post(&too_deep(), json!({})).await;
    assert_eq!(limit_of(&response).1, "MAX_DEPTH", "{response:#}");
    still_serving(&server).await;
}

/// A `text/plain` POST needs no CORS preflight, and a GET can be a link: neither may write.
async fn mutations_need_a_json_post(db: &TestDb) {
    let server = Server::start(db).await;
    let before = server.event_count().await;
    let mutation = "mutation { registerLocality(input: { name: \"Tỉnh X\", kind: PROVINCE, \
                    code: \"99\", thresholdRegion: BTB, effectiveOn: \"2019-01-01\", \
                    idempotencyKey: \"k\" }) { version } }";
    let client = reqwest::Client::new();
    let body = json!({ "query": mutation }).to_string();
    let plain = client
        .post(server.url("/graphql"))
        .header("Authorization", &server.admin)
        .header("Content-Type", "text/plain")
        .body(body.clone())
        .send()
        .await
        .expect("POST");
    assert_eq!(plain.status(), 415);
    let response: Value = plain.json().await.expect("JSON");
    assert_eq!(response["errors"][0]["extensions"]["code"], "VALIDATION");
    // GraphQL over HTTP: a mutation over GET is 405, naming the method that may carry it.
    let refused = client
        .get(server.url("/graphql"))
        .query(&[("query", mutation)])
        .header("Authorization", &server.admin)
        .send()
        .await
        .expect("GET");
    assert_eq!(refused.status(), 405);
    let allow = refused
        .headers()
        .get("allow")
        .map(|v| v.as_bytes().to_vec());
    assert_eq!(allow.as_deref(), Some(&b"POST"[..]));
    let got: Value = refused.json().await.expect("JSON");
    assert_eq!(
        limit_of(&got),
        (&json!("VALIDATION"), &json!("QUERIES_ONLY")),
        "{got:#}"
    );
    assert_eq!(server.event_count().await, before, "nothing is written");
    // The same mutation as JSON is accepted.
    let posted: Value = client
        .post(server.url("/graphql"))
        .header("Authorization", &server.admin)
        .header("Content-Type", "application/json; charset=utf-8")
        .body(body)
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        posted["data"]["registerLocality"]["version"], 1,
        "{posted:#}"
    );
}

/// A request that would wait 5 s for a position is stopped at a 1 s request timeout, and the
/// server answers the next one.
async fn a_request_stops_at_its_timeout(db: &TestDb) {
    let access = AccessSettings {
        request_timeout: Duration::from_secs(1),
        failures_per_minute: 10_000,
        ..AccessSettings::default()
    };
    let server = Server::start_with(db, access).await;
    let started = Instant::now();
    let waiting = "{ localities(first: 1, minPosition: 1000000) { totalCount } }";
    let response = server.post(waiting, json!({})).await;
    assert_eq!(
        limit_of(&response),
        (&json!("TIMEOUT"), &json!("REQUEST_TIMEOUT")),
        "{response:#}"
    );
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(4),
        "{took:?}"
    );
    still_serving(&server).await;
}
