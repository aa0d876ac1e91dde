//! `Event.details` of people's accounts and sessions (auditors and admins only, like token
//! events); the password's hash is never a field.

use async_graphql::ID;

use super::event_details::{details, id, Role};
use super::scalars::{Date, Instant};
use crate::auth::session::{SessionEnded, SessionStarted};
use crate::auth::user::{UserCreated, UserDisabled, UserPasswordReset};

details!(
    /// A person's account created (`USER_CREATED`); the password's hash is not shown.
    UserCreated as e => UserCreatedDetails {
        /// The account's id.
        user_id: ID = ID(e.user_id.to_string()),
        /// The sign-in name, recorded as the actor of what the person writes.
        username: String = e.username.to_string(),
        /// Its role.
        role: Role = e.role.into(),
        /// The root of the subtree it may write in; null: the whole register.
        scope: Option<ID> = e.scope.as_ref().map(id),
        /// The last day it may sign in; null: no end.
        expires_on: Option<Date> = e.expires_on.map(Date),
    }
);

details!(
    /// A person's account disabled (`USER_DISABLED`): no more sign-ins, sessions end.
    UserDisabled as e => UserDisabledDetails {
        /// The account's id.
        user_id: ID = ID(e.user_id.to_string()),
    }
);

details!(
    /// A person's password replaced (`USER_PASSWORD_RESET`); earlier sessions end.
    UserPasswordReset as e => UserPasswordResetDetails {
        /// The account's id.
        user_id: ID = ID(e.user_id.to_string()),
    }
);

details!(
    /// A person signed in (`SESSION_STARTED`); the digest of the cookie's secret is not shown.
    SessionStarted as e => SessionStartedDetails {
        /// The session's id.
        session_id: ID = ID(e.session_id.to_string()),
        /// The account's id.
        user_id: ID = ID(e.user_id.to_string()),
        /// When the session ends unless the person signs out first.
        expires_at: Instant = Instant(e.expires_at),
    }
);

details!(
    /// A person signed out (`SESSION_ENDED`).
    SessionEnded as e => SessionEndedDetails {
        /// The session's id.
        session_id: ID = ID(e.session_id.to_string()),
    }
);
