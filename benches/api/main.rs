//! API benchmark: requests/s and p50/p99 latency of five reads through the real GraphQL app
//! with its response cache off, beside a bare axum baseline running the same SQL reads and
//! writing the same JSON; then the seven dashboard screens of issue 19 through the app with
//! its response cache (as served) beside the same app without it. All in the same run, with 1
//! and 16 concurrent clients, the two sides taking turns. SQLite always, PostgreSQL when
//! `TEST_DATABASE_URL` is set (`NTM_BENCH_ENGINES=sqlite` or `postgres` for one of them).
//!
//! `cargo bench --bench api` (`NTM_BENCH_COMMUNES`, default 10000, x 100 events, under
//! `NTM_BENCH_DISTRICTS`, default 100; `NTM_BENCH_SECONDS`, default 5, per measurement;
//! `NTM_BENCH_READS`, default `abcde`: which of the reads (a)–(e) to measure;
//! `NTM_BENCH_SCREENS`, default `1234567`: which screens).

mod baseline;
#[path = "../../tests/it/support/history.rs"]
#[expect(
    dead_code,
    reason = "the generator's steady-load helper is not used here"
)]
mod history;
mod load;
mod queries;
#[path = "../common/scratch.rs"]
mod scratch;
mod screens;
#[path = "../common/serve.rs"]
mod serve;

use std::sync::Arc;
use std::time::{Duration, Instant};

use load::{Figures, Servers, Target};
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::graphql::DEFAULT_RESPONSE_CACHE;
use ntm_tracker::projection::{self, ProjectorConfig};
use ntm_tracker::store::EventStore;
use ntm_tracker::{app, AccessSettings, AppState};
use queries::Read;
use serde_json::Value;
use tokio::runtime::{Handle, Runtime};

/// The allocator of the `ntm` binary, so that its code runs here as it does there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The date of the province summary.
const SUMMARY_ON: &str = "2024-12-31";
const CLIENTS: [usize; 2] = [1, 16];
/// Turns each side takes in one measurement, and the unmeasured warm-up before each turn.
const ROUNDS: u32 = 5;
const WARMUP: Duration = Duration::from_millis(200);
/// The screens: one turn each, no warm-up beyond the check that ran each screen once on both
/// sides (so the cache is warm), since one uncached screen at 16 clients outlasts a short turn.
const SCREEN_TURNS: (u32, Duration) = (1, Duration::ZERO);

/// Both sides must give the same `data` for the same read, or the comparison means nothing.
async fn check_same_json(servers: &Servers, sides: (Target, Target), read: &Arc<Read>) {
    let api = servers.fetch(sides.0, read.clone(), 0).await;
    let other = servers.fetch(sides.1, read.clone(), 0).await;
    assert!(api.get("errors").is_none(), "{}: {api}", read.label);
    assert!(
        comparable(&api["data"]) == comparable(&other["data"]),
        "{}: {sides:?} differ: {api} / {other}",
        read.label
    );
    let statements = &api["extensions"]["sqlStatements"];
    println!(
        "{}: {statements} SQL statements\n  {}",
        read.label, read.document
    );
}

/// `data` with each standing's id (`standing:<id>:<set>:<on>:<knownAt>`) cut before its
/// `knownAt`: a standing read as known now is named by the instant it was read at, which
/// differs between two requests.
fn comparable(data: &Value) -> Value {
    match data {
        Value::String(id) if id.starts_with("standing:") => {
            Value::String(id.splitn(5, ':').take(4).collect::<Vec<_>>().join(":"))
        }
        Value::Array(items) => items.iter().map(comparable).collect(),
        Value::Object(fields) => fields
            .iter()
            .map(|(key, value)| (key.clone(), comparable(value)))
            .collect(),
        other => other.clone(),
    }
}

/// One table row: two sides, measured in turns.
async fn row(
    servers: &Servers,
    sides: (Target, Target),
    read: Arc<Read>,
    clients: usize,
    (rounds, warmup): (u32, Duration),
    duration: Duration,
) {
    let (api, bare): (Figures, Figures) = servers
        .compare(sides, &read, clients, rounds, warmup, duration)
        .await;
    println!(
        "| {} | {clients} | {:.0} | {:.2} | {:.2} | {:.0} | {:.2} | {:.2} | {:.2} |",
        read.label,
        api.per_second,
        api.p50_ms,
        api.p99_ms,
        bare.per_second,
        bare.p50_ms,
        bare.p99_ms,
        api.per_second / bare.per_second,
    );
}

