//! Changing people's accounts and sessions: commands on `user/<id>` and `session/<id>`
//! streams, recorded as their origin's like every other change. Reading them is
//! `auth::Accounts`'s.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::Origin;
use crate::auth::password::Password;
use crate::auth::session::{self, SessionEnded, SessionSecret, SessionStarted};
use crate::auth::user::User;
use crate::auth::user::{self, UserCreated, UserDisabled, UserPasswordReset, Username};
use crate::auth::{AccountError, Accounts, NewUser, SignedIn};
use crate::store::{with_db, AppendRequest, ExpectedVersion, NewEvent};

/// Why a sign-in gave no session.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Unknown username, wrong password, disabled or expired account: the person learns no
    /// more than that.
    #[error("wrong username or password")]
    Refused,
    /// Too many failures for this username lately.
    #[error("too many failed sign-ins for this username: try again later")]
    LockedOut,
    #[error(transparent)]
    Account(#[from] AccountError),
}

impl Accounts {
    /// Records `UserCreated` (with the password's Argon2id hash only) and indexes the
    /// username.
    pub async fn create(
        &self,
        new: NewUser,
        password: &Password,
        origin: &Origin,
    ) -> Result<User, AccountError> {
        if self.user_named(&new.username).await?.is_some() {
            return Err(AccountError::UsernameTaken(new.username));
        }
        let created = UserCreated {
            user_id: Uuid::now_v7(),
            username: new.username,
            role: new.role,
            scope: new.scope,
            expires_on: new.expires_on,
            password_phc: password.hash()?,
        };
        let id = created.user_id;
        let event = NewEvent::json(user::USER_CREATED, &created)?;
        let request = AppendRequest::single(
            user::stream_id(id),
            ExpectedVersion::Exact(0),
            vec![event],
            origin.metadata(),
        );
        self.store().append(request).await?;
        // Two creations of one name racing: the second's index entry is refused and its
        // account, never indexed, cannot sign in.
        const SQL: &str = "INSERT INTO user_accounts (user_id, username) VALUES ($1, $2)";
        let indexed = with_db!(self.store().db(), pool => {
            sqlx::query(SQL).bind(id.to_string()).bind(created.username.as_str())
                .execute(pool).await.map(drop)
        });
        match indexed {
            Ok(_) => self.user(id).await,
            Err(error) if is_unique_violation(&error) => {
                Err(AccountError::UsernameTaken(created.username))
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Records `UserDisabled`: the account cannot sign in, and its sessions are refused.
    pub async fn disable(&self, id: Uuid, origin: &Origin) -> Result<User, AccountError> {
        let user = self.user(id).await?;
        if user.disabled_at.is_some() {
            return Err(AccountError::AlreadyDisabled(id));
        }
        let event = NewEvent::json(user::USER_DISABLED, &UserDisabled { user_id: id })?;
        self.append_to_user(&user, event, origin).await
    }

    /// Records `UserPasswordReset`: the new hash; sessions started before are refused.
    pub async fn reset_password(
        &self,
        id: Uuid,
        password: &Password,
        origin: &Origin,
    ) -> Result<User, AccountError> {
        let user = self.user(id).await?;
        let reset = UserPasswordReset {
            user_id: id,
            password_phc: password.hash()?,
        };
        let event = NewEvent::json(user::USER_PASSWORD_RESET, &reset)?;
        self.append_to_user(&user, event, origin).await
    }

    async fn append_to_user(
        &self,
        user: &User,
        event: NewEvent,
        origin: &Origin,
    ) -> Result<User, AccountError> {
        let request = AppendRequest::single(
            user::stream_id(user.id()),
            ExpectedVersion::Exact(user.version),
            vec![event],
            origin.metadata(),
        );
        self.store().append(request).await?;
        self.user(user.id()).await
    }

    /// Checks `password` for `username` and, when it matches an account that may sign in on
    /// `today`, records `SessionStarted` (by the person, through `origin`'s client) and
    /// indexes its digest. A username past its failures is not even checked.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &Password,
        (now, today): (DateTime<Utc>, NaiveDate),
        origin: &Origin,
    ) -> Result<(SignedIn, SessionSecret), SignInError> {
        let Ok(username) = username.parse::<Username>() else {
            return Err(SignInError::Refused);
        };
        if self.lockouts.is_blocked(&username) {
            tracing::warn!(%username, "sign-in refused: locked out");
            return Err(SignInError::LockedOut);
        }
        let user = match self.user_named(&username).await? {
            Some(user) if user.is_valid_on(today) && password.matches(&user.password_phc) => user,
            _ => {
                tracing::warn!(%username, "sign-in failed");
                self.lockouts.record_failure(username);
                return Err(SignInError::Refused);
            }
        };
        self.lockouts.clear(&username);
        let secret = SessionSecret::generate().map_err(AccountError::Random)?;
        let started = SessionStarted {
            session_id: Uuid::now_v7(),
            user_id: user.id(),
            secret_sha256: hex::encode(secret.digest()),
            expires_at: now + self.settings.session_length,
        };
        let id = started.session_id;
        let person = Origin::token(&crate::auth::Actor::from(&user), origin.client.clone());
        let by = Origin {
            request_id: origin.request_id,
            correlation_id: origin.correlation_id,
            ..person
        };
        let event =
            NewEvent::json(session::SESSION_STARTED, &started).map_err(AccountError::from)?;
        let request = AppendRequest::single(
            session::stream_id(id),
            ExpectedVersion::Exact(0),
            vec![event],
            by.metadata(),
        );
        self.store()
            .append(request)
            .await
            .map_err(AccountError::from)?;
        const SQL: &str = "INSERT INTO user_sessions (session_id, secret_sha256) VALUES ($1, $2)";
        with_db!(self.store().db(), pool => {
            sqlx::query(SQL).bind(id.to_string()).bind(secret.digest().to_vec())
                .execute(pool).await.map_err(AccountError::from)?;
        });
        let session = self.session(id).await?.ok_or(AccountError::NotFound(id))?;
        Ok((SignedIn { session, user }, secret))
    }

    /// Records `SessionEnded` (by the person): the cookie opens nothing from now on.
    pub async fn sign_out(
        &self,
        signed_in: &SignedIn,
        origin: &Origin,
    ) -> Result<(), AccountError> {
        let id = signed_in.session.started.session_id;
        let event = NewEvent::json(session::SESSION_ENDED, &SessionEnded { session_id: id })?;
        let request = AppendRequest::single(
            session::stream_id(id),
            ExpectedVersion::Exact(signed_in.session.version),
            vec![event],
            origin.metadata(),
        );
        self.store().append(request).await?;
        Ok(())
    }
}

fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}
