//! From a credential (an `Authorization` header value, or the same in a WebSocket's
//! `connection_init` payload; or a session cookie) to an actor, logging and rate-limiting
//! failures per address.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::HeaderMap;
use uuid::Uuid;

use super::session::SessionSecret;
use super::{cookie, Accounts, Actor, FailureLimiter, Secret, SignedIn, Tokens};
use crate::app::clock::Clock;

/// Why a presented credential gave no actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// Malformed, unknown, revoked or expired: the client learns no more than that.
    Unauthenticated,
    /// Too many failures from this address lately.
    RateLimited,
    /// The token store could not be read.
    Internal,
}

/// Checks credentials: shared by every request of the process.
#[derive(Clone)]
pub struct Gate {
    tokens: Tokens,
    accounts: Accounts,
    limiter: Arc<FailureLimiter>,
    /// Whose "today" decides whether a token has expired.
    clock: Clock,
}

impl Gate {
    pub fn new(tokens: Tokens, accounts: Accounts, limiter: FailureLimiter, clock: Clock) -> Self {
        Gate {
            tokens,
            accounts,
            limiter: Arc::new(limiter),
            clock,
        }
    }

    /// The actor of `authorization` (`Bearer <secret>`); none without a credential.
    pub async fn authenticate(
        &self,
        authorization: Option<&str>,
        client: IpAddr,
    ) -> Result<Option<Actor>, AuthFailure> {
        let Some(credential) = authorization else {
            return Ok(None);
        };
        if self.limiter.is_blocked(&client) {
            tracing::warn!(%client, "authentication refused: too many failures");
            return Err(AuthFailure::RateLimited);
        }
        let Some(secret) = bearer_secret(credential) else {
            return Err(self.failed(client, "malformed credential"));
        };
        match self.tokens.check(&secret, self.clock.today()).await {
            Ok(Some(token)) => Ok(Some(Actor::from(&token))),
            Ok(None) => Err(self.failed(client, "unknown, revoked or expired token")),
            Err(error) => {
                tracing::error!(%error, "tokens cannot be read");
                Err(AuthFailure::Internal)
            }
        }
    }

    /// The person whose session the request's cookie holds, with the cookie's secret (whose
    /// CSRF token the request's changes must carry); none without a cookie, or with one that
    /// opens no session now (ended, expired, account disabled or re-passworded): a stale
    /// cookie makes a request anonymous, not failed.
    pub async fn person(
        &self,
        headers: &HeaderMap,
    ) -> Result<Option<(SignedIn, SessionSecret)>, AuthFailure> {
        let Some(secret) = cookie::session_secret(headers) else {
            return Ok(None);
        };
        let (now, today) = (self.clock.now(), self.clock.today());
        match self.accounts.signed_in(&secret, now, today).await {
            Ok(found) => Ok(found.map(|signed_in| (signed_in, secret))),
            Err(error) => {
                tracing::error!(%error, "sessions cannot be read");
                Err(AuthFailure::Internal)
            }
        }
    }

    /// Whether `client` used up its failed authentications for now: its sign-ins are refused
    /// unchecked too, so that spreading guesses over many usernames gains nothing.
    pub fn is_address_blocked(&self, client: IpAddr) -> bool {
        self.limiter.is_blocked(&client)
    }

    /// Counts a failed sign-in against `client`'s address.
    pub fn count_failure(&self, client: IpAddr) {
        self.limiter.record_failure(client);
    }

    /// The accounts sign-in and sign-out go through.
    pub fn accounts(&self) -> &Accounts {
        &self.accounts
    }

    /// Whose "now" sessions are judged by.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// Resolves once the token is revoked or has expired, looking every `interval`: long-lived
    /// connections end with their token. A store that cannot be read keeps the connection.
    pub async fn until_refused(&self, token_id: Uuid, interval: Duration) {
        loop {
            tokio::time::sleep(interval).await;
            match self.tokens.get(token_id).await {
                Ok(token) if token.is_valid_on(self.clock.today()) => {}
                Ok(_) => return,
                Err(error) => tracing::warn!(%error, "token cannot be re-checked"),
            }
        }
    }

    /// Resolves once the session of `secret` opens nothing any more (signed out, expired, its
    /// account disabled or re-passworded), looking every `interval`. A store that cannot be
    /// read keeps the connection.
    pub async fn until_session_ends(&self, secret: &SessionSecret, interval: Duration) {
        loop {
            tokio::time::sleep(interval).await;
            let (now, today) = (self.clock.now(), self.clock.today());
            match self.accounts.signed_in(secret, now, today).await {
                Ok(Some(_)) => {}
                Ok(None) => return,
                Err(error) => tracing::warn!(%error, "session cannot be re-checked"),
            }
        }
    }

    /// Logs the failure (never the credential) and counts it against the address.
    fn failed(&self, client: IpAddr, reason: &str) -> AuthFailure {
        tracing::warn!(%client, reason, "authentication failed");
        self.limiter.record_failure(client);
        AuthFailure::Unauthenticated
    }
}

/// The secret of `Bearer <secret>` (scheme in any case), if it has the shape of one.
fn bearer_secret(credential: &str) -> Option<Secret> {
    let (scheme, secret) = credential.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| Secret::parse(secret.trim()))
        .flatten()
}