async fn run(engine: &str, shape: history::Shape, duration: Duration, clients: Handle) {
    let scratch = scratch::scratch(engine).await;
    let db = scratch.db.clone();
    db.migrate().await.expect("migrate");
    let store = EventStore::open(db.clone()).await.expect("open");
    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    let started = Instant::now();
    let last = history::generate(&store, &shape).await;
    projection::replay(&store, catalog.clone(), |_| {})
        .await
        .expect("replay");
    let (projections, projector) =
        projection::spawn(store.clone(), catalog.clone(), ProjectorConfig::default());
    projections
        .wait_for(last, Duration::from_secs(600))
        .await
        .expect("projected");
    let seeded = started.elapsed().as_secs_f64();
    let state = |response_cache| AppState {
        store: store.clone(),
        catalog: catalog.clone().into(),
        projections: projections.clone(),
        access: AccessSettings {
            response_cache,
            ..AccessSettings::default()
        },
        redecide: Default::default(),
        clock: Default::default(),
    };
    let (api, api_task) = serve::serve(app(state(DEFAULT_RESPONSE_CACHE))).await;
    let (uncached, uncached_task) = serve::serve(app(state(0))).await;
    let (bare, bare_task) = serve::serve(baseline::router(db.clone(), catalog)).await;
    let servers = Servers {
        client: reqwest::Client::new(),
        api,
        uncached,
        baseline: bare,
        clients,
    };
    let screens = screens::screens(
        history::province().to_string(),
        history::district(0).to_string(),
        history::commune(&shape, 0).to_string(),
        history::SET,
        SUMMARY_ON,
    );
    let communes = (0..shape.communes)
        .map(|c| history::commune(&shape, c).to_string())
        .collect();
    let districts = (0..shape.districts)
        .map(|d| history::district(d).to_string())
        .collect();
    let province = history::province().to_string();
    let chosen: String = scratch::env_number("NTM_BENCH_READS", "abcde".to_owned());
    let reads: Vec<Arc<Read>> =
        queries::reads(communes, districts, province, history::SET, SUMMARY_ON)
            .into_iter()
            .zip('a'..)
            .filter(|(_, letter)| chosen.contains(*letter))
            .map(|(read, _)| Arc::new(read))
            .collect();
    println!(
        "\n{engine}: {last} events, {} communes under {} districts, seeded and projected in {seeded:.0} s\n",
        shape.communes, shape.districts
    );
    let bare = (Target::Uncached, Target::Baseline);
    for read in &reads {
        check_same_json(&servers, bare, read).await;
    }
    println!("\n| read | clients | API req/s | API p50 ms | API p99 ms | baseline req/s | baseline p50 ms | baseline p99 ms | API ÷ baseline |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for read in reads {
        for clients in CLIENTS {
            let turns = (ROUNDS, WARMUP);
            row(&servers, bare, read.clone(), clients, turns, duration).await;
        }
    }
    let chosen: String = scratch::env_number("NTM_BENCH_SCREENS", "1234567".to_owned());
    let screens: Vec<Arc<Read>> = screens
        .into_iter()
        .zip('1'..)
        .filter(|(_, digit)| chosen.contains(*digit))
        .map(|(read, _)| Arc::new(read))
        .collect();
    let cached = (Target::Api, Target::Uncached);
    println!();
    for screen in &screens {
        check_same_json(&servers, cached, screen).await;
    }
    println!("\n| screen (gzip) | clients | cached req/s | cached p50 ms | cached p99 ms | uncached req/s | uncached p50 ms | uncached p99 ms | cached ÷ uncached |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for screen in screens {
        for clients in CLIENTS {
            row(
                &servers,
                cached,
                screen.clone(),
                clients,
                SCREEN_TURNS,
                duration,
            )
            .await;
        }
    }
    for task in [api_task, uncached_task, bare_task, projector] {
        task.abort();
        let _ = task.await;
    }
    scratch.finish().await;
}

/// The load generator's own runtime (see `Servers::clients`); the servers, the projector and
/// the database driver keep the benchmarks' usual runtime. Both share the machine's cores.
fn client_runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("bench-client")
        .enable_all()
        .build()
        .expect("client runtime")
}

fn main() {
    let runtime = scratch::runtime();
    let clients = client_runtime();
    let communes: u128 = scratch::env_number("NTM_BENCH_COMMUNES", 10_000);
    let districts: u128 = scratch::env_number("NTM_BENCH_DISTRICTS", 100);
    let seconds: u64 = scratch::env_number("NTM_BENCH_SECONDS", 5);
    for engine in scratch::engines() {
        let shape = history::Shape {
            districts,
            communes,
            events_per_commune: 100,
        };
        let duration = Duration::from_secs(seconds);
        runtime.block_on(run(engine, shape, duration, clients.handle().clone()));
    }
}
