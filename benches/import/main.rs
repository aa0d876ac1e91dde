//! Import benchmark: readings/s of `ntm import readings` (read the file, fold the log, decide
//! every row with the domain, one atomic append) for 10,000 and 50,000 readings; units/s of
//! `ntm import localities` on the country file (11,367 units, one atomic append); mapping rows/s
//! of `ntm import reorganization` (10,034 rows, one append per new unit); and the time
//! `ntm serve --demo` takes to load; the fact imports (`facts.rs`: 10,000 criterion assessments,
//! a decision covering 200 communes) beside `ntm import readings` on the same data size, with
//! their ratio (target: within 2×). Each beside the store's W2 rate (1 client, batches of 100
//! events of 310 bytes) measured in the same run. SQLite always, PostgreSQL when
//! `TEST_DATABASE_URL` is set.
//!
//! `cargo bench --bench import` (`NTM_BENCH_STREAMS`, default 1000, streams x 100 for W2).

#[path = "../common/append.rs"]
mod append;
mod facts;
#[path = "../common/scratch.rs"]
mod scratch;
#[path = "../../tests/it/import_export/setup.rs"]
mod setup;

use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use ntm_tracker::app::progress::Quiet;
use ntm_tracker::app::Origin;
use ntm_tracker::app::Register;
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::import::localities;
use ntm_tracker::import::readings::import;
use ntm_tracker::import::reorganization::{self, Files, Sources};
use ntm_tracker::store::EventStore;

/// The allocator of the `ntm` binary, so that its code runs here as it does there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

/// Readings/s and assessments/s importing 10,000 of each, and rows/s of a decision over 200
/// communes, each into a fresh database.
async fn facts_beside_readings(engine: &str) -> (f64, f64, f64, f64, f64) {
    let readings = import_rate(engine, 10_000).await;
    let (scratch, store) = open(engine).await;
    let assessments = facts::assessments_rate(&store, COMMUNES, 10_000).await;
    scratch.finish().await;
    let (scratch, store) = open(engine).await;
    let (decision, seconds, readings_seconds) = facts::decision_rate(&store, COMMUNES).await;
    scratch.finish().await;
    (readings, assessments, decision, seconds, readings_seconds)
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
    let report = import(&store, catalog, Origin::cli("bench"), &file, false, &Quiet)
        .await
        .expect("import");
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!((report.recorded, report.errors.len()), (rows, 0));
    scratch.finish().await;
    rows as f64 / seconds
}

fn data(file: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("catalog")
        .join(file)
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// Imports the country file into `store`; returns units/s.
async fn country(store: &EventStore) -> f64 {
    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    let started = Instant::now();
    let file = data("localities/localities-vn-pre2025.csv");
    let units = localities::read(&file).expect("file");
    let mut register = Register::load(store, catalog, Origin::cli("bench"))
        .await
        .expect("register");
    let terms = localities::Terms {
        file: file.display().to_string(),
        effective_on: date("2016-01-01"),
        act: None,
        today: date("2026-11-22"),
    };
    let summary = localities::import(&mut register, &units, &terms, &Quiet)
        .await
        .expect("import");
    assert_eq!(summary.created, units.len());
    units.len() as f64 / started.elapsed().as_secs_f64()
}

/// Units/s of the country file, then mapping rows/s and events of the 2025 reorganisation.
async fn country_and_reorganisation(engine: &str) -> (f64, f64, usize) {
    let (scratch, store) = open(engine).await;
    let units_rate = country(&store).await;
    let files = Files {
        mapping: data("localities/localities-vn-2025-ward-mapping.csv"),
        units: data("localities/localities-vn-2025.csv"),
        curated: vec![data("lineage/42-ha-tinh-2025-01-01.toml")],
    };
    let terms = reorganization::Terms {
        effective: date("2025-07-01"),
        act: "19/2025/QĐ-TTg".parse().expect("act"),
        prior_effective: date("2025-01-01"),
        prior_act: "35/2023/UBTVQH15".parse().expect("act"),
    };
    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    let started = Instant::now();
    let sources = Sources::read(&files).expect("sources");
    let mut register = Register::load(&store, catalog, Origin::cli("bench"))
        .await
        .expect("register");
    let summary = reorganization::run(&mut register, &sources, &terms, date("2026-11-22"), &Quiet)
        .await
        .expect("reorganisation");
    let rows = 10_034.0 / started.elapsed().as_secs_f64();
    scratch.finish().await;
    (units_rate, rows, summary.events)
}

/// Seconds to load the demo into an empty database, and its events.
async fn demo_load(engine: &str) -> (f64, i64) {
    let (scratch, store) = open(engine).await;
    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    let started = Instant::now();
    ntm_tracker::demo::load(&store, catalog, &Quiet)
        .await
        .expect("demo");
    let seconds = started.elapsed().as_secs_f64();
    let events = store.last_position().await.expect("position");
    scratch.finish().await;
    (seconds, events)
}

fn main() {
    let runtime = scratch::runtime();
    let streams: usize = scratch::env_number("NTM_BENCH_STREAMS", 1_000);
    let engines = scratch::engines();
    println!("| engine | readings | import (readings/s) | W2 batch of 100, 1 client (events/s) | ratio |");
    println!("|---|---:|---:|---:|---:|");
    let mut w2_rates = Vec::new();
    for engine in &engines {
        let w2_rate = runtime.block_on(w2(engine, streams));
        w2_rates.push(w2_rate);
        for rows in [10_000, 50_000] {
            let rate = runtime.block_on(import_rate(engine, rows));
            println!(
                "| {engine} | {rows} | {rate:.0} | {w2_rate:.0} | {:.2} |",
                rate / w2_rate
            );
        }
    }
    println!();
    println!("| engine | readings 10,000 (rows/s) | assessments 10,000 (rows/s) | ratio | decision over 200 communes (rows/s; s) | 200 readings, same database (s) | time ratio |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for engine in &engines {
        let (readings, assessments, decision, seconds, readings_seconds) =
            runtime.block_on(facts_beside_readings(engine));
        println!(
            "| {engine} | {readings:.0} | {assessments:.0} | {:.2} | {decision:.0}; {seconds:.3} | {readings_seconds:.3} | {:.2} |",
            assessments / readings,
            seconds / readings_seconds
        );
    }
    println!();
    println!("| engine | localities (units/s) | ratio to W2 | reorganisation (mapping rows/s; events) | ratio to W2 (events) | demo load (s; events) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (engine, w2_rate) in engines.iter().zip(w2_rates) {
        let (units, rows, events) = runtime.block_on(country_and_reorganisation(engine));
        let event_rate = rows / 10_034.0 * events as f64;
        let (seconds, demo_events) = runtime.block_on(demo_load(engine));
        println!(
            "| {engine} | {units:.0} | {:.2} | {rows:.0}; {events} | {:.2} | {seconds:.1}; {demo_events} |",
            units / w2_rate,
            event_rate / w2_rate
        );
    }
}
