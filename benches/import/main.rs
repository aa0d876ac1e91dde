//! Import benchmark: readings/s of `ntm import readings` (read the file, fold the log, decide
//! every row with the domain, one atomic append) for 10,000 and 50,000 readings, beside the
//! store's W2 rate (1 client, batches of 100 events of 310 bytes) measured in the same run.
//! SQLite always, PostgreSQL when `TEST_DATABASE_URL` is set.
//!
//! `cargo bench --bench import` (`NTM_BENCH_STREAMS`, default 1000, streams x 100 for W2).

#[path = "../common/append.rs"]
mod append;
#[path = "../common/scratch.rs"]
mod scratch;
#[path = "../../tests/it/import_export/setup.rs"]
mod setup;

use std::sync::Arc;
use std::time::Instant;

use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::import::progress::Progress;
use ntm_tracker::import::readings::import;
use ntm_tracker::store::{EventStore, Metadata};

const PAYLOAD: &str = include_str!("../store/payload.json");
const COMMUNES: usize = 200;

async fn open(engine: &str) -> (scratch::Scratch, EventStore) {
    let scratch = scratch::scratch(engine).await;
    scratch.db.migrate().await.expect("migrate");
    let store = EventStore::open(scratch.db.clone()).await.expect("open");
    (scratch, store)
}

/// W2 with one client: `streams` streams of 100 events, appended 100 at a time.
async fn w2(engine: &str, streams: usize) -> f64 {
    let (scratch, store) = open(engine).await;
    let started = Instant::now();
    for s in 0..streams {
        append::product_append(&store, &format!("bench/{s}"), 0, 100, 100, PAYLOAD).await;
    }
    let rate = (streams * 100) as f64 / started.elapsed().as_secs_f64();
    scratch.finish().await;
    rate
}

/// Readings/s importing `rows` readings into a database holding only the localities.
async fn import_rate(engine: &str, rows: usize) -> f64 {
    let (scratch, store) = open(engine).await;
    let communes = setup::communes(COMMUNES);
    setup::localities(&store, &communes).await;
    let (text, _) = setup::readings_csv(&communes, rows);
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("readings.csv");
    std::fs::write(&file, text).expect("write");
    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    let started = Instant::now();
    let report = import(
        &store,
        catalog,
        Metadata::system("bench"),
        &file,
        false,
        &Progress::new("rows"),
    )
    .await
    .expect("import");
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!((report.recorded, report.errors.len()), (rows, 0));
    scratch.finish().await;
    rows as f64 / seconds
}

fn main() {
    let runtime = scratch::runtime();
    let streams: usize = scratch::env_number("NTM_BENCH_STREAMS", 1_000);
    let engines = scratch::engines();
    println!("| engine | readings | import (readings/s) | W2 batch of 100, 1 client (events/s) | ratio |");
    println!("|---|---:|---:|---:|---:|");
    for engine in engines {
        let w2_rate = runtime.block_on(w2(engine, streams));
        for rows in [10_000, 50_000] {
            let rate = runtime.block_on(import_rate(engine, rows));
            println!(
                "| {engine} | {rows} | {rate:.0} | {w2_rate:.0} | {:.2} |",
                rate / w2_rate
            );
        }
    }
}
