//! Access control (DESIGN §6): bearer tokens for machines and accounts for people, kept as
//! events, roles and locality scopes, the one policy every request goes through, and the gate
//! that turns a credential into an actor.

mod accounts;
pub mod cookie;
mod gate;
mod identity;
mod limiter;
pub mod password;
pub mod policy;
mod role;
pub mod session;
pub mod token;
mod tokens;
pub mod user;
pub mod verify_accounts;

use uuid::Uuid;

pub use accounts::{AccountError, Accounts, NewUser, SessionSettings, SignedIn};
pub use gate::{AuthFailure, Gate};
pub use limiter::FailureLimiter;
pub use role::{Right, Role};
pub use session::SessionSecret;
pub use token::{Secret, Token};
pub(crate) use tokens::index_in;
pub use tokens::{check_index, NewToken, TokenError, Tokens};

use crate::domain::locality::LocalityId;

/// Stream categories whose events name who may do what (tokens, accounts, sessions): shown to
/// those who may see identities only.
pub const IDENTITY_CATEGORIES: &[&str] = &[token::CATEGORY, user::CATEGORY, session::CATEGORY];

/// Whether `stream_id` is a token's, an account's or a session's.
pub fn is_identity_stream(stream_id: &str) -> bool {
    IDENTITY_CATEGORIES
        .iter()
        .any(|category| stream_id.starts_with(category))
}

/// Who is asking: the holder of an accepted token, or a signed-in person. Anonymous requests
/// have no actor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The token's id; for a person, the account's id (what idempotency keys and cached
    /// answers are kept apart by).
    pub token_id: Uuid,
    /// A person's account id; none for a token.
    pub user_id: Option<Uuid>,
    /// The token's name or the person's username, recorded as the actor of every event it
    /// writes.
    pub name: String,
    pub role: Role,
    /// The locality subtree it may write in; none: the whole register.
    pub scope: Option<LocalityId>,
}

impl From<&Token> for Actor {
    fn from(token: &Token) -> Self {
        Actor {
            token_id: token.created.token_id,
            user_id: None,
            name: token.created.name.clone(),
            role: token.created.role,
            scope: token.created.scope.clone(),
        }
    }
}

impl From<&user::User> for Actor {
    fn from(user: &user::User) -> Self {
        Actor {
            token_id: user.id(),
            user_id: Some(user.id()),
            name: user.created.username.to_string(),
            role: user.created.role,
            scope: user.created.scope.clone(),
        }
    }
}
