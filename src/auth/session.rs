//! Signed-in sessions: the secret the cookie holds, its SHA-256 digest (all the server keeps),
//! the CSRF token derived from it, and the events of a stream `session/<id>` that start and
//! end a session.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::identity::{check_decoded, generate_secret, is_secret_shaped, secret_digest};
use crate::store::RecordedEvent;

/// Stream category of session events.
pub const CATEGORY: &str = "session/";

pub const SESSION_STARTED: &str = "SessionStarted";
pub const SESSION_ENDED: &str = "SessionEnded";

const PREFIX: &str = "ntms_";

pub fn stream_id(id: Uuid) -> String {
    format!("{CATEGORY}{id}")
}

/// A session's secret, as the cookie holds it. `Debug` never shows it.
pub struct SessionSecret(String);

impl SessionSecret {
    /// 256 random bits from the operating system.
    pub fn generate() -> Result<SessionSecret, getrandom::Error> {
        generate_secret(PREFIX).map(SessionSecret)
    }

    /// A presented secret, if it has the shape of one.
    pub fn parse(text: &str) -> Option<SessionSecret> {
        is_secret_shaped(text, PREFIX).then(|| SessionSecret(text.to_owned()))
    }

    pub fn digest(&self) -> [u8; 32] {
        secret_digest(&self.0)
    }

    /// The session's CSRF token: derived from the secret, so nothing more is stored, and
    /// unknowable to a page that cannot read the cookie (`HttpOnly`, another origin).
    pub fn csrf_token(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(b"ntm csrf\0");
        hasher.update(self.0.as_bytes());
        hex::encode(hasher.finalize())
    }

    /// Whether `presented` is this session's CSRF token (constant time).
    pub fn is_csrf_token(&self, presented: &str) -> bool {
        self.csrf_token()
            .as_bytes()
            .ct_eq(presented.trim().as_bytes())
            .into()
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionSecret(<redacted>)")
    }
}

/// `SessionStarted`: a person signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionStarted {
    pub session_id: Uuid,
    pub user_id: Uuid,
    /// SHA-256 of the cookie's secret, hex.
    pub secret_sha256: String,
    /// The session is refused from this instant on.
    pub expires_at: DateTime<Utc>,
}

/// `SessionEnded`: the person signed out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionEnded {
    pub session_id: Uuid,
}

/// Whether `event`, of a session stream, is one this build reads; `Err` says why not.
pub fn check_event(event: &RecordedEvent) -> Result<(), String> {
    let decoded = match event.event_type.as_str() {
        SESSION_STARTED => serde_json::from_str::<SessionStarted>(&event.payload).map(drop),
        SESSION_ENDED => serde_json::from_str::<SessionEnded>(&event.payload).map(drop),
        other => return Err(format!("{other:?} is not a session event")),
    };
    check_decoded(event, decoded)
}

/// A session as its stream tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub started: SessionStarted,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub version: i64,
}

impl Session {
    /// Folds a session's stream; `None` for an empty stream.
    pub fn fold(events: &[RecordedEvent]) -> Result<Option<Session>, serde_json::Error> {
        let mut session: Option<Session> = None;
        for event in events {
            match (event.event_type.as_str(), session.as_mut()) {
                (SESSION_STARTED, None) => {
                    session = Some(Session {
                        started: serde_json::from_str(&event.payload)?,
                        started_at: event.recorded_at,
                        ended_at: None,
                        version: event.stream_version,
                    });
                }
                (SESSION_ENDED, Some(session)) => {
                    session.ended_at.get_or_insert(event.recorded_at);
                    session.version = event.stream_version;
                }
                _ => {}
            }
        }
        Ok(session)
    }

    /// Whether `secret` is this session's, comparing digests in constant time.
    pub fn is_secret(&self, secret: &SessionSecret) -> bool {
        let Ok(stored) = hex::decode(&self.started.secret_sha256) else {
            return false;
        };
        stored.ct_eq(&secret.digest()).into()
    }

    /// Accepted at `now`: not ended, not expired.
    pub fn is_open_at(&self, now: DateTime<Utc>) -> bool {
        self.ended_at.is_none() && now < self.started.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::SessionSecret;

    #[test]
    fn the_csrf_token_belongs_to_one_session_and_is_not_its_secret() {
        let (a, b) = (
            SessionSecret::generate().expect("random"),
            SessionSecret::generate().expect("random"),
        );
        assert!(a.is_csrf_token(&a.csrf_token()));
        assert!(!a.is_csrf_token(&b.csrf_token()));
        assert!(!a.is_csrf_token(""));
        assert!(!a.csrf_token().contains(&a.expose()[5..]));
        assert!(SessionSecret::parse(a.expose()).is_some());
        assert!(SessionSecret::parse(&a.expose()[1..]).is_none());
    }
}
