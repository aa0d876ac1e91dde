//! Conflicts benchmark: 8 writers recording readings on one commune through the real GraphQL
//! app, without `expectedVersion`, under three policies in the same run: one attempt (the
//! baseline: re-decision switched off), jittered backoff alone, and the default (turns per
//! locality within the process, backoff for other processes). Prints commands/s, the conflict
//! rate the store saw (appends refused ÷ appends), the rate of commands that still failed, and
//! p50/p99 latency. SQLite always, PostgreSQL when `TEST_DATABASE_URL` is set
//! (`NTM_BENCH_ENGINES=sqlite` or `postgres` for one of them).
//!
//! `cargo bench --bench conflicts` (`NTM_BENCH_SECONDS`, default 5, per policy;
//! `NTM_BENCH_WRITERS`, default 8).

#[path = "../common/scratch.rs"]
mod scratch;
#[path = "../common/serve.rs"]
mod serve;

use std::sync::Arc;
use std::time::{Duration, Instant};

use ntm_tracker::app::Origin;
use ntm_tracker::app::Redecide;
use ntm_tracker::auth::{NewToken, Role, Tokens};
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::projection::{self, ProjectorConfig};
use ntm_tracker::store::EventStore;
use ntm_tracker::{app, AccessSettings, AppState};
use serde_json::{json, Value};
use tokio::runtime::Handle;

/// The allocator of the `ntm` binary, so that its code runs here as it does there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const READING: &str = "mutation($input: RecordIndicatorReadingInput!) {
    recordIndicatorReading(input: $input) { version } }";

/// A server of one policy, with the client that calls it as an admin.
struct Target {
    url: String,
    admin: String,
    client: reqwest::Client,
}

impl Target {
    async fn post(&self, query: &str, variables: Value) -> Value {
        let response = self
            .client
            .post(format!("{}/graphql", self.url))
            .header("Authorization", &self.admin)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("POST /graphql");
        assert!(response.status().is_success(), "{}", response.status());
        response.json().await.expect("JSON")
    }

    /// A new commune, enrolled: its id.
    async fn commune(&self, code: &str) -> String {
        let registered = self
            .post(
                "mutation($input: RegisterLocalityInput!) { registerLocality(input: $input) {
                    events { localityId } } }",
                json!({ "input": { "name": format!("Xã {code}"), "kind": "COMMUNE", "code": code,
                    "thresholdRegion": "BTB", "effectiveOn": "2019-01-01",
                    "idempotencyKey": format!("register {code}") } }),
            )
            .await;
        let id = registered["data"]["registerLocality"]["events"][0]["localityId"]
            .as_str()
            .unwrap_or_else(|| panic!("registered: {registered}"))
            .to_owned();
        let enrolled = self
            .post(
                "mutation($input: EnrolLocalityInput!) { enrolLocality(input: $input) { version } }",
                json!({ "input": { "locality": id, "idempotencyKey": format!("enrol {code}"),
                    "set": "NTM-XA-2021-2025", "targetYear": 2024, "effectiveOn": "2021-01-01" } }),
            )
            .await;
        assert!(enrolled.get("errors").is_none(), "{enrolled}");
        id
    }
}

/// What the writers of one policy saw.
struct Figures {
    succeeded: usize,
    failed: usize,
    latencies: Vec<Duration>,
    appends: u64,
    conflicts: u64,
}

/// `writers` loops recording readings on `commune` for `duration`.
async fn drive(
    target: Arc<Target>,
    commune: &str,
    writers: usize,
    duration: Duration,
    clients: &Handle,
) -> (usize, usize, Vec<Duration>) {
    let until = Instant::now() + duration;
    let loops: Vec<_> = (0..writers)
        .map(|w| {
            let (target, commune) = (target.clone(), commune.to_owned());
            clients.spawn(async move {
                let (mut succeeded, mut failed, mut latencies) = (0, 0, Vec::new());
                let mut n = 0;
                while Instant::now() < until {
                    n += 1;
                    let input = json!({ "input": {
                        "locality": commune, "idempotencyKey": format!("{commune} {w} {n}"),
                        "set": "NTM-XA-2021-2025", "indicator": "2.1",
                        "value": { "percent": n % 100 }, "effectiveOn": "2021-02-01" } });
                    let started = Instant::now();
                    let answer = target.post(READING, input).await;
                    latencies.push(started.elapsed());
                    match answer.get("errors") {
                        None => succeeded += 1,
                        Some(errors) => {
                            assert_eq!(errors[0]["extensions"]["code"], "VERSION_CONFLICT");
                            failed += 1;
                        }
                    }
                }
                (succeeded, failed, latencies)
            })
        })
        .collect();
    let (mut succeeded, mut failed, mut latencies) = (0, 0, Vec::new());
    for one in loops {
        let (s, f, l) = one.await.expect("writer");
        succeeded += s;
        failed += f;
        latencies.extend(l);
    }
    (succeeded, failed, latencies)
}

