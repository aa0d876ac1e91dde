//! The data-entry page's posts: enrolment, a criterion's readings and assessment, the
//! council's vote. Each is checked by the form (numbers, dates) then sent as one mutation as
//! the person; a refusal re-renders the page with the message beside the field, the values
//! kept; a write redirects back with the position reached.

use axum::extract::Multipart;
use axum::extract::{Path, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde_json::{json, Value};

use super::entry::{entry_path, show, Shown};
use super::entry_data::{Written, CRITERION, ENROL, VOTE};
use super::entry_view::Posted;
use super::form_files::{self, with_files};
use super::form_gate::{checked_person, field, posted_page, values, Values};
use super::form_refusal::{refusals, Refused};
use super::form_values::{date, percent, reading, year};
use super::form_words::FormWords;
use super::page::Page;
use super::visitor::Visitor;
use super::Dashboard;
use crate::auth::Right;

type Pairs = Form<Vec<(String, String)>>;

/// POST `/xa/{key}/nhap/dang-ky`: enrols the commune in a set.
pub async fn enrol(
    State(dashboard): State<Dashboard>,
    Path(key): Path<String>,
    visitor: Visitor,
    Form(pairs): Pairs,
) -> Response {
    let values = values(&pairs);
    let page = posted_page(&dashboard, &visitor, &values);
    let posted = Posted::new("enrol", values);
    let f = FormWords::of(page.lang);
    let mut refused = Vec::new();
    let on = date(&posted.values, "ngay", &page, &mut refused);
    let target = year(field(&posted.values, "nam"), "nam", f, &mut refused);
    let act = field(&posted.values, "van-ban");
    let input = json!({ "locality": field(&posted.values, "don-vi"), "set": field(&posted.values, "bo"),
        "targetYear": target, "effectiveOn": on, "legalAct": (!act.is_empty()).then_some(act),
        "idempotencyKey": field(&posted.values, "khoa") });
    let set = field(&posted.values, "bo").to_owned();
    write(
        &dashboard,
        &visitor,
        &page,
        &key,
        (ENROL, input),
        &posted,
        refused,
        &set,
        Right::Record,
        |f| {
            match f {
                "set" => "bo",
                "targetYear" => "nam",
                "effectiveOn" => "ngay",
                "legalAct" => "van-ban",
                _ => "form",
            }
            .to_owned()
        },
    )
    .await
}

/// POST `/xa/{key}/nhap/tieu-chi` (multipart, for its files): a criterion's filled readings
/// and, if chosen, its assessment, as one atomic append; the files attach to the assessment,
/// or to each reading when there is none.
pub async fn criterion(
    State(dashboard): State<Dashboard>,
    Path(key): Path<String>,
    visitor: Visitor,
    multipart: Multipart,
) -> Response {
    let form = match form_files::read(multipart).await {
        Ok(form) => form,
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    let values = values(&form.pairs);
    let page = posted_page(&dashboard, &visitor, &values);
    let code = field(&values, "tieu-chi").to_owned();
    let posted = Posted::new(&format!("criterion:{code}"), values);
    let f = FormWords::of(page.lang);
    let v = &posted.values;
    let mut refused = Vec::new();
    let on = date(v, "ngay", &page, &mut refused);
    // The indicators filled, in the form's order (`chi-tieu` lists them with their kinds).
    let mut items: Vec<String> = Vec::new();
    let mut readings = Vec::new();
    for listed in field(v, "chi-tieu").split(',').filter(|s| !s.is_empty()) {
        let Some((indicator, kind)) = listed.split_once(':') else {
            continue;
        };
        let text = field(v, &format!("gt:{indicator}"));
        if text.is_empty() {
            continue;
        }
        let value = reading(kind, text, &format!("gt:{indicator}"), f, &mut refused);
        let own = field(v, &format!("ngay:{indicator}"));
        let effective =
            (!own.is_empty()).then(|| date(v, &format!("ngay:{indicator}"), &page, &mut refused));
        readings.push(json!({ "indicator": indicator, "value": value,
            "effectiveOn": effective.flatten(), "evidence": evidence(v, &format!("vb:{indicator}"), &format!("gc:{indicator}")) }));
        items.push(indicator.to_owned());
    }
    let mut assessment = match field(v, "ket-qua") {
        "" => Value::Null,
        met => json!({ "met": met == "dat", "level": field(v, "cap"),
            "evidence": evidence(v, "vb-danh-gia", "gc-danh-gia") }),
    };
    if readings.is_empty() && assessment.is_null() {
        refused.push(Refused::form("form", None, f.nothing_to_save));
    }
    if !form.files.is_empty() && refused.is_empty() {
        // Files are kept only for a person who may record, with the form's token.
        let back = entry_path(&key);
        if let Err(response) =
            checked_person(&page, &visitor, v, Right::Record, &back, f.may_not_record)
        {
            return *response;
        }
        let (blobs, now) = (
            &dashboard.api.context().blobs,
            dashboard.api.context().clock.now(),
        );
        match form_files::store(blobs, &form.files, now, page.lang).await {
            Ok(files) => match assessment.get_mut("evidence") {
                Some(evidence) => *evidence = with_files(evidence.take(), &files),
                None => {
                    for reading in &mut readings {
                        reading["evidence"] = with_files(reading["evidence"].take(), &files);
                    }
                }
            },
            Err(refusal) => refused.push(refusal),
        }
    }
    let input = json!({ "locality": field(v, "don-vi"), "set": field(v, "bo"), "criterion": code,
        "effectiveOn": on, "readings": readings, "assessment": assessment,
        "idempotencyKey": field(v, "khoa") });
    let set = field(v, "bo").to_owned();
    let n = items.len();
    let name = move |api: &str, item: Option<usize>| match (api, item) {
        ("value", Some(i)) | ("indicator", Some(i)) if i < n => format!("gt:{}", items[i]),
        ("effectiveOn", Some(i)) if i < n => format!("ngay:{}", items[i]),
        ("evidence", Some(i)) if i < n => format!("vb:{}", items[i]),
        ("effectiveOn", _) => "ngay".to_owned(),
        ("criterion" | "met", _) => "ket-qua".to_owned(),
        ("level", _) => "cap".to_owned(),
        _ => "form".to_owned(),
    };
    write_items(
        &dashboard,
        &visitor,
        &page,
        &key,
        (CRITERION, input),
        &posted,
        refused,
        &set,
        Right::Record,
        name,
    )
    .await
}

/// POST `/xa/{key}/nhap/bo-phieu`: the appraisal council's vote (approvers).
pub async fn vote(
    State(dashboard): State<Dashboard>,
    Path(key): Path<String>,
    visitor: Visitor,
    Form(pairs): Pairs,
) -> Response {
    let values = values(&pairs);
    let page = posted_page(&dashboard, &visitor, &values);
    let posted = Posted::new("vote", values);
    let f = FormWords::of(page.lang);
    let v = &posted.values;
    let mut refused = Vec::new();
    let on = date(v, "ngay-bo-phieu", &page, &mut refused);
    let share = percent(field(v, "tan-thanh"), "tan-thanh", f, &mut refused);
    let input = json!({ "locality": field(v, "don-vi"), "set": field(v, "bo"),
        "level": field(v, "muc"), "inFavour": share, "effectiveOn": on,
        "evidence": evidence(v, "vb-bo-phieu", "gc-bo-phieu"), "idempotencyKey": field(v, "khoa") });
    let set = field(v, "bo").to_owned();
    write(
        &dashboard,
        &visitor,
        &page,
        &key,
        (VOTE, input),
        &posted,
        refused,
        &set,
        Right::Approve,
        |f| {
            match f {
                "effectiveOn" => "ngay-bo-phieu",
                "inFavour" => "tan-thanh",
                "level" => "muc",
                _ => "form",
            }
            .to_owned()
        },
    )
    .await
}

/// Evidence from a document-number field and a note field; null when both are empty.
fn evidence(values: &Values, document: &str, note: &str) -> Value {
    let (document, note) = (field(values, document), field(values, note));
    if document.is_empty() && note.is_empty() {
        return Value::Null;
    }
    json!({ "document": (!document.is_empty()).then_some(document),
        "note": (!note.is_empty()).then_some(note) })
}

#[expect(
    clippy::too_many_arguments,
    reason = "one post's whole context, used once each"
)]
async fn write(
    dashboard: &Dashboard,
    visitor: &Visitor,
    page: &Page,
    key: &str,
    mutation: (&str, Value),
    posted: &Posted,
    refused: Vec<Refused>,
    set: &str,
    right: Right,
    name: impl Fn(&str) -> String,
) -> Response {
    let name = move |api: &str, _: Option<usize>| name(api);
    write_items(
        dashboard, visitor, page, key, mutation, posted, refused, set, right, name,
    )
    .await
}

