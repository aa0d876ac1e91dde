//! `/nhat-ky`: the event log newest first, filtered by unit (its subtree on the page's date),
//! event type and recording period; who recorded each event only for auditors (the API's
//! rule: the page reads as an anonymous caller, so it shows none); above it, the last
//! `ntm verify` and the log's signed checkpoints.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{NaiveDate, NaiveTime};
use maud::{html, Markup};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::audit_data::{Events, FeedData, UnitByCode, EVENTS_PER_PAGE, FEED, UNIT_BY_CODE};
use super::event_names::{event_name, event_types};
use super::failure::{failure_page, Failure};
use super::format;
use super::layout::{frame, hidden, Frame};
use super::overview::unit_link;
use super::page::{parse_date, Page, Params};
use super::signed_checkpoints::signed_checkpoints;
use super::verification::last_verification;
use super::visitor::Visitor;
use super::words::Lang;
use super::Dashboard;
use crate::app::clock::VIETNAM;

/// The filters as given, and what was wrong with each.
#[derive(Default)]
struct Filters {
    unit: String,
    event_type: String,
    from: String,
    to: String,
    errors: Vec<(&'static str, &'static str)>,
}

impl Filters {
    fn from_params(params: &Params, lang: Lang) -> Self {
        let get = |k: &str| {
            params
                .get(k)
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        let mut filters = Filters {
            unit: get("don-vi"),
            event_type: get("loai"),
            from: get("tu"),
            to: get("den"),
            errors: Vec::new(),
        };
        if !filters.event_type.is_empty() && !event_types().any(|t| t == filters.event_type) {
            filters.errors.push((
                "loai",
                lang.pick("Không có loại sự kiện này", "No such event type"),
            ));
        }
        let bad_date = lang.pick(
            "Ngày không hợp lệ (ví dụ 2020-12-31)",
            "Not a date (e.g. 2020-12-31)",
        );
        for (field, text) in [("tu", &filters.from), ("den", &filters.to)] {
            if !text.is_empty() && parse_date(text).is_none() {
                filters.errors.push((field, bad_date));
            }
        }
        filters
    }

    fn error(&self, field: &str) -> Option<&'static str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| *m)
    }

