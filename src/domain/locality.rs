//! The locality aggregate (đơn vị hành chính): a stable id, its stream of events, the state
//! folded from them, and the commands a coordination office issues against one locality.

use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use eventually_core::aggregate::Aggregate;
use futures::future::{BoxFuture, FutureExt};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::catalog::Catalog;
pub use super::event::*;
use super::profile::Profile;
use super::standing::effective_facts;
use super::DomainError;

/// Stable internal id of a locality (UUID v7, made by the caller); codes and names change.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LocalityId(pub Uuid);

impl fmt::Display for LocalityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for LocalityId {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s)
            .map(Self)
            .map_err(|_| DomainError::Invalid {
                field: "locality id",
                value: s.to_owned(),
                expected: "a UUID",
            })
    }
}

/// The state of one locality as currently known: its whole stream (versions are 1-based
/// positions in it), which versions are retracted, and the register entry folded from the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalityState {
    history: Vec<LocalityEvent>,
    retracted: Vec<u64>,
    profile: Profile,
}

impl LocalityState {
    /// Number of events applied: the stream version.
    pub fn version(&self) -> u64 {
        self.history.len() as u64
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The event at a 1-based stream version.
    pub fn event(&self, version: u64) -> Option<&LocalityEvent> {
        let index = usize::try_from(version.checked_sub(1)?).ok()?;
        self.history.get(index)
    }

    pub fn is_retracted(&self, version: u64) -> bool {
        self.retracted.contains(&version)
    }

    /// Facts in force as currently known: no retractions, nothing retracted.
    pub fn facts(&self) -> Vec<(u64, &LocalityEvent)> {
        let all: Vec<(u64, &LocalityEvent)> = (1..).zip(&self.history).collect();
        effective_facts(&all)
    }

    fn applied(mut self, event: LocalityEvent) -> Result<Self, DomainError> {
        let version = self.version() + 1;
        if let LocalityEvent::EventRetracted(r) = &event {
            if r.retracted_version == 0 || r.retracted_version >= version {
                return Err(DomainError::UnknownVersion(r.retracted_version));
            }
            self.retracted.push(r.retracted_version);
            self.history.push(event);
            self.profile = Profile::fold(self.facts());
        } else {
            self.profile.apply(version, &event);
            self.history.push(event);
        }
        Ok(self)
    }
}

/// A command against one locality. `today` is the caller's date: the domain has no clock.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalityCommand {
    pub today: NaiveDate,
    pub action: LocalityAction,
}

/// What a coordination office can do to one locality; lineage changes spanning several
/// localities (merger, split) are decided in [`super::lineage`].
#[derive(Debug, Clone, PartialEq)]
pub enum LocalityAction {
    Establish(LocalityEstablished),
    Rename(LocalityRenamed),
    Reclassify(LocalityReclassified),
    Recode(LocalityRecoded),
    Transfer(LocalityTransferred),
    AssignThreshold(ThresholdAssigned),
    Dissolve(LocalityDissolved),
    Enrol(ProgrammeEnrolled),
    RecordIndicator(IndicatorRecorded),
    AssessCriterion(CriterionAssessed),
    RecordAppraisalVote(AppraisalVoted),
    GrantRecognition(RecognitionGranted),
    RevokeRecognition(RecognitionRevoked),
    AcknowledgeRecognition(RecognitionAcknowledged),
    Retract(EventRetracted),
}

/// The aggregate: carries the catalogue that commands are checked against.
#[derive(Debug, Clone)]
pub struct Locality {
    pub catalog: Arc<Catalog>,
}

impl Locality {
    pub fn new(catalog: Arc<Catalog>) -> Self {
        Self { catalog }
    }

    /// Synchronous decision: the events a command produces, or why it is refused.
    pub fn decide(
        &self,
        id: &LocalityId,
        state: &LocalityState,
        command: LocalityCommand,
    ) -> Result<Vec<LocalityEvent>, DomainError> {
        super::command::decide(&self.catalog, id, state, command)
    }

    /// Applies one event to a state (the `Aggregate::apply` fold step).
    pub fn fold_onto(
        state: LocalityState,
        event: LocalityEvent,
    ) -> Result<LocalityState, DomainError> {
        state.applied(event)
    }

    /// Folds a whole stream (as `apply` would, one event at a time).
    pub fn fold(
        events: impl IntoIterator<Item = LocalityEvent>,
    ) -> Result<LocalityState, DomainError> {
        events
            .into_iter()
            .try_fold(LocalityState::default(), <Self as Aggregate>::apply)
    }
}

impl Aggregate for Locality {
    type Id = LocalityId;
    type State = LocalityState;
    type Event = LocalityEvent;
    type Command = LocalityCommand;
    type Error = DomainError;

    fn apply(state: Self::State, event: Self::Event) -> Result<Self::State, Self::Error> {
        state.applied(event)
    }

    fn handle<'a, 's: 'a>(
        &'a self,
        id: &'s Self::Id,
        state: &'s Self::State,
        command: Self::Command,
    ) -> BoxFuture<'a, Result<Option<Vec<Self::Event>>, Self::Error>> {
        futures::future::ready(self.decide(id, state, command).map(Some)).boxed()
    }
}
