//! The register of every locality folded from the whole log, for batch work that decides against
//! many localities at once as one actor (imports, the demo): look a code up on a date, decide
//! with the domain, append atomically with the versions it was decided on.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;
use futures::TryStreamExt;

use super::codec;
use super::error::CommandError;
use super::service::{CommandService, Recording};
use super::{Origin, Redecide};
use crate::domain::catalog::Catalog;
use crate::domain::lineage::StreamEvents;
use crate::domain::locality::{
    Locality, LocalityAction, LocalityCommand, LocalityEvent, LocalityId, LocalityState,
};
use crate::domain::profile::Profile;
use crate::domain::tree::{self, Surroundings};
use crate::domain::values::LocalityCode;
use crate::domain::DomainError;
use crate::store::{Appended, EventStore};

/// Every locality's state as the log has it, with an index of the codes each ever held.
pub struct Register {
    service: CommandService,
    aggregate: Locality,
    origin: Origin,
    states: HashMap<LocalityId, LocalityState>,
    holders: HashMap<LocalityCode, Vec<LocalityId>>,
    /// Every locality that ever had each parent, so a merger finds its sources' children
    /// without scanning the register.
    children: HashMap<LocalityId, BTreeSet<LocalityId>>,
}

impl Register {
    /// Folds the whole log; what this register records is recorded as `origin`'s, by an
    /// operator (no token's scope applies).
    pub async fn load(
        store: &EventStore,
        catalog: Arc<Catalog>,
        origin: Origin,
    ) -> Result<Self, CommandError> {
        let mut register = Register {
            service: CommandService::new(store.clone(), catalog.clone(), Redecide::ONCE),
            aggregate: Locality::new(catalog),
            origin,
            states: HashMap::new(),
            holders: HashMap::new(),
            children: HashMap::new(),
        };
        let mut log = store.catch_up_entries(0);
        while let Some(entry) = log.try_next().await? {
            let Some(id) = codec::locality_of(&entry.stream_id) else {
                continue;
            };
            let event = codec::decode(&entry)?.event;
            register.fold(&id, [event])?;
        }
        Ok(register)
    }

    pub fn store(&self) -> &EventStore {
        self.service.store()
    }

