//! Series benchmark on the demo (Hà Tĩnh since 2016): a province's summary with its children on
//! the 9 year ends 2016–2024 and a commune's standing on the same dates, each asked as one
//! document of 9 aliases (before `summarySeries` / `standingSeries`) and as one series field,
//! in the same run, taking turns; requests/s and p50/p99 at 1 and 16 clients. SQLite always,
//! PostgreSQL when `TEST_DATABASE_URL` is set (`NTM_BENCH_ENGINES` to pick one).
//!
//! `cargo bench --bench series` (`NTM_BENCH_SECONDS`, default 5, per measurement).

#[path = "../common/scratch.rs"]
mod scratch;
#[path = "../common/serve.rs"]
mod serve;

use std::sync::Arc;
use std::time::{Duration, Instant};

use ntm_tracker::app::progress::Quiet;
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::projection::{self, ProjectorConfig};
use ntm_tracker::store::EventStore;
use ntm_tracker::{app, demo, AccessSettings, AppState};
use serde_json::{json, Value};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const YEARS: std::ops::RangeInclusive<i32> = 2016..=2024;
const CLIENTS: [usize; 2] = [1, 16];
const ROUNDS: u32 = 5;
const WARMUP: Duration = Duration::from_millis(200);

/// What a province's timeline table shows on each date.
const FIGURES: &str = "on units unrecognised averageCriteriaMet atRisk pendingAcknowledgement \
     levels { level units percent } children { units unrecognised averageCriteriaMet \
     levels { level units } locality { code name } }";
const STANDING: &str = "on exists criteriaMet criteriaTotal levelReached atRisk \
     recognition { level decision }";

/// The two ways to ask one timeline.
struct Timeline {
    label: &'static str,
    aliases: String,
    series: String,
}

fn timelines() -> [Timeline; 2] {
    let summaries: String = YEARS
        .map(|y| format!(" y{y}: summary(parent: $id, on: \"{y}-12-31\") {{ {FIGURES} }}"))
        .collect();
    let standings: String = YEARS
        .map(|y| {
            format!(
                " y{y}: standing(set: \"NTM-XA-2016-2020\", on: \"{y}-12-31\") {{ {STANDING} }}"
            )
        })
        .collect();
    [
        Timeline {
            label: "province summary with children, 9 year ends",
            aliases: format!("query($id: ID!) {{{summaries} }}"),
            series: format!(
                "query($id: ID!) {{ locality(id: $id) {{ summarySeries(from: \"2016-01-01\", \
                 to: \"2024-12-31\") {{ {FIGURES} }} }} }}"
            ),
        },
        Timeline {
            label: "commune standing, 9 year ends",
            aliases: format!("query($id: ID!) {{ locality(id: $id) {{{standings} }} }}"),
            series: format!(
                "query($id: ID!) {{ locality(id: $id) {{ standingSeries(set: \
                 \"NTM-XA-2016-2020\", from: \"2016-01-01\", to: \"2024-12-31\") {{ {STANDING} }} }} }}"
            ),
        },
    ]
}

async fn post(client: &reqwest::Client, url: &str, query: &str, id: &str) -> Value {
    let body = json!({ "query": query, "variables": { "id": id } });
    let response = client.post(url).json(&body).send().await.expect("request");
    assert!(response.status().is_success(), "{}", response.status());
    let value: Value = response.json().await.expect("JSON");
    assert!(value.get("errors").is_none(), "{value:#}");
    value
}