    fn keep(&self) -> [(&'static str, &str); 4] {
        [
            ("don-vi", &self.unit),
            ("loai", &self.event_type),
            ("tu", &self.from),
            ("den", &self.to),
        ]
    }
}

/// The audit page.
pub async fn audit(
    State(dashboard): State<Dashboard>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Response {
    let page = dashboard.page(&params, &visitor);
    let path = "/nhat-ky";
    if page.bad_date.is_some() {
        return failure_page(&page, path, Failure::BadDate);
    }
    let mut filters = Filters::from_params(&params, page.lang);
    let title = page.lang.pick("Nhật ký sự kiện", "Event log");
    let unit_id = match resolve_unit(&dashboard, &page, &filters.unit).await {
        Ok(id) => id,
        Err(Failure::NotFound) => {
            filters.errors.push((
                "don-vi",
                page.lang.pick(
                    "Không có đơn vị này vào ngày đã chọn",
                    "No such unit on the chosen date",
                ),
            ));
            None
        }
        Err(failure) => return failure_page(&page, path, failure),
    };
    let keep = filters.keep();
    if !filters.errors.is_empty() {
        let content = form(&page, &filters);
        let body = frame(
            &Frame {
                page: &page,
                path,
                keep: &keep,
                title,
                head: None,
            },
            content,
        );
        return (StatusCode::BAD_REQUEST, Html(body.into_string())).into_response();
    }
    let after = params.get("sau").cloned().unwrap_or_default();
    let variables = json!({
        "filter": filter(&page, &filters, unit_id.as_deref()),
        "first": EVENTS_PER_PAGE,
        "after": if after.is_empty() { None } else { Some(&after) },
        "unit": unit_id, "scoped": unit_id.is_some(),
    });
    let data: FeedData = match dashboard.api.query(FEED, variables, page.actor()).await {
        Ok(data) => data,
        Err(error) => return failure_page(&page, path, error.into()),
    };
    let content = html! {
        (last_verification(&page, data.last_verification.as_ref()))
        (signed_checkpoints(&page, data.log_verifier_key.as_deref(), &data.checkpoints))
        (form(&page, &filters))
        @if let Some(unit) = &data.unit { p { (page.lang.pick("Đơn vị", "Unit")) ": " (unit_link(&page, unit)) } }
        (feed(&page, &filters, &data.events))
    };
    let body = frame(
        &Frame {
            page: &page,
            path,
            keep: &keep,
            title,
            head: Some(&data.head),
        },
        content,
    );
    Html(body.into_string()).into_response()
}

/// The unit filter's id: a UUID as given, a code looked up on the page's date.
async fn resolve_unit(
    dashboard: &Dashboard,
    page: &Page,
    unit: &str,
) -> Result<Option<String>, Failure> {
    if unit.is_empty() {
        return Ok(None);
    }
    if let Ok(id) = Uuid::parse_str(unit) {
        return Ok(Some(id.to_string()));
    }
    let variables = json!({ "code": unit, "on": page.on.to_string() });
    let found: UnitByCode = dashboard
        .api
        .query(UNIT_BY_CODE, variables, page.actor())
        .await?;
    found.locality.map(|l| Some(l.id)).ok_or(Failure::NotFound)
}

/// The API's `EventFilter` for the page's filters; the period is in Vietnam's days.
fn filter(page: &Page, filters: &Filters, unit: Option<&str>) -> Value {
    let mut filter = Map::new();
    filter.insert("on".into(), json!(page.on.to_string()));
    if let Some(unit) = unit {
        filter.insert("subtree".into(), json!(unit));
    }
    if !filters.event_type.is_empty() {
        filter.insert("types".into(), json!([filters.event_type]));
    }
    let instant = |day: NaiveDate, time: NaiveTime| {
        day.and_time(time)
            .and_local_timezone(VIETNAM)
            .single()
            .map(|t| t.to_rfc3339())
    };
    if let Some(from) = parse_date(&filters.from).and_then(|d| instant(d, NaiveTime::MIN)) {
        filter.insert("recordedFrom".into(), json!(from));
    }
    let end_of_day = NaiveTime::from_hms_milli_opt(23, 59, 59, 999).unwrap_or(NaiveTime::MIN);
    if let Some(to) = parse_date(&filters.to).and_then(|d| instant(d, end_of_day)) {
        filter.insert("recordedTo".into(), json!(to));
    }
    Value::Object(filter)
}

fn form(page: &Page, filters: &Filters) -> Markup {
    let lang = page.lang;
    let field_error = |field: &str| -> Markup {
        html! { @if let Some(message) = filters.error(field) { p.field-error #(format!("{field}-error")) role="alert" { (message) } } }
    };
    let invalid = |field: &str| filters.error(field).map(|_| "true");
    let described = |field: &str| filters.error(field).map(|_| format!("{field}-error"));
    html! {
        form.filters method="get" action="/nhat-ky" {
            (hidden(page))
            div.field {
                label for="don-vi" { (lang.pick("Đơn vị (mã), kể cả cấp dưới", "Unit (code), with those under it")) }
                input #don-vi name="don-vi" value=(filters.unit) aria-invalid=[invalid("don-vi")] aria-describedby=[described("don-vi")];
                (field_error("don-vi"))
            }
            div.field {
                label for="loai" { (lang.pick("Loại sự kiện", "Event type")) }
                select #loai name="loai" aria-invalid=[invalid("loai")] aria-describedby=[described("loai")] {
                    option value="" { (lang.pick("Tất cả", "All")) }
                    @for t in event_types() {
                        option value=(t) selected[filters.event_type == t] { (event_name(lang, t)) }
                    }
                }
                (field_error("loai"))
            }
            div.field {
                label for="tu" { (lang.pick("Ghi từ ngày", "Recorded from")) }
                input #tu type="text" inputmode="numeric" placeholder=(lang.pick("dd/mm/yyyy", "yyyy-mm-dd")) size="10" name="tu" value=(filters.from) aria-invalid=[invalid("tu")] aria-describedby=[described("tu")];
                (field_error("tu"))
            }
            div.field {
                label for="den" { (lang.pick("đến ngày", "to")) }
                input #den type="text" inputmode="numeric" placeholder=(lang.pick("dd/mm/yyyy", "yyyy-mm-dd")) size="10" name="den" value=(filters.to) aria-invalid=[invalid("den")] aria-describedby=[described("den")];
                (field_error("den"))
            }
            button type="submit" { (lang.pick("Lọc", "Filter")) }
        }
    }
}

fn feed(page: &Page, filters: &Filters, events: &Events) -> Markup {
    let lang = page.lang;
    let next = events.page_info.next();
    html! {
        p #event-count { (lang.pick("Số sự kiện", "Events")) ": " (format::count(lang, events.total_count)) }
        div.scroll {
            table #events {
                thead { tr {
                    th scope="col" { "#" }
                    th scope="col" { (lang.pick("Ghi lúc", "Recorded")) }
                    th scope="col" { (lang.pick("Loại", "Type")) }
                    th scope="col" { (lang.pick("Đơn vị", "Unit")) }
                    th scope="col" { (lang.pick("Có hiệu lực từ", "Effective")) }
                    th scope="col" { (lang.pick("Người ghi", "Recorded by")) }
                    th scope="col" { (lang.pick("Lý do", "Reason")) }
                } }
                tbody {
                    @for edge in &events.edges {
                        @let e = &edge.node;
                        tr data-position=(e.position) {
                            td.num { (format::count(lang, e.position)) }
                            td { time datetime=(e.recorded_at.to_rfc3339()) { (format::instant(lang, e.recorded_at)) } }
                            td data-type=(e.event_type) { (event_name(lang, &e.event_type)) }
                            td { @if let Some(l) = &e.locality { (unit_link(page, l)) } }
                            td { @if let Some(d) = e.effective_on { (format::date(lang, d)) } }
                            td { (e.actor.as_deref().unwrap_or("–")) }
                            td { (e.reason.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
        }
        @if let Some(cursor) = next {
            @let extra: Vec<(&str, &str)> = filters.keep().into_iter().chain([("sau", cursor)]).collect();
            p { a rel="next" href=(page.href("/nhat-ky", &extra)) { (lang.pick("Cũ hơn", "Older")) " →" } }
        }
    }
}
