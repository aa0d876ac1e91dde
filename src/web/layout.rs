//! The frame of every page: the header with search, the date, the language switch and who is
//! signed in, how fresh the figures are, and the main content.

use chrono::{DateTime, Utc};
use maud::{html, Markup, DOCTYPE};
use serde::Deserialize;

use super::account_words::AccountWords;
use super::assets::STYLESHEET;
use super::format;
use super::page::Page;

/// The log's head as the page's document read it: how fresh its figures are.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Head {
    pub position: i64,
    pub recorded_at: Option<DateTime<Utc>>,
    pub projected: i64,
}

/// One page to frame.
pub struct Frame<'a> {
    pub page: &'a Page,
    /// The page's path, for the date form and the language switch.
    pub path: &'a str,
    /// Query parameters of the page besides `on` and `lang`, kept by both.
    pub keep: &'a [(&'a str, &'a str)],
    pub title: &'a str,
    pub head: Option<&'a Head>,
}

/// The whole HTML document around `content`.
pub fn frame(frame: &Frame<'_>, content: Markup) -> Markup {
    let page = frame.page;
    let w = page.words();
    let title = format!("{} · {}", frame.title, w.product);
    html! {
        (DOCTYPE)
        html lang=(page.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href=(STYLESHEET);
                @if let Some(person) = &page.person {
                    // For a client calling /graphql with the cookie: its X-CSRF-Token.
                    meta name="csrf-token" content=(person.csrf);
                }
            }
            body {
                a.skip href="#noi-dung" { (w.skip_to_content) }
                header.top {
                    a.brand href=(page.href("/", &[])) { (w.product) }
                    nav aria-label=(w.overview) {
                        a href=(page.href("/", &[])) { (w.overview) }
                        a href=(page.href("/nhat-ky", &[])) { (w.audit) }
                        a href=(page.href("/bao-cao", &[])) { (w.reports) }
                        @if page.person.is_some() {
                            a href=(page.href("/nhap-tep", &[])) { (page.lang.pick("Nhập tệp", "Import")) }
                        }
                        a href="/graphiql" { (w.graphiql) }
                        a lang=(page.lang.other().code()) href=(page.href_in(frame.path, page.lang.other(), frame.keep)) {
                            (w.switch_language)
                        }
                    }
                    (who(page))
                    form.search role="search" method="get" action="/tim-kiem" {
                        label for="q" { (w.search) }
                        input #q type="search" name="q" placeholder=(w.search_placeholder);
                        (hidden(page))
                        button type="submit" { (w.search) }
                    }
                    (date_form(frame))
                }
                main #noi-dung {
                    h1 { (frame.title) }
                    (freshness(page, frame.head))
                    (content)
                }
            }
        }
    }
}

/// Who is signed in, with the sign-out button (and the admin page for admins); or the link to
/// sign in.
fn who(page: &Page) -> Markup {
    let a = AccountWords::of(page.lang);
    html! {
        @if let Some(person) = &page.person {
            div.who #nguoi-dung {
                span { (a.signed_in_as) " " strong { (person.username()) } " (" (person.role()) ")" }
                @if person.role() == crate::auth::Role::Admin {
                    " " a href=(page.href("/quan-tri/nguoi-dung", &[])) { (a.users) }
                }
                @if person.role().grants(crate::auth::Right::Approve) {
                    " " a #ghi-quyet-dinh href=(page.href("/quyet-dinh/moi", &[])) {
                        (super::form_words::FormWords::of(page.lang).new_decision)
                    }
                }
                form.sign-out method="post" action="/dang-xuat" {
                    input type="hidden" name="csrf" value=(person.csrf);
                    @if page.lang == super::words::Lang::En { input type="hidden" name="lang" value="en"; }
                    button type="submit" { (a.sign_out) }
                }
            }
        } @else {
            a.sign-in href=(page.href("/dang-nhap", &[])) { (a.sign_in) }
        }
    }
}

/// The date field: a GET form on the page's own path; a date that was not one is named
/// beside the field.
fn date_form(frame: &Frame<'_>) -> Markup {
    let page = frame.page;
    let w = page.words();
    let value = page
        .bad_date
        .clone()
        .unwrap_or_else(|| format::date(page.lang, page.on));
    let pattern = page.lang.pick("dd/mm/yyyy", "yyyy-mm-dd");
    html! {
        form.date method="get" action=(frame.path) {
            label for="on" { (w.date) " (" (pattern) ")" }
            @if let Some(bad) = &page.bad_date {
                input #on type="text" inputmode="numeric" name="on" value=(value) placeholder=(pattern) size="10" aria-invalid="true" aria-describedby="on-error";
                p #on-error .field-error role="alert" { (w.bad_date) " (“" (bad) "”)" }
            } @else {
                input #on type="text" inputmode="numeric" name="on" value=(value) placeholder=(pattern) size="10";
            }
            @if page.lang == super::words::Lang::En { input type="hidden" name="lang" value="en"; }
            @for (name, value) in frame.keep { input type="hidden" name=(name) value=(value); }
            button type="submit" { (w.show) }
            @if page.dated { a href=(page_without_date(frame)) { (w.today) } }
        }
    }
}

fn page_without_date(frame: &Frame<'_>) -> String {
    let today = Page {
        dated: false,
        ..frame.page.clone()
    };
    today.href(frame.path, frame.keep)
}

/// Hidden fields carrying the page's date and language into another form.
pub fn hidden(page: &Page) -> Markup {
    html! {
        @if page.dated { input type="hidden" name="on" value=(page.on.to_string()); }
        @if page.lang == super::words::Lang::En { input type="hidden" name="lang" value="en"; }
    }
}

/// "As of event #n, recorded dd/mm/yyyy hh:mm", and how far the read tables are when behind.
fn freshness(page: &Page, head: Option<&Head>) -> Markup {
    let w = page.words();
    let lang = page.lang;
    html! {
        @if let Some(head) = head {
            p.freshness #freshness data-position=(head.position) {
                @if let Some(at) = head.recorded_at {
                    (w.as_of_event) " #" (format::count(lang, head.position)) ", "
                    (w.recorded_at) " " time datetime=(at.to_rfc3339()) { (format::instant(lang, at)) }
                    @if head.projected < head.position {
                        " (" (w.read_tables_at) " #" (format::count(lang, head.projected)) ")"
                    }
                } @else {
                    (w.empty_log)
                }
            }
        }
    }
}
