//! The transparency log's cost (issue 22): W1 and W2 of `benches/store` appended with the
//! Merkle tree grown in the append's transaction, beside the same appends without it in the
//! same run (alternating, fresh database each, median of `NTM_BENCH_ROUNDS`); then inclusion
//! and consistency proofs of a log of `NTM_BENCH_PROOF_EVENTS` events (default 1,000,000),
//! served over HTTP, p50/p99 beside the p99 of `GET /healthz` on the same server.
//!
//! `cargo bench --bench transparency` (`TEST_DATABASE_URL` adds PostgreSQL).

#[path = "../common/append.rs"]
mod append;
#[path = "../common/scratch.rs"]
mod scratch;
#[path = "../common/serve.rs"]
mod serve;

use std::time::{Duration, Instant};

use ntm_tracker::projection::{self, ProjectorConfig};
use ntm_tracker::store::EventStore;
use ntm_tracker::{app, AccessSettings, AppState};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The 310-byte payload of every store benchmark.
const PAYLOAD: &str = include_str!("../store/payload.json");
const EVENTS_PER_STREAM: usize = 100;

/// One append workload: clients, events per transaction, streams.
struct Workload {
    name: &'static str,
    clients: usize,
    per_txn: usize,
    streams: usize,
}

/// Events/s of `workload` on a fresh database, with or without the tree.
async fn appends(engine: &str, workload: &Workload, tree: bool) -> f64 {
    let scratch = scratch::scratch(engine).await;
    scratch.db.migrate().await.expect("migrate");
    let store = match tree {
        true => EventStore::open(scratch.db.clone()).await,
        false => EventStore::open_without_tree_for_benchmarks(scratch.db.clone()).await,
    }
    .expect("open");
    let started = Instant::now();
    let tasks: Vec<_> = (0..workload.clients)
        .map(|c| {
            let (store, per_txn, streams) = (store.clone(), workload.per_txn, workload.streams);
            let clients = workload.clients;
            tokio::spawn(async move {
                for s in (c..streams).step_by(clients) {
                    let name = format!("bench/{s}");
                    append::product_append(&store, &name, 0, EVENTS_PER_STREAM, per_txn, PAYLOAD)
                        .await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("client");
    }
    let rate = (workload.streams * EVENTS_PER_STREAM) as f64 / started.elapsed().as_secs_f64();
    drop(store);
    scratch.finish().await;
    rate
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index].as_secs_f64() * 1000.0
}

/// p50 and p99 in ms of GETs of `paths` against `base`, one at a time on one connection.
async fn latencies(client: &reqwest::Client, base: &str, paths: &[String]) -> (f64, f64) {
    let mut times = Vec::with_capacity(paths.len());
    for path in paths {
        let started = Instant::now();
        let response = client
            .get(format!("{base}{path}"))
            .send()
            .await
            .expect("GET");
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        response.bytes().await.expect("body");
        times.push(started.elapsed());
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99))
}

/// A pseudo-random sequence (xorshift), the same every run.
fn numbers(seed: u64) -> impl Iterator<Item = u64> {
    let mut state = seed;
    std::iter::repeat_with(move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    })
}

async fn proofs(engine: &str, events: usize) {
    let scratch = scratch::scratch(engine).await;
    scratch.db.migrate().await.expect("migrate");
    let store = EventStore::open(scratch.db.clone()).await.expect("open");
    let started = Instant::now();
    let streams = events / 1_000;
    let writers: Vec<_> = (0..2)
        .map(|c| {
            let store = store.clone();
            tokio::spawn(async move {
                for s in (c..streams).step_by(2) {
                    let name = format!("bench/{s}");
                    append::product_append(&store, &name, 0, 1_000, 1_000, PAYLOAD).await;
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.expect("writer");
    }
    let size = store.last_position().await.expect("size") as u64;
    println!(
        "{engine}: {size} events appended with the tree in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let catalog = ntm_tracker::domain::catalog::Catalog::shipped().expect("catalogue");
    let (projections, projector) = projection::spawn(
        store.clone(),
        std::sync::Arc::new(catalog.clone()),
        ProjectorConfig::default(),
    );
    projector.abort(); // the handle is needed by the router, projecting is not
    let state = AppState {
        store: store.clone(),
        catalog: std::sync::Arc::new(catalog).into(),
        projections,
        access: AccessSettings::default(),
        redecide: Default::default(),
        clock: Default::default(),
    };
    let (base, server) = serve::serve(app(state)).await;
    let client = reqwest::Client::new();
    let requests = scratch::env_number("NTM_BENCH_PROOFS", 2_000);
    let mut random = numbers(0x9e37_79b9_7f4a_7c15);
    let inclusion: Vec<String> = (0..requests)
        .map(|_| {
            let position = random.next().unwrap_or(1) % size + 1;
            format!("/proof/inclusion?position={position}&size={size}")
        })
        .collect();
    let consistency: Vec<String> = (0..requests)
        .map(|_| {
            let from = random.next().unwrap_or(1) % size + 1;
            format!("/proof/consistency?from={from}&to={size}")
        })
        .collect();
    let health: Vec<String> = (0..requests).map(|_| "/healthz".to_owned()).collect();
    latencies(&client, &base, &health[..100]).await; // warm the connection
    let (health_p50, health_p99) = latencies(&client, &base, &health).await;
    let (inclusion_p50, inclusion_p99) = latencies(&client, &base, &inclusion).await;
    let (consistency_p50, consistency_p99) = latencies(&client, &base, &consistency).await;
    println!(
        "\n{engine}: proofs from the server over HTTP at {size} events, {requests} requests each\n"
    );
    println!("| request | p50 ms | p99 ms | p99 ÷ /healthz p99 | target |");
    println!("|---|---:|---:|---:|---|");
    println!("| GET /healthz (baseline) | {health_p50:.3} | {health_p99:.3} | 1.00 | |");
    for (name, p50, p99) in [
        ("GET /proof/inclusion", inclusion_p50, inclusion_p99),
        ("GET /proof/consistency", consistency_p50, consistency_p99),
    ] {
        let ratio = p99 / health_p99;
        println!("| {name} | {p50:.3} | {p99:.3} | {ratio:.2} | p99 < 1 ms |");
    }
    server.abort();
    drop(store);
    scratch.finish().await;
}

fn main() {
    let runtime = scratch::runtime();
    let rounds: usize = scratch::env_number("NTM_BENCH_ROUNDS", 3);
    let streams: usize = scratch::env_number("NTM_BENCH_STREAMS", 100);
    let workloads = [
        Workload {
            name: "W1, 1 client",
            clients: 1,
            per_txn: 1,
            streams,
        },
        Workload {
            name: "W1, 8 clients",
            clients: 8,
            per_txn: 1,
            streams,
        },
        Workload {
            name: "W2, 1 client (100 a transaction)",
            clients: 1,
            per_txn: 100,
            streams: 10 * streams,
        },
    ];
    for engine in scratch::engines() {
        println!("\n{engine}: appends with the Merkle tree beside the same without it (events/s, median of {rounds})\n");
        println!("| workload | with the tree | without | ratio | target |");
        println!("|---|---:|---:|---:|---|");
        for workload in &workloads {
            let (mut with, mut without) = (Vec::new(), Vec::new());
            for _ in 0..rounds {
                without.push(runtime.block_on(appends(engine, workload, false)));
                with.push(runtime.block_on(appends(engine, workload, true)));
            }
            let (with, without) = (median(with), median(without));
            println!(
                "| {} | {with:.0} | {without:.0} | {:.2} | ≥ 0.9 |",
                workload.name,
                with / without
            );
        }
        let events = scratch::env_number("NTM_BENCH_PROOF_EVENTS", 1_000_000);
        runtime.block_on(proofs(engine, events));
    }
}
