//! `/quan-tri/nguoi-dung`: the accounts' admin page (admins only): list, create, disable,
//! reset a password; every form carries the session's CSRF token, every refusal is shown
//! beside its field (the page itself: `admin_users_view.rs`).

use axum::extract::{Path, Query, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::account_words::AccountWords;
use super::admin_users_view::{framed, refused_page, users_page, Refusal, Target};
use super::form_gate::{csrf_checked, page_in, signed_in_as};
use super::page::{parse_date, Page, Params};
use super::visitor::{Person, Visitor};
use super::{unit_key, with, Dashboard};
use crate::app::Origin;
use crate::auth::password::Password;
use crate::auth::{AccountError, NewUser, Role};
use crate::domain::locality::LocalityId;

pub const PATH: &str = "/quan-tri/nguoi-dung";

/// What the creation form posts.
#[derive(Debug, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    expires: String,
}

/// What the disable and reset-password forms post.
#[derive(Debug, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    password: String,
}

/// The page, for admins; others are sent to sign in or refused.
pub async fn list(
    State(dashboard): State<Dashboard>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Response {
    let page = dashboard.page(&params, &visitor);
    let saved = params.get("luu").is_some_and(|v| v == "1");
    match admin(&page) {
        Ok(_) => show(&dashboard, &page, StatusCode::OK, &[], saved).await,
        Err(response) => *response,
    }
}

/// Creates an account; refusals are shown beside their fields.
pub async fn create(
    State(dashboard): State<Dashboard>,
    visitor: Visitor,
    Form(form): Form<CreateForm>,
) -> Response {
    let page = page_in(&dashboard, &visitor, &form.lang);
    let person = match checked(&page, &visitor, &form.csrf) {
        Ok(person) => person,
        Err(response) => return *response,
    };
    let mut refusals = Vec::new();
    let mut refuse = |field: &'static str, message: &'static str| {
        refusals.push(Refusal {
            target: Target::Create,
            field,
            message,
        });
    };
    let a = AccountWords::of(page.lang);
    let username = form
        .username
        .parse()
        .map_err(|_| refuse("username", a.bad_username))
        .ok();
    let password = Password::new(&form.password)
        .map_err(|e| refuse("password", a.password_refusal(e)))
        .ok();
    let role = form
        .role
        .parse::<Role>()
        .map_err(|_| refuse("role", a.bad_role))
        .ok();
    let expires_on = match form.expires.trim() {
        "" => Some(None),
        text => parse_date(text).map(Some).or_else(|| {
            refuse("expires", a.bad_expiry);
            None
        }),
    };
    let scope = match scope_of(&dashboard, &page, form.scope.trim()).await {
        Ok(scope) => Some(scope),
        Err(()) => {
            refuse("scope", a.no_such_scope);
            None
        }
    };
    let (Some(username), Some(password), Some(role), Some(expires_on), Some(scope)) =
        (username, password, role, expires_on, scope)
    else {
        return show(&dashboard, &page, StatusCode::BAD_REQUEST, &refusals, false).await;
    };
    let new = NewUser {
        username,
        role,
        scope,
        expires_on,
    };
    let origin = Origin::token(&person.actor(), "dashboard");
    match dashboard
        .gate
        .accounts()
        .create(new, &password, &origin)
        .await
    {
        Ok(_) => saved(&page),
        Err(AccountError::UsernameTaken(_)) => {
            let refusal = Refusal {
                target: Target::Create,
                field: "username",
                message: a.username_taken,
            };
            show(&dashboard, &page, StatusCode::CONFLICT, &[refusal], false).await
        }
        Err(error) => failed(&error),
    }
}

/// Disables an account.
pub async fn disable(
    State(dashboard): State<Dashboard>,
    visitor: Visitor,
    Path(id): Path<Uuid>,
    Form(form): Form<AccountForm>,
) -> Response {
    let page = page_in(&dashboard, &visitor, &form.lang);
    let person = match checked(&page, &visitor, &form.csrf) {
        Ok(person) => person,
        Err(response) => return *response,
    };
    let origin = Origin::token(&person.actor(), "dashboard");
    match dashboard.gate.accounts().disable(id, &origin).await {
        Ok(_) | Err(AccountError::AlreadyDisabled(_)) => saved(&page),
        Err(AccountError::NotFound(_)) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => failed(&error),
    }
}

/// Gives an account a new password.
pub async fn reset_password(
    State(dashboard): State<Dashboard>,
    visitor: Visitor,
    Path(id): Path<Uuid>,
    Form(form): Form<AccountForm>,
) -> Response {
    let page = page_in(&dashboard, &visitor, &form.lang);
    let person = match checked(&page, &visitor, &form.csrf) {
        Ok(person) => person,
        Err(response) => return *response,
    };
    let a = AccountWords::of(page.lang);
    let password = match Password::new(&form.password) {
        Ok(password) => password,
        Err(refusal) => {
            let message = a.password_refusal(refusal);
            let refusal = Refusal {
                target: Target::Reset(id),
                field: "password",
                message,
            };
            return show(
                &dashboard,
                &page,
                StatusCode::BAD_REQUEST,
                &[refusal],
                false,
            )
            .await;
        }
    };
    let origin = Origin::token(&person.actor(), "dashboard");
    match dashboard
        .gate
        .accounts()
        .reset_password(id, &password, &origin)
        .await
    {
        Ok(_) => saved(&page),
        Err(AccountError::NotFound(_)) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => failed(&error),
    }
}

/// The signed-in admin; else to sign in first, or 403.
fn admin(page: &Page) -> Result<&Person, Box<Response>> {
    let admits = |person: &Person| person.role() == Role::Admin;
    signed_in_as(page, PATH, admits, || refused_page(page))
}

/// The signed-in admin, once the form's CSRF token is the session's.
fn checked<'a>(page: &'a Page, visitor: &Visitor, csrf: &str) -> Result<&'a Person, Box<Response>> {
    let person = admin(page)?;
    csrf_checked(visitor, csrf, AccountWords::of(page.lang).form_expired)?;
    Ok(person)
}

/// A scope: none for empty text, else the locality with that id or holding that code today.
async fn scope_of(
    dashboard: &Dashboard,
    page: &Page,
    text: &str,
) -> Result<Option<LocalityId>, ()> {
    const LOCALITY: &str = "query Scope($id: ID, $code: String, $on: Date) {
      locality(id: $id, code: $code, on: $on) { id } }";
    #[derive(Deserialize)]
    struct Found {
        locality: Option<Id>,
    }
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    if text.is_empty() {
        return Ok(None);
    }
    let variables = with(unit_key(text), json!({ "on": page.today.to_string() }));
    let found: Found = dashboard
        .api
        .query(LOCALITY, variables, page.actor())
        .await
        .map_err(drop)?;
    let id = found.locality.ok_or(())?.id;
    id.parse().map(Some).map_err(drop)
}

/// Back to the page, saying the change was saved.
fn saved(page: &Page) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(LOCATION, page.href(PATH, &[("luu", "1")]))],
    )
        .into_response()
}

fn failed(error: &AccountError) -> Response {
    tracing::error!(%error, "an account change failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "the change could not be recorded",
    )
        .into_response()
}

/// The page with every account and the forms, `refusals` beside their fields.
async fn show(
    dashboard: &Dashboard,
    page: &Page,
    status: StatusCode,
    refusals: &[Refusal],
    saved: bool,
) -> Response {
    match dashboard.gate.accounts().list().await {
        Ok(users) => framed(page, status, users_page(page, &users, refusals, saved)),
        Err(error) => failed(&error),
    }
}
