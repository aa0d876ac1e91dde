//! Listing and checking tokens: events in `token/<id>` streams, found by the digest of their
//! secret through the `access_tokens` index. Creating and revoking them are commands
//! (`app::tokens`).

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::role::Role;
use super::token::{stream_id, Secret, Token};
use crate::domain::locality::LocalityId;
use crate::store::{with_db, EventStore};
use crate::store::{with_tx, RecordedEvent, StoreError, StreamRange, Tx};

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("no token {0}")]
    NotFound(Uuid),
    #[error("token {0} is already revoked")]
    AlreadyRevoked(Uuid),
    #[error("the token name must not be empty")]
    EmptyName,
    #[error("no randomness available for a secret: {0}")]
    Random(getrandom::Error),
    #[error("token event does not decode: {0}")]
    Decode(#[from] serde_json::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for TokenError {
    fn from(error: sqlx::Error) -> Self {
        TokenError::Store(StoreError::Database(error))
    }
}

/// What `ntm token create` asks for.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub name: String,
    pub role: Role,
    pub scope: Option<LocalityId>,
    pub expires_on: Option<NaiveDate>,
}

/// The tokens of one event store.
#[derive(Clone)]
pub struct Tokens {
    store: EventStore,
}

impl Tokens {
    pub fn new(store: EventStore) -> Self {
        Tokens { store }
    }

    pub(crate) fn store(&self) -> &EventStore {
        &self.store
    }

    /// Indexes the digest of token `id`'s secret, once its `TokenCreated` is recorded
    /// (`app::tokens`).
    pub(crate) async fn index(&self, id: Uuid, digest: [u8; 32]) -> Result<(), TokenError> {
        const SQL: &str = "INSERT INTO access_tokens (token_id, secret_sha256) VALUES ($1, $2)";
        with_db!(self.store.db(), pool => {
            sqlx::query(SQL).bind(id.to_string()).bind(digest.to_vec()).execute(pool).await?;
        });
        Ok(())
    }

    /// The token as its stream tells it.
    pub async fn get(&self, id: Uuid) -> Result<Token, TokenError> {
        let events = self
            .store
            .read_stream(&stream_id(id), StreamRange::all())
            .await?;
        Token::fold(&events)?.ok_or(TokenError::NotFound(id))
    }

    /// Every indexed token, oldest first (ids are UUID v7, so their text sorts by creation).
    pub async fn list(&self) -> Result<Vec<Token>, TokenError> {
        const SQL: &str = "SELECT token_id FROM access_tokens ORDER BY token_id";
        let ids: Vec<(String,)> = with_db!(self.store.db(), pool => {
            sqlx::query_as(SQL).fetch_all(pool).await?
        });
        let mut tokens = Vec::with_capacity(ids.len());
        for (id,) in ids {
            if let Ok(id) = id.parse() {
                tokens.push(self.get(id).await?);
            }
        }
        Ok(tokens)
    }

    /// The token `secret` belongs to if it is accepted on `today`: indexed by its digest, and
    /// its stream agrees on that digest, is not revoked and has not expired.
    pub async fn check(
        &self,
        secret: &Secret,
        today: NaiveDate,
    ) -> Result<Option<Token>, TokenError> {
        const SQL: &str = "SELECT token_id FROM access_tokens WHERE secret_sha256 = $1";
        let digest = secret.digest().to_vec();
        let found: Option<(String,)> = with_db!(self.store.db(), pool => {
            sqlx::query_as(SQL).bind(digest).fetch_optional(pool).await?
        });
        let Some(id) = found.and_then(|(id,)| id.parse::<Uuid>().ok()) else {
            return Ok(None);
        };
        let token = match self.get(id).await {
            Ok(token) => token,
            Err(TokenError::NotFound(_)) => return Ok(None),
            Err(error) => return Err(error),
        };
        let accepted = token.is_secret(secret) && token.is_valid_on(today);
        Ok(accepted.then_some(token))
    }
}

/// The `access_tokens` index (token id, digest), read within `tx`.
pub(crate) async fn index_in(tx: &mut Tx) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    const SQL: &str = "SELECT token_id, secret_sha256 FROM access_tokens ORDER BY token_id";
    let rows = with_tx!(tx, conn, _E => sqlx::query_as(SQL).fetch_all(&mut *conn).await?);
    Ok(rows)
}

/// Checks the `access_tokens` index against the token streams of the log (by stream id): every
/// entry must name a token whose `TokenCreated` carries the same digest. Returns the number of
/// entries, or the first entry that differs. (A token the log has and the index lacks is
/// harmless: unusable.)
pub fn check_index(
    index: &[(String, Vec<u8>)],
    streams: &HashMap<String, Vec<RecordedEvent>>,
) -> Result<usize, String> {
    for (id, digest) in index {
        let Ok(token_id) = id.parse::<Uuid>() else {
            return Err(format!("access_tokens entry {id:?} is not a token id"));
        };
        let events = streams
            .get(&stream_id(token_id))
            .map_or(&[][..], Vec::as_slice);
        let agrees = match Token::fold(events) {
            Ok(Some(token)) => token.created.secret_sha256 == hex::encode(digest),
            Ok(None) | Err(_) => false,
        };
        if !agrees {
            return Err(format!(
                "access_tokens entry {id} has no TokenCreated with its digest in the log"
            ));
        }
    }
    Ok(index.len())
}
