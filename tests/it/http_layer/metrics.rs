//! `/metrics`: counters that move with the requests, the log and pool figures read at scrape
//! time, text Prometheus parses, and who may read it.

use futures::SinkExt;
use ntm_tracker::metrics::MetricsAccess;
use ntm_tracker::AccessSettings;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

use super::header;
use crate::support::graphql::register;
use crate::support::server::Server;
use crate::support::websocket::{connect_to, next_json};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(a_scrape_counts_requests_and_reads_the_log);

/// The text of `/metrics`, checked line by line against the exposition format.
async fn scrape(server: &Server) -> String {
    let response = reqwest::get(server.url("/metrics"))
        .await
        .expect("GET /metrics");
    assert_eq!(response.status(), 200);
    assert!(header(&response, "content-type").starts_with("application/openmetrics-text"));
    let text = response.text().await.expect("body");
    assert_eq!(text.lines().last(), Some("# EOF"));
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (series, value) = line.rsplit_once(' ').expect("a sample is `series value`");
        assert!(value.parse::<f64>().is_ok(), "a number: {line}");
        let name_end = series.find('{').unwrap_or(series.len());
        let name = &series[..name_end];
        assert!(
            name.starts_with("ntm_") && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "a metric name: {line}"
        );
        if name_end < series.len() {
            assert!(series.ends_with('}'), "closed labels: {line}");
        }
    }
    text
}

/// The value of the sample `series` (name and labels exactly as written), if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

async fn a_scrape_counts_requests_and_reads_the_log(db: &TestDb) {
    let server = Server::start(db).await;
    register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    for _ in 0..2 {
        server
            .data("query Sets { criteriaSets { code } }", json!({}))
            .await;
    }
    server
        .post("query Broken { locality(id: \"abc\") { name } }", json!({}))
        .await;
    server.post("{ nope }", json!({})).await;
    let mut socket = connect_to(&server.address.to_string(), json!({})).await;
    assert_eq!(next_json(&mut socket).await["type"], "connection_ack");
    let start = json!({ "id": "1", "type": "subscribe",
        "payload": { "query": "subscription { events { position } }" } });
    socket
        .send(Message::text(start.to_string()))
        .await
        .expect("subscribe");
    server.caught_up(server.event_count().await).await;

    let text = scrape(&server).await;
    let requests = "ntm_graphql_requests_total";
    let ok = format!("{requests}{{operation=\"Sets\",kind=\"query\",code=\"ok\"}}");
    assert_eq!(sample(&text, &ok), Some(2.0), "{text}");
    let broken = format!("{requests}{{operation=\"Broken\",kind=\"query\",code=\"VALIDATION\"}}");
    assert_eq!(sample(&text, &broken), Some(1.0), "{text}");
    let anonymous =
        format!("{requests}{{operation=\"anonymous\",kind=\"query\",code=\"VALIDATION\"}}");
    assert_eq!(sample(&text, &anonymous), Some(1.0), "{text}");
    let mutations = format!("{requests}{{operation=\"anonymous\",kind=\"mutation\",code=\"ok\"}}");
    assert!(
        sample(&text, &mutations).is_some_and(|n| n >= 1.0),
        "{text}"
    );
    let latency = "ntm_graphql_request_duration_seconds_count{kind=\"query\"}";
    assert!(sample(&text, latency).is_some_and(|n| n >= 4.0), "{text}");
    let http = "ntm_http_requests_total{route=\"/graphql\",method=\"POST\",status=\"200\"}";
    assert!(sample(&text, http).is_some_and(|n| n >= 4.0), "{text}");

    let head = server.event_count().await as f64;
    assert_eq!(
        sample(&text, "ntm_events_appended_total"),
        Some(head),
        "{text}"
    );
    assert_eq!(
        sample(&text, "ntm_projection_lag_events"),
        Some(0.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "ntm_projection_lag_seconds"),
        Some(0.0),
        "{text}"
    );
    assert!(sample(
        &text,
        "ntm_db_pool_connections{pool=\"main\",state=\"open\"}"
    )
    .is_some_and(|n| n >= 1.0));
    // Read connections open on first use: none yet is possible (the engine decides the reads).
    assert!(sample(
        &text,
        "ntm_db_pool_connections{pool=\"read\",state=\"idle\"}"
    )
    .is_some());
    assert_eq!(
        sample(&text, "ntm_websocket_connections_open"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "ntm_subscriptions_active"),
        Some(1.0),
        "{text}"
    );

    drop(socket);
    let closed = async {
        loop {
            let text = scrape(&server).await;
            if sample(&text, "ntm_websocket_connections_open") == Some(0.0) {
                return sample(&text, "ntm_subscriptions_active");
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    let active = tokio::time::timeout(std::time::Duration::from_secs(10), closed)
        .await
        .expect("the closed socket is no longer counted");
    assert_eq!(active, Some(0.0));
}

#[tokio::test]
async fn metrics_can_need_a_token_or_be_off() {
    let db = TestDb::sqlite().await;
    let guarded = AccessSettings {
        metrics: MetricsAccess::Token("s3cret".into()),
        ..AccessSettings::default()
    };
    let server = Server::start_with(&db, guarded).await;
    let client = reqwest::Client::new();
    let url = server.url("/metrics");
    let anonymous = client.get(&url).send().await.expect("GET");
    assert_eq!(anonymous.status(), 401);
    assert_eq!(header(&anonymous, "www-authenticate"), "Bearer");
    let wrong = client
        .get(&url)
        .bearer_auth("nope")
        .send()
        .await
        .expect("GET");
    assert_eq!(wrong.status(), 401);
    let right = client
        .get(&url)
        .bearer_auth("s3cret")
        .send()
        .await
        .expect("GET");
    assert_eq!(right.status(), 200);
    drop(server);

    let off = AccessSettings {
        metrics: MetricsAccess::Off,
        ..AccessSettings::default()
    };
    let server = Server::start_with(&db, off).await;
    let response = client
        .get(server.url("/metrics"))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 404);
}