/// `clients` loops for `warmup` then `duration`: the latencies measured.
async fn drive(
    url: &str,
    query: &str,
    id: &str,
    clients: usize,
    duration: Duration,
) -> Vec<Duration> {
    let measured_from = Instant::now() + WARMUP;
    let until = measured_from + duration;
    let loops: Vec<_> = (0..clients)
        .map(|_| {
            let (url, query, id) = (url.to_owned(), query.to_owned(), id.to_owned());
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut latencies = Vec::new();
                while Instant::now() < until {
                    let started = Instant::now();
                    post(&client, &url, &query, &id).await;
                    if started >= measured_from {
                        latencies.push(started.elapsed());
                    }
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for one in loops {
        all.extend(one.await.expect("client"));
    }
    all
}

/// "req/s | p50 ms | p99 ms" of the latencies over `seconds`.
fn figures(mut latencies: Vec<Duration>, seconds: f64) -> (f64, f64, f64) {
    latencies.sort();
    let at = |q: usize| latencies[(latencies.len() * q / 100).min(latencies.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (latencies.len() as f64 / seconds, ms(at(50)), ms(at(99)))
}

/// The data of the aliases and of the series must be the same figures, or the comparison
/// means nothing.
fn same_figures(aliases: &Value, series: &Value) {
    let data = &aliases["data"];
    let holder = if data.get("locality").is_some() {
        &data["locality"]
    } else {
        data
    };
    let dated: Vec<&Value> = holder.as_object().expect("aliases").values().collect();
    let locality = &series["data"]["locality"];
    let listed = locality["summarySeries"]
        .as_array()
        .or_else(|| locality["standingSeries"].as_array())
        .expect("series");
    assert_eq!(dated.len(), listed.len());
    for (one, other) in dated.iter().zip(listed) {
        assert_eq!(*one, other);
    }
}

async fn run(engine: &str, duration: Duration) {
    let scratch = scratch::scratch(engine).await;
    let db = scratch.db.clone();
    db.migrate().await.expect("migrate");
    let store = EventStore::open(db.clone()).await.expect("open");
    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    let started = Instant::now();
    demo::load(&store, catalog.clone(), &Quiet)
        .await
        .expect("demo");
    let last = store.last_position().await.expect("position");
    let (projections, projector) =
        projection::spawn(store.clone(), catalog.clone(), ProjectorConfig::default());
    projections
        .wait_for(last, Duration::from_secs(1200))
        .await
        .expect("projected");
    let state = AppState {
        store: store.clone(),
        catalog: catalog.into(),
        projections,
        access: AccessSettings::default(),
        redecide: Default::default(),
        clock: Default::default(),
    };
    let (base, server) = serve::serve(app(state)).await;
    let url = format!("{base}/graphql");
    println!(
        "\n{engine}: the demo, {last} events, loaded and projected in {:.0} s\n",
        started.elapsed().as_secs_f64()
    );
    let client = reqwest::Client::new();
    let find = "query($id: String!) { locality(code: $id, on: \"2019-06-30\") { id } }";
    let mut ids = Vec::new();
    for code in ["42", "18088"] {
        let found = post(&client, &url, find, code).await;
        ids.push(
            found["data"]["locality"]["id"]
                .as_str()
                .expect("id")
                .to_owned(),
        );
    }
    println!("| timeline | clients | aliases req/s | p50 ms | p99 ms | series req/s | p50 ms | p99 ms | series ÷ aliases |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (timeline, id) in timelines().iter().zip(&ids) {
        let aliases = post(&client, &url, &timeline.aliases, id).await;
        let series = post(&client, &url, &timeline.series, id).await;
        same_figures(&aliases, &series);
        for clients in CLIENTS {
            let (mut before, mut after) = (Vec::new(), Vec::new());
            for _ in 0..ROUNDS {
                let turn = duration / ROUNDS;
                before.extend(drive(&url, &timeline.aliases, id, clients, turn).await);
                after.extend(drive(&url, &timeline.series, id, clients, turn).await);
            }
            let seconds = duration.as_secs_f64();
            let (b, a) = (figures(before, seconds), figures(after, seconds));
            println!(
                "| {} | {clients} | {:.0} | {:.1} | {:.1} | {:.0} | {:.1} | {:.1} | {:.2} |",
                timeline.label,
                b.0,
                b.1,
                b.2,
                a.0,
                a.1,
                a.2,
                a.0 / b.0
            );
        }
    }
    for task in [server, projector] {
        task.abort();
        let _ = task.await;
    }
    scratch.finish().await;
}

fn main() {
    let runtime = scratch::runtime();
    let seconds: u64 = scratch::env_number("NTM_BENCH_SECONDS", 5);
    for engine in scratch::engines() {
        runtime.block_on(run(engine, Duration::from_secs(seconds)));
    }
}
