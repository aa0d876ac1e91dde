//! The projector task: leader election, catch-up and live projection of the global log, and
//! the handle callers use to read its position and wait for their own writes.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::app::clock::Clock;
use crate::app::CatalogHandle;
use crate::store::{Db, EventStore};

use super::apply::Applier;
use super::table_set::{checkpoint, TableSet};
use super::{leader, ProjectionError};

/// How the projector batches, polls and takes over.
#[derive(Clone, Debug)]
pub struct ProjectorConfig {
    /// Events per transaction at most.
    pub batch_size: usize,
    /// How often to look for appends of other processes when no wake-up arrives.
    pub poll_interval: Duration,
    /// How often a follower tries to become the leader, and the leader checks its lock.
    pub takeover_interval: Duration,
    /// Whose "today" grades the present standings.
    pub clock: Clock,
}

impl Default for ProjectorConfig {
    fn default() -> Self {
        ProjectorConfig {
            batch_size: 2_048,
            poll_interval: Duration::from_millis(100),
            takeover_interval: Duration::from_secs(1),
            clock: Clock::SYSTEM,
        }
    }
}

/// What the rest of the process sees of the projector.
#[derive(Clone)]
pub struct ProjectorHandle {
    db: Db,
    position: watch::Receiver<i64>,
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    leader: AtomicBool,
    batches: AtomicU64,
}

impl ProjectorHandle {
    /// The position up to which the read models are known to be projected.
    pub fn position(&self) -> i64 {
        *self.position.borrow()
    }

    /// Whether this process is the one projecting.
    pub fn is_leader(&self) -> bool {
        self.shared.leader.load(Ordering::SeqCst)
    }

    /// Batches this process has written (zero on a follower).
    pub fn batches_written(&self) -> u64 {
        self.shared.batches.load(Ordering::SeqCst)
    }

    /// Waits until the read models include `position` (read-your-writes), at most `timeout`.
    /// A follower reads the leader's progress from the stored checkpoint.
    pub async fn wait_for(&self, position: i64, timeout: Duration) -> Result<i64, ProjectionError> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut changes = self.position.clone();
        loop {
            let mut reached = *changes.borrow_and_update();
            if reached < position && !self.is_leader() {
                reached = reached.max(checkpoint(&self.db, TableSet::Live).await?);
            }
            if reached >= position {
                return Ok(reached);
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return Err(ProjectionError::Timeout {
                    wanted: position,
                    reached,
                });
            }
            let slice = (deadline - now).min(Duration::from_millis(20));
            let _ = tokio::time::timeout(slice, changes.changed()).await;
        }
    }
}

/// Starts the projector of this process. It projects only while it holds the leadership
/// (always on SQLite; the advisory lock on PostgreSQL) and otherwise waits to take over.
/// The catalogue it grades with is `catalog`'s base with the versions published in the log; it
/// puts every catalogue it loads in `catalog`, so the process sees a version once it projects it.
pub fn spawn(
    store: EventStore,
    catalog: impl Into<CatalogHandle>,
    config: ProjectorConfig,
) -> (ProjectorHandle, JoinHandle<()>) {
    let catalog = catalog.into();
    let (sender, position) = watch::channel(0);
    let shared = Arc::new(Shared::default());
    let handle = ProjectorHandle {
        db: store.db().clone(),
        position,
        shared: shared.clone(),
    };
    let store = store.with_poll_interval(config.poll_interval);
    let task = tokio::spawn(async move {
        loop {
            let outcome = run_as_leader(&store, &catalog, &config, &sender, &shared).await;
            shared.leader.store(false, Ordering::SeqCst);
            match outcome {
                Err(ProjectionError::NotLeader) => {
                    if let Ok(p) = checkpoint(store.db(), TableSet::Live).await {
                        sender.send_if_modified(|old| std::mem::replace(old, p) != p);
                    }
                }
                Err(error) => tracing::warn!(%error, "projector restarts from its checkpoint"),
                Ok(()) => {}
            }
            tokio::time::sleep(config.takeover_interval).await;
        }
    });
    (handle, task)
}

/// Takes the leadership if free and projects until an error or the loss of the lock.
async fn run_as_leader(
    store: &EventStore,
    catalog: &CatalogHandle,
    config: &ProjectorConfig,
    position: &watch::Sender<i64>,
    shared: &Shared,
) -> Result<(), ProjectionError> {
    let mut lock = leader::Leadership::try_acquire(store.db()).await?;
    shared.leader.store(true, Ordering::SeqCst);
    let mut applier =
        Applier::resume(store.clone(), catalog.base().clone(), TableSet::Live).await?;
    catalog.replace(applier.catalog().clone());
    position.send_replace(applier.position());
    let mut events = store
        .subscribe_entries(applier.position())
        .ready_chunks(config.batch_size);
    let mut check = tokio::time::interval(config.takeover_interval);
    let mut graded_on = None;
    loop {
        tokio::select! {
            chunk = events.next() => {
                let Some(chunk) = chunk else { return Ok(()) };
                let batch = chunk.into_iter().collect::<Result<Vec<_>, _>>()?;
                let graded_with = applier.catalog().clone();
                applier.apply(&batch, config.clock.today()).await?;
                if !Arc::ptr_eq(&graded_with, applier.catalog()) {
                    catalog.replace(applier.catalog().clone());
                }
                shared.batches.fetch_add(1, Ordering::SeqCst);
                position.send_replace(applier.position());
            }
            woken = lock.notified() => {
                woken?;
                // Another process appended: re-read from the checkpoint now, not at the next poll.
                events = store.subscribe_entries(applier.position()).ready_chunks(config.batch_size);
            }
            _ = check.tick() => {
                lock.check().await?;
                // Once a day (local midnight), and once on taking the lead.
                let today = config.clock.today();
                if graded_on != Some(today) {
                    let started = std::time::Instant::now();
                    let localities = applier.regrade(today).await?;
                    if localities > 0 {
                        let ms = started.elapsed().as_millis();
                        tracing::info!(localities, ms, %today, "present standings graded again");
                    }
                    graded_on = Some(today);
                }
            }
        }
    }
}

/// The date the present standing is graded on.
pub fn today() -> chrono::NaiveDate {
    crate::app::clock::today()
}
