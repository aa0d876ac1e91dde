//! The attacks against a real `ntm serve` process: its memory stays near its baseline, it keeps
//! serving, and its most verbose log never shows a bearer secret.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::SinkExt;
use ntm_tracker::auth::Role;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use super::documents::{fanning_fragments, nested_lists, too_deep};
use crate::support::server::token;
use crate::support::websocket::{connect_to, next_json};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(the_process_stays_small_up_and_silent_about_secrets);

/// Most the server may grow while refusing the attacks (the fan-out alone grew it by 760 MB).
const MOST_GROWTH_KB: u64 = 40 * 1024;

/// `ntm serve` at `NTM_LOG=trace`, its address and everything it logs so far.
fn serve_traced(db: &TestDb) -> (Child, String, Arc<Mutex<String>>) {
    let mut server = Command::new(env!("CARGO_BIN_EXE_ntm"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("DATABASE_URL", &db.url)
        .env("NTM_LOG", "trace")
        .stderr(Stdio::piped())
        .spawn()
        .expect("start ntm serve");
    let stderr = server.stderr.take().expect("stderr");
    let log = Arc::new(Mutex::new(String::new()));
    let (found, address) = std::sync::mpsc::channel();
    let kept = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(at) = line.split("address=").nth(1) {
                let _ = found.send(at.trim().to_owned());
            }
            if let Ok(mut log) = kept.lock() {
                log.push_str(&line);
                log.push('\n');
            }
        }
    });
    let address = address
        .recv_timeout(Duration::from_secs(60))
        .expect("ntm serve logs the address it listens on");
    (server, address, log)
}

/// Resident memory of a process, in kB.
fn resident_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

async fn the_process_stays_small_up_and_silent_about_secrets(db: &TestDb) {
    let store = db.store().await;
    let (_, bearer) = token(&store, "Thanh tra", Role::Auditor, None, None).await;
    let (mut server, address, log) = serve_traced(db);
    let client = reqwest::Client::new();
    let post = |query: String| {
        let request = client
            .post(format!("http://{address}/graphql"))
            .json(&json!({ "query": query }));
        async move {
            let response: Value = request
                .send()
                .await
                .expect("POST")
                .json()
                .await
                .expect("JSON");
            response
        }
    };
    post("{ criteriaSets { code } }".to_owned()).await;
    let baseline = resident_kb(server.id());
    for _ in 0..3 {
        for query in [
            nested_lists(2_000),
            fanning_fragments(22),
            fanning_fragments(30),
        ] {
            let response = post(query).await;
            assert_eq!(response["errors"][0]["extensions"]["code"], "VALIDATION");
        }
    }
    let grown = resident_kb(server.id()).saturating_sub(baseline);
    assert!(grown < MOST_GROWTH_KB, "the server grew by {grown} kB");
    let answer = post("{ __typename }".to_owned()).await;
    assert_eq!(answer["data"]["__typename"], "Query");

    // A socket authenticated in its connection_init, at the most verbose log level.
    let mut socket = connect_to(&address, json!({ "Authorization": bearer })).await;
    assert_eq!(next_json(&mut socket).await["type"], "connection_ack");
    // Operations over the socket are admitted as over HTTP.
    for query in [nested_lists(2_000), fanning_fragments(30), too_deep()] {
        let subscribe = json!({ "id": "1", "type": "subscribe", "payload": { "query": query } });
        socket
            .send(Message::text(subscribe.to_string()))
            .await
            .expect("subscribe");
        let answer = next_json(&mut socket).await;
        assert_eq!(answer["type"], "next", "{answer:#}");
        let code = &answer["payload"]["errors"][0]["extensions"]["code"];
        assert_eq!(code, "VALIDATION", "{answer:#}");
        assert_eq!(next_json(&mut socket).await["type"], "complete");
    }
    drop(socket);

    Command::new("kill")
        .args(["-INT", &server.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(server.wait().expect("exits").success());
    let log = log.lock().expect("log").clone();
    assert!(log.contains("TRACE"), "the log is at trace level");
    let secret = bearer.trim_start_matches("Bearer ");
    assert!(!log.contains(secret), "the bearer secret was logged");
}