    /// Who what this register records is recorded as.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    pub fn catalog(&self) -> &Catalog {
        &self.aggregate.catalog
    }

    pub fn len(&self) -> usize {
        self.states.len()
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }

    pub fn state(&self, id: &LocalityId) -> Option<&LocalityState> {
        self.states.get(id)
    }

    /// Every locality and its state, in no particular order.
    pub fn states(&self) -> impl Iterator<Item = (&LocalityId, &LocalityState)> {
        self.states.iter()
    }

    /// The locality holding `code` on `on` (codes are reused over time, so a date is needed).
    pub fn holder(&self, code: &LocalityCode, on: NaiveDate) -> Option<&LocalityId> {
        self.holders
            .get(code)?
            .iter()
            .find(|id| self.states[*id].profile().code_on(on) == Some(code))
    }

    /// Every locality that ever held `code`, whatever the date.
    pub fn ever_held(&self, code: &LocalityCode) -> &[LocalityId] {
        self.holders.get(code).map_or(&[], Vec::as_slice)
    }

    /// Localities alive on `on` whose parent that day is one of `parents`.
    pub fn children_of(&self, parents: &[LocalityId], on: NaiveDate) -> Vec<LocalityId> {
        let candidates: BTreeSet<&LocalityId> = parents
            .iter()
            .filter_map(|p| self.children.get(p))
            .flatten()
            .collect();
        candidates
            .into_iter()
            .filter(|id| {
                self.states.get(*id).is_some_and(|s| {
                    let profile = s.profile();
                    profile.exists_on(on)
                        && profile
                            .parents
                            .on(on)
                            .and_then(Option::as_ref)
                            .is_some_and(|p| parents.contains(p))
                })
            })
            .cloned()
            .collect()
    }

    /// Every locality that ever had `parent` as its parent, whatever the date, in id order.
    pub fn ever_children(&self, parent: &LocalityId) -> impl Iterator<Item = &LocalityId> {
        self.children.get(parent).into_iter().flatten()
    }

    /// Every locality alive on `on`, in id order.
    pub fn alive_on(&self, on: NaiveDate) -> Vec<&LocalityId> {
        let mut ids: Vec<&LocalityId> = self
            .states
            .iter()
            .filter(|(_, s)| s.profile().exists_on(on))
            .map(|(id, _)| id)
            .collect();
        ids.sort();
        ids
    }

    /// What one command against one locality would record (nothing is written).
    pub fn decide(
        &self,
        id: &LocalityId,
        today: NaiveDate,
        action: LocalityAction,
    ) -> Result<Vec<LocalityEvent>, DomainError> {
        self.decide_on(id, self.states.get(id), today, action)
    }

    /// What one command would record against `state` (`None`: a locality not established
    /// yet), a state of `id` not (yet) in the register, such as one a [`super::Draft`]
    /// folded in memory.
    pub fn decide_on(
        &self,
        id: &LocalityId,
        state: Option<&LocalityState>,
        today: NaiveDate,
        action: LocalityAction,
    ) -> Result<Vec<LocalityEvent>, DomainError> {
        let empty = LocalityState::default();
        let state = state.unwrap_or(&empty);
        self.aggregate
            .decide(id, state, LocalityCommand { today, action })
    }

    /// The states of `ids`, for a multi-locality decision (merger, split).
    pub fn states_of(&self, ids: &[LocalityId]) -> HashMap<LocalityId, LocalityState> {
        ids.iter()
            .filter_map(|id| Some((id.clone(), self.states.get(id)?.clone())))
            .collect()
    }

    /// Appends `streams` in one atomic append through the command service, each stream
    /// expected at the version the decision saw, then folds them in; refused when the register
    /// would stop being a tree ([`tree::check`]). A retried `key` writes nothing and returns
    /// the first result.
    pub async fn record(
        &mut self,
        streams: StreamEvents,
        key: Option<String>,
    ) -> Result<Appended, CommandError> {
        self.record_because(streams, key, None).await
    }

    /// [`Register::record`] with a reason in the metadata (e.g. "inferred from …").
    pub async fn record_because(
        &mut self,
        streams: StreamEvents,
        key: Option<String>,
        reason: Option<String>,
    ) -> Result<Appended, CommandError> {
        tree::check(&streams, self)?;
        let recording = Recording {
            key,
            reason,
            ..Recording::default()
        };
        let states = &self.states;
        let version = |id: &LocalityId| states.get(id).map_or(0, |s| s.version() as i64);
        let appended = self
            .service
            .append(&self.origin, &streams, version, recording)
            .await?;
        for (id, events) in streams {
            self.fold(&id, events)?;
        }
        Ok(appended)
    }

    fn fold(
        &mut self,
        id: &LocalityId,
        events: impl IntoIterator<Item = LocalityEvent>,
    ) -> Result<(), DomainError> {
        let mut state = self.states.remove(id).unwrap_or_default();
        for event in events {
            state = Locality::fold_onto(state, event)?;
        }
        for (_, code) in state.profile().codes.entries() {
            let Some(code) = code else { continue };
            let holders = self.holders.entry(code.clone()).or_default();
            if !holders.contains(id) {
                holders.push(id.clone());
            }
        }
        for (_, parent) in state.profile().parents.entries() {
            if let Some(parent) = parent {
                self.children
                    .entry(parent.clone())
                    .or_default()
                    .insert(id.clone());
            }
        }
        self.states.insert(id.clone(), state);
        Ok(())
    }
}

/// The whole register is in memory: the index of codes names every locality that ever held one.
impl Surroundings for Register {
    fn profile(&self, id: &LocalityId) -> Option<&Profile> {
        self.states.get(id).map(LocalityState::profile)
    }

    fn may_hold(&self, code: &LocalityCode) -> Vec<LocalityId> {
        self.ever_held(code).to_vec()
    }
}
