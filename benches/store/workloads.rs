//! W1–W4 for the product (through the store's public API) and for the raw baseline.

use std::collections::HashMap;
use std::time::Instant;

use eventually_core::aggregate::{Aggregate, AggregateRootBuilder};
use eventually_core::repository::Repository;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt};
use ntm_tracker::store::{Db, DomainEvent, EventStore, Metadata, StreamName, TypedStore};
use serde::{Deserialize, Serialize};

use crate::{append, raw, scratch, Row, Scratch, PAYLOAD};

const EVENTS_PER_STREAM: usize = 100;
const LONG_STREAM: usize = 10_000;

/// The benchmark payload, decoded.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Reading {
    criterion: String,
    indicator: String,
    value: f64,
    unit: String,
    recorded_by: String,
    note: String,
}

impl DomainEvent for Reading {
    fn event_type(&self) -> &'static str {
        "IndicatorRecorded"
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct BenchId(String);

impl StreamName for BenchId {
    const CATEGORY: &'static str = "bench";
    fn to_id_string(&self) -> String {
        self.0.clone()
    }
    fn parse_id(id: &str) -> Option<Self> {
        Some(BenchId(id.to_owned()))
    }
}

/// Folds a stream into the number of readings and their sum.
#[derive(Clone)]
struct Tally;

impl Aggregate for Tally {
    type Id = BenchId;
    type State = (u64, f64);
    type Event = Reading;
    type Command = ();
    type Error = std::convert::Infallible;

    fn apply((n, sum): (u64, f64), event: Reading) -> Result<(u64, f64), Self::Error> {
        Ok((n + 1, sum + event.value))
    }

    fn handle<'a, 's: 'a>(
        &'a self,
        _: &'s BenchId,
        _: &'s (u64, f64),
        _: (),
    ) -> BoxFuture<'a, Result<Option<Vec<Reading>>, Self::Error>> {
        futures::future::ready(Ok(None)).boxed()
    }
}

fn stream_name(s: usize) -> String {
    format!("bench/{s}")
}

async fn product_append(store: &EventStore, s: &str, from: usize, count: usize, per_txn: usize) {
    append::product_append(store, s, from, count, per_txn, PAYLOAD).await;
}

async fn raw_append(db: &Db, s: &str, from: usize, count: usize, per_txn: usize) {
    let payloads = vec![PAYLOAD; per_txn];
    for start in (from..from + count).step_by(per_txn) {
        raw::append(db, s, start as i64, &payloads).await;
    }
}

