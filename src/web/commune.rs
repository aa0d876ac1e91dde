//! `/xa/{key}`: a commune-level unit on a date (issue 20, part 3): its names, kinds and
//! parents over time and its lineage, its recognitions, criteria met per year, each criterion
//! with its indicators, readings and evidence, its event history, and what changed between
//! two dates (`?tu=&den=`).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use maud::html;
use serde_json::json;

use super::commune_criteria::{criteria_section, year_chart};
use super::commune_data::{CommuneData, SetsData, COMMUNE, COMMUNE_SETS};
use super::commune_history::{changes_section, history_section, DiffDates};
use super::commune_identity::{decisions_section, identity_section, status_section};
use super::failure::{failure_page, Failure};
use super::layout::{frame, Frame};
use super::overview::unit_path;
use super::page::{Page, Params};
use super::visitor::Visitor;
use super::{unit_key, with, Dashboard};

/// How many other sets' yearly series the chart draws beside the grading set's.
const OTHER_SERIES: usize = 3;

/// The commune page.
pub async fn commune(
    State(dashboard): State<Dashboard>,
    Path(key): Path<String>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Response {
    let page = dashboard.page(&params, &visitor);
    let path = format!("/xa/{key}");
    if page.bad_date.is_some() {
        return failure_page(&page, &path, Failure::BadDate);
    }
    let dates = DiffDates::from_params(&params);
    let variables = with(unit_key(&key), json!({ "on": page.on.to_string() }));
    let sets: SetsData = match dashboard
        .api
        .query(COMMUNE_SETS, variables, page.actor())
        .await
    {
        Ok(sets) => sets,
        Err(error) => return failure_page(&page, &path, error.into()),
    };
    let Some(unit) = sets.locality else {
        return failure_page(&page, &path, Failure::NotFound);
    };
    if matches!(unit.kind.as_deref(), Some("PROVINCE") | Some("DISTRICT")) {
        let to = unit_path(&unit.id, unit.kind.as_deref());
        return Redirect::to(&page.href(&to, &[])).into_response();
    }
    let grading = unit.grading().map(str::to_owned);
    let others: Vec<&str> = unit
        .standings
        .iter()
        .map(|s| s.code.as_str())
        .filter(|code| Some(*code) != grading.as_deref())
        .take(OTHER_SERIES)
        .collect();
    // Without a set grading it on the date, the chart still draws the sets it has facts for.
    let set = grading.as_deref().or(others.first().copied());
    let other = |i: usize| others.get(i).copied().filter(|o| Some(*o) != set);
    let mut parents: Vec<&str> = unit
        .periods
        .iter()
        .filter_map(|p| p.parent_id.as_deref())
        .collect();
    parents.dedup();
    let after = params
        .get("sau")
        .map(String::as_str)
        .filter(|s| !s.is_empty());
    let compared = dates.valid();
    let any = set.unwrap_or_default();
    let variables = json!({
        "id": unit.id, "on": page.on.to_string(), "today": page.today.to_string(),
        "set": any, "graded": set.is_some(),
        "s1": other(0).unwrap_or(any), "w1": other(0).is_some(),
        "s2": other(1).unwrap_or(any), "w2": other(1).is_some(),
        "s3": other(2).unwrap_or(any), "w3": other(2).is_some(),
        "parents": parents, "after": after,
        "from": compared.map_or(page.on, |c| c.0).to_string(),
        "to": compared.map_or(page.on, |c| c.1).to_string(),
        "withDiff": compared.is_some() && set.is_some(),
    });
    let data: CommuneData = match dashboard.api.query(COMMUNE, variables, page.actor()).await {
        Ok(data) => data,
        Err(error) => return failure_page(&page, &path, error.into()),
    };
    let entry = super::entry::entry_link(&dashboard, &page, &unit.id).await;
    render(
        &page,
        &path,
        &dates,
        grading.is_some(),
        &data,
        entry.as_deref(),
    )
}

/// The page from the second document's answer: 400 when a date of the comparison form was
/// not one (its message beside the field), 404 when the unit is gone.
fn render(
    page: &Page,
    path: &str,
    dates: &DiffDates,
    graded: bool,
    data: &CommuneData,
    entry: Option<&str>,
) -> Response {
    let Some(unit) = &data.locality else {
        return failure_page(page, path, Failure::NotFound);
    };
    let title = unit.name.clone().unwrap_or_else(|| unit.id.clone());
    let keep: Vec<(&str, &str)> = [("tu", dates.earlier_text()), ("den", dates.later_text())]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let exists = unit.recognised.as_ref().is_some_and(|r| r.exists);
    let content = html! {
        @if let Some(href) = entry {
            p.entry-link { a #nhap-du-lieu href=(href) { (super::form_words::FormWords::of(page.lang).enter_data) } }
        }
        (identity_section(page, unit, &data.parents))
        (status_section(page, unit, graded, exists, &data.criteria_sets))
        (year_chart(page, unit, &data.criteria_sets))
        @if exists {
            @if let Some(standing) = &unit.standing {
                (criteria_section(page, standing, data))
            }
        }
        (decisions_section(page, &unit.decisions))
        (changes_section(page, path, dates, data.diff.as_ref()))
        (history_section(page, path, &keep, &data.feed))
    };
    let body = frame(
        &Frame {
            page,
            path,
            keep: &keep,
            title: &title,
            head: Some(&data.head),
        },
        content,
    );
    let status = if dates.has_error() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    (status, Html(body.into_string())).into_response()
}

/// The last day a unit that ended on `ended_on` existed.
pub fn last_day(ended_on: NaiveDate) -> NaiveDate {
    ended_on.pred_opt().unwrap_or(ended_on)
}
