//! The dashboard (issue 20): pages in Vietnamese first (English with `?lang=en`), each for a
//! date (`?on=`), rendered on the server from GraphQL documents run through the API in the
//! process (`docs/decisions/dashboard-server-rendered.md`): no script, nothing fetched from
//! outside the binary.

mod account_words;
mod admin_users;
mod admin_users_view;
mod assets;
mod audit;
mod audit_data;
mod chart;
mod commune;
mod commune_criteria;
mod commune_data;
mod commune_enums;
mod commune_history;
mod commune_identity;
mod commune_log_data;
mod commune_words;
mod decision_data;
mod decision_form;
mod decision_view;
mod entry;
mod entry_data;
mod entry_posts;
mod entry_view;
mod event_names;
mod failure;
mod form_files;
mod form_gate;
mod form_refusal;
mod form_values;
mod form_words;
mod format;
mod heat_map;
mod heat_map_data;
mod home;
mod kept_files;
mod layout;
pub(crate) mod levels;
mod overview;
mod overview_data;
mod page;
mod reports;
mod reports_view;
mod search;
mod sign_in;
mod signed_checkpoints;
mod upload;
mod upload_view;
mod upload_words;
mod verification;
mod visitor;
mod words;
pub(crate) use words::Lang;

use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::auth::Gate;
use crate::graphql::InProcess;
use failure::{failure_page, Failure};
use layout::{frame, Frame};
use overview_data::{child_order, OverviewData, OVERVIEW};
use page::{Page, Params};
use visitor::Visitor;

/// The GraphQL documents the pages run, for benchmarks and clients that want the same data.
pub mod documents {
    pub use super::audit_data::FEED as AUDIT;
    pub use super::commune_data::{COMMUNE, COMMUNE_SETS};
    pub use super::heat_map_data::{ROWS as HEAT_MAP_ROWS, UNIT as HEAT_MAP_UNIT};
    pub use super::overview_data::OVERVIEW;
}

/// What the pages read through.
#[derive(Clone)]
pub struct Dashboard {
    api: InProcess,
    /// The code of the unit the home page shows; none: the provinces.
    home: Option<String>,
    /// Sessions, sign-in and sign-out.
    gate: Gate,
    /// The session cookie is always `Secure` (`NTM_SECURE_COOKIES`).
    secure_cookies: bool,
    /// Files the upload page checked, waiting for their commit.
    kept: kept_files::KeptFiles,
}

impl Dashboard {
    pub fn new(api: InProcess, home: Option<String>, gate: Gate, secure_cookies: bool) -> Self {
        Dashboard {
            api,
            home,
            gate,
            secure_cookies,
            kept: kept_files::KeptFiles::default(),
        }
    }

    /// The page `params` ask for, read by `visitor`.
    fn page(&self, params: &Params, visitor: &Visitor) -> Page {
        Page::from_params(params, self.api.context().clock.today()).read_by(visitor.person.clone())
    }
}

/// The dashboard's routes, ready to merge into the service's router.
pub fn routes(dashboard: Dashboard) -> Router {
    // A criterion's form may carry a few files of the largest size taken.
    let files =
        DefaultBodyLimit::max(dashboard.api.context().blobs.settings().max_bytes * 5 + (1 << 20));
    Router::new()
        .route("/", get(home::home))
        .route("/don-vi/{key}", get(unit_overview))
        .route("/don-vi/{key}/bang-tieu-chi", get(heat_map::heat_map))
        .route("/xa/{key}", get(commune::commune))
        .route("/xa/{key}/nhap", get(entry::entry))
        .route("/xa/{key}/nhap/dang-ky", post(entry_posts::enrol))
        .route(
            "/xa/{key}/nhap/tieu-chi",
            post(entry_posts::criterion).layer(files),
        )
        .route("/xa/{key}/nhap/bo-phieu", post(entry_posts::vote))
        .route(
            decision_form::PATH,
            get(decision_form::form).post(decision_form::record),
        )
        .route("/tim-kiem", get(search::search))
        .route("/nhat-ky", get(audit::audit))
        .route(reports::PATH, get(reports::reports))
        .route(reports::DOWNLOAD, post(reports::download))
        .route("/dang-nhap", get(sign_in::page).post(sign_in::sign_in))
        .route("/dang-xuat", post(sign_in::sign_out))
        .route(
            admin_users::PATH,
            get(admin_users::list).post(admin_users::create),
        )
        .route("/quan-tri/nguoi-dung/{id}/khoa", post(admin_users::disable))
        .route(
            "/quan-tri/nguoi-dung/{id}/mat-khau",
            post(admin_users::reset_password),
        )
        .route(
            upload::PATH,
            get(upload::page)
                .post(upload::check)
                .layer(DefaultBodyLimit::max(upload::MAX_FORM_BYTES)),
        )
        .route(upload::COMMIT_PATH, post(upload::commit))
        .route("/nhap-tep/mau/{kind}", get(upload::template))
        .route(assets::STYLESHEET, get(assets::stylesheet))
        .with_state(dashboard)
}

/// The variables naming a unit by its key in a path: its id (a UUID) or its code.
fn unit_key(key: &str) -> Value {
    match Uuid::parse_str(key) {
        Ok(id) => json!({ "id": id.to_string() }),
        Err(_) => json!({ "code": key }),
    }
}

fn with(mut variables: Value, more: Value) -> Value {
    if let (Some(into), Some(from)) = (variables.as_object_mut(), more.as_object()) {
        into.extend(from.clone());
    }
    variables
}

/// `/don-vi/{key}`: a province's or district's overview; a commune-level unit's page is
/// `/xa/{key}`.
async fn unit_overview(
    State(dashboard): State<Dashboard>,
    Path(key): Path<String>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Response {
    let path = format!("/don-vi/{key}");
    let page = dashboard.page(&params, &visitor);
    overview_page(&dashboard, page, &params, &key, &path).await
}

/// The overview of the unit `key` (id or code), served at `path`.
async fn overview_page(
    dashboard: &Dashboard,
    page: Page,
    params: &Params,
    key: &str,
    path: &str,
) -> Response {
    let path = path.to_owned();
    if page.bad_date.is_some() {
        return failure_page(&page, &path, Failure::BadDate);
    }
    let order = child_order(params.get("xep").map(String::as_str));
    let descending = params.get("giam").is_some_and(|v| v == "1");
    let variables = with(
        unit_key(key),
        json!({ "on": page.on.to_string(), "today": page.today.to_string(),
            "order": order, "descending": descending }),
    );
    let data: OverviewData = match dashboard.api.query(OVERVIEW, variables, page.actor()).await {
        Ok(data) => data,
        Err(error) => return failure_page(&page, &path, error.into()),
    };
    let Some(unit) = data.locality else {
        return failure_page(&page, &path, Failure::NotFound);
    };
    if !matches!(unit.kind.as_deref(), Some("PROVINCE") | Some("DISTRICT")) {
        let to = overview::unit_path(&unit.id, unit.kind.as_deref());
        return Redirect::to(&page.href(&to, &[])).into_response();
    }
    let title = unit.name.clone().unwrap_or_else(|| key.to_owned());
    let keep: Vec<(&str, &str)> = [("xep", order), ("giam", if descending { "1" } else { "" })]
        .into_iter()
        .filter(|(_, v)| !v.is_empty() && *v != "CODE")
        .collect();
    let body = frame(
        &Frame {
            page: &page,
            path: &path,
            keep: &keep,
            title: &title,
            head: Some(&data.head),
        },
        overview::overview(&page, &unit, order, descending),
    );
    Html(body.into_string()).into_response()
}
