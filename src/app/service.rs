//! The one command service: every change to a locality is loaded, decided by the domain,
//! authorised and appended here, whoever asks for it (a GraphQL mutation, an import, the
//! demo). The path is the same for each: [`CommandService::one`] and
//! [`CommandService::many`] for a request's command, [`super::Register`] for a batch; all
//! of them write through [`CommandService::append`].

use std::collections::HashMap;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use tracing::instrument;
use uuid::Uuid;

use super::authorise::authorize_append;
use super::clock::Clock;
use super::codec::{self, locality_stream};
use super::error::CommandError;
use super::surroundings::check_tree;
use super::{CatalogHandle, Origin, Redecide, Turns};
use crate::auth::Actor;
use crate::domain::catalog::Catalog;
use crate::domain::lineage::StreamEvents;
use crate::domain::locality::{
    Locality, LocalityAction, LocalityCommand, LocalityEvent, LocalityId, LocalityState,
};
use crate::domain::DomainError;
use crate::store::{
    AppendRequest, Appended, Cause, EventStore, ExpectedVersion, RecordedEvent, StreamRange,
};

/// One command as a token holder asked for it. (Operators on the database host, the command
/// line and the demo, record batches through [`super::Register`] and are not checked against a
/// token: they hold the database itself.)
pub struct Call<'a> {
    pub origin: &'a Origin,
    /// Checked against its role and scope before anything is appended.
    pub actor: &'a Actor,
    /// The client's idempotency key: a retry with it returns the first result.
    pub key: &'a str,
    /// The command's input in canonical form (a mutation's arguments as canonical JSON): its
    /// digest tells a retry from another command that reuses the key.
    pub input: String,
}

/// How one append is recorded: by whom, under which key, and why.
#[derive(Clone, Debug, Default)]
pub struct Recording {
    pub key: Option<String>,
    /// The digest of the command's input, recorded beside the key.
    pub input_sha256: Option<String>,
    /// Why the events are recorded as they are, when that is not plain.
    pub reason: Option<String>,
    /// The stored event these events answer (the one a retraction withdraws, the merger an
    /// acknowledgement follows): their causation id.
    pub answers: Option<Uuid>,
}

/// The streams a command read, as it read them.
#[derive(Default)]
pub struct Loaded {
    pub states: HashMap<LocalityId, LocalityState>,
    versions: HashMap<LocalityId, i64>,
    pub(super) stored: HashMap<LocalityId, Vec<RecordedEvent>>,
}

impl Loaded {
    pub fn state(&self, id: &LocalityId) -> LocalityState {
        self.states.get(id).cloned().unwrap_or_default()
    }

    fn version(&self, id: &LocalityId) -> i64 {
        self.versions.get(id).copied().unwrap_or(0)
    }
}

/// The command service of one event store.
#[derive(Clone)]
pub struct CommandService {
    store: EventStore,
    catalog: CatalogHandle,
    redecide: Redecide,
    turns: Turns,
    clock: Clock,
}

impl CommandService {
    pub fn new(store: EventStore, catalog: impl Into<CatalogHandle>, redecide: Redecide) -> Self {
        CommandService {
            store,
            catalog: catalog.into(),
            redecide,
            turns: Turns::default(),
            clock: Clock::SYSTEM,
        }
    }