/// Runs the mutation unless the form refused already; answers with the page again (the
/// refusals beside the fields `name` maps the API's fields to) or a redirect to it.
#[expect(
    clippy::too_many_arguments,
    reason = "one post's whole context, used once each"
)]
async fn write_items(
    dashboard: &Dashboard,
    visitor: &Visitor,
    page: &Page,
    key: &str,
    (document, input): (&str, Value),
    posted: &Posted,
    mut refused: Vec<Refused>,
    set: &str,
    right: Right,
    name: impl Fn(&str, Option<usize>) -> String,
) -> Response {
    let path = entry_path(key);
    let f = FormWords::of(page.lang);
    let person = match checked_person(
        page,
        visitor,
        &posted.values,
        right,
        &path,
        f.may_not_record,
    ) {
        Ok(person) => person,
        Err(response) => return *response,
    };
    let mut status = StatusCode::BAD_REQUEST;
    if refused.is_empty() {
        let answer = dashboard
            .api
            .query::<Written>(document, json!({ "input": input }), Some(person.actor()))
            .await;
        match answer {
            Ok(written) => {
                let to = page.href(
                    &path,
                    &[("bo", set), ("luu", &written.result.position.to_string())],
                );
                return (StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response();
            }
            Err(error) => {
                if let Some("FORBIDDEN") = error.code() {
                    status = StatusCode::FORBIDDEN;
                }
                refused = refusals(&error, page.lang)
                    .into_iter()
                    .map(|r| Refused {
                        field: name(&r.field, r.item),
                        item: None,
                        ..r
                    })
                    .collect();
            }
        }
    }
    let shown = Shown {
        set: (!set.is_empty()).then_some(set),
        saved: None,
        posted: Some(posted),
        refusals: &refused,
        status,
    };
    show(dashboard, page, key, shown).await
}
