//! Projection benchmark: full rebuild throughput beside the store's W3 replay read rate in the
//! same run, projection lag under a steady 500 events/s, and a roll-up of every commune of a
//! district as of a past date. SQLite always, PostgreSQL when `TEST_DATABASE_URL` is set.
//!
//! `cargo bench --bench projection` (`NTM_BENCH_COMMUNES`, default 10000, x 100 events).

#[path = "../../tests/it/support/history.rs"]
mod history;
#[path = "../common/scratch.rs"]
mod scratch;

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::domain::locality::LocalityEvent;
use ntm_tracker::domain::terms::LocalityKind;
use ntm_tracker::projection::{self, read, ProjectorConfig};
use ntm_tracker::store::EventStore;

/// The allocator of the `ntm` binary, so that its code runs here as it does there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// W3 of the store benchmark: every event in order through the replay path, payload decoded.
async fn read_rate(store: &EventStore) -> f64 {
    let started = Instant::now();
    let mut events = store.catch_up_entries(0);
    let mut n = 0u64;
    while let Some(event) = events.next().await {
        let event = event.expect("event");
        let decoded: LocalityEvent = serde_json::from_str(&event.payload).expect("payload");
        std::hint::black_box(decoded);
        n += 1;
    }
    n as f64 / started.elapsed().as_secs_f64()
}

/// p99 milliseconds from commit to projection, appending one event every 2 ms for 10 s.
async fn lag_p99(store: &EventStore, catalog: Arc<Catalog>) -> f64 {
    let (handle, task) = projection::spawn(store.clone(), catalog, ProjectorConfig::default());
    handle
        .wait_for(
            store.last_position().await.expect("last"),
            Duration::from_secs(600),
        )
        .await
        .expect("caught up");
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<(i64, Instant)>();
    let measurer = tokio::spawn(async move {
        let mut lags = Vec::new();
        while let Some((position, committed)) = receiver.recv().await {
            handle
                .wait_for(position, Duration::from_secs(30))
                .await
                .expect("projected");
            lags.push(committed.elapsed().as_secs_f64() * 1000.0);
        }
        lags
    });
    let shape = history::Shape {
        districts: 1,
        communes: 1,
        events_per_commune: 1,
    };
    let mut tick = tokio::time::interval(Duration::from_millis(2));
    for i in 0..5_000u128 {
        tick.tick().await;
        let position = history::append_one(store, &history::commune(&shape, i % 1_000)).await;
        sender.send((position, Instant::now())).expect("measurer");
    }
    drop(sender);
    let mut lags = measurer.await.expect("measurer");
    task.abort();
    lags.sort_by(f64::total_cmp);
    lags[lags.len() * 99 / 100]
}

async fn run(engine: &str, communes: u128) {
    let scratch = scratch::scratch(engine).await;
    let db = scratch.db.clone();
    db.migrate().await.expect("migrate");
    let store = EventStore::open(db.clone()).await.expect("open");
    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    let shape = history::Shape {
        districts: 1,
        communes,
        events_per_commune: 100,
    };
    let last = history::generate(&store, &shape).await;
    let w3 = read_rate(&store).await;
    let started = Instant::now();
    projection::replay(&store, catalog.clone(), |_| {})
        .await
        .expect("replay");
    let rebuild = last as f64 / started.elapsed().as_secs_f64();
    let on = history::date(2023, 6, 30);
    let parent = history::district(0).to_string();
    let set = catalog
        .get(&history::SET.parse().expect("set"))
        .expect("set");
    // The first run reads cold pages; the median of five after it is the steady figure.
    let mut timings = Vec::new();
    let mut rollup = None;
    for _ in 0..6 {
        let started = Instant::now();
        rollup = Some(
            read::rollup(
                &db,
                read::RollupQuery {
                    parent: &parent,
                    on,
                    kinds: &[LocalityKind::Commune],
                    set: Some(set),
                    below: 15,
                    census: None,
                },
            )
            .await
            .expect("rollup"),
        );
        timings.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let rollup = rollup.expect("ran");
    let first_ms = timings[0];
    let mut warm = timings[1..].to_vec();
    warm.sort_by(f64::total_cmp);
    let rollup_ms = warm[warm.len() / 2];
    let lag = lag_p99(&store, catalog).await;
    println!(
        "\n{engine}: {last} events, {} communes in the roll-up\n",
        rollup.total.units
    );
    println!("| measure | value | store W3 read rate | ratio | target |");
    println!("|---|---:|---:|---:|---|");
    println!(
        "| full rebuild (events/s) | {rebuild:.0} | {w3:.0} | {:.2} | >= 50000 and >= 0.25 |",
        rebuild / w3
    );
    println!("| projection lag p99 at 500 events/s (ms) | {lag:.1} | | | < 200 |");
    println!(
        "| roll-up of one district as of 2023-06-30 (ms, median of 5; first run {first_ms:.1}) | {rollup_ms:.1} | | | < 100 |"
    );
    scratch.finish().await;
}

fn main() {
    let runtime = scratch::runtime();
    let communes: u128 = scratch::env_number("NTM_BENCH_COMMUNES", 10_000);
    let engines = scratch::engines();
    for engine in engines {
        runtime.block_on(run(engine, communes));
    }
}
