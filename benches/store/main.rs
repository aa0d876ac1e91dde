//! Event-store benchmark: the workloads of `shared/bench/README.md` (W1–W4) on SQLite and,
//! when `TEST_DATABASE_URL` is set, PostgreSQL, each beside a raw-SQL baseline measured in
//! the same run. Prints a table with the ratio product / baseline.
//!
//! `cargo bench --bench store` (set `NTM_BENCH_STREAMS` below 1000 for a quicker run, and
//! `NTM_BENCH_READS=1` to run only the write that W3 and W4 read, then W3 and W4).

#[path = "../common/append.rs"]
mod append;
mod raw;
#[path = "../common/scratch.rs"]
mod scratch;
mod workloads;

use std::time::Duration;

/// The allocator of the `ntm` binary, so that its code runs here as it does there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub use scratch::{scratch, Scratch};

/// The 310-byte event payload shared by every store benchmark of the project.
pub const PAYLOAD: &str = include_str!("payload.json");

/// One line of the result table.
pub struct Row {
    pub workload: &'static str,
    pub unit: &'static str,
    pub product: f64,
    pub baseline: f64,
    /// Throughputs: product / baseline, higher is better; latencies: product / baseline.
    pub target: &'static str,
}

fn print_table(engine: &str, settings: &str, rows: &[Row]) {
    println!("\n{engine} ({settings})\n");
    println!("| workload | unit | ntm-tracker | raw baseline | ratio | target |");
    println!("|---|---|---:|---:|---:|---|");
    for row in rows {
        println!(
            "| {} | {} | {:.3} | {:.3} | {:.2} | {} |",
            row.workload,
            row.unit,
            row.product,
            row.baseline,
            row.product / row.baseline,
            row.target
        );
    }
}

fn main() {
    let runtime = scratch::runtime();
    let streams: usize = scratch::env_number("NTM_BENCH_STREAMS", 1_000);
    let engines = scratch::engines();
    println!(
        "workloads: {streams} streams x 100 events of {} bytes",
        PAYLOAD.len()
    );
    for engine in engines {
        let (settings, rows) = runtime.block_on(workloads::run_all(engine, streams));
        print_table(engine, &settings, &rows);
        std::thread::sleep(Duration::from_millis(100));
    }
}
