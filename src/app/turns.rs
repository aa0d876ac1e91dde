//! One command at a time per locality within this process: commands on a busy locality queue
//! for their turn instead of racing to the append, where all but one would conflict.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::OwnedMutexGuard;

use crate::domain::locality::LocalityId;

/// The localities some command of this process is deciding on, each with its queue.
#[derive(Clone, Default)]
pub struct Turns(Arc<Mutex<HashMap<LocalityId, Arc<tokio::sync::Mutex<()>>>>>);

/// Held while a command loads, decides and appends; the next one in line goes on drop.
pub struct Turn(#[expect(dead_code, reason = "held for its drop")] Vec<OwnedMutexGuard<()>>);

impl Turns {
    /// Waits for the turn on every locality in `ids`, taken in id order so that two commands
    /// involving the same localities never wait for each other.
    pub async fn take(&self, ids: &[LocalityId]) -> Turn {
        let mut ids = ids.to_vec();
        ids.sort();
        ids.dedup();
        let queues: Vec<_> = {
            let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            // Forget the localities nobody holds or waits for, so the map stays small.
            map.retain(|_, queue| Arc::strong_count(queue) > 1);
            ids.into_iter()
                .map(|id| map.entry(id).or_default().clone())
                .collect()
        };
        let mut guards = Vec::with_capacity(queues.len());
        for queue in queues {
            guards.push(queue.lock_owned().await);
        }
        Turn(guards)
    }
}
