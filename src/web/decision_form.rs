//! `/quyet-dinh/moi`: one decision (recognition, revocation, acknowledgement after a merger)
//! for many communes at once, for approvers: the communes chosen by checkbox from a district or
//! province on the decision's date and/or pasted as codes, recorded by `recordDecision` as
//! one atomic append (all or nothing), as the person signed in.

use axum::extract::{Query, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde_json::{json, Value};

use super::decision_data::*;
use super::decision_view::{decision_page, DecisionShown};
use super::form_gate::{
    all, checked_person, field, framed, person_with, posted_page, values, Values,
};
use super::form_refusal::{refusals, Refused};
use super::form_values::{date, year};
use super::form_words::FormWords;
use super::page::{parse_date, Page, Params};
use super::visitor::Visitor;
use super::{unit_key, with, Dashboard};
use crate::auth::Right;
use crate::graphql::InProcessError;

pub const PATH: &str = "/quyet-dinh/moi";

/// GET: the form; `?don-vi=` lists that unit's communes on `?ngay-hl=` (default today).
pub async fn form(
    State(dashboard): State<Dashboard>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Response {
    let page = dashboard.page(&params, &visitor);
    let values: Values = params.clone();
    let saved = params
        .get("luu")
        .and_then(|p| p.parse().ok())
        .map(|position| {
            let count = params.get("n").and_then(|n| n.parse().ok()).unwrap_or(0);
            (
                position,
                params.get("so").cloned().unwrap_or_default(),
                count,
            )
        });
    render(&dashboard, &page, &values, &[], &[], saved, StatusCode::OK).await
}

/// POST: records the decision, or shows the form again with its refusals.
pub async fn record(
    State(dashboard): State<Dashboard>,
    visitor: Visitor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let values = values(&pairs);
    let page = posted_page(&dashboard, &visitor, &values);
    let f = FormWords::of(page.lang);
    let person = match checked_person(
        &page,
        &visitor,
        &values,
        Right::Approve,
        PATH,
        f.approvers_only,
    ) {
        Ok(person) => person.actor(),
        Err(response) => return *response,
    };
    let checked: Vec<String> = all(&pairs, "xa").into_iter().map(str::to_owned).collect();
    let mut refused = Vec::new();
    let on = date(&values, "ngay-hl", &page, &mut refused);
    let on_date = on.as_deref().and_then(parse_date).unwrap_or(page.today);
    let mut chosen = checked.clone();
    match by_codes(&dashboard, &page, field(&values, "ma"), on_date).await {
        Ok((found, missing)) if missing.is_empty() => chosen.extend(found),
        Ok((_, missing)) => refused.push(Refused::form(
            "ma",
            None,
            &format!("{} {}", f.unknown_code, missing.join(", ")),
        )),
        Err(error) => refused.extend(refusals(&error, page.lang)),
    }
    let mut seen = std::collections::HashSet::new();
    chosen.retain(|id| seen.insert(id.clone()));
    if chosen.is_empty() && !refused.iter().any(|r| r.field == "ma") {
        refused.push(Refused::form("xa", None, f.no_commune));
    }
    let input = input(&values, &page, on, &chosen, &mut refused);
    let mut status = StatusCode::BAD_REQUEST;
    if refused.is_empty() {
        let answer = dashboard
            .api
            .query::<super::entry_data::Written>(RECORD, json!({ "input": input }), Some(person))
            .await;
        match answer {
            Ok(written) => {
                let position = written.result.position.to_string();
                let count = chosen.len().to_string();
                let to = page.href(
                    PATH,
                    &[
                        ("luu", &position),
                        ("so", field(&values, "so")),
                        ("n", &count),
                    ],
                );
                return (StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response();
            }
            Err(error) => {
                if error.code() == Some("FORBIDDEN") {
                    status = StatusCode::FORBIDDEN;
                }
                refused = named(&dashboard, &page, refusals(&error, page.lang), &chosen).await;
            }
        }
    }
    render(&dashboard, &page, &values, &checked, &refused, None, status).await
}

/// The mutation's input; the form's own refusals (a year that is not one) into `refused`.
fn input(
    values: &Values,
    page: &Page,
    on: Option<String>,
    chosen: &[String],
    refused: &mut Vec<Refused>,
) -> Value {
    let f = FormWords::of(page.lang);
    let v = |name: &str| Some(field(values, name)).filter(|t| !t.is_empty());
    let kind = match field(values, "loai") {
        "thu-hoi" => "REVOCATION",
        "thua-nhan" => "ACKNOWLEDGEMENT",
        _ => "RECOGNITION",
    };
    let recognises = kind != "REVOCATION";
    let signed = (kind == "RECOGNITION")
        .then(|| date(values, "ngay-ky", page, refused))
        .flatten();
    let standard_year = match (recognises, v("nam")) {
        (true, Some(text)) => year(text, "nam", f, refused),
        _ => None,
    };
    let acknowledges: Option<Vec<&str>> = (kind == "ACKNOWLEDGEMENT").then(|| {
        field(values, "thua-nhan")
            .split([',', ';', '\n'])
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .collect()
    });
    json!({
        "kind": kind, "decision": field(values, "so"), "effectiveOn": on,
        "issuer": v("co-quan"), "signer": v("nguoi-ky"), "signedOn": signed,
        "set": recognises.then(|| v("bo")).flatten(), "level": recognises.then(|| v("muc")).flatten(),
        "standardYear": standard_year, "batch": v("dot"), "outstandingField": v("linh-vuc"),
        "overrideReason": v("ly-do-ngoai-le"), "revoked": v("bi-thu-hoi"), "reason": v("ly-do"),
        "acknowledges": acknowledges, "localities": chosen,
        "idempotencyKey": field(values, "khoa"),
    })
}

/// The refusals beside the form's fields, a commune's prefixed with its name.
async fn named(
    dashboard: &Dashboard,
    page: &Page,
    refusals: Vec<Refused>,
    chosen: &[String],
) -> Vec<Refused> {
    let f = FormWords::of(page.lang);
    let names: Vec<Unit> = dashboard
        .api
        .query::<Named>(NAMES, json!({ "ids": chosen }), page.actor())
        .await
        .map(|n| n.nodes.into_iter().flatten().collect())
        .unwrap_or_default();
    refusals
        .into_iter()
        .map(|r| {
            let field = form_field(&r.field).to_owned();
            let message = match &r.locality {
                Some(id) => {
                    let label = names
                        .iter()
                        .find(|u| &u.id == id)
                        .map_or_else(|| id.clone(), Unit::label);
                    format!("{} {label}: {}", f.refused_for, r.message)
                }
                None => r.message.clone(),
            };
            Refused {
                field,
                message,
                ..r
            }
        })
        .collect()
}

/// The form's field for the API's.
fn form_field(api: &str) -> &'static str {
    match api {
        "decision" => "so",
        "signedOn" => "ngay-ky",
        "effectiveOn" => "ngay-hl",
        "issuer" => "co-quan",
        "level" => "muc",
        "set" => "bo",
        "standardYear" => "nam",
        "outstandingField" => "linh-vuc",
        "overrideReason" => "ly-do-ngoai-le",
        "revoked" => "bi-thu-hoi",
        "reason" => "ly-do",
        "acknowledges" => "thua-nhan",
        "localities" | "locality" | "sources" => "xa",
        _ => "form",
    }
}

/// The ids of the units holding the pasted codes on `on`, and the codes no unit holds.
async fn by_codes(
    dashboard: &Dashboard,
    page: &Page,
    text: &str,
    on: chrono::NaiveDate,
) -> Result<(Vec<String>, Vec<String>), InProcessError> {
    let codes: Vec<&str> = text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let variables = json!({ "codes": codes, "on": on.to_string() });
    let found = dashboard
        .api
        .query::<Listed>(BY_CODES, variables, page.actor())
        .await?
        .units();
    let mut ids = Vec::new();
    let mut missing = Vec::new();
    for code in codes {
        match found.iter().find(|u| u.code.as_deref() == Some(code)) {
            Some(unit) => ids.push(unit.id.clone()),
            None => missing.push(code.to_owned()),
        }
    }
    Ok((ids, missing))
}

/// The form for approvers, listing the communes of `don-vi` when given.
async fn render(
    dashboard: &Dashboard,
    page: &Page,
    values: &Values,
    checked: &[String],
    refusals: &[Refused],
    saved: Option<(i64, String, usize)>,
    status: StatusCode,
) -> Response {
    let f = FormWords::of(page.lang);
    let key = field(values, "don-vi");
    let back = match key {
        "" => PATH.to_owned(),
        key => format!("{PATH}?don-vi={}", super::page::encode(key)),
    };
    if let Err(response) = person_with(page, Right::Approve, &back, f.approvers_only) {
        return *response;
    }
    let on = parse_date(field(values, "ngay-hl")).unwrap_or(page.today);
    let variables = with(unit_key(key), json!({ "on": on.to_string() }));
    let unit = match key.is_empty() {
        true => None,
        false => dashboard
            .api
            .query::<UnitData>(UNIT, variables, page.actor())
            .await
            .ok()
            .and_then(|data| data.locality),
    };
    let sets = dashboard
        .api
        .query::<SetsData>(SETS, json!({}), page.actor())
        .await;
    let sets = sets.map(|s| s.criteria_sets).unwrap_or_default();
    let communes = match &unit {
        Some(unit) => dashboard
            .api
            .query::<Listed>(
                COMMUNES,
                json!({ "within": unit.id, "on": on.to_string() }),
                page.actor(),
            )
            .await
            .map(Listed::units)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let sets: Vec<String> = sets.into_iter().map(|s| s.code).collect();
    let shown = DecisionShown {
        unit: unit.as_ref(),
        communes: &communes,
        sets: &sets,
        values,
        checked,
        refusals,
        saved,
    };
    framed(
        page,
        PATH,
        f.decision_title,
        status,
        decision_page(page, &shown),
    )
}
