//! `ntm replay`: the projection rebuild with a progress bar (events/s, ETA) on stderr.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use crate::domain::catalog::Catalog;
use crate::projection;
use crate::store::{Db, EventStore};

/// Rebuilds every projection; the service keeps reading the old tables until the swap.
pub async fn run(db: Db) -> anyhow::Result<ExitCode> {
    let store = EventStore::open(db).await?;
    let catalog = Arc::new(Catalog::shipped()?);
    let total = store.last_position().await?;
    let bar = ProgressBar::new(u64::try_from(total).unwrap_or(0));
    bar.set_style(ProgressStyle::with_template(
        "{bar:40} {pos}/{len} events  {per_sec}  ETA {eta}",
    )?);
    let started = Instant::now();
    let position = projection::replay(&store, catalog, |p| {
        bar.set_length(u64::try_from(p.total).unwrap_or(0));
        bar.set_position(u64::try_from(p.events).unwrap_or(0));
    })
    .await?;
    bar.finish();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "rebuilt every projection up to position {position} in {seconds:.1} s ({:.0} events/s)",
        position as f64 / seconds.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}
