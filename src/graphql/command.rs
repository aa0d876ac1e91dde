//! Command handling for the mutations: load the streams, decide with the domain, append with
//! the expected versions and the actor's idempotency key. Nothing else.

use std::collections::HashMap;
use std::time::Duration;

use async_graphql::SimpleObject;
use chrono::Utc;

use super::access::authorize_append;
use super::events::EventView;
use super::streams::{decode, read_envelopes, stream_id};
use super::surroundings::check_tree;
use super::{ApiContext, ApiError};
use crate::auth::Actor;
use crate::domain::lineage::StreamEvents;
use crate::domain::locality::{
    Locality, LocalityAction, LocalityCommand, LocalityId, LocalityState,
};
use crate::domain::DomainError;
use crate::domain_store::stream_append;
use crate::store::{AppendRequest, Appended, ExpectedVersion, Metadata, StoreError};

/// How often, and after which pauses, a command without `expectedVersion` decides again when
/// another writer moved a stream between its load and its append: deciding again on the new
/// state is what such a client asked for. The pauses are "full jitter" exponential backoff
/// (a random wait in `0..min(cap, base × 2^n)` before attempt n + 1): writers that collided
/// once spread out instead of colliding again in the next group commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Redecide {
    /// Attempts in all, the first included; 1: a conflict fails the command at once.
    pub attempts: u32,
    pub base: Duration,
    pub cap: Duration,
    /// Commands of this process on the same locality wait for each other (see `turns.rs`),
    /// so that only writers in other processes can make them conflict.
    pub take_turns: bool,
}

impl Default for Redecide {
    /// Turns within the process; ten attempts, 4 ms doubling up to 160 ms, for the writers of
    /// other processes: the longest possible wait stays under a second.
    fn default() -> Self {
        Redecide {
            attempts: 10,
            base: Duration::from_millis(4),
            cap: Duration::from_millis(160),
            take_turns: true,
        }
    }
}

impl Redecide {
    /// Never decides again: the first conflict is the answer.
    pub const ONCE: Redecide = Redecide {
        attempts: 1,
        base: Duration::ZERO,
        cap: Duration::ZERO,
        take_turns: false,
    };

    /// The pause after the `failed`-th conflicting attempt (1-based).
    fn pause(&self, failed: u32) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(1 << failed.saturating_sub(1).min(20))
            .min(self.cap);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        // The OS generator, not a seeded one: two servers started together must not pause alike.
        let random = getrandom::u64().unwrap_or(u64::from(failed));
        Duration::from_nanos(random % nanos.saturating_add(1))
    }
}

/// What a mutation recorded.
#[derive(SimpleObject)]
pub struct CommandResult {
    /// The events appended (for a retried idempotency key: those of the first attempt).
    pub events: Vec<EventView>,
    /// The version of the locality's stream after the append.
    pub version: i64,
    /// Global position of the last event: pass it as `minPosition` to read your write.
    pub position: i64,
}

fn result(appended: Appended, main: &LocalityId) -> CommandResult {
    CommandResult {
        version: appended
            .version_of(&stream_id(&main.to_string()))
            .unwrap_or(0),
        position: appended.last_position(),
        events: appended.events.into_iter().map(EventView).collect(),
    }
}

/// The idempotency key as stored: prefixed by the actor (and its length, so that no two
/// (actor, key) pairs give the same text), so two actors using the same key never collide.
pub fn namespaced_key(actor: &str, key: &str) -> String {
    format!("{}:{actor}:{key}", actor.len())
}

/// Runs commands for one actor.
pub struct Commands<'a> {
    pub api: &'a ApiContext,
    pub actor: &'a Actor,
}

