//! The accounts' admin page as HTML: the table of accounts with their disable and
//! reset-password forms, and the creation form; each refusal beside its field.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup};
use uuid::Uuid;

use super::account_words::AccountWords;
use super::admin_users::PATH;
use super::format;
use super::layout::{frame, Frame};
use super::page::Page;
use super::words::Lang;
use crate::auth::user::User;
use crate::auth::Role;

/// Which form a refusal belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Create,
    Reset(Uuid),
}

/// A field's refusal, shown beside it.
pub struct Refusal {
    pub target: Target,
    pub field: &'static str,
    pub message: &'static str,
}

fn refusal(refusals: &[Refusal], target: Target, field: &str) -> Option<&'static str> {
    refusals
        .iter()
        .find(|r| r.target == target && r.field == field)
        .map(|r| r.message)
}

pub fn users_page(page: &Page, users: &[User], refusals: &[Refusal], saved: bool) -> Markup {
    let a = AccountWords::of(page.lang);
    html! {
        @if saved { p.saved role="status" { (a.done) } }
        table.users {
            thead { tr {
                th { (a.username) } th { (a.role) } th { (a.scope) } th { (a.expires) }
                th { (a.state) } th { (a.disable) } th { (a.reset_password) }
            } }
            tbody {
                @for user in users { (row(page, user, refusals)) }
            }
        }
        h2 { (a.new_user) }
        (create_form(page, refusals))
    }
}

fn row(page: &Page, user: &User, refusals: &[Refusal]) -> Markup {
    let a = AccountWords::of(page.lang);
    let created = &user.created;
    let id = user.id();
    let state = match (user.disabled_at, user.is_valid_on(page.today)) {
        (Some(_), _) => a.disabled,
        (None, false) => a.expired,
        (None, true) => a.active,
    };
    let error = refusal(refusals, Target::Reset(id), "password");
    let field = format!("password-{id}");
    html! {
        tr data-username=(created.username) {
            td { (created.username) }
            td { (created.role) }
            td { (created.scope.as_ref().map_or(a.everywhere.to_owned(), ToString::to_string)) }
            td { (created.expires_on.map_or(a.never.to_owned(), |d| format::date(page.lang, d))) }
            td.state { (state) }
            td {
                @if user.disabled_at.is_none() {
                    form method="post" action=(format!("{PATH}/{id}/khoa")) {
                        (hidden(page))
                        button type="submit" { (a.disable) }
                    }
                }
            }
            td {
                form method="post" action=(format!("{PATH}/{id}/mat-khau")) {
                    (hidden(page))
                    label for=(field) { (a.new_password) }
                    input id=(field) type="password" name="password" autocomplete="new-password" aria-invalid=[error.map(|_| "true")];
                    @if let Some(error) = error { span.field-error role="alert" { (error) } }
                    button type="submit" { (a.reset_password) }
                }
            }
        }
    }
}

fn create_form(page: &Page, refusals: &[Refusal]) -> Markup {
    let a = AccountWords::of(page.lang);
    let field = |name: &'static str, label: &'static str, kind: &'static str| {
        let error = refusal(refusals, Target::Create, name);
        let id = format!("new-{name}");
        html! {
            p {
                label for=(id) { (label) }
                input id=(id) type=(kind) name=(name) aria-invalid=[error.map(|_| "true")];
                @if let Some(error) = error { span.field-error role="alert" { (error) } }
            }
        }
    };
    let role_error = refusal(refusals, Target::Create, "role");
    let scope_error = refusal(refusals, Target::Create, "scope");
    html! {
        form.new-user #tao-tai-khoan method="post" action=(PATH) {
            (hidden(page))
            (field("username", a.username, "text"))
            (field("password", a.password, "password"))
            p {
                label for="new-role" { (a.role) }
                select #new-role name="role" {
                    @for role in Role::ALL { option value=(role.as_str()) { (role.as_str()) } }
                }
                @if let Some(error) = role_error { span.field-error role="alert" { (error) } }
            }
            p {
                label for="new-scope" { (a.scope) " (" (a.scope_hint) ")" }
                input #new-scope type="text" name="scope" aria-invalid=[scope_error.map(|_| "true")];
                @if let Some(error) = scope_error { span.field-error role="alert" { (error) } }
            }
            (field("expires", a.expires, "date"))
            button type="submit" { (a.create) }
        }
    }
}

/// The session's CSRF token and the page's language, in every form.
fn hidden(page: &Page) -> Markup {
    html! {
        @if let Some(person) = &page.person { input type="hidden" name="csrf" value=(person.csrf); }
        @if page.lang == Lang::En { input type="hidden" name="lang" value="en"; }
    }
}

/// `content` in the frame of the admin page, answered with `status`.
pub fn framed(page: &Page, status: StatusCode, content: Markup) -> Response {
    let a = AccountWords::of(page.lang);
    let frame_of = Frame {
        page,
        path: PATH,
        keep: &[],
        title: a.users,
        head: None,
    };
    (status, Html(frame(&frame_of, content).into_string())).into_response()
}

/// 403, framed, for a signed-in person who is not an admin.
pub fn refused_page(page: &Page) -> Response {
    let a = AccountWords::of(page.lang);
    let content = html! { p.failure role="alert" data-status="403" { (a.admins_only) } };
    framed(page, StatusCode::FORBIDDEN, content)
}
