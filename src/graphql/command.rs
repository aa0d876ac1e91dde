//! The mutations' side of the command service (`app::CommandService`): the request's actor and
//! ids make the command's origin, and what the service appended becomes a `CommandResult`.

use std::collections::HashMap;

use async_graphql::{Context, SimpleObject};

use super::access::actor;
use super::command_input::canonical_input;
use super::events::EventView;
use super::{api, scope, ApiError};
use crate::app::codec::locality_stream;
use crate::app::{Call, CommandService, Origin, Plan};
use crate::auth::Actor;
use crate::domain::lineage::StreamEvents;
use crate::domain::locality::{LocalityAction, LocalityId, LocalityState};
use crate::domain::DomainError;
use crate::store::Appended;

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

/// The result of an append whose main locality is `main`. A retried key answers with the
/// first attempt's events, whose main locality may have been another id the server generated
/// (a registration or a merger's successor without `id`): then the stream of the merger's own
/// event, or else of the first event, is the main one.
fn result(appended: Appended, main: &LocalityId) -> CommandResult {
    let first_main = || {
        let decision = appended
            .events
            .iter()
            .find(|e| e.event_type == "LocalitiesMerged" || e.event_type == "LocalitySplit");
        let stream = decision.or(appended.events.first())?;
        appended.version_of(&stream.stream_id)
    };
    CommandResult {
        version: appended
            .version_of(&locality_stream(main))
            .or_else(first_main)
            .unwrap_or(0),
        position: appended.last_position(),
        events: appended.events.into_iter().map(EventView).collect(),
    }
}

/// The command service, for the request's actor.
pub struct Commands<'a> {
    service: &'a CommandService,
    actor: &'a Actor,
    origin: Origin,
    /// The mutation's input, canonical: what tells a retry from another command reusing its
    /// idempotency key.
    input: String,
}

impl<'a> Commands<'a> {
    /// Who records: always the token's, never anything the client sent (but its correlation
    /// id).
    pub fn of(ctx: &Context<'a>) -> Result<Self, ApiError> {
        let actor = actor(ctx)?;
        let origin = Origin::token(actor, "graphql").with_ids(scope(ctx)?.ids);
        Ok(Commands {
            service: &api(ctx)?.commands,
            actor,
            origin,
            input: canonical_input(ctx)?,
        })
    }

    fn call<'c>(&'c self, key: &'c str) -> Call<'c> {
        Call {
            origin: &self.origin,
            actor: self.actor,
            key,
            input: self.input.clone(),
        }
    }

    /// One command against one locality.
    pub async fn one(
        &self,
        id: &LocalityId,
        expected: Option<i64>,
        key: &str,
        action: LocalityAction,
    ) -> Result<CommandResult, ApiError> {
        let call = self.call(key);
        let appended = self.service.one(&call, id, expected, action).await?;
        Ok(result(appended, id))
    }

    /// A lineage change across several localities, appended atomically.
    pub async fn many(
        &self,
        main: &LocalityId,
        involved: &[LocalityId],
        key: &str,
        decide: impl Fn(&HashMap<LocalityId, LocalityState>) -> Result<StreamEvents, DomainError>,
    ) -> Result<CommandResult, ApiError> {
        let call = self.call(key);
        let appended = self.service.many(&call, involved, decide).await?;
        Ok(result(appended, main))
    }

    /// Several commands over one or several localities, appended atomically; the result's
    /// version is the first locality's.
    pub async fn plan(&self, key: &str, plan: &Plan) -> Result<CommandResult, ApiError> {
        let Some((main, _)) = plan.first() else {
            return Err(ApiError::validation(
                "localities",
                "name at least one locality",
            ));
        };
        let call = self.call(key);
        let appended = self.service.plan(&call, plan).await?;
        Ok(result(appended, main))
    }
}
