//! `/dang-nhap` (sign-in) and `/dang-xuat` (sign-out): a form whose own CSRF token is a
//! cookie of the form's path (no session exists yet), failures limited per username and per
//! address, the session cookie set on success, and a sign-out that ends the session in the log
//! and clears the cookie.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::account_words::AccountWords;
use super::layout::{frame, Frame};
use super::page::{Page, Params};
use super::visitor::Visitor;
use super::words::Lang;
use super::Dashboard;
use crate::app::accounts::SignInError;
use crate::app::Origin;
use crate::auth::cookie::{cookie, over_tls, set_cookie, SESSION_COOKIE, SIGNIN_COOKIE};
use crate::auth::password::Password;

const PATH: &str = "/dang-nhap";
/// How long the sign-in form may stay open before it must be loaded again.
const FORM_SECONDS: i64 = 3600;

/// What the sign-in form posts.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    lang: String,
}

/// What the sign-out button posts.
#[derive(Debug, Deserialize)]
pub struct SignOutForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    lang: String,
}

/// Why the form is shown again.
#[derive(Clone, Copy)]
enum Refused {
    Credentials,
    LockedOut,
    FormExpired,
}

/// The sign-in page, with a fresh form token in its cookie and hidden field.
pub async fn page(
    State(dashboard): State<Dashboard>,
    visitor: Visitor,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    let page = dashboard.page(&params, &visitor);
    let next = params.get("tiep").cloned().unwrap_or_default();
    form_page(&dashboard, &page, &headers, "", &next, None)
}

/// Checks the form's token and the password; on success, the session cookie and a redirect
/// to where the person was going.
pub async fn sign_in(
    State(dashboard): State<Dashboard>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let page = plain_page(&dashboard, &form.lang);
    if dashboard.gate.is_address_blocked(client.ip()) {
        let refused = Some(Refused::LockedOut);
        return form_page(
            &dashboard,
            &page,
            &headers,
            &form.username,
            &form.next,
            refused,
        );
    }
    let expected = cookie(&headers, SIGNIN_COOKIE).unwrap_or_default();
    let token_holds =
        !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(form.csrf.as_bytes()));
    if !token_holds {
        let refused = Some(Refused::FormExpired);
        return form_page(
            &dashboard,
            &page,
            &headers,
            &form.username,
            &form.next,
            refused,
        );
    }
    let clock = dashboard.gate.clock();
    let password = Password::presented(&form.password);
    // The request's client and ids; the session is recorded as the person's.
    let origin = Origin::new("anonymous", "anonymous", "dashboard");
    let accounts = dashboard.gate.accounts();
    let at = (clock.now(), clock.today());
    let (signed_in, secret) = match accounts
        .sign_in(&form.username, &password, at, &origin)
        .await
    {
        Ok(session) => session,
        Err(error) => {
            let refused = match error {
                SignInError::Refused => {
                    dashboard.gate.count_failure(client.ip());
                    Refused::Credentials
                }
                SignInError::LockedOut => Refused::LockedOut,
                SignInError::Account(error) => {
                    tracing::error!(%error, "sign-in failed");
                    return (StatusCode::INTERNAL_SERVER_ERROR, "sign-in failed").into_response();
                }
            };
            return form_page(
                &dashboard,
                &page,
                &headers,
                &form.username,
                &form.next,
                Some(refused),
            );
        }
    };
    let secure = over_tls(&headers, dashboard.secure_cookies);
    let lasts = (signed_in.session.started.expires_at - at.0).num_seconds();
    let mut response = redirect(&destination(&page, &form.next));
    let cookies = response.headers_mut();
    cookies.append(
        SET_COOKIE,
        set_cookie(SESSION_COOKIE, secret.expose(), "/", lasts, secure),
    );
    cookies.append(SET_COOKIE, set_cookie(SIGNIN_COOKIE, "", PATH, 0, secure));
    response
}

/// Ends the session (its CSRF token required) and clears the cookie.
pub async fn sign_out(
    State(dashboard): State<Dashboard>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(form): Form<SignOutForm>,
) -> Response {
    let page = plain_page(&dashboard, &form.lang);
    let Some(person) = &visitor.person else {
        return redirect(&page.href("/", &[]));
    };
    if !visitor.is_csrf_token(&form.csrf) {
        return (
            StatusCode::FORBIDDEN,
            AccountWords::of(page.lang).form_expired,
        )
            .into_response();
    }
    let origin = Origin::token(&person.actor(), "dashboard");
    if let Err(error) = dashboard
        .gate
        .accounts()
        .sign_out(&person.signed_in, &origin)
        .await
    {
        tracing::error!(%error, "sign-out failed");
        return (StatusCode::INTERNAL_SERVER_ERROR, "sign-out failed").into_response();
    }
    let secure = over_tls(&headers, dashboard.secure_cookies);
    let mut response = redirect(&page.href("/", &[]));
    let cleared = set_cookie(SESSION_COOKIE, "", "/", 0, secure);
    response.headers_mut().append(SET_COOKIE, cleared);
    response
}