impl Commands<'_> {
    /// Namespaced by the token (names need not be unique).
    fn key(&self, key: &str) -> String {
        namespaced_key(&self.actor.token_id.to_string(), key)
    }

    /// Who records: always the token's, never anything the client sent.
    fn metadata(&self) -> Metadata {
        Metadata {
            actor: self.actor.name.clone(),
            role: self.actor.role.to_string(),
            token_id: Some(self.actor.token_id.to_string()),
            client: Some("graphql".into()),
            ..Metadata::default()
        }
    }

    async fn load(&self, id: &LocalityId) -> Result<(LocalityState, i64), ApiError> {
        let envelopes = read_envelopes(&self.api.store, &id.to_string()).await?;
        let version = envelopes.last().map_or(0, |e| e.stream_version);
        let events = envelopes
            .iter()
            .map(|e| decode(e).map(|r| r.event))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((Locality::fold(events).map_err(ApiError::from)?, version))
    }

    /// One command against one locality.
    pub async fn one(
        &self,
        id: &LocalityId,
        expected: Option<i64>,
        key: &str,
        action: LocalityAction,
    ) -> Result<CommandResult, ApiError> {
        let aggregate = Locality::new(self.api.catalog.clone());
        self.run(
            id,
            key,
            expected.is_some(),
            |states| {
                let state = states.get(id).cloned().unwrap_or_default();
                if let Some(expected) = expected {
                    let actual = state.version() as i64;
                    if expected != actual {
                        return Err(ApiError::VersionConflict { expected, actual });
                    }
                }
                let command = LocalityCommand {
                    today: Utc::now().date_naive(),
                    action: action.clone(),
                };
                let events = aggregate.decide(id, &state, command)?;
                Ok(vec![(id.clone(), events)])
            },
            std::slice::from_ref(id),
        )
        .await
    }

    /// A lineage change across several localities, appended atomically.
    pub async fn many(
        &self,
        main: &LocalityId,
        involved: &[LocalityId],
        key: &str,
        decide: impl Fn(&HashMap<LocalityId, LocalityState>) -> Result<StreamEvents, DomainError>,
    ) -> Result<CommandResult, ApiError> {
        self.run(main, key, false, |states| Ok(decide(states)?), involved)
            .await
    }

    async fn run(
        &self,
        main: &LocalityId,
        key: &str,
        strict: bool,
        decide: impl Fn(&HashMap<LocalityId, LocalityState>) -> Result<StreamEvents, ApiError>,
        involved: &[LocalityId],
    ) -> Result<CommandResult, ApiError> {
        let key = self.key(key);
        if let Some(first) = self.api.store.appended_with_key(&key).await? {
            return Ok(result(first, main));
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            let turn = match self.api.redecide.take_turns {
                true => Some(self.api.turns.take(involved).await),
                false => None,
            };
            let mut states = HashMap::new();
            let mut versions = HashMap::new();
            for id in involved {
                let (state, version) = self.load(id).await?;
                states.insert(id.clone(), state);
                versions.insert(id.clone(), version);
            }
            let decided = decide(&states)?;
            let load = |id: LocalityId| async move { Ok(self.load(&id).await?.0) };
            // Scope first: a token may not learn, from a refusal, about the tree outside it.
            authorize_append(self.actor, &states, &decided, load).await?;
            check_tree(&self.api.store, &states, &decided, load).await?;
            let streams = decided
                .iter()
                .map(|(id, events)| {
                    let version = versions.get(id).copied().unwrap_or(0);
                    stream_append(id, ExpectedVersion::Exact(version), events)
                })
                .collect::<Result<Vec<_>, _>>()?;
            let request = AppendRequest {
                streams,
                metadata: self.metadata(),
                idempotency_key: Some(key.clone()),
            };
            match self.api.store.append(request).await {
                Ok(appended) => return Ok(result(appended, main)),
                Err(StoreError::VersionConflict { .. })
                    if !strict && attempt < self.api.redecide.attempts =>
                {
                    drop(turn);
                    tokio::time::sleep(self.api.redecide.pause(attempt)).await;
                }
                Err(error) => return Err(error.into()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{namespaced_key, Redecide};

    #[test]
    fn pauses_grow_with_each_conflict_and_stay_under_the_cap() {
        let policy = Redecide::default();
        for failed in 1..=policy.attempts {
            let ceiling = (policy.base * 2u32.pow(failed - 1)).min(policy.cap);
            for _ in 0..50 {
                assert!(policy.pause(failed) <= ceiling, "attempt {failed}");
            }
        }
        let late: Vec<Duration> = (0..50).map(|_| policy.pause(9)).collect();
        assert!(
            late.iter().any(|p| *p != late[0]),
            "pauses are random: {late:?}"
        );
        assert_eq!(Redecide::ONCE.pause(1), Duration::ZERO);
    }

    #[test]
    fn actors_never_share_an_idempotency_key() {
        assert_ne!(namespaced_key("a:b", "c"), namespaced_key("a", "b:c"));
        assert_ne!(namespaced_key("alice", "k1"), namespaced_key("bob", "k1"));
        assert_eq!(namespaced_key("alice", "k1"), namespaced_key("alice", "k1"));
    }
}
