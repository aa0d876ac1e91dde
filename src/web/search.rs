//! `/tim-kiem?q=`: units by name without diacritics (`thach trung` finds Thạch Trung) or by
//! official code, ended units included, each a link to its page as it was.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::json;

use super::failure::{failure_page, Failure};
use super::format;
use super::layout::{frame, Frame, Head};
use super::overview::unit_path;
use super::overview_data::PageInfo;
use super::page::{Page, Params};
use super::visitor::Visitor;
use super::Dashboard;

/// Results per page.
const PAGE: i64 = 50;

const SEARCH: &str = "query Search($text: String!, $codes: [String!]!, $first: Int!, $after: String) {
  head { position recordedAt projected }
  byCode: localities(filter: { codes: $codes, includeEnded: true }, first: 10, orderBy: { field: CODE }) {
    edges { node { ...Found } } }
  byName: localities(filter: { name: $text, includeEnded: true }, first: $first, after: $after,
      orderBy: { field: NAME }) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ...Found } } } }
fragment Found on Locality { id name code kind endedOn parent { name } }";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Found {
    head: Head,
    by_code: Connection,
    by_name: Connection,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Connection {
    #[serde(default)]
    total_count: i64,
    page_info: Option<PageInfo>,
    edges: Vec<Edge>,
}

#[derive(Deserialize)]
struct Edge {
    node: Unit,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Unit {
    id: String,
    name: Option<String>,
    code: Option<String>,
    kind: Option<String>,
    ended_on: Option<NaiveDate>,
    parent: Option<Parent>,
}

#[derive(Deserialize)]
struct Parent {
    name: Option<String>,
}

/// The search page.
pub async fn search(
    State(dashboard): State<Dashboard>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Response {
    let page = dashboard.page(&params, &visitor);
    let path = "/tim-kiem";
    let text = params.get("q").map(|q| q.trim()).unwrap_or_default();
    let after = params.get("sau").map(String::as_str).unwrap_or_default();
    let keep = [("q", text), ("sau", after)];
    let title = page.lang.pick("Tìm đơn vị", "Find a unit");
    if text.is_empty() {
        let body = frame(&frame_of(&page, path, &keep, title, None), prompt(&page));
        return Html(body.into_string()).into_response();
    }
    let variables = json!({
        "text": text, "codes": [text], "first": PAGE,
        "after": if after.is_empty() { None } else { Some(after) },
    });
    let found: Found = match dashboard.api.query(SEARCH, variables, page.actor()).await {
        Ok(found) => found,
        Err(error) => return failure_page(&page, path, Failure::from(error)),
    };
    let content = results(&page, text, &found);
    let body = frame(
        &frame_of(&page, path, &keep, title, Some(&found.head)),
        content,
    );
    Html(body.into_string()).into_response()
}

fn frame_of<'a>(
    page: &'a Page,
    path: &'a str,
    keep: &'a [(&'a str, &'a str)],
    title: &'a str,
    head: Option<&'a Head>,
) -> Frame<'a> {
    Frame {
        page,
        path,
        keep,
        title,
        head,
    }
}

fn prompt(page: &Page) -> Markup {
    html! { p { (page.lang.pick(
        "Nhập tên đơn vị (không cần dấu, ví dụ “thach trung”) hoặc mã đơn vị (ví dụ 42) vào ô Tìm.",
        "Type a unit's name (diacritics optional, e.g. “thach trung”) or its code (e.g. 42) in the search box.",
    )) } }
}

fn results(page: &Page, text: &str, found: &Found) -> Markup {
    let lang = page.lang;
    let by_name = &found.by_name;
    let rows = found.by_code.edges.iter().chain(
        by_name
            .edges
            .iter()
            .filter(|e| !found.by_code.edges.iter().any(|c| c.node.id == e.node.id)),
    );
    let next = by_name.page_info.as_ref().and_then(|p| p.next());
    html! {
        p #search-count {
            (lang.pick("Kết quả cho", "Results for")) " “" (text) "”: "
            (format::count(lang, by_name.total_count)) " " (lang.pick("theo tên", "by name"))
            @if !found.by_code.edges.is_empty() { ", " (found.by_code.edges.len()) " " (lang.pick("theo mã", "by code")) }
        }
        div.scroll {
            table #results {
                thead { tr {
                    th scope="col" { (lang.pick("Tên", "Name")) }
                    th scope="col" { (lang.pick("Mã", "Code")) }
                    th scope="col" { (lang.pick("Loại", "Kind")) }
                    th scope="col" { (lang.pick("Trực thuộc", "Part of")) }
                    th scope="col" { (lang.pick("Kết thúc", "Ended")) }
                } }
                tbody {
                    @for edge in rows {
                        @let unit = &edge.node;
                        tr {
                            th scope="row" { a href=(link(page, unit)) { (unit.name.as_deref().unwrap_or("–")) } }
                            td { (unit.code.as_deref().unwrap_or("")) }
                            td { (page.words().kind(unit.kind.as_deref().unwrap_or(""))) }
                            td { (unit.parent.as_ref().and_then(|p| p.name.as_deref()).unwrap_or("")) }
                            td { @if let Some(ended) = unit.ended_on { (format::date(lang, ended)) } }
                        }
                    }
                }
            }
        }
        @if let Some(cursor) = next {
            p { a rel="next" href=(page.href("/tim-kiem", &[("q", text), ("sau", cursor)])) {
                (lang.pick("Trang sau", "Next page")) " →" } }
        }
    }
}

/// A found unit's page; an ended unit's as it was on its last day.
fn link(page: &Page, unit: &Unit) -> String {
    let path = unit_path(&unit.id, unit.kind.as_deref());
    match unit.ended_on.and_then(|d| d.pred_opt()) {
        Some(last_day) if page.on > last_day => Page {
            on: last_day,
            dated: true,
            ..page.clone()
        }
        .href(&path, &[]),
        _ => page.href(&path, &[]),
    }
}
