//! `/`: the overview of the office's own unit (`NTM_HOME`; Hà Tĩnh with `--demo`), else the
//! provinces on the date, each a link to its overview.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use maud::html;
use serde::Deserialize;
use serde_json::json;

use super::failure::{failure_page, Failure};
use super::format;
use super::layout::{frame, Frame, Head};
use super::overview::unit_link;
use super::overview_data::Named;
use super::page::Params;
use super::visitor::Visitor;
use super::{overview_page, Dashboard};

const PROVINCES: &str = "query Provinces($on: Date!) {
  head { position recordedAt projected }
  localities(filter: { kinds: [PROVINCE], on: $on }, first: 100, orderBy: { field: CODE }) {
    totalCount edges { node { id name code kind } } } }";

#[derive(Deserialize)]
struct Provinces {
    head: Head,
    localities: Connection,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Connection {
    total_count: i64,
    edges: Vec<Edge>,
}

#[derive(Deserialize)]
struct Edge {
    node: Province,
}

type Province = Named;

/// The home page.
pub async fn home(
    State(dashboard): State<Dashboard>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Response {
    let page = dashboard.page(&params, &visitor);
    if let Some(home) = &dashboard.home {
        return overview_page(&dashboard, page, &params, home, "/").await;
    }
    if page.bad_date.is_some() {
        return failure_page(&page, "/", Failure::BadDate);
    }
    let variables = json!({ "on": page.on.to_string() });
    let data: Provinces = match dashboard
        .api
        .query(PROVINCES, variables, page.actor())
        .await
    {
        Ok(data) => data,
        Err(error) => return failure_page(&page, "/", error.into()),
    };
    let lang = page.lang;
    let title = lang.pick("Cả nước", "Whole country");
    let content = html! {
        p { (lang.pick("Số tỉnh, thành phố", "Provinces")) ": " (format::count(lang, data.localities.total_count)) }
        ul.units #provinces {
            @for edge in &data.localities.edges {
                li { (unit_link(&page, &edge.node)) }
            }
        }
    };
    let body = frame(
        &Frame {
            page: &page,
            path: "/",
            keep: &[],
            title,
            head: Some(&data.head),
        },
        content,
    );
    Html(body.into_string()).into_response()
}
