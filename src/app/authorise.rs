//! Authorisation of an append: the access policy (`auth::policy`) applied to every decided
//! event before it is written, for a token holder (the API). Operators on the database host
//! (the command line, the demo) are not checked: they hold the database itself.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::clock;
use super::error::CommandError;
use crate::auth::policy::{permit, right_to_record};
use crate::auth::Actor;
use crate::domain::lineage::StreamEvents;
use crate::domain::locality::{Locality, LocalityEvent, LocalityId, LocalityState};
use crate::domain::profile::Profile;
use crate::domain::tree::MAX_TREE_DEPTH;
use crate::store::DomainEvent;

/// Refuses the whole append unless `actor` may record every decided event: its role grants
/// the event's right and, for a scoped token, the locality is inside the scope on the event's
/// effective date both before and after the append (no event moves a locality into or out of
/// a scope: a transfer's new parent is inside it too), and the scope's root is neither moved
/// nor ended. `load` reads the current state of any other locality, e.g. ancestors.
pub async fn authorize_append<F, Fut>(
    actor: &Actor,
    before: &HashMap<LocalityId, LocalityState>,
    decided: &StreamEvents,
    load: F,
) -> Result<(), CommandError>
where
    F: Fn(LocalityId) -> Fut,
    Fut: std::future::Future<Output = Result<LocalityState, CommandError>>,
{
    let mut tree = Tree {
        profiles: before
            .iter()
            .map(|(id, state)| (id.clone(), state.profile().clone()))
            .collect(),
        load,
    };
    for (id, events) in decided {
        let prior = before.get(id).cloned().unwrap_or_default();
        let mut after = prior.clone();
        for event in events {
            after = Locality::fold_onto(after, event.clone())?;
        }
        for event in events {
            let retracted = match event {
                LocalityEvent::EventRetracted(r) => prior.event(r.retracted_version),
                _ => None,
            };
            permit(Some(actor), right_to_record(event, retracted), false)?;
            if let Some(root) = &actor.scope {
                if id == root && moves_or_ends(event) {
                    return Err(CommandError::Forbidden(format!(
                        "a token scoped to {root} cannot move or end its scope's root"
                    )));
                }
                let on = effective_date(event, retracted);
                tree.require(id, &prior, &after, root, on).await?;
            }
        }
    }
    Ok(())
}

/// Whether `event` moves its locality to another parent or ends it (merged away, split up,
/// dissolved): what a token may not do to the root of its own scope.
fn moves_or_ends(event: &LocalityEvent) -> bool {
    match event {
        LocalityEvent::LocalityTransferred(_)
        | LocalityEvent::MergedInto(_)
        | LocalityEvent::LocalityDissolved(_) => true,
        LocalityEvent::LocalitySplit(split) => !split.continues,
        _ => false,
    }
}

/// The date a scope is judged on: the fact's effective date (a retraction: that of the fact
/// it withdraws), today for a fact without one.
fn effective_date(event: &LocalityEvent, retracted: Option<&LocalityEvent>) -> NaiveDate {
    event
        .effective_on()
        .or_else(|| retracted.and_then(DomainEvent::effective_on))
        .unwrap_or_else(clock::today)
}

/// Parent chains on a date, folded from the event streams (never from the read tables, which
/// may lag behind the write that just registered a locality).
struct Tree<F> {
    profiles: HashMap<LocalityId, Profile>,
    load: F,
}

impl<F, Fut> Tree<F>
where
    F: Fn(LocalityId) -> Fut,
    Fut: std::future::Future<Output = Result<LocalityState, CommandError>>,
{
    /// Refuses unless `id` is inside `root` on `on` both as it stood (`prior`, if it existed)
    /// and as it will stand (`after`).
    async fn require(
        &mut self,
        id: &LocalityId,
        prior: &LocalityState,
        after: &LocalityState,
        root: &LocalityId,
        on: NaiveDate,
    ) -> Result<(), CommandError> {
        let existed = prior.profile().established_on.is_some();
        let placements = [Some(after.profile()), existed.then(|| prior.profile())];
        for profile in placements.into_iter().flatten() {
            if !self.within(id, profile, root, on).await? {
                return Err(CommandError::Forbidden(format!(
                    "locality {id} is outside the token's scope on {on}"
                )));
            }
        }
        Ok(())
    }

    /// Whether `id`, placed as `profile` says, is `root` or below it on `on`.
    async fn within(
        &mut self,
        id: &LocalityId,
        profile: &Profile,
        root: &LocalityId,
        on: NaiveDate,
    ) -> Result<bool, CommandError> {
        if id == root {
            return Ok(true);
        }
        let mut parent = parent_on(profile, on);
        for _ in 0..MAX_TREE_DEPTH {
            let Some(current) = parent else {
                return Ok(false);
            };
            if &current == root {
                return Ok(true);
            }
            if !self.profiles.contains_key(&current) {
                let state = (self.load)(current.clone()).await?;
                self.profiles
                    .insert(current.clone(), state.profile().clone());
            }
            parent = self.profiles.get(&current).and_then(|p| parent_on(p, on));
        }
        Ok(false)
    }
}

/// The parent on `on` (an ended locality keeps its last one: merger sources are judged where
/// they stood).
fn parent_on(profile: &Profile, on: NaiveDate) -> Option<LocalityId> {
    profile.parents.on(on).cloned().flatten()
}