/// A page in the language a form posted, for today.
fn plain_page(dashboard: &Dashboard, lang: &str) -> Page {
    let params: Params = [("lang".to_owned(), lang.to_owned())].into_iter().collect();
    Page::from_params(&params, dashboard.api.context().clock.today())
}

/// Where a signed-in person goes: `next` if it is a path of this site (as given when it has
/// its own query), else the home page, in the page's language.
fn destination(page: &Page, next: &str) -> String {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    match (local && !next.starts_with(PATH), next.contains('?')) {
        (true, true) => next.to_owned(),
        (true, false) => page.href(next, &[]),
        (false, _) => page.href("/", &[]),
    }
}

/// `303 See Other` to `to`.
fn redirect(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = to.parse() {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// The form, with `refused`'s message beside the field it is about, and a new form token.
fn form_page(
    dashboard: &Dashboard,
    page: &Page,
    headers: &HeaderMap,
    username: &str,
    next: &str,
    refused: Option<Refused>,
) -> Response {
    let token = match crate::auth::session::SessionSecret::generate() {
        Ok(secret) => secret.csrf_token(),
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "no randomness").into_response(),
    };
    let a = AccountWords::of(page.lang);
    let status = match refused {
        None => StatusCode::OK,
        Some(Refused::Credentials) => StatusCode::UNAUTHORIZED,
        Some(Refused::LockedOut) => StatusCode::TOO_MANY_REQUESTS,
        Some(Refused::FormExpired) => StatusCode::FORBIDDEN,
    };
    let body = frame(
        &Frame {
            page,
            path: PATH,
            keep: &[("tiep", next)],
            title: a.sign_in,
            head: None,
        },
        form(page, &token, username, next, refused),
    );
    let secure = over_tls(headers, dashboard.secure_cookies);
    let mut response = (status, Html(body.into_string())).into_response();
    let cookie = set_cookie(SIGNIN_COOKIE, &token, PATH, FORM_SECONDS, secure);
    response.headers_mut().append(SET_COOKIE, cookie);
    response
}

fn form(page: &Page, token: &str, username: &str, next: &str, refused: Option<Refused>) -> Markup {
    let a = AccountWords::of(page.lang);
    let (name_error, password_error) = match refused {
        None => (None, None),
        Some(Refused::LockedOut) => (Some(a.locked_out), None),
        Some(Refused::Credentials) => (None, Some(a.wrong_credentials)),
        Some(Refused::FormExpired) => (None, Some(a.form_expired)),
    };
    html! {
        form.sign-in #dang-nhap method="post" action=(PATH) {
            input type="hidden" name="csrf" value=(token);
            input type="hidden" name="next" value=(next);
            @if page.lang == Lang::En { input type="hidden" name="lang" value="en"; }
            p {
                label for="username" { (a.username) }
                input #username type="text" name="username" value=(username) autocomplete="username" required aria-invalid=[name_error.map(|_| "true")];
                @if let Some(error) = name_error { span #username-error .field-error role="alert" { (error) } }
            }
            p {
                label for="password" { (a.password) }
                input #password type="password" name="password" autocomplete="current-password" required aria-invalid=[password_error.map(|_| "true")];
                @if let Some(error) = password_error { span #password-error .field-error role="alert" { (error) } }
            }
            button type="submit" { (a.sign_in) }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::destination;
    use crate::web::page::{Page, Params};

    #[test]
    fn a_person_is_sent_only_to_a_path_of_this_site() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
        let page = Page::from_params(&Params::new(), today);
        for (next, to) in [
            ("/nhat-ky", "/nhat-ky"),
            ("/nhat-ky?loai=X", "/nhat-ky?loai=X"),
            ("", "/"),
            ("//evil.example/", "/"),
            ("https://evil.example/", "/"),
            ("/\\evil.example", "/"),
            ("/dang-nhap", "/"),
        ] {
            assert_eq!(destination(&page, next), to, "{next}");
        }
        let english: Params = [("lang".to_owned(), "en".to_owned())].into_iter().collect();
        let page = Page::from_params(&english, today);
        assert_eq!(destination(&page, "/nhat-ky"), "/nhat-ky?lang=en");
    }
}
