//! The upload page as HTML: the form (kind, its template, the file), and beside the file field
//! the dry run's counts and every error by row and column, or the refusal; then the commit.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;

use super::form_refusal::problem_in_vietnamese;
use super::format;
use super::layout::{frame, Frame};
use super::page::Page;
use super::upload::{COMMIT_PATH, PATH};
use super::upload_words::UploadWords;
use super::words::Lang;
use crate::import::fact_kind::FactKind;

/// One error of the file, as `importFacts` answers it.
#[derive(Debug, Clone, Deserialize)]
pub struct RowError {
    pub row: i64,
    pub column: String,
    pub message: String,
    /// The domain's name of the refusal, if the domain refused it.
    pub problem: Option<String>,
}

impl RowError {
    /// What is wrong in `lang`: a domain refusal in an official's words where they exist, an
    /// invalid value with the detail; otherwise the importer's message.
    fn said(&self, lang: Lang) -> String {
        let vietnamese = match (lang, &self.problem) {
            (Lang::Vi, Some(problem)) => problem_in_vietnamese(problem, &self.message),
            _ => None,
        };
        vietnamese.unwrap_or_else(|| self.message.clone())
    }
}

/// What `importFacts` answered.
#[derive(Debug, Clone, Deserialize)]
pub struct Summary {
    pub file: String,
    pub sha256: String,
    pub rows: i64,
    pub recorded: i64,
    pub written: bool,
    pub position: Option<i64>,
    pub errors: Vec<RowError>,
    #[serde(skip)]
    pub kind: Option<FactKind>,
}

impl Summary {
    pub fn with_kind(mut self, kind: FactKind) -> Self {
        self.kind = Some(kind);
        self
    }
}

/// What the page shows under its form.
pub enum Outcome {
    Empty,
    /// Why nothing was checked or written (no file, refused by role or scope, expired).
    Refused(String),
    Checked(Box<Summary>),
}

pub fn upload_page(page: &Page, outcome: &Outcome) -> Markup {
    let w = UploadWords::of(page.lang);
    let chosen = match outcome {
        Outcome::Checked(summary) => summary.kind,
        _ => None,
    };
    html! {
        p.intro { (w.intro) }
        form #nhap-tep method="post" action=(PATH) enctype="multipart/form-data" {
            (hidden(page))
            p {
                label for="kind" { (w.kind) }
                select #kind name="kind" {
                    @for kind in FactKind::ALL {
                        option value=(kind.slug()) selected[chosen == Some(kind)] { (title(page.lang, kind)) }
                    }
                }
            }
            p {
                label for="file" { (w.file) }
                input #file type="file" name="file" accept=".xlsx,.xls,.ods,.csv"
                    aria-describedby="ket-qua" aria-invalid=[invalid(outcome).then_some("true")];
            }
            div #ket-qua aria-live="polite" { (result(page, outcome)) }
            button #kiem-tra type="submit" { (w.check) }
        }
        h2 { (w.template) }
        ul.templates {
            @for kind in FactKind::ALL {
                li { a href=(format!("{PATH}/mau/{}", kind.slug())) download { (title(page.lang, kind)) } }
            }
        }
    }
}

fn title(lang: Lang, kind: FactKind) -> &'static str {
    lang.pick(kind.title_vi(), kind.title_en())
}

fn invalid(outcome: &Outcome) -> bool {
    match outcome {
        Outcome::Refused(_) => true,
        Outcome::Checked(summary) => !summary.errors.is_empty(),
        Outcome::Empty => false,
    }
}

/// Beside the file field: the refusal, the errors, the dry run with its commit, or the write.
fn result(page: &Page, outcome: &Outcome) -> Markup {
    let w = UploadWords::of(page.lang);
    let lang = page.lang;
    let summary = match outcome {
        Outcome::Empty => return html! {},
        Outcome::Refused(why) => return html! { p.field-error role="alert" { (why) } },
        Outcome::Checked(summary) => summary,
    };
    html! {
        dl.counts {
            dt { (w.file) } dd { (summary.file) }
            dt { (w.rows) } dd #so-dong { (format::count(lang, summary.rows)) }
            dt { (if summary.written { w.recorded } else { w.would_record }) }
            dd #so-ghi { (format::count(lang, summary.recorded)) }
            dt { (w.errors) } dd #so-loi { (format::count(lang, summary.errors.len() as i64)) }
        }
        @if !summary.errors.is_empty() {
            p.field-error role="alert" { (w.nothing_written) }
            table.row-errors {
                thead { tr { th { (w.row) } th { (w.column) } th { (w.problem) } } }
                tbody {
                    @for error in &summary.errors {
                        tr { td { (error.row) } td { (error.column) } td { (error.said(lang)) } }
                    }
                }
            }
        } @else if summary.written {
            p.saved role="status" #da-ghi {
                (w.written_at) " #" (summary.position.map_or(String::new(), |p| format::count(lang, p)))
            }
            p { a href=(page.href(PATH, &[])) { (w.another) } }
        } @else {
            p role="status" { (w.dry_run_done) }
        }
    }
}

/// The commit form of a dry run without errors: outside the upload form, after it.
fn commit_form(page: &Page, summary: &Summary) -> Markup {
    let w = UploadWords::of(page.lang);
    html! {
        form #ghi-so method="post" action=(COMMIT_PATH) {
            (hidden(page))
            input type="hidden" name="sha256" value=(summary.sha256);
            button #ghi type="submit" { (w.commit) }
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

/// `content` (and the commit form when the outcome is a clean dry run) in the page's frame.
pub fn framed(page: &Page, status: StatusCode, content: Markup) -> Response {
    let w = UploadWords::of(page.lang);
    let frame_of = Frame {
        page,
        path: PATH,
        keep: &[],
        title: w.title,
        head: None,
    };
    let content = html! { h1 { (w.title) } (content) };
    (status, Html(frame(&frame_of, content).into_string())).into_response()
}

/// The page after a check: the form with its result, and the commit form when it may commit.
pub fn checked_page(page: &Page, outcome: &Outcome) -> Markup {
    let commit = match outcome {
        Outcome::Checked(s) if s.errors.is_empty() && !s.written && s.recorded > 0 => {
            Some(commit_form(page, s))
        }
        _ => None,
    };
    html! { (upload_page(page, outcome)) @if let Some(commit) = commit { (commit) } }
}
