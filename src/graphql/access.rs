//! Where the API applies the access policy (`auth::policy`): a guard on every root field, the
//! visibility of identities. The scope check of every event before it is appended is the command
//! service's (`app::authorise`).

use async_graphql::{Context, Guard};

use super::{api, scope, ApiError};
use crate::auth::policy::{permit, Refusal};
use crate::auth::{Actor, Right};

/// The guard of every query, mutation and subscription: the request's actor needs `0`.
pub struct Needs(pub Right);

impl Guard for Needs {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        allowed(ctx, self.0).map_err(Into::into)
    }
}

/// Whether the request's actor holds `right`.
pub fn allowed(ctx: &Context<'_>, right: Right) -> Result<(), ApiError> {
    let public_read = api(ctx)?.public_read;
    Ok(permit(scope(ctx)?.actor.as_ref(), right, public_read)?)
}

/// Whether the request may see who recorded what (actors, metadata, token events).
pub fn sees_identities(ctx: &Context<'_>) -> bool {
    allowed(ctx, Right::SeeIdentities).is_ok()
}

/// The actor of a request that must have one.
pub fn actor<'a>(ctx: &Context<'a>) -> Result<&'a Actor, ApiError> {
    scope(ctx)?
        .actor
        .as_ref()
        .ok_or(ApiError::from(Refusal::Unauthenticated))
}
