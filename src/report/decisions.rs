//! Danh sách quyết định: every recognition, revocation and acknowledgement under the parent
//! taking effect in a period (valid time, `effectiveFrom`/`effectiveTo` of the `events` feed),
//! oldest first, with its commune and decision.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use super::{day, found, Cell, Head, ReportError, Request, Source, Table, Unit};
use crate::web::levels::level_name;
use crate::web::Lang;

const PARENT: &str = "query ReportDecisionsUnit($code: String!, $on: Date!) {
  head { position recordedAt projected }
  locality(code: $code, on: $on) { id name code } }";

const FEED: &str = "query ReportDecisions($filter: EventFilter!, $after: String) {
  events(filter: $filter, order: OLDEST_FIRST, first: 500, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { position type effectiveOn locality { name code }
      details { __typename
        ... on RecognitionGrantedDetails { decision signedOn issuer level standardYear batch }
        ... on RecognitionRevokedDetails { decision revoked issuer reason }
        ... on RecognitionAcknowledgedDetails { decision level standardYear } } } } } }";

#[derive(Deserialize)]
struct ParentData {
    head: Head,
    locality: Option<Unit>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Event {
    #[serde(rename = "type")]
    kind: String,
    effective_on: Option<NaiveDate>,
    locality: Option<Named>,
    details: Option<Details>,
}

#[derive(Deserialize)]
struct Named {
    name: Option<String>,
    code: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Details {
    decision: Option<String>,
    signed_on: Option<NaiveDate>,
    issuer: Option<String>,
    level: Option<String>,
    standard_year: Option<i64>,
    batch: Option<String>,
    revoked: Option<String>,
    reason: Option<String>,
}

const COLUMNS: [&str; 12] = [
    "STT",
    "Xã",
    "Mã",
    "Loại quyết định",
    "Mức đạt chuẩn",
    "Số quyết định",
    "Ngày ký",
    "Ngày hiệu lực",
    "Cơ quan ban hành",
    "Năm đạt chuẩn",
    "Đợt",
    "Quyết định bị thu hồi, lý do",
];

fn kind_text(kind: &str) -> &'static str {
    match kind {
        "RECOGNITION_GRANTED" => "Công nhận",
        "RECOGNITION_REVOKED" => "Thu hồi",
        _ => "Thừa nhận sau sáp nhập",
    }
}

pub(super) async fn table(
    source: &Source<'_>,
    request: &Request,
) -> Result<(Table, Head, Unit), ReportError> {
    let variables = json!({ "code": request.parent, "on": request.on });
    let data: ParentData = source.query(PARENT, variables).await?;
    let parent = found(data.locality, request)?;
    let from = request.period_start();
    let filter = json!({ "subtree": parent.id, "on": request.on,
        "types": ["RECOGNITION_GRANTED", "RECOGNITION_REVOKED", "RECOGNITION_ACKNOWLEDGED"],
        "effectiveFrom": from, "effectiveTo": request.on });
    let variables = json!({ "filter": filter, "after": null });
    let events: Vec<Event> = source.every_node(FEED, variables).await?;
    let granted = events
        .iter()
        .filter(|e| e.kind == "RECOGNITION_GRANTED")
        .count();
    let revoked = events
        .iter()
        .filter(|e| e.kind == "RECOGNITION_REVOKED")
        .count();
    let rows = events.iter().zip(1i64..).map(|(e, n)| row(e, n)).collect();
    let preface = vec![
        ("Từ ngày".to_owned(), day(from)),
        ("Đến ngày".into(), day(request.on)),
        ("Số quyết định công nhận".into(), granted.to_string()),
        ("Số quyết định thu hồi".into(), revoked.to_string()),
        (
            "Số thừa nhận sau sáp nhập".into(),
            (events.len() - granted - revoked).to_string(),
        ),
    ];
    let table = Table {
        title: "DANH SÁCH XÃ ĐƯỢC CÔNG NHẬN, THU HỒI CÔNG NHẬN ĐẠT CHUẨN NÔNG THÔN MỚI".into(),
        sheet: "Quyết định".into(),
        preface,
        columns: COLUMNS.iter().map(|c| (*c).to_owned()).collect(),
        rows,
        totals: None,
        notes: vec![
            "Theo ngày hiệu lực của quyết định, trong địa bàn của đơn vị vào ngày cuối kỳ.".into(),
        ],
    };
    Ok((table, data.head, parent))
}

fn row(event: &Event, n: i64) -> Vec<Cell> {
    let d = event.details.as_ref();
    let named = event.locality.as_ref();
    let reason = d.and_then(|d| match (&d.revoked, &d.reason) {
        (Some(revoked), Some(reason)) => Some(format!("{revoked}: {reason}")),
        (Some(revoked), None) => Some(revoked.clone()),
        _ => None,
    });
    vec![
        Cell::Count(n),
        Cell::maybe(named.and_then(|u| u.name.clone())),
        Cell::maybe(named.and_then(|u| u.code.clone())),
        Cell::text(kind_text(&event.kind)),
        Cell::maybe(
            d.and_then(|d| d.level.as_deref())
                .map(|l| level_name(Lang::Vi, l)),
        ),
        Cell::maybe(d.and_then(|d| d.decision.clone())),
        Cell::maybe(d.and_then(|d| d.signed_on).map(day)),
        Cell::maybe(event.effective_on.map(day)),
        Cell::maybe(d.and_then(|d| d.issuer.clone()).filter(|i| !i.is_empty())),
        d.and_then(|d| d.standard_year)
            .map_or(Cell::Blank, Cell::Count),
        Cell::maybe(d.and_then(|d| d.batch.clone())),
        Cell::maybe(reason),
    ]
}
