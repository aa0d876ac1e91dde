//! People's accounts: a username, an Argon2id password hash, a role and a scope like a
//! token's, an optional last day; the events of a stream `user/<id>` that create, disable
//! and re-password an account.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::identity::check_decoded;
use super::role::Role;
use crate::domain::locality::LocalityId;
use crate::store::RecordedEvent;

/// Stream category of account events.
pub const CATEGORY: &str = "user/";

pub const USER_CREATED: &str = "UserCreated";
pub const USER_DISABLED: &str = "UserDisabled";
pub const USER_PASSWORD_RESET: &str = "UserPasswordReset";

pub fn stream_id(id: Uuid) -> String {
    format!("{CATEGORY}{id}")
}

/// A sign-in name: 2 to 64 of `a-z 0-9 . _ -`, starting with a letter or digit; kept in lower
/// case so that `Lan` and `lan` are one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl FromStr for Username {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let name = text.trim().to_ascii_lowercase();
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c);
        let starts_well = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        if (2..=64).contains(&name.len()) && starts_well && name.chars().all(allowed) {
            Ok(Username(name))
        } else {
            Err(format!(
                "{text:?} is not a username: 2 to 64 of a-z, 0-9, '.', '_', '-'"
            ))
        }
    }
}

impl TryFrom<String> for Username {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Username> for String {
    fn from(name: Username) -> String {
        name.0
    }
}

impl Username {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `UserCreated`: an account's identity, rights and password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserCreated {
    pub user_id: Uuid,
    pub username: Username,
    pub role: Role,
    /// The root of the locality subtree it may write in; none: the whole register.
    pub scope: Option<LocalityId>,
    /// Last day (Vietnam's date) on which it may sign in.
    pub expires_on: Option<NaiveDate>,
    /// Argon2id PHC string: never the password.
    pub password_phc: String,
}

/// `UserDisabled`: the account may no longer sign in, and its sessions end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDisabled {
    pub user_id: Uuid,
}

/// `UserPasswordReset`: a new password hash; sessions started before it end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPasswordReset {
    pub user_id: Uuid,
    pub password_phc: String,
}

/// What the API shows in place of a password's hash: the hash stays in the log (sign-in and
/// `ntm verify` need it), but an offline guess at a password needs it too, so it never leaves
/// the database host.
pub const WITHHELD: &str = "(Argon2id hash withheld)";

/// `payload` of an event of `event_type` as the API shows it: an account event's password
/// hash withheld, every other field as stored.
pub fn shown_payload(event_type: &str, payload: &mut serde_json::Value) {
    if matches!(event_type, USER_CREATED | USER_PASSWORD_RESET) {
        if let Some(phc) = payload.get_mut("password_phc") {
            *phc = serde_json::Value::from(WITHHELD);
        }
    }
}

/// Whether `event`, of an account stream, is one this build reads; `Err` says why not.
pub fn check_event(event: &RecordedEvent) -> Result<(), String> {
    let decoded = match event.event_type.as_str() {
        USER_CREATED => serde_json::from_str::<UserCreated>(&event.payload).map(drop),
        USER_DISABLED => serde_json::from_str::<UserDisabled>(&event.payload).map(drop),
        USER_PASSWORD_RESET => serde_json::from_str::<UserPasswordReset>(&event.payload).map(drop),
        other => return Err(format!("{other:?} is not an account event")),
    };
    check_decoded(event, decoded)
}

/// An account as its stream tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub created: UserCreated,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// The hash of the current password.
    pub password_phc: String,
    /// When the password was last set: sessions started before are refused.
    pub password_set_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
    /// The stream version, for the next change's expected version.
    pub version: i64,
}

impl User {
    /// Folds an account's stream; `None` for an empty stream.
    pub fn fold(events: &[RecordedEvent]) -> Result<Option<User>, serde_json::Error> {
        let mut user: Option<User> = None;
        for event in events {
            match (event.event_type.as_str(), user.as_mut()) {
                (USER_CREATED, None) => {
                    let created: UserCreated = serde_json::from_str(&event.payload)?;
                    user = Some(User {
                        password_phc: created.password_phc.clone(),
                        created,
                        created_at: event.recorded_at,
                        created_by: event.metadata().map(|m| m.actor).unwrap_or_default(),
                        password_set_at: event.recorded_at,
                        disabled_at: None,
                        version: event.stream_version,
                    });
                }
                (USER_DISABLED, Some(user)) => {
                    user.disabled_at.get_or_insert(event.recorded_at);
                    user.version = event.stream_version;
                }
                (USER_PASSWORD_RESET, Some(user)) => {
                    let reset: UserPasswordReset = serde_json::from_str(&event.payload)?;
                    user.password_phc = reset.password_phc;
                    user.password_set_at = event.recorded_at;
                    user.version = event.stream_version;
                }
                _ => {}
            }
        }
        Ok(user)
    }

    pub fn id(&self) -> Uuid {
        self.created.user_id
    }

    /// May sign in on `today`: neither disabled nor past its last day.
    pub fn is_valid_on(&self, today: NaiveDate) -> bool {
        self.disabled_at.is_none() && self.created.expires_on.is_none_or(|last| today <= last)
    }
}

#[cfg(test)]
mod tests {
    use super::Username;

    #[test]
    fn usernames_are_lower_case_and_plain() {
        assert_eq!(
            "Lan.Nguyen".parse::<Username>().map(String::from),
            Ok("lan.nguyen".into())
        );
        for bad in ["", "a", "-lan", "lan nguyen", "lân", &"x".repeat(65)] {
            assert!(bad.parse::<Username>().is_err(), "{bad}");
        }
    }
}
