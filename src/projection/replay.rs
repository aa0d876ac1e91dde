//! `ntm replay`: every projection rebuilt from position 0 into the `_next` tables while the live
//! ones keep serving, then the two sets swapped by renaming, in one transaction.

use std::sync::Arc;

use crate::domain::catalog::Catalog;
use futures::StreamExt;

use crate::store::EventStore;

use super::apply::Applier;
use super::projector::today;
use super::tx::TableSet;
use super::ProjectionError;
use crate::store::{with_tx, Tx};

/// Every read table; each also exists as `<name>_next`.
pub const TABLES: [&str; 8] = [
    "proj_localities",
    "proj_locality_periods",
    "proj_lineage_edges",
    "proj_standings",
    "proj_standing_criteria",
    "proj_standing_indicators",
    "proj_standing_history",
    "proj_criterion_history",
];

/// Decoded events held before the rebuild writes what it has (bounds its memory).
const FLUSH_AT: usize = 1_500_000;

/// Log entries folded between progress reports.
const READ_CHUNK: usize = 4_096;

/// How far a rebuild is, for a progress bar.
#[derive(Clone, Copy, Debug)]
pub struct ReplayProgress {
    pub position: i64,
    pub total: i64,
    /// The log is read; the localities are being graded and written.
    pub writing: bool,
}

/// Rebuilds into fresh tables and swaps them in; returns the position the new tables reflect.
/// Appends made meanwhile are projected afterwards by the live projector, from that position.
pub async fn replay(
    store: &EventStore,
    catalog: Arc<Catalog>,
    mut progress: impl FnMut(ReplayProgress),
) -> Result<i64, ProjectionError> {
    clear(store, TableSet::Next).await?;
    let mut applier = Applier::resume(store.clone(), catalog, TableSet::Next).await?;
    let mut report = ReplayProgress {
        position: 0,
        total: store.last_position().await?,
        writing: false,
    };
    let mut chunks = store.catch_up_entries(0).ready_chunks(READ_CHUNK);
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.into_iter().collect::<Result<Vec<_>, _>>()?;
        applier.ingest(&chunk).await?;
        report.position = chunk.last().map_or(report.position, |e| e.position);
        report.total = report.total.max(report.position);
        // Each locality is derived once, at the end, unless the cache overflows first.
        report.writing = applier.cached_events() > FLUSH_AT;
        progress(report);
        if report.writing {
            applier.flush(today()).await?;
        }
    }
    report.writing = true;
    progress(report);
    applier.flush(today()).await?;
    swap(store, applier.position()).await?;
    clear(store, TableSet::Next).await?;
    Ok(applier.position())
}

/// Empties a table set and resets its checkpoint to 0.
async fn clear(store: &EventStore, set: TableSet) -> Result<(), ProjectionError> {
    let mut tx = Tx::begin_write(store.db()).await?;
    for table in TABLES {
        let sql = format!("DELETE FROM {}", set.table(table));
        with_tx!(&mut tx, conn, _E => sqlx::query(&sql).execute(conn).await.map(|_| ())?);
    }
    let sql = "UPDATE proj_checkpoints SET position = 0 WHERE table_set = $1";
    with_tx!(&mut tx, conn, _E => sqlx::query(sql).bind(set.checkpoint_name()).execute(conn).await.map(|_| ())?);
    Ok(tx.commit().await?)
}

/// Renames `_next` to live and live to `_next`, and swaps their checkpoints, atomically. A
/// live projector's next batch then fails its checkpoint check and resumes from `rebuilt`.
async fn swap(store: &EventStore, rebuilt: i64) -> Result<(), ProjectionError> {
    let mut tx = Tx::begin_write(store.db()).await?;
    for table in TABLES {
        for sql in [
            format!("ALTER TABLE {table} RENAME TO {table}_swap"),
            format!("ALTER TABLE {table}_next RENAME TO {table}"),
            format!("ALTER TABLE {table}_swap RENAME TO {table}_next"),
        ] {
            with_tx!(&mut tx, conn, _E => sqlx::query(&sql).execute(conn).await.map(|_| ())?);
        }
    }
    // The old live tables are cleared next: their checkpoint starts over.
    let sql = "UPDATE proj_checkpoints SET position = $1 WHERE table_set = $2";
    for (position, set) in [(rebuilt, TableSet::Live), (0, TableSet::Next)] {
        with_tx!(&mut tx, conn, _E => sqlx::query(sql).bind(position).bind(set.checkpoint_name()).execute(conn).await.map(|_| ())?);
    }
    Ok(tx.commit().await?)
}