    /// The same service deciding by `clock` (the system's by default).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    pub fn store(&self) -> &EventStore {
        &self.store
    }

    /// The catalogue as it stands now (a version published later is seen by later calls).
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog.current()
    }

    pub fn catalog_handle(&self) -> &CatalogHandle {
        &self.catalog
    }

    /// Today in Vietnam, by the service's clock: what decisions are checked against.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today()
    }

    /// One command against one locality; with `expected`, refused unless the stream is at that
    /// version, without it decided again (see [`Redecide`]) when another writer moves first.
    pub async fn one(
        &self,
        call: &Call<'_>,
        id: &LocalityId,
        expected: Option<i64>,
        action: LocalityAction,
    ) -> Result<Appended, CommandError> {
        let aggregate = Locality::new(self.catalog.current());
        let decide = |loaded: &Loaded| {
            if let Some(expected) = expected {
                let actual = loaded.version(id);
                if expected != actual {
                    return Err(CommandError::VersionConflict {
                        stream_id: locality_stream(id),
                        expected,
                        actual,
                    });
                }
            }
            let command = LocalityCommand {
                today: self.clock.today(),
                action: action.clone(),
            };
            let events = aggregate.decide(id, &loaded.state(id), command)?;
            let answers = answered(&action, loaded.stored.get(id).map_or(&[], Vec::as_slice));
            Ok((vec![(id.clone(), events)], answers))
        };
        self.run(call, std::slice::from_ref(id), expected.is_some(), decide)
            .await
    }

    /// A lineage change across several localities (merger, split), appended atomically.
    pub async fn many(
        &self,
        call: &Call<'_>,
        involved: &[LocalityId],
        decide: impl Fn(&HashMap<LocalityId, LocalityState>) -> Result<StreamEvents, DomainError>,
    ) -> Result<Appended, CommandError> {
        let decide = |loaded: &Loaded| Ok((decide(&loaded.states)?, None));
        self.run(call, involved, false, decide).await
    }

    /// Load → decide → authorise → check tree → append for the localities `involved`,
    /// deciding again after a conflict unless `strict`.
    #[instrument(name = "command", skip_all, fields(
        localities = ?involved,
        request_id = %call.origin.request_id,
        correlation_id = %call.origin.correlation_id,
    ))]
    pub(super) async fn run(
        &self,
        call: &Call<'_>,
        involved: &[LocalityId],
        strict: bool,
        decide: impl Fn(&Loaded) -> Result<(StreamEvents, Option<Uuid>), CommandError>,
    ) -> Result<Appended, CommandError> {
        let key = namespaced_key(&call.actor.token_id.to_string(), call.key);
        let input_sha256 = hex::encode(Sha256::digest(call.input.as_bytes()));
        if let Some(first) = self.store.appended_with_key(&key).await? {
            return same_command(first, &key, &input_sha256);
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            let turn = match self.redecide.take_turns {
                true => Some(self.turns.take(involved).await),
                false => None,
            };
            let mut loaded = Loaded::default();
            for id in involved {
                let (state, stored) = self.load(id).await?;
                loaded
                    .versions
                    .insert(id.clone(), stored.last().map_or(0, |e| e.stream_version));
                loaded.states.insert(id.clone(), state);
                loaded.stored.insert(id.clone(), stored);
            }
            let (decided, answers) = decide(&loaded)?;
            let load = |id: LocalityId| async move { Ok(self.load(&id).await?.0) };
            // Scope first: a token may not learn, from a refusal, about the tree outside it.
            authorize_append(call.actor, &loaded.states, &decided, load).await?;
            check_tree(&self.store, &loaded.states, &decided, load).await?;
            let recording = Recording {
                key: Some(key.clone()),
                input_sha256: Some(input_sha256.clone()),
                reason: None,
                answers,
            };
            let version = |id: &LocalityId| loaded.version(id);
            match self.append(call.origin, &decided, version, recording).await {
                Err(CommandError::VersionConflict { .. })
                    if !strict && attempt < self.redecide.attempts =>
                {
                    drop(turn);
                    tokio::time::sleep(self.redecide.pause(attempt)).await;
                }
                outcome => return outcome,
            }
        }
    }

    /// A locality's state as its stream folds, with the stored events.
    pub async fn load(
        &self,
        id: &LocalityId,
    ) -> Result<(LocalityState, Vec<RecordedEvent>), CommandError> {
        let stored = self
            .store
            .read_stream(&locality_stream(id), StreamRange::all())
            .await?;
        let events = stored
            .iter()
            .map(|e| codec::decode(e).map(|r| r.event))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((Locality::fold(events)?, stored))
    }

    /// Appends decided events in one atomic append, each stream expected at `version(id)`,
    /// recorded as `origin` with the ids that tie them to it. Where the decision is a merger
    /// or a split, the events on the other streams name its event as their cause; events that
    /// answer a stored event name that one.
    #[instrument(skip_all, fields(
        request_id = %origin.request_id, correlation_id = %origin.correlation_id,
        streams = decided.len(),
    ))]
    pub async fn append(
        &self,
        origin: &Origin,
        decided: &StreamEvents,
        version: impl Fn(&LocalityId) -> i64,
        recording: Recording,
    ) -> Result<Appended, CommandError> {
        let decision = decision_event(decided);
        let mut streams = Vec::with_capacity(decided.len());
        for (id, events) in decided.iter() {
            let mut stream = codec::encode(id, ExpectedVersion::Exact(version(id)), events)?;
            let cause = match (decision, recording.answers) {
                (Some((at, decided_on)), _) if decided_on != id => Some(Cause::InRequest(at)),
                (_, Some(event)) => Some(Cause::Event(event)),
                _ => None,
            };
            for event in &mut stream.events {
                event.caused_by = cause;
            }
            streams.push(stream);
        }
        let mut metadata = origin.metadata();
        metadata.reason = recording.reason;
        metadata.input_sha256 = recording.input_sha256;
        let request = AppendRequest {
            streams,
            metadata,
            idempotency_key: recording.key,
        };
        Ok(self.store.append(request).await?)
    }
}

