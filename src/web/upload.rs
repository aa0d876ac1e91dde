//! `/nhap-tep`: the upload page for signed-in people who may record. Choose a kind, download
//! its template, upload a file: it is checked whole (`importFacts` with `dryRun`) and kept by
//! its SHA-256 (`kept_files.rs`); the counts and every error, by row and column, are shown
//! beside the file field; then "Ghi vào sổ" commits the kept file, one atomic append.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::form_gate::{csrf_checked, page_in, signed_in_as};
use super::page::{Page, Params};
use super::upload_view::{checked_page, framed, upload_page, Outcome, Summary};
use super::upload_words::UploadWords;
use super::visitor::{Person, Visitor};
use super::Dashboard;
use crate::auth::policy::permit;
use crate::auth::Right;
use crate::graphql::InProcessError;
use crate::import::fact_kind::FactKind;
use crate::import::template;

pub const PATH: &str = "/nhap-tep";
pub const COMMIT_PATH: &str = "/nhap-tep/ghi";
/// Largest upload form: one file of `importFacts`' limit with the form's other fields.
pub const MAX_FORM_BYTES: usize = crate::graphql::imports::MAX_UPLOAD_BYTES + 64 * 1024;

const IMPORT: &str = "mutation Import($file: Upload!, $kind: ImportKind!, $dryRun: Boolean) {
  importFacts(kind: $kind, file: $file, dryRun: $dryRun) {
    file sha256 rows recorded written position errors { row column message code problem } } }";

#[derive(Deserialize)]
struct Imported {
    #[serde(rename = "importFacts")]
    import_facts: Summary,
}

/// What the commit form posts.
#[derive(Debug, Deserialize)]
pub struct CommitForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    sha256: String,
}

/// The page with the empty form.
pub async fn page(
    State(dashboard): State<Dashboard>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Response {
    let page = dashboard.page(&params, &visitor);
    match recorder(&page) {
        Ok(_) => framed(&page, StatusCode::OK, upload_page(&page, &Outcome::Empty)),
        Err(response) => *response,
    }
}

/// `/nhap-tep/mau/{kind}`: the kind's `.xlsx` template.
pub async fn template(State(dashboard): State<Dashboard>, Path(kind): Path<String>) -> Response {
    let Some(kind) = FactKind::from_slug(&kind) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let catalog = dashboard.api.context().catalog.current();
    match template::workbook(kind, &catalog) {
        Ok(bytes) => {
            let disposition = format!("attachment; filename=\"{}\"", template::file_name(kind));
            let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            (
                [
                    (CONTENT_TYPE, xlsx.to_owned()),
                    (CONTENT_DISPOSITION, disposition),
                ],
                bytes,
            )
                .into_response()
        }
        Err(error) => {
            tracing::error!(%error, "a template could not be written");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The uploaded file checked (a dry run) and kept for its commit.
pub async fn check(
    State(dashboard): State<Dashboard>,
    visitor: Visitor,
    multipart: Multipart,
) -> Response {
    let form = match read_form(multipart).await {
        Ok(form) => form,
        Err(problem) => return (StatusCode::BAD_REQUEST, problem).into_response(),
    };
    let page = page_in(&dashboard, &visitor, &form.lang);
    let person = match checked(&page, &visitor, &form.csrf) {
        Ok(person) => person,
        Err(response) => return *response,
    };
    let w = UploadWords::of(page.lang);
    let (Some(kind), Some((name, bytes))) = (form.kind, form.file) else {
        let outcome = Outcome::Refused(w.no_file.to_owned());
        return framed(&page, StatusCode::BAD_REQUEST, upload_page(&page, &outcome));
    };
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let ran = run(&dashboard, person, kind, &name, bytes.clone(), true).await;
    if matches!(&ran, Outcome::Checked(s) if s.errors.is_empty()) {
        let owner = person.username();
        dashboard.kept.keep(&sha256, &owner, kind, &name, bytes);
    }
    framed(&page, StatusCode::OK, checked_page(&page, &ran))
}

/// The kept file committed.
pub async fn commit(
    State(dashboard): State<Dashboard>,
    visitor: Visitor,
    Form(form): Form<CommitForm>,
) -> Response {
    let page = page_in(&dashboard, &visitor, &form.lang);
    let person = match checked(&page, &visitor, &form.csrf) {
        Ok(person) => person,
        Err(response) => return *response,
    };
    let Some(kept) = dashboard.kept.take(&form.sha256, &person.username()) else {
        let outcome = Outcome::Refused(UploadWords::of(page.lang).expired.to_owned());
        return framed(&page, StatusCode::GONE, upload_page(&page, &outcome));
    };
    let ran = run(&dashboard, person, kept.kind, &kept.name, kept.bytes, false).await;
    framed(&page, StatusCode::OK, upload_page(&page, &ran))
}

/// `importFacts` in the process as `person`.
async fn run(
    dashboard: &Dashboard,
    person: &Person,
    kind: FactKind,
    name: &str,
    bytes: Vec<u8>,
    dry_run: bool,
) -> Outcome {
    let file = async_graphql::UploadValue {
        filename: name.to_owned(),
        content_type: None,
        content: bytes.into(),
    };
    let variables = json!({ "file": null, "kind": graphql_kind(kind), "dryRun": dry_run });
    let answer: Result<Imported, InProcessError> = dashboard
        .api
        .query_with_file(IMPORT, variables, Some(person.actor()), file)
        .await;
    match answer {
        Ok(imported) => Outcome::Checked(Box::new(imported.import_facts.with_kind(kind))),
        Err(error) => Outcome::Refused(error.to_string()),
    }
}

/// The GraphQL spelling of a kind (`ImportKind`).
fn graphql_kind(kind: FactKind) -> String {
    kind.slug().to_uppercase()
}

/// The fields of the upload form.
#[derive(Default)]
struct UploadForm {
    csrf: String,
    lang: String,
    kind: Option<FactKind>,
    file: Option<(String, Vec<u8>)>,
}

async fn read_form(mut multipart: Multipart) -> Result<UploadForm, String> {
    let mut form = UploadForm::default();
    let broken = |e: axum::extract::multipart::MultipartError| e.body_text();
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.map_err(broken)?;
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "csrf" => form.csrf = text(),
            "lang" => form.lang = text(),
            "kind" => form.kind = FactKind::from_slug(&text()),
            "file" => {
                let name = file_name.filter(|n| !n.is_empty());
                form.file = name
                    .filter(|_| !bytes.is_empty())
                    .map(|n| (n, bytes.to_vec()));
            }
            _ => {}
        }
    }
    Ok(form)
}

/// The signed-in person who may record; else to sign in first, or 403 on the page.
fn recorder(page: &Page) -> Result<&Person, Box<Response>> {
    let admits = |person: &Person| permit(Some(&person.actor()), Right::Record, false).is_ok();
    let forbidden = || {
        let outcome = Outcome::Refused(UploadWords::of(page.lang).may_not_record.to_owned());
        framed(page, StatusCode::FORBIDDEN, upload_page(page, &outcome))
    };
    signed_in_as(page, PATH, admits, forbidden)
}

/// The recorder, once the form's CSRF token is the session's.
fn checked<'a>(page: &'a Page, visitor: &Visitor, csrf: &str) -> Result<&'a Person, Box<Response>> {
    let person = recorder(page)?;
    csrf_checked(visitor, csrf, UploadWords::of(page.lang).form_expired)?;
    Ok(person)
}
