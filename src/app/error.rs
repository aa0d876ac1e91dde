//! Why a command wrote nothing, typed by what its caller should do about it; each front end
//! (GraphQL, the command line) maps it once.

use crate::auth::policy::Refusal;
use crate::domain::locality::LocalityId;
use crate::domain::DomainError;
use crate::projection::ProjectionError;
use crate::store::StoreError;

use super::codec::Undecodable;

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The domain refuses the command (an invalid value, a rule of the programme, …).
    #[error(transparent)]
    Refused(#[from] DomainError),
    /// A stream moved on since the command read it (and deciding again was not asked for, or
    /// did not settle within its attempts).
    #[error("version conflict on {stream_id}: expected version {expected}, actual {actual}")]
    VersionConflict {
        stream_id: String,
        expected: i64,
        actual: i64,
    },
    /// The domain refuses one command of a plan over several localities
    /// ([`super::CommandService::plan`]): which locality, and which of its commands (the
    /// index in its list), so that a form or a client can point at it.
    #[error("locality {locality}, command {item}: {error}")]
    RefusedAt {
        locality: LocalityId,
        item: usize,
        error: DomainError,
    },
    /// The actor's role or scope does not allow one of the events.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The idempotency key was used before for a different command.
    #[error("idempotency key {key:?} was already used for a different command")]
    KeyReused { key: String },
    /// An event the command had to read does not decode (see `codec`'s policy).
    #[error(transparent)]
    Undecodable(#[from] Undecodable),
    /// The store failed (connection, constraint, …).
    #[error(transparent)]
    Store(StoreError),
    /// The read tables a check consults (the directory of codes) could not be read.
    #[error(transparent)]
    Directory(#[from] ProjectionError),
}

impl From<StoreError> for CommandError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::VersionConflict {
                stream_id,
                expected,
                actual,
            } => CommandError::VersionConflict {
                stream_id,
                expected,
                actual,
            },
            StoreError::IdempotencyKeyReused { key } => CommandError::KeyReused { key },
            other => CommandError::Store(other),
        }
    }
}

impl From<Refusal> for CommandError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Unauthenticated => CommandError::Forbidden("a token is required".into()),
            Refusal::Forbidden(reason) => CommandError::Forbidden(reason),
        }
    }
}