/// Where the merger's or the split's own event is in `decided` (as the request's index of
/// events, in stream order), if the decision is one.
fn decision_event(decided: &StreamEvents) -> Option<(usize, &LocalityId)> {
    let mut index = 0;
    for (id, events) in decided {
        for event in events {
            if matches!(
                event,
                LocalityEvent::LocalitiesMerged(_) | LocalityEvent::LocalitySplit(_)
            ) {
                return Some((index, id));
            }
            index += 1;
        }
    }
    None
}

/// The stored event a command answers: the one a retraction withdraws, the last merger into
/// the locality for an acknowledgement.
pub(super) fn answered(action: &LocalityAction, stored: &[RecordedEvent]) -> Option<Uuid> {
    let found = match action {
        LocalityAction::Retract(retraction) => stored
            .iter()
            .find(|e| u64::try_from(e.stream_version).ok() == Some(retraction.retracted_version)),
        LocalityAction::AcknowledgeRecognition(_) => stored
            .iter()
            .rev()
            .find(|e| e.event_type == "LocalitiesMerged"),
        _ => None,
    };
    found.map(|e| e.event_id)
}

/// The first result of a retried key, unless the key was used for another input. A key
/// recorded before inputs were digested canonically (with `command_sha256` only) answers with
/// its first result, as it did then.
fn same_command(first: Appended, key: &str, sha256: &str) -> Result<Appended, CommandError> {
    let recorded = first
        .events
        .first()
        .and_then(|e| e.metadata().ok())
        .and_then(|m| m.input_sha256);
    match recorded {
        Some(recorded) if recorded != sha256 => Err(CommandError::KeyReused {
            key: key.to_owned(),
        }),
        _ => Ok(first),
    }
}

/// The idempotency key as stored: prefixed by the actor (and its length, so that no two
/// (actor, key) pairs give the same text), so two actors using the same key never collide.
pub fn namespaced_key(actor: &str, key: &str) -> String {
    format!("{}:{actor}:{key}", actor.len())
}

#[cfg(test)]
mod tests {
    use super::namespaced_key;

    #[test]
    fn actors_never_share_an_idempotency_key() {
        assert_ne!(namespaced_key("a:b", "c"), namespaced_key("a", "b:c"));
        assert_ne!(namespaced_key("alice", "k1"), namespaced_key("bob", "k1"));
        assert_eq!(namespaced_key("alice", "k1"), namespaced_key("alice", "k1"));
    }
}
