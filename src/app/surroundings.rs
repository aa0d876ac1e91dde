//! Loads what [`tree::check`] reads about localities outside a command: the parent chains of
//! the parents it gives and the localities that may hold the codes it gives.
//!
//! Profiles are folded from the event streams, never from the read tables, which may lag the
//! log: a decision is not made on stale data. Only the search for a code's holders starts from
//! the directory, which is complete up to its checkpoint; the log after the checkpoint is read
//! for the rest. Two commands racing to give the same code (or crossing parents) to two
//! localities can still both pass: they append to different streams, which optimistic
//! concurrency per stream does not relate; the bounded recursive reads keep such a register
//! answering.

use std::collections::{BTreeSet, HashMap};
use std::future::Future;

use crate::domain::lineage::StreamEvents;
use crate::domain::locality::{LocalityEvent, LocalityId, LocalityState};
use crate::domain::tree::{self, Known, Surroundings, MAX_TREE_DEPTH};
use crate::domain::values::LocalityCode;
use crate::projection::read::ever_coded;
use crate::projection::{checkpoint, TableSet};
use crate::store::EventStore;

use super::codec;
use super::error::CommandError;

/// Refuses `decided` unless the register stays a tree once it is appended. `states` are the
/// localities already loaded for the decision; `load` reads any other one's stream.
pub async fn check_tree<F, Fut>(
    store: &EventStore,
    states: &HashMap<LocalityId, LocalityState>,
    decided: &StreamEvents,
    load: F,
) -> Result<(), CommandError>
where
    F: Fn(LocalityId) -> Fut,
    Fut: Future<Output = Result<LocalityState, CommandError>>,
{
    let (parents, codes) = tree::placements(decided);
    if parents.is_empty() && codes.is_empty() {
        return Ok(());
    }
    let mut known = Known::default();
    for (id, state) in states {
        known.insert(id.clone(), state.profile().clone());
    }
    let mut seen = BTreeSet::new();
    let mut level = parents;
    for _ in 0..MAX_TREE_DEPTH {
        let mut above = Vec::new();
        for id in level.into_iter().filter(|id| seen.insert(id.clone())) {
            if !known.contains(&id) {
                known.insert(id.clone(), load(id.clone()).await?.profile().clone());
            }
            above.extend(known_parents(&known, &id));
        }
        if above.is_empty() {
            break;
        }
        level = above;
    }
    for code in codes {
        let holders = code_holders(store, &code).await?;
        for id in &holders {
            if !known.contains(id) {
                known.insert(id.clone(), load(id.clone()).await?.profile().clone());
            }
        }
        known.may_hold_code(code, holders);
    }
    Ok(tree::check(decided, &known)?)
}

/// Every parent `id` ever had.
fn known_parents(known: &Known, id: &LocalityId) -> Vec<LocalityId> {
    known.profile(id).map_or_else(Vec::new, |p| {
        p.parents
            .entries()
            .iter()
            .filter_map(|(_, p)| p.clone())
            .collect()
    })
}

/// Every locality that may hold `code` on some date: those the directory has seen with it,
/// and those given it by an event the directory has not projected yet.
async fn code_holders(
    store: &EventStore,
    code: &LocalityCode,
) -> Result<BTreeSet<LocalityId>, CommandError> {
    // The checkpoint first: the directory then covers at least everything up to it.
    let projected = checkpoint(store.db(), TableSet::Live).await?;
    let mut holders: BTreeSet<LocalityId> = ever_coded(store.db(), code.as_str())
        .await?
        .iter()
        .filter_map(|id| id.parse().ok())
        .collect();
    let types = ["LocalityEstablished", "LocalityRecoded"];
    for entry in store.entries_after(projected, &types).await? {
        let gives = match codec::decode(&entry)?.event {
            LocalityEvent::LocalityEstablished(e) => e.code,
            LocalityEvent::LocalityRecoded(e) => e.code,
            _ => None,
        };
        let id = codec::locality_of(&entry.stream_id);
        if let (Some(id), true) = (id, gives.as_ref() == Some(code)) {
            holders.insert(id);
        }
    }
    Ok(holders)
}
