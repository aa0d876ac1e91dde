//! `/bao-cao`: the reports offices send upward. Anyone who may read previews a report on the
//! page; downloading it (`POST /bao-cao/tai-ve`) issues it — its SHA-256 recorded as
//! `ReportIssued` — and needs a recorder, approver or admin: a signed-in person with the
//! session's CSRF token, or a bearer token (`docs/reports.md`).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::header::{AUTHORIZATION, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;

use super::failure::{failure_page, Failure};
use super::layout::{frame, Frame};
use super::page::{parse_date, Page, Params};
use super::reports_view::{content, Fields, Refusal, Words};
use super::visitor::Visitor;
use super::Dashboard;
use crate::app::reports::{issue, ToIssue};
use crate::app::Origin;
use crate::auth::{Actor, Role};
use crate::graphql::InProcessError;
use crate::report::{make, table_of, Format, ReportError, ReportKind, Request, Source, Table};

pub const PATH: &str = "/bao-cao";
pub const DOWNLOAD: &str = "/bao-cao/tai-ve";

/// Whether `role` may issue a report: recorders and above who write; auditors and viewers
/// preview only.
pub fn may_issue(role: Role) -> bool {
    matches!(role, Role::Recorder | Role::Approver | Role::Admin)
}

/// The page: the form, and the preview when a unit is given.
pub async fn reports(
    State(dashboard): State<Dashboard>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Response {
    let page = dashboard.page(&params, &visitor);
    let fields = Fields::of(&params, &page);
    show(&dashboard, &page, &fields).await
}

/// The page for `fields`: refusals beside their fields, else the preview.
async fn show(dashboard: &Dashboard, page: &Page, fields: &Fields) -> Response {
    let mut refusals = Vec::new();
    if let Some(text) = &page.bad_date {
        refusals.push(Refusal::new(
            "on",
            format!("{} {text:?}", page.words().bad_date),
        ));
    }
    let mut preview: Option<Table> = None;
    let mut head = None;
    if refusals.is_empty() && !fields.parent.trim().is_empty() {
        match request_of(fields, page) {
            Err(refusal) => refusals.push(refusal),
            Ok(request) => {
                let source = Source {
                    api: &dashboard.api,
                    actor: page.actor(),
                };
                let now = dashboard.api.context().clock.now();
                match table_of(&source, &request, now).await {
                    Ok((table, read)) => {
                        preview = Some(table);
                        head = Some(read);
                    }
                    Err(error) => match refusal_of(error) {
                        Ok(refusal) => refusals.push(refusal),
                        Err(failure) => return failure_page(page, PATH, failure),
                    },
                }
            }
        }
    }
    let status = match refusals.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::BAD_REQUEST,
    };
    let w = Words::of(page.lang);
    let frame_head = head.map(|h| super::layout::Head {
        position: h.position,
        recorded_at: h.recorded_at,
        projected: h.projected,
    });
    let body = frame(
        &Frame {
            page,
            path: PATH,
            keep: &fields.kept(),
            title: w.title,
            head: frame_head.as_ref(),
        },
        content(page, fields, &refusals, preview.as_ref()),
    );
    (status, Html(body.into_string())).into_response()
}

/// The request the fields ask for, or the first field that does not parse.
fn request_of(fields: &Fields, page: &Page) -> Result<Request, Refusal> {
    let w = Words::of(page.lang);
    let kind = ReportKind::parse(fields.kind.trim())
        .ok_or_else(|| Refusal::new("loai", w.bad_kind.to_owned()))?;
    let date = |field: &'static str, text: &str| -> Result<Option<chrono::NaiveDate>, Refusal> {
        match text.trim() {
            "" => Ok(None),
            text => parse_date(text)
                .map(Some)
                .ok_or_else(|| Refusal::new(field, format!("{} {text:?}", w.bad_date))),
        }
    };
    Ok(Request {
        kind,
        parent: fields.parent.trim().to_owned(),
        on: page.on,
        compare: date("so-sanh", &fields.compare)?,
        from: date("tu", &fields.from)?,
    })
}

/// A refusal to show beside a field, or a failure of the read.
fn refusal_of(error: ReportError) -> Result<Refusal, Failure> {
    match error {
        ReportError::UnknownParent { .. } => Ok(Refusal::new("don-vi", error.to_string())),
        ReportError::Invalid(message) => Ok(Refusal::new("tu", message)),
        ReportError::Read(error) => Err(error.into()),
        // The file could not be written: a failure of ours (500), not of the reader's input.
        ReportError::File(message) => Err(Failure::Read(InProcessError::Shape(message))),
    }
}

