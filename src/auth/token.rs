//! Bearer tokens: the secret handed out once, its SHA-256 digest, and the events that create
//! and revoke a token in its stream `token/<id>`.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::identity::{check_decoded, generate_secret, is_secret_shaped, secret_digest};
use super::role::Role;
use crate::domain::locality::LocalityId;
use crate::store::RecordedEvent;

/// Stream category of token events.
pub const CATEGORY: &str = "token/";
/// Every secret starts with this, so that leaked tokens are easy to recognise and grep for.
const PREFIX: &str = "ntm_";

pub fn stream_id(id: Uuid) -> String {
    format!("{CATEGORY}{id}")
}

/// A bearer secret. `Debug` never shows it; only [`Secret::expose`] does, for printing once.
pub struct Secret(String);

impl Secret {
    /// 256 random bits from the operating system.
    pub fn generate() -> Result<Secret, getrandom::Error> {
        generate_secret(PREFIX).map(Secret)
    }

    /// A presented secret, if it has the shape of one.
    pub fn parse(text: &str) -> Option<Secret> {
        is_secret_shaped(text, PREFIX).then(|| Secret(text.to_owned()))
    }

    pub fn digest(&self) -> [u8; 32] {
        secret_digest(&self.0)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// `TokenCreated`: a token's identity, rights and the digest of its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenCreated {
    pub token_id: Uuid,
    pub name: String,
    pub role: Role,
    /// The root of the locality subtree it may write in; none: the whole register.
    pub scope: Option<LocalityId>,
    /// Last day (UTC) on which it is accepted.
    pub expires_on: Option<NaiveDate>,
    /// SHA-256 of the secret, hex.
    pub secret_sha256: String,
}

/// `TokenRevoked`: the token is refused from now on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRevoked {
    pub token_id: Uuid,
}

pub const TOKEN_CREATED: &str = "TokenCreated";
pub const TOKEN_REVOKED: &str = "TokenRevoked";

/// Whether `event`, of a token stream, is one this build reads: a `TokenCreated` or
/// `TokenRevoked` of schema version 1 whose payload decodes; `Err` says why not.
pub fn check_event(event: &RecordedEvent) -> Result<(), String> {
    let decoded = match event.event_type.as_str() {
        TOKEN_CREATED => serde_json::from_str::<TokenCreated>(&event.payload).map(drop),
        TOKEN_REVOKED => serde_json::from_str::<TokenRevoked>(&event.payload).map(drop),
        other => return Err(format!("{other:?} is not a token event")),
    };
    check_decoded(event, decoded)
}

/// A token as its stream tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub created: TokenCreated,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The stream version, for revoking with an expected version.
    pub version: i64,
}

impl Token {
    /// Folds a token's stream; `None` for an empty stream.
    pub fn fold(events: &[RecordedEvent]) -> Result<Option<Token>, serde_json::Error> {
        let mut token: Option<Token> = None;
        for event in events {
            match (event.event_type.as_str(), token.as_mut()) {
                (TOKEN_CREATED, None) => {
                    token = Some(Token {
                        created: serde_json::from_str(&event.payload)?,
                        created_at: event.recorded_at,
                        created_by: event.metadata().map(|m| m.actor).unwrap_or_default(),
                        revoked_at: None,
                        version: event.stream_version,
                    });
                }
                (TOKEN_REVOKED, Some(token)) => {
                    token.revoked_at.get_or_insert(event.recorded_at);
                    token.version = event.stream_version;
                }
                _ => {}
            }
        }
        Ok(token)
    }

    /// Whether `secret` is this token's, comparing digests in constant time.
    pub fn is_secret(&self, secret: &Secret) -> bool {
        let Ok(stored) = hex::decode(&self.created.secret_sha256) else {
            return false;
        };
        stored.ct_eq(&secret.digest()).into()
    }

    /// Accepted on `today`: neither revoked nor past its last day.
    pub fn is_valid_on(&self, today: NaiveDate) -> bool {
        self.revoked_at.is_none() && self.created.expires_on.is_none_or(|last| today <= last)
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn secrets_are_random_well_formed_and_never_debug_printed() {
        let a = Secret::generate().expect("random");
        let b = Secret::generate().expect("random");
        assert_ne!(a.expose(), b.expose());
        assert!(Secret::parse(a.expose()).is_some());
        assert!(!format!("{a:?}").contains(&a.expose()[4..]));
        for malformed in [
            "",
            "ntm_",
            "ntm_xyz",
            &a.expose()[1..],
            &format!("{}0", a.expose()),
        ] {
            assert!(Secret::parse(malformed).is_none(), "{malformed}");
        }
    }
}
