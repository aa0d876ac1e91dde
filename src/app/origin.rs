//! Who asked for a change and in which context: the actor and the request, correlation and
//! causation ids that every event it writes carries in its metadata (DESIGN §3).

use uuid::Uuid;

use crate::auth::Actor;
use crate::store::Metadata;

/// The origin of one command (or one batch of them): set by the server, never by the client,
/// except the correlation id, which a client may pass to tie several requests together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The person or system recorded as the actor (`cli`, a token name, `demo`, …).
    pub actor: String,
    /// The actor's role when recording (`admin`, `recorder`, `system`, …).
    pub role: String,
    /// The token the actor authenticated with, when it did.
    pub token_id: Option<Uuid>,
    /// The account of the person who signed in, when it was one.
    pub user_id: Option<Uuid>,
    /// What the change came through: `graphql`, `cli`, `ntm token`, `demo`, …
    pub client: String,
    /// One per HTTP request or command-line run.
    pub request_id: Uuid,
    /// One per conversation: the client's (`X-Correlation-Id`) or, when it sent none, the
    /// request id.
    pub correlation_id: Uuid,
}

/// One request's ids: the request's own, and the conversation's (a client's
/// `X-Correlation-Id` or `correlationId` extension, `--correlation-id`; the request id when
/// none was given).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestIds {
    pub request_id: Uuid,
    pub correlation_id: Uuid,
}

impl RequestIds {
    /// A new request, correlated with `correlation_id` when the client gave one.
    pub fn new(correlation_id: Option<Uuid>) -> Self {
        let request_id = Uuid::now_v7();
        RequestIds {
            request_id,
            correlation_id: correlation_id.unwrap_or(request_id),
        }
    }
}

impl Origin {
    /// A command-line run by `actor` (an operator on the database host: an admin).
    pub fn cli(actor: impl Into<String>) -> Self {
        Origin::new(actor, "admin", "cli")
    }

    /// A token holder's or a signed-in person's request through `client`.
    pub fn token(actor: &Actor, client: impl Into<String>) -> Self {
        Origin {
            token_id: actor.user_id.is_none().then_some(actor.token_id),
            user_id: actor.user_id,
            ..Origin::new(actor.name.clone(), actor.role.to_string(), client)
        }
    }

    /// A new request: its own request id, correlated with nothing else yet.
    pub fn new(
        actor: impl Into<String>,
        role: impl Into<String>,
        client: impl Into<String>,
    ) -> Self {
        let ids = RequestIds::new(None);
        Origin {
            actor: actor.into(),
            role: role.into(),
            token_id: None,
            user_id: None,
            client: client.into(),
            request_id: ids.request_id,
            correlation_id: ids.correlation_id,
        }
    }

    /// The same origin within the request `ids` names.
    pub fn with_ids(mut self, ids: RequestIds) -> Self {
        self.request_id = ids.request_id;
        self.correlation_id = ids.correlation_id;
        self
    }

    /// The same origin, correlated with `correlation_id` (the client's).
    pub fn correlated(mut self, correlation_id: Option<Uuid>) -> Self {
        if let Some(id) = correlation_id {
            self.correlation_id = id;
        }
        self
    }

    /// The metadata of an event this origin records directly (no causing event).
    pub fn metadata(&self) -> Metadata {
        Metadata {
            actor: self.actor.clone(),
            role: self.role.clone(),
            token_id: self.token_id.map(|id| id.to_string()),
            user_id: self.user_id.map(|id| id.to_string()),
            correlation_id: Some(self.correlation_id),
            causation_id: None,
            request_id: Some(self.request_id.to_string()),
            client: Some(self.client.clone()),
            command_sha256: None,
            input_sha256: None,
            reason: None,
        }
    }
}
