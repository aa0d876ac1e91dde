//! Reading people's accounts and sessions: events in `user/<id>` and `session/<id>` streams,
//! found through the `user_accounts` (username) and `user_sessions` (digest of the cookie's
//! secret) indexes. Changing them are commands (`app::accounts`).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::limiter::FailureLimiter;
use super::password::{HashError, PasswordRefusal};
use super::session::{self, Session, SessionSecret};
use super::user::{self, User, Username};
use super::{Actor, Role};
use crate::domain::locality::LocalityId;
use crate::store::{with_db, EventStore, StoreError, StreamRange};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("no account {0}")]
    NotFound(Uuid),
    #[error("the username {0} is taken")]
    UsernameTaken(Username),
    #[error("account {0} is already disabled")]
    AlreadyDisabled(Uuid),
    #[error(transparent)]
    Password(#[from] PasswordRefusal),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error("no randomness available for a session secret: {0}")]
    Random(getrandom::Error),
    #[error("account event does not decode: {0}")]
    Decode(#[from] serde_json::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AccountError {
    fn from(error: sqlx::Error) -> Self {
        AccountError::Store(StoreError::Database(error))
    }
}

/// What `ntm user create` and the admin page ask for (the password comes apart).
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub role: Role,
    pub scope: Option<LocalityId>,
    pub expires_on: Option<NaiveDate>,
}

/// How sign-in is limited and how long a session lasts (`NTM_SESSION_HOURS`,
/// `NTM_SIGNIN_FAILURES`, `NTM_LOCKOUT_MINUTES`).
#[derive(Debug, Clone, Copy)]
pub struct SessionSettings {
    pub session_length: chrono::Duration,
    /// Failed sign-ins accepted per username before it is locked out.
    pub failures_before_lockout: u32,
    /// How long a locked-out username stays locked (counted from its first failure).
    pub lockout: Duration,
}

impl Default for SessionSettings {
    fn default() -> Self {
        SessionSettings {
            session_length: chrono::Duration::hours(8),
            failures_before_lockout: 5,
            lockout: Duration::from_secs(15 * 60),
        }
    }
}

/// The accounts and sessions of one event store, with the process's lock-outs.
#[derive(Clone)]
pub struct Accounts {
    store: EventStore,
    pub(crate) settings: SessionSettings,
    pub(crate) lockouts: Arc<FailureLimiter<Username>>,
}

/// A signed-in person: their session and account as the log tells them.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub session: Session,
    pub user: User,
}

impl SignedIn {
    /// The person as the actor of what they read and record.
    pub fn actor(&self) -> Actor {
        Actor::from(&self.user)
    }
}

impl Accounts {
    pub fn new(store: EventStore, settings: SessionSettings) -> Self {
        let lockouts = FailureLimiter::new(settings.failures_before_lockout, settings.lockout);
        Accounts {
            store,
            settings,
            lockouts: Arc::new(lockouts),
        }
    }

    pub(crate) fn store(&self) -> &EventStore {
        &self.store
    }

    /// The account as its stream tells it.
    pub async fn user(&self, id: Uuid) -> Result<User, AccountError> {
        let events = self
            .store
            .read_stream(&user::stream_id(id), StreamRange::all())
            .await?;
        User::fold(&events)?.ok_or(AccountError::NotFound(id))
    }

    /// The account indexed under `username`.
    pub async fn user_named(&self, username: &Username) -> Result<Option<User>, AccountError> {
        const SQL: &str = "SELECT user_id FROM user_accounts WHERE username = $1";
        let found: Option<(String,)> = with_db!(self.store.db(), pool => {
            sqlx::query_as(SQL).bind(username.as_str()).fetch_optional(pool).await?
        });
        match found.and_then(|(id,)| id.parse::<Uuid>().ok()) {
            Some(id) => Ok(Some(self.user(id).await?)),
            None => Ok(None),
        }
    }

    /// Every indexed account, by username.
    pub async fn list(&self) -> Result<Vec<User>, AccountError> {
        const SQL: &str = "SELECT user_id FROM user_accounts ORDER BY username";
        let ids: Vec<(String,)> = with_db!(self.store.db(), pool => {
            sqlx::query_as(SQL).fetch_all(pool).await?
        });
        let mut users = Vec::with_capacity(ids.len());
        for (id,) in ids {
            if let Ok(id) = id.parse() {
                users.push(self.user(id).await?);
            }
        }
        Ok(users)
    }

    /// The session `secret` opens at `now`, with its account: indexed by its digest, its
    /// stream agrees on that digest, neither ended nor expired, started after the account's
    /// last password change, and the account may still sign in.
    pub async fn signed_in(
        &self,
        secret: &SessionSecret,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Option<SignedIn>, AccountError> {
        const SQL: &str = "SELECT session_id FROM user_sessions WHERE secret_sha256 = $1";
        let digest = secret.digest().to_vec();
        let found: Option<(String,)> = with_db!(self.store.db(), pool => {
            sqlx::query_as(SQL).bind(digest).fetch_optional(pool).await?
        });
        let Some(id) = found.and_then(|(id,)| id.parse::<Uuid>().ok()) else {
            return Ok(None);
        };
        let Some(session) = self.session(id).await? else {
            return Ok(None);
        };
        if !(session.is_secret(secret) && session.is_open_at(now)) {
            return Ok(None);
        }
        let user = match self.user(session.started.user_id).await {
            Ok(user) => user,
            Err(AccountError::NotFound(_)) => return Ok(None),
            Err(error) => return Err(error),
        };
        let current = user.is_valid_on(today) && session.started_at >= user.password_set_at;
        Ok(current.then_some(SignedIn { session, user }))
    }

    /// The session as its stream tells it.
    pub async fn session(&self, id: Uuid) -> Result<Option<Session>, AccountError> {
        let events = self
            .store
            .read_stream(&session::stream_id(id), StreamRange::all())
            .await?;
        Ok(Session::fold(&events)?)
    }
}