/// W1/W2: client c of `clients` writes streams c, c + clients, …; returns events/s.
async fn append_workload(target: &Target, streams: usize, clients: usize, per_txn: usize) -> f64 {
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let target = target.clone();
            tokio::spawn(async move {
                for s in (c..streams).step_by(clients) {
                    let name = stream_name(s);
                    match &target {
                        Target::Product(store) => {
                            product_append(store, &name, 0, EVENTS_PER_STREAM, per_txn).await
                        }
                        Target::Raw(db) => {
                            raw_append(db, &name, 0, EVENTS_PER_STREAM, per_txn).await
                        }
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("client");
    }
    (streams * EVENTS_PER_STREAM) as f64 / started.elapsed().as_secs_f64()
}

#[derive(Clone)]
enum Target {
    Product(EventStore),
    Raw(Db),
}

async fn fresh(engine: &str, raw_table: bool) -> (Scratch, Target) {
    let scratch = scratch(engine).await;
    let target = if raw_table {
        raw::create(&scratch.db).await;
        Target::Raw(scratch.db.clone())
    } else {
        scratch.db.migrate().await.expect("migrate");
        Target::Product(EventStore::open(scratch.db.clone()).await.expect("open"))
    };
    (scratch, target)
}

/// W3: every event in global order, payload decoded, folded into a per-stream count.
async fn replay(target: &Target) -> f64 {
    let mut counts: HashMap<String, u64> = HashMap::new();
    let mut fold = |stream: &str, payload: &str| {
        let reading: Reading = serde_json::from_str(payload).expect("payload");
        std::hint::black_box(reading);
        *counts.entry(stream.to_owned()).or_default() += 1;
    };
    let started = Instant::now();
    match target {
        Target::Product(store) => {
            let mut events = store.catch_up_entries(0);
            while let Some(event) = events.next().await {
                let event = event.expect("event");
                fold(&event.stream_id, &event.payload);
            }
        }
        Target::Raw(db) => raw::replay(db, fold).await,
    }
    let total: u64 = counts.values().sum();
    total as f64 / started.elapsed().as_secs_f64()
}

/// W4: the median milliseconds to load and fold one stream.
async fn load_stream(target: &Target, stream: &str, runs: usize, expected: u64) -> f64 {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let count = match target {
            Target::Product(store) => {
                let typed =
                    TypedStore::<BenchId, Reading>::new(store.clone(), Metadata::system("bench"));
                let repository = Repository::new(AggregateRootBuilder::from(Tally), typed);
                let id = BenchId(stream.trim_start_matches("bench/").to_owned());
                repository.get(id).await.expect("load").state().0
            }
            Target::Raw(db) => {
                let payloads = raw::load(db, stream).await;
                payloads
                    .iter()
                    .try_fold((0, 0.0), |state, p| {
                        Tally::apply(state, serde_json::from_str(p).expect("payload"))
                    })
                    .expect("fold")
                    .0
            }
        };
        assert_eq!(count, expected);
        times.push(started.elapsed().as_secs_f64() * 1_000.0);
    }
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

async fn settings(engine: &str) -> String {
    if engine == "sqlite" {
        return "WAL, synchronous=NORMAL".into();
    }
    let scratch = scratch(engine).await;
    let Db::Postgres(pool) = &scratch.db else {
        unreachable!()
    };
    let (sync,): (String,) = sqlx::query_as("SHOW synchronous_commit")
        .fetch_one(pool)
        .await
        .expect("show");
    let (version,): (String,) = sqlx::query_as("SHOW server_version")
        .fetch_one(pool)
        .await
        .expect("show");
    scratch.finish().await;
    format!("PostgreSQL {version} on loopback, synchronous_commit={sync}")
}

pub async fn run_all(engine: &str, streams: usize) -> (String, Vec<Row>) {
    let mut rows = Vec::new();
    let workloads: [(&'static str, usize, usize); 4] = [
        ("W1 append, 1 client", 1, 1),
        ("W1 append, 8 clients", 8, 1),
        ("W2 batch of 100, 1 client", 1, 100),
        ("W2 batch of 100, 8 clients", 8, 100),
    ];
    let mut kept = Vec::new();
    // NTM_BENCH_READS=1: only what W3 and W4 need, for profiling the read path.
    let reads_only = std::env::var("NTM_BENCH_READS").is_ok();
    for (workload, clients, per_txn) in workloads {
        if reads_only && (clients, per_txn) != (1, 100) {
            continue;
        }
        let mut rates = [0.0; 2];
        for (i, raw_table) in [false, true].into_iter().enumerate() {
            let (scratch, target) = fresh(engine, raw_table).await;
            rates[i] = append_workload(&target, streams, clients, per_txn).await;
            eprintln!(
                "{engine} {workload} {}: {:.0} events/s",
                if raw_table { "raw" } else { "ntm" },
                rates[i]
            );
            if per_txn == 100 && clients == 1 {
                kept.push((scratch, target));
            } else {
                scratch.finish().await;
            }
        }
        rows.push(Row {
            workload,
            unit: "events/s",
            product: rates[0],
            baseline: rates[1],
            target: ">= 0.50",
        });
    }
    // W3 and W4 read the databases W2 (1 client) wrote, plus one long stream each.
    let mut replay_rates = [0.0; 2];
    let mut short = [0.0; 2];
    let mut long = [0.0; 2];
    for (i, (_, target)) in kept.iter().enumerate() {
        replay_rates[i] = replay(target).await;
        match target {
            Target::Product(store) => {
                product_append(store, "bench/long", 0, LONG_STREAM, 100).await
            }
            Target::Raw(db) => raw_append(db, "bench/long", 0, LONG_STREAM, 100).await,
        }
        short[i] = load_stream(target, "bench/0", 50, EVENTS_PER_STREAM as u64).await;
        long[i] = load_stream(target, "bench/long", 10, LONG_STREAM as u64).await;
    }
    rows.push(Row {
        workload: "W3 replay, payload decoded",
        unit: "events/s",
        product: replay_rates[0],
        baseline: replay_rates[1],
        target: ">= 0.70",
    });
    rows.push(Row {
        workload: "W4 load 100 events",
        unit: "ms (median)",
        product: short[0],
        baseline: short[1],
        target: "<= 2.00",
    });
    rows.push(Row {
        workload: "W4 load 10,000 events",
        unit: "ms (median)",
        product: long[0],
        baseline: long[1],
        target: "<= 2.00",
    });
    for (scratch, _) in kept {
        scratch.finish().await;
    }
    (settings(engine).await, rows)
}
