//! `/xa/{key}/nhap`: a commune's data entry for people whose role records and whose scope
//! holds it: enrol in a set, then per criterion its indicators' readings and its assessment
//! (one atomic append each), and the appraisal council's vote (approvers). Every write is a
//! mutation run in the process as the person; every refusal is shown beside its field, the
//! typed values kept (the page itself: `entry_view.rs`; the posts: `entry_posts.rs`).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::entry_data::{AncestorsData, EntryData, ANCESTORS, ENTRY};
use super::entry_view::{entry_page, Posted};
use super::failure::{failure_page, Failure};
use super::form_gate::{framed, person_with, refused};
use super::form_refusal::Refused;
use super::form_words::FormWords;
use super::page::{Page, Params};
use super::visitor::Visitor;
use super::{unit_key, with, Dashboard};
use crate::auth::Right;

/// The page's path for the commune `key`.
pub fn entry_path(key: &str) -> String {
    format!("/xa/{key}/nhap")
}

/// GET: the forms for the set `?bo=` (default: the last set the commune is enrolled in);
/// `?luu=` the position just written (the page waits for the read tables to reach it).
pub async fn entry(
    State(dashboard): State<Dashboard>,
    Path(key): Path<String>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Response {
    let page = dashboard.page(&params, &visitor);
    let saved = params.get("luu").and_then(|p| p.parse().ok());
    let set = params.get("bo").map(String::as_str);
    let shown = Shown {
        set,
        saved,
        posted: None,
        refusals: &[],
        status: StatusCode::OK,
    };
    show(&dashboard, &page, &key, shown).await
}

/// What a page shows beside the data: the set, a write just done, or a refused post.
pub struct Shown<'a> {
    pub set: Option<&'a str>,
    pub saved: Option<i64>,
    pub posted: Option<&'a Posted>,
    pub refusals: &'a [Refused],
    pub status: StatusCode,
}

/// Reads the commune and renders its forms, once the person may record there.
pub async fn show(dashboard: &Dashboard, page: &Page, key: &str, shown: Shown<'_>) -> Response {
    let path = entry_path(key);
    let f = FormWords::of(page.lang);
    if let Err(response) = person_with(page, Right::Record, &path, f.may_not_record) {
        return *response;
    }
    let data = match read(dashboard, page, key, shown.set, shown.saved).await {
        Ok(data) => data,
        Err(failure) => return failure_page(page, &path, failure),
    };
    let Some(commune) = &data.locality else {
        return failure_page(page, &path, Failure::NotFound);
    };
    if let Some(root) = page.actor().and_then(|a| a.scope) {
        if !commune.within(&root.to_string()) {
            return refused(page, &path, f.outside_scope);
        }
    }
    let title = format!(
        "{} · {}",
        f.entry_title,
        commune.name.as_deref().unwrap_or(&commune.id)
    );
    framed(
        page,
        &path,
        &title,
        shown.status,
        entry_page(page, key, &data, &shown),
    )
}

/// The document for the set asked for, or the commune's last enrolled set when none is.
async fn read(
    dashboard: &Dashboard,
    page: &Page,
    key: &str,
    set: Option<&str>,
    min: Option<i64>,
) -> Result<EntryData, Failure> {
    let variables = |set: Option<&str>| {
        with(
            unit_key(key),
            json!({ "on": page.today.to_string(), "set": set.unwrap_or_default(),
                "withSet": set.is_some(), "min": min }),
        )
    };
    let data: EntryData = dashboard
        .api
        .query(ENTRY, variables(set), page.actor())
        .await?;
    if set.is_some() {
        return Ok(data);
    }
    let last = data
        .locality
        .as_ref()
        .and_then(|c| c.enrolled().last().map(|s| (*s).to_owned()));
    match last {
        Some(set) => Ok(dashboard
            .api
            .query(ENTRY, variables(Some(&set)), page.actor())
            .await?),
        None => Ok(data),
    }
}

/// The link to the data entry of the commune `id`, for a person whose role records and whose
/// scope holds it; none for anyone else.
pub async fn entry_link(dashboard: &Dashboard, page: &Page, id: &str) -> Option<String> {
    let actor = page.actor().filter(|a| a.role.grants(Right::Record))?;
    if let Some(root) = &actor.scope {
        let found: AncestorsData = dashboard
            .api
            .query(ANCESTORS, json!({ "id": id }), Some(actor.clone()))
            .await
            .ok()?;
        if !found.locality?.within(&root.to_string()) {
            return None;
        }
    }
    Some(page.href(&entry_path(id), &[]))
}