async fn measure(
    engine: &str,
    policy: Redecide,
    writers: usize,
    duration: Duration,
    clients: &Handle,
) -> Figures {
    let scratch = scratch::scratch(engine).await;
    scratch.db.migrate().await.expect("migrate");
    let store = EventStore::open(scratch.db.clone()).await.expect("open");
    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    let (projections, projector) =
        projection::spawn(store.clone(), catalog.clone(), ProjectorConfig::default());
    let state = AppState {
        store: store.clone(),
        catalog: catalog.into(),
        projections,
        access: AccessSettings::default(),
        redecide: policy,
        clock: Default::default(),
    };
    let (url, server) = serve::serve(app(state)).await;
    let token = NewToken {
        name: "bench".into(),
        role: Role::Admin,
        scope: None,
        expires_on: None,
    };
    let (_, secret) = Tokens::new(store.clone())
        .create(token, &Origin::cli("bench"))
        .await
        .expect("token");
    let target = Arc::new(Target {
        url,
        admin: format!("Bearer {}", secret.expose()),
        client: reqwest::Client::new(),
    });
    let commune = target.commune("18112").await;
    let before = store.append_counts();
    let (succeeded, failed, latencies) = drive(target, &commune, writers, duration, clients).await;
    let after = store.append_counts();
    for task in [server, projector] {
        task.abort();
        let _ = task.await;
    }
    drop(store);
    scratch.finish().await;
    Figures {
        succeeded,
        failed,
        latencies,
        appends: after.appends - before.appends,
        conflicts: after.conflicts - before.conflicts,
    }
}

fn row(label: &str, mut f: Figures, duration: Duration) -> f64 {
    f.latencies.sort();
    let at = |q: usize| {
        let d = f.latencies[(f.latencies.len() * q / 100).min(f.latencies.len() - 1)];
        d.as_secs_f64() * 1000.0
    };
    let per_second = f.succeeded as f64 / duration.as_secs_f64();
    let commands = (f.succeeded + f.failed) as f64;
    println!(
        "| {label} | {per_second:.0} | {:.1} % | {:.1} % | {:.1} | {:.1} |",
        100.0 * f.conflicts as f64 / f.appends.max(1) as f64,
        100.0 * f.failed as f64 / commands,
        at(50),
        at(99),
    );
    per_second
}

fn main() {
    let runtime = scratch::runtime();
    // The writers run on their own runtime, as the API benchmark's clients do.
    let clients = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("client runtime");
    let seconds: u64 = scratch::env_number("NTM_BENCH_SECONDS", 5);
    let writers: usize = scratch::env_number("NTM_BENCH_WRITERS", 8);
    let duration = Duration::from_secs(seconds);
    let backoff_alone = Redecide {
        take_turns: false,
        ..Redecide::default()
    };
    let policies = [
        ("one attempt (baseline)", Redecide::ONCE),
        ("backoff alone", backoff_alone),
        ("turns + backoff (default)", Redecide::default()),
    ];
    for engine in scratch::engines() {
        println!("\n{engine}: {writers} writers on one commune, {seconds} s per policy\n");
        println!(
            "| policy | commands/s | conflicts ÷ appends | commands failed | p50 ms | p99 ms |"
        );
        println!("|---|---:|---:|---:|---:|---:|");
        let mut rates = Vec::new();
        for (label, policy) in policies {
            let figures =
                runtime.block_on(measure(engine, policy, writers, duration, clients.handle()));
            rates.push(row(label, figures, duration));
        }
        println!(
            "\ncommands/s ÷ baseline: backoff alone {:.2}, default {:.2}",
            rates[1] / rates[0],
            rates[2] / rates[0]
        );
    }
}
