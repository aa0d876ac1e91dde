//! Pages that could not be shown: the frame with the reason, and the HTTP status that says why
//! (400 for a bad date or input, 404 for a unit that does not exist, 500 otherwise).

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::html;

use super::layout::{frame, Frame};
use super::page::Page;
use crate::graphql::InProcessError;

/// Why a page is not shown.
#[derive(Debug)]
pub enum Failure {
    /// `?on=` was not a date (its text is in the page).
    BadDate,
    /// No unit answers the key on the date.
    NotFound,
    /// The API refused or failed the page's read.
    Read(InProcessError),
}

impl From<InProcessError> for Failure {
    fn from(error: InProcessError) -> Self {
        match error.code() {
            Some("NOT_FOUND") => Failure::NotFound,
            _ => Failure::Read(error),
        }
    }
}

/// The page for `failure`, framed like any other so the reader can search or change the date.
pub fn failure_page(page: &Page, path: &str, failure: Failure) -> Response {
    let w = page.words();
    let (status, message) = match &failure {
        Failure::BadDate => (StatusCode::BAD_REQUEST, w.bad_date.to_owned()),
        Failure::NotFound => (StatusCode::NOT_FOUND, w.not_found.to_owned()),
        Failure::Read(error) => {
            let status = match error.code() {
                Some("VALIDATION") | Some("BAD_USER_INPUT") => StatusCode::BAD_REQUEST,
                Some("FORBIDDEN") | Some("UNAUTHENTICATED") => StatusCode::FORBIDDEN,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            if status == StatusCode::INTERNAL_SERVER_ERROR {
                tracing::error!(%error, path, "a dashboard page failed");
            }
            (status, format!("{}: {error}", w.failed))
        }
    };
    let title = match status {
        StatusCode::NOT_FOUND => w.not_found,
        _ => w.failed,
    };
    let body = frame(
        &Frame {
            page,
            path,
            keep: &[],
            title,
            head: None,
        },
        html! { p.failure role="alert" data-status=(status.as_u16()) { (message) } },
    );
    (status, Html(body.into_string())).into_response()
}
