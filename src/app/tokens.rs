//! Creating and revoking tokens: commands on `token/<id>` streams, recorded as their origin's
//! like every other change. Reading and checking tokens is `auth::Tokens`'s.

use uuid::Uuid;

use super::Origin;
use crate::auth::token::{
    stream_id, Secret, TokenCreated, TokenRevoked, TOKEN_CREATED, TOKEN_REVOKED,
};
use crate::auth::{NewToken, Token, TokenError, Tokens};
use crate::store::{AppendRequest, ExpectedVersion, NewEvent};

impl Tokens {
    /// Records `TokenCreated` (with the digest only), indexes the digest, and returns the
    /// secret: the one and only time it exists outside the client.
    pub async fn create(
        &self,
        new: NewToken,
        origin: &Origin,
    ) -> Result<(Token, Secret), TokenError> {
        if new.name.trim().is_empty() {
            return Err(TokenError::EmptyName);
        }
        let secret = Secret::generate().map_err(TokenError::Random)?;
        let digest = secret.digest();
        let created = TokenCreated {
            token_id: Uuid::now_v7(),
            name: new.name.trim().to_owned(),
            role: new.role,
            scope: new.scope,
            expires_on: new.expires_on,
            secret_sha256: hex::encode(digest),
        };
        let id = created.token_id;
        let event = NewEvent::json(TOKEN_CREATED, &created)?;
        let expected = ExpectedVersion::Exact(0);
        let request =
            AppendRequest::single(stream_id(id), expected, vec![event], origin.metadata());
        self.store().append(request).await?;
        // A crash right here leaves a token nobody holds: the secret is not printed yet.
        self.index(id, digest).await?;
        let token = self.get(id).await?;
        Ok((token, secret))
    }

    /// Records `TokenRevoked`: from the next request on, the token is refused.
    pub async fn revoke(&self, id: Uuid, origin: &Origin) -> Result<Token, TokenError> {
        let token = self.get(id).await?;
        if token.revoked_at.is_some() {
            return Err(TokenError::AlreadyRevoked(id));
        }
        let event = NewEvent::json(TOKEN_REVOKED, &TokenRevoked { token_id: id })?;
        let expected = ExpectedVersion::Exact(token.version);
        let request =
            AppendRequest::single(stream_id(id), expected, vec![event], origin.metadata());
        self.store().append(request).await?;
        self.get(id).await
    }
}