/// Downloads (and so issues) the report the posted form asks for.
pub async fn download(
    State(dashboard): State<Dashboard>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    visitor: Visitor,
    Form(form): Form<Params>,
) -> Response {
    let params: Params = form
        .iter()
        .filter(|(k, _)| k.as_str() == "lang" || k.as_str() == "on")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let page = dashboard.page(&params, &visitor);
    let w = Words::of(page.lang);
    let actor = match issuer(&dashboard, &headers, client, &visitor, &form).await {
        Ok(actor) => actor,
        Err(Refused::SignIn) => {
            let to = page.href("/dang-nhap", &[("tiep", PATH)]);
            return Redirect::to(&to).into_response();
        }
        Err(Refused::Status(status)) => return (status, w.not_allowed).into_response(),
    };
    if !may_issue(actor.role) {
        return (StatusCode::FORBIDDEN, w.not_allowed).into_response();
    }
    let fields = Fields::of(&form, &page);
    let request = match (&page.bad_date, request_of(&fields, &page)) {
        (None, Ok(request)) if !request.parent.is_empty() => request,
        _ => {
            return with_status(
                StatusCode::BAD_REQUEST,
                show(&dashboard, &page, &fields).await,
            )
        }
    };
    let format = Format::parse(form.get("dinh-dang").map_or("xlsx", String::as_str));
    let Some(format) = format else {
        return (StatusCode::BAD_REQUEST, w.bad_format).into_response();
    };
    let source = Source {
        api: &dashboard.api,
        actor: Some(actor.clone()),
    };
    let now = dashboard.api.context().clock.now();
    let made = match make(&source, &request, format, now).await {
        Ok(made) => made,
        Err(ReportError::Read(error)) => return failure_page(&page, PATH, error.into()),
        Err(_) => {
            return with_status(
                StatusCode::BAD_REQUEST,
                show(&dashboard, &page, &fields).await,
            )
        }
    };
    let origin = Origin::token(&actor, "dashboard");
    let to_issue = ToIssue {
        kind: request.kind.name(),
        parameters: request.parameters(),
        format: format.extension(),
        file_name: &made.file_name,
        bytes: &made.bytes,
        data_position: made.position,
    };
    let issued = match issue(&dashboard.api.context().store, to_issue, &origin).await {
        Ok(issued) => issued,
        Err(error) => {
            tracing::error!(%error, "a report could not be recorded as issued");
            return (StatusCode::INTERNAL_SERVER_ERROR, w.not_recorded).into_response();
        }
    };
    let vietnamese = format!(
        "{} {} {}.{}",
        w.file_title(request.kind),
        request.parent,
        request.on.format("%d-%m-%Y"),
        format.extension()
    );
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        made.file_name,
        encode_rfc5987(&vietnamese)
    );
    let mut response = made.bytes.into_response();
    let headers = response.headers_mut();
    let value = |text: &str| HeaderValue::from_str(text).unwrap_or(HeaderValue::from_static(""));
    headers.insert(CONTENT_TYPE, value(format.content_type()));
    headers.insert(CONTENT_DISPOSITION, value(&disposition));
    headers.insert("x-report-sha256", value(&issued.event.sha256));
    headers.insert("x-report-id", value(&issued.event.report_id.to_string()));
    response
}

/// `response` answered as `status` when it would have been a success: a download that made
/// no file is never a 200.
fn with_status(status: StatusCode, mut response: Response) -> Response {
    if response.status().is_success() {
        *response.status_mut() = status;
    }
    response
}

enum Refused {
    SignIn,
    Status(StatusCode),
}

/// Who asks to issue: the bearer token's holder, or the signed-in person whose form carries
/// the session's CSRF token.
async fn issuer(
    dashboard: &Dashboard,
    headers: &HeaderMap,
    client: SocketAddr,
    visitor: &Visitor,
    form: &Params,
) -> Result<Actor, Refused> {
    if let Some(authorization) = headers.get(AUTHORIZATION) {
        let text = authorization.to_str().ok();
        return match dashboard.gate.authenticate(text, client.ip()).await {
            Ok(Some(actor)) => Ok(actor),
            _ => Err(Refused::Status(StatusCode::UNAUTHORIZED)),
        };
    }
    let Some(person) = &visitor.person else {
        return Err(Refused::SignIn);
    };
    let csrf = form.get("csrf").map_or("", String::as_str);
    if !visitor.is_csrf_token(csrf) {
        return Err(Refused::Status(StatusCode::FORBIDDEN));
    }
    Ok(person.actor())
}

/// `text` as RFC 5987's `value-chars`: UTF-8, every byte but `attr-char` percent-encoded.
pub fn encode_rfc5987(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            b'!' | b'#' | b'$' | b'&' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::encode_rfc5987;

    #[test]
    fn a_vietnamese_file_name_is_percent_encoded_as_utf8() {
        assert_eq!(
            encode_rfc5987("Báo cáo 42.xlsx"),
            "B%C3%A1o%20c%C3%A1o%2042.xlsx"
        );
    }
}
