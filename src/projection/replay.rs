//! `ntm replay`: every projection rebuilt from position 0 into the `_next` tables while the live
//! ones keep serving, then the two sets swapped by renaming, in one transaction.

use std::sync::Arc;

use chrono::NaiveDate;
use tokio::sync::mpsc;

use crate::domain::catalog::Catalog;
use crate::store::{with_tx, Db, EventStore, LogEntry, Tx};

use super::ancestry::{reaches_known, stream_links};
use super::derive::{derive, Derived};
use super::projector::today;
use super::table_set::TableSet;
use super::{paths, write, ProjectionError};
use crate::app::codec::{self, locality_id_text, LOCALITY_CATEGORY};
use crate::domain::locality::LocalityEvent;
use crate::domain::standing::Recorded;
use crate::domain::territory::Ancestry;

/// Every read table; each also exists as `<name>_next`.
pub const TABLES: [&str; 8] = [
    "proj_localities",
    "proj_locality_periods",
    "proj_lineage_edges",
    "proj_standings",
    "proj_standing_criteria",
    "proj_standing_indicators",
    "proj_standing_history",
    "proj_recognition_history",
];

/// Localities read, graded and written at a time: each chunk is one read and one transaction.
const STREAMS_PER_CHUNK: usize = 256;

/// How far a rebuild is, for a progress bar.
#[derive(Clone, Copy, Debug)]
pub struct ReplayProgress {
    /// Events read, graded and written.
    pub events: i64,
    /// Events in the log when the rebuild began.
    pub total: i64,
}

/// Rebuilds into fresh tables, graded with `catalog` (the binary's) and the versions published in
/// the log, and swaps them in; returns the position the new tables reflect.
/// Appends made meanwhile are projected afterwards by the live projector, from that position.
///
/// A locality's rows depend on its own stream alone, so the rebuild goes stream by stream (in
/// the order the streams began) rather than through the interleaved log: a chunk of localities
/// is read whole and graded while the previous chunk is written, and memory holds two chunks.
pub async fn replay(
    store: &EventStore,
    catalog: Arc<Catalog>,
    mut progress: impl FnMut(ReplayProgress),
) -> Result<i64, ProjectionError> {
    let rebuild = uuid::Uuid::new_v4().to_string();
    claim(store, &rebuild).await?;
    let snapshot = store.last_position().await?;
    // The versions published up to the snapshot grade, as the live projector's would there.
    let catalog = Arc::new(crate::app::catalog::load_at(store, &catalog, snapshot).await?);
    let prefix = format!("{LOCALITY_CATEGORY}/");
    let ids = store.stream_ids_by_start(&prefix, snapshot).await?;
    let (sender, mut graded) = mpsc::channel(1);
    let grader = tokio::spawn(grade(store.clone(), catalog, ids, snapshot, sender));
    let mut report = ReplayProgress {
        events: 0,
        total: snapshot,
    };
    while let Some(chunk) = graded.recv().await {
        let (mut derived, events) = chunk?;
        write_fresh(store, &rebuild, &mut derived).await?;
        report.events += events;
        progress(report);
    }
    grader
        .await
        .map_err(|e| ProjectionError::Task(e.to_string()))?;
    analyze(store).await?;
    swap(store, &rebuild, snapshot).await?;
    clear_swapped_out(store, &rebuild).await?;
    // The events of other streams (tokens) count as read too.
    report.events = snapshot;
    progress(report);
    Ok(snapshot)
}

/// Derived localities, and how many events they came from.
type Graded = (Vec<Derived>, i64);

/// Reads the streams chunk by chunk up to `snapshot` and derives their rows off the runtime's
/// threads; stops at the first error (sent on) or when the writer hangs up. A locality whose
/// ancestors have not all been read yet (a parent registered after it) is derived at the end,
/// when they have: its territory depends on them.
async fn grade(
    store: EventStore,
    catalog: Arc<Catalog>,
    ids: Vec<String>,
    snapshot: i64,
    sender: mpsc::Sender<Result<Graded, ProjectionError>>,
) {
    let today = today();
    let mut located = Located::default();
    for chunk in ids.chunks(STREAMS_PER_CHUNK) {
        let chunk: Vec<&str> = chunk.iter().map(String::as_str).collect();
        let entries = match store.read_streams_entries(&chunk, snapshot).await {
            Ok(entries) => entries,
            Err(error) => {
                let _ = sender.send(Err(error.into())).await;
                return;
            }
        };
        let catalog = catalog.clone();
        let mut state = std::mem::take(&mut located);
        let graded = tokio::task::spawn_blocking(move || {
            let graded = derive_streams(&entries, &catalog, today, &mut state);
            (graded, state)
        })
        .await;
        let graded = match graded {
            Ok((graded, state)) => {
                located = state;
                graded
            }
            Err(e) => Err(ProjectionError::Task(e.to_string())),
        };
        let failed = graded.is_err();
        if sender.send(graded).await.is_err() || failed {
            return;
        }
    }
    if !located.deferred.is_empty() {
        let graded = tokio::task::spawn_blocking(move || located.derive_deferred(&catalog, today))
            .await
            .map_err(|e| ProjectionError::Task(e.to_string()));
        let _ = sender.send(graded).await;
    }
}

/// What a rebuild knows of where localities are: the links of every stream read so far, and
/// the streams waiting for an ancestor not read yet.
#[derive(Default)]
struct Located {
    ancestry: Ancestry,
    deferred: Vec<(String, Vec<Recorded<LocalityEvent>>, i64)>,
}

impl Located {
    /// The deferred localities, derived with every stream's links known.
    fn derive_deferred(self, catalog: &Catalog, today: NaiveDate) -> Graded {
        let derived = self
            .deferred
            .iter()
            .map(|(id, events, last)| derive(id, events, *last, catalog, today, &self.ancestry))
            .collect();
        (derived, 0)
    }
}

