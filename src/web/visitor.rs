//! Who is reading a page: the person the session cookie signs in, if any, with the CSRF token
//! every form they post must carry; and the check of that token.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::Dashboard;
use crate::auth::session::SessionSecret;
use crate::auth::{Actor, Role, SignedIn};

/// A signed-in person reading a page.
#[derive(Clone, Debug)]
pub struct Person {
    pub signed_in: SignedIn,
    /// The session's CSRF token, for the hidden field of every form.
    pub csrf: String,
}

impl Person {
    pub fn username(&self) -> String {
        self.signed_in.user.created.username.to_string()
    }

    pub fn role(&self) -> Role {
        self.signed_in.user.created.role
    }

    pub fn actor(&self) -> Actor {
        self.signed_in.actor()
    }
}

/// The page's reader: a person, or nobody signed in. Extracting it never fails but when the
/// sessions cannot be read (500).
pub struct Visitor {
    pub person: Option<Person>,
    secret: Option<SessionSecret>,
}

impl Visitor {
    /// Whether `presented` is the session's CSRF token; false for nobody signed in.
    pub fn is_csrf_token(&self, presented: &str) -> bool {
        self.secret
            .as_ref()
            .is_some_and(|secret| secret.is_csrf_token(presented))
    }
}

impl FromRequestParts<Dashboard> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        dashboard: &Dashboard,
    ) -> Result<Self, Response> {
        match dashboard.gate.person(&parts.headers).await {
            Ok(Some((signed_in, secret))) => Ok(Visitor {
                person: Some(Person {
                    signed_in,
                    csrf: secret.csrf_token(),
                }),
                secret: Some(secret),
            }),
            Ok(None) => Ok(Visitor {
                person: None,
                secret: None,
            }),
            Err(_) => {
                Err((StatusCode::INTERNAL_SERVER_ERROR, "sessions cannot be read").into_response())
            }
        }
    }
}
