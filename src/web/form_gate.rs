//! What every data-entry form shares: who may open it (signed in, with the role's right), the
//! CSRF check of a post, the hidden fields, and the fields' markup with the refusal beside.

use std::collections::HashMap;

use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup};
use uuid::Uuid;

use super::form_refusal::{alert, beside, Refused};
use super::form_words::FormWords;
use super::layout::{frame, Frame};
use super::page::{Page, Params};
use super::visitor::{Person, Visitor};
use super::words::Lang;
use super::Dashboard;
use crate::auth::Right;

/// A posted form's fields by name (the last value of a name repeated, see [`all`]).
pub type Values = HashMap<String, String>;

/// The fields of a posted form (`Form<Vec<(String, String)>>`) by name.
pub fn values(pairs: &[(String, String)]) -> Values {
    pairs.iter().cloned().collect()
}

/// Every value posted under `name` (checkboxes).
pub fn all<'a>(pairs: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The field `name`, trimmed; empty when absent.
pub fn field<'v>(values: &'v Values, name: &str) -> &'v str {
    values.get(name).map_or("", |v| v.trim())
}

/// The page a post answers with: its language from the form's `lang` field.
pub fn posted_page(dashboard: &Dashboard, visitor: &Visitor, values: &Values) -> Page {
    page_in(dashboard, visitor, field(values, "lang"))
}

/// The page a post answers with, in the language its `lang` field names.
pub fn page_in(dashboard: &Dashboard, visitor: &Visitor, lang: &str) -> Page {
    let params: Params = [("lang".to_owned(), lang.to_owned())].into_iter().collect();
    dashboard.page(&params, visitor)
}

/// The signed-in person `admits` lets in; anyone else signed in gets `forbidden()`, and an
/// anonymous visitor is sent to sign in first (back to `back` after).
pub fn signed_in_as<'p>(
    page: &'p Page,
    back: &str,
    admits: impl Fn(&Person) -> bool,
    forbidden: impl FnOnce() -> Response,
) -> Result<&'p Person, Box<Response>> {
    match &page.person {
        Some(person) if admits(person) => Ok(person),
        Some(_) => Err(Box::new(forbidden())),
        None => {
            let to = page.href("/dang-nhap", &[("tiep", back)]);
            Err(Box::new(
                (StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response(),
            ))
        }
    }
}

/// 403 with `expired` unless `csrf` is the session's token.
pub fn csrf_checked(visitor: &Visitor, csrf: &str, expired: &str) -> Result<(), Box<Response>> {
    match visitor.is_csrf_token(csrf) {
        true => Ok(()),
        false => Err(Box::new(
            (StatusCode::FORBIDDEN, expired.to_owned()).into_response(),
        )),
    }
}

/// The signed-in person whose role grants `right`; else to sign in first (back to `back`
/// after), or 403 with `refusal`.
pub fn person_with<'p>(
    page: &'p Page,
    right: Right,
    back: &str,
    refusal: &str,
) -> Result<&'p Person, Box<Response>> {
    let admits = |person: &Person| person.role().grants(right);
    signed_in_as(page, back, admits, || refused(page, back, refusal))
}

/// As [`person_with`], once the form's CSRF token is the session's.
pub fn checked_person<'p>(
    page: &'p Page,
    visitor: &Visitor,
    values: &Values,
    right: Right,
    back: &str,
    refusal: &str,
) -> Result<&'p Person, Box<Response>> {
    let person = person_with(page, right, back, refusal)?;
    csrf_checked(
        visitor,
        field(values, "csrf"),
        FormWords::of(page.lang).form_expired,
    )?;
    Ok(person)
}

/// 403, framed, saying why.
pub fn refused(page: &Page, path: &str, message: &str) -> Response {
    let content = html! { p.failure role="alert" data-status="403" { (message) } };
    framed(
        page,
        path,
        FormWords::of(page.lang).entry_title,
        StatusCode::FORBIDDEN,
        content,
    )
}

/// `content` in the dashboard's frame.
pub fn framed(
    page: &Page,
    path: &str,
    title: &str,
    status: StatusCode,
    content: Markup,
) -> Response {
    let body = frame(
        &Frame {
            page,
            path,
            keep: &[],
            title,
            head: None,
        },
        content,
    );
    (status, Html(body.into_string())).into_response()
}

/// The session's CSRF token, the page's language and a fresh idempotency key: a form sent
/// twice (a double click, a retry) records once.
pub fn hidden(page: &Page) -> Markup {
    html! {
        @if let Some(person) = &page.person { input type="hidden" name="csrf" value=(person.csrf); }
        @if page.lang == Lang::En { input type="hidden" name="lang" value="en"; }
        input type="hidden" name="khoa" value=(Uuid::now_v7().to_string());
    }
}

/// A labelled text input `name` with `value`, its refusal beside it.
pub fn text_field(
    id: &str,
    name: &str,
    label: &str,
    value: &str,
    refusals: &[Refused],
    extra: Markup,
) -> Markup {
    let error = beside(refusals, name, None);
    html! {
        p.field {
            label for=(id) { (label) }
            input id=(id) type="text" name=(name) value=(value)
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| format!("{id}-error"))];
            (extra)
            (alert(id, error))
        }
    }
}

/// A select `name` of `(value, label)` options with `chosen` selected, its refusal beside.
pub fn select_field(
    id: &str,
    name: &str,
    label: &str,
    options: &[(&str, String)],
    chosen: &str,
    refusals: &[Refused],
) -> Markup {
    let error = beside(refusals, name, None);
    html! {
        p.field {
            label for=(id) { (label) }
            select id=(id) name=(name) aria-invalid=[error.map(|_| "true")] {
                @for (value, text) in options {
                    option value=(value) selected[*value == chosen] { (text) }
                }
            }
            (alert(id, error))
        }
    }
}

/// Refusals of the whole form (no field of its own), at its top.
pub fn form_alerts(refusals: &[Refused], fields: &[&str]) -> Markup {
    html! {
        @for refusal in refusals.iter().filter(|r| !fields.contains(&r.field.as_str())) {
            p.field-error.form-error role="alert" { (refusal.message) }
        }
    }
}
