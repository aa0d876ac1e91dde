//! Access control (DESIGN §6): bearer tokens kept as events, roles and locality scopes, the
//! one policy every request goes through, and the gate that turns a credential into an actor.

mod gate;
mod limiter;
pub mod policy;
mod role;
pub mod token;
mod tokens;

use uuid::Uuid;

pub use gate::{AuthFailure, Gate};
pub use limiter::FailureLimiter;
pub use role::{Right, Role};
pub use token::{Secret, Token};
pub(crate) use tokens::index_in;
pub use tokens::{check_index, NewToken, TokenError, Tokens};

use crate::domain::locality::LocalityId;

/// Who is asking: the holder of an accepted token. Anonymous requests have no actor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub token_id: Uuid,
    /// The token's name, recorded as the actor of every event it writes.
    pub name: String,
    pub role: Role,
    /// The locality subtree it may write in; none: the whole register.
    pub scope: Option<LocalityId>,
}

impl From<&Token> for Actor {
    fn from(token: &Token) -> Self {
        Actor {
            token_id: token.created.token_id,
            name: token.created.name.clone(),
            role: token.created.role,
            scope: token.created.scope.clone(),
        }
    }
}