/// The rows of every stream of `entries` (ordered by stream and version); the first event
/// that does not decode stops the rebuild (`codec`'s policy).
fn derive_streams(
    entries: &[LogEntry],
    catalog: &Catalog,
    today: NaiveDate,
    located: &mut Located,
) -> Result<Graded, ProjectionError> {
    let streams = entries
        .chunk_by(|a, b| a.stream_id == b.stream_id)
        .map(|stream| {
            let id = locality_id_text(&stream[0].stream_id).unwrap_or_default();
            let events = stream
                .iter()
                .map(codec::decode)
                .collect::<Result<Vec<_>, _>>()?;
            Ok((id.to_owned(), events, stream[stream.len() - 1].position))
        })
        .collect::<Result<Vec<_>, ProjectionError>>()?;
    let territorial = catalog.has_territorial_sets();
    if territorial {
        for (id, events, _) in &streams {
            located.ancestry.insert(id.clone(), stream_links(events));
        }
    }
    let mut derived = Vec::with_capacity(streams.len());
    for (id, events, last) in streams {
        let own = located.ancestry.get(&id).map_or(&[][..], Vec::as_slice);
        if territorial && !reaches_known(own, &located.ancestry) {
            located.deferred.push((id, events, last));
            continue;
        }
        derived.push(derive(
            &id,
            &events,
            last,
            catalog,
            today,
            &located.ancestry,
        ));
    }
    Ok((derived, i64::try_from(entries.len()).unwrap_or(i64::MAX)))
}

/// Writes localities not yet in the `_next` tables, with their paths, in one transaction.
async fn write_fresh(
    store: &EventStore,
    rebuild: &str,
    derived: &mut [Derived],
) -> Result<(), ProjectionError> {
    let mut tx = Tx::begin_write(store.db()).await?;
    hold(&mut tx, rebuild).await?;
    let moves = paths::assign(&mut tx, TableSet::Next, derived).await?;
    let batch = write::Batch {
        derived,
        previous: Vec::new(),
        unknown: Vec::new(),
        fresh: true,
    };
    write::write(&mut tx, TableSet::Next, &batch).await?;
    paths::settle(&mut tx, TableSet::Next, moves).await?;
    Ok(tx.commit().await?)
}

/// Claims the `_next` tables for the rebuild `rebuild` and empties them. A rebuild started
/// later claims them in turn, and this one then stops at its next write ([`hold`]).
async fn claim(store: &EventStore, rebuild: &str) -> Result<(), ProjectionError> {
    let mut tx = Tx::begin_write(store.db()).await?;
    // The claim first: on PostgreSQL it waits for a chunk another rebuild is committing, so the
    // deletes below see that chunk.
    let sql = "UPDATE proj_checkpoints SET position = 0, rebuild = $1 WHERE table_set = $2";
    with_tx!(&mut tx, conn, _E => sqlx::query(sql).bind(rebuild).bind(TableSet::Next.checkpoint_name()).execute(conn).await.map(|_| ())?);
    empty_next(&mut tx).await?;
    Ok(tx.commit().await?)
}

/// Within one of `rebuild`'s transactions: fails unless the `_next` tables are still its own,
/// and keeps them so (their checkpoint row locked) until the transaction ends.
async fn hold(tx: &mut Tx, rebuild: &str) -> Result<(), ProjectionError> {
    let sql = "UPDATE proj_checkpoints SET rebuild = rebuild WHERE table_set = $1 AND rebuild = $2";
    let held = with_tx!(tx, conn, _E => sqlx::query(sql).bind(TableSet::Next.checkpoint_name()).bind(rebuild).execute(conn).await?.rows_affected());
    if held == 1 {
        Ok(())
    } else {
        Err(ProjectionError::Superseded)
    }
}

/// Empties the tables swapped out (now `_next`), unless another rebuild has claimed them since.
async fn clear_swapped_out(store: &EventStore, rebuild: &str) -> Result<(), ProjectionError> {
    let mut tx = Tx::begin_write(store.db()).await?;
    match hold(&mut tx, rebuild).await {
        Err(ProjectionError::Superseded) => return Ok(()), // that one empties them
        held => held?,
    }
    empty_next(&mut tx).await?;
    Ok(tx.commit().await?)
}

async fn empty_next(tx: &mut Tx) -> Result<(), ProjectionError> {
    for table in TABLES {
        let sql = format!("DELETE FROM {}", TableSet::Next.table(table));
        with_tx!(&mut *tx, conn, _E => sqlx::query(&sql).execute(conn).await.map(|_| ())?);
    }
    Ok(())
}

/// Gives PostgreSQL's planner the sizes of the rebuilt tables before they serve: freshly filled
/// tables have no statistics until autovacuum comes by, and a roll-up planned without them ran
/// 2–3× slower. (SQLite plans without statistics.)
async fn analyze(store: &EventStore) -> Result<(), ProjectionError> {
    if let Db::Postgres(pool) = store.db() {
        let tables: Vec<String> = TABLES.iter().map(|t| TableSet::Next.table(t)).collect();
        sqlx::query(&format!("ANALYZE {}", tables.join(", ")))
            .execute(pool)
            .await?;
    }
    Ok(())
}

/// Renames `_next` to live and live to `_next`, and swaps their checkpoints, atomically. A
/// live projector's next batch then fails its checkpoint check and resumes from `rebuilt`.
async fn swap(store: &EventStore, rebuild: &str, rebuilt: i64) -> Result<(), ProjectionError> {
    let mut tx = Tx::begin_write(store.db()).await?;
    hold(&mut tx, rebuild).await?;
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

#[cfg(test)]
mod tests;
