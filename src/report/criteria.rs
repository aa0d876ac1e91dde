//! Bảng tiêu chí: one row per commune under the parent on the date, one column per criterion
//! of the set grading them then (Đạt / Chưa đạt / Chưa có số liệu), the criteria met per
//! commune, and the API's count of communes meeting each criterion at the bottom.

use serde::Deserialize;
use serde_json::json;

use super::{day, found, Cell, Head, ReportError, Request, Source, Table, Unit};

const UNIT: &str = "query ReportCriteriaUnit($code: String!, $on: Date!) {
  head { position recordedAt projected }
  locality(code: $code, on: $on) { id name code
    summary(on: $on) { set criteriaTotal units criteriaPassed { criterion nameVi units } } } }";

const ROWS: &str = "query ReportCriteriaRows($within: ID!, $on: Date!, $standingOn: Date, $set: String!, $after: String) {
  localities(filter: { within: $within, kinds: [COMMUNE], on: $on }, first: 100,
      after: $after, orderBy: { field: CODE }) {
    pageInfo { hasNextPage endCursor }
    edges { node { id name code
      standing(set: $set, on: $standingOn) { criteriaMet criteria { code status } } } } } }";

#[derive(Deserialize)]
struct UnitData {
    head: Head,
    locality: Option<Parent>,
}

#[derive(Deserialize)]
struct Parent {
    #[serde(flatten)]
    unit: Unit,
    summary: Totals,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Totals {
    set: Option<String>,
    criteria_total: usize,
    criteria_passed: Vec<Passed>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Passed {
    criterion: String,
    name_vi: String,
    units: i64,
}

#[derive(Deserialize)]
struct Commune {
    #[serde(flatten)]
    unit: Unit,
    standing: Option<Standing>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Standing {
    criteria_met: i64,
    criteria: Option<Vec<Criterion>>,
}

#[derive(Deserialize)]
struct Criterion {
    code: String,
    status: String,
}

/// A criterion's status as the sheet writes it.
pub fn status_text(status: Option<&str>) -> &'static str {
    match status {
        Some("MET") => "Đạt",
        Some("NOT_MET") => "Chưa đạt",
        _ => "Chưa có số liệu",
    }
}

pub(super) async fn table(
    source: &Source<'_>,
    request: &Request,
) -> Result<(Table, Head, Unit), ReportError> {
    let variables = json!({ "code": request.parent, "on": request.on });
    let data: UnitData = source.query(UNIT, variables).await?;
    let parent = found(data.locality.as_ref().map(|p| p.unit.clone()), request)?;
    let totals = data
        .locality
        .map(|p| p.summary)
        .ok_or_else(|| ReportError::Invalid("the summary is missing".into()))?;
    let Some(set) = totals.set.clone() else {
        let message = format!(
            "không có bộ tiêu chí xã nào có hiệu lực vào ngày {}",
            day(request.on)
        );
        return Err(ReportError::Invalid(message));
    };
    let criteria: Vec<&Passed> = totals
        .criteria_passed
        .iter()
        .take(totals.criteria_total)
        .collect();
    let communes = communes(source, request, &parent, &set).await?;
    let mut columns = vec!["STT".to_owned(), "Xã".into(), "Mã".into()];
    columns.extend(
        criteria
            .iter()
            .map(|c| format!("TC {} – {}", c.criterion, c.name_vi)),
    );
    columns.push("Số tiêu chí đạt".into());
    let rows = communes
        .iter()
        .zip(1i64..)
        .map(|(commune, n)| {
            let status = |code: &str| {
                let criteria = commune.standing.as_ref().and_then(|s| s.criteria.as_ref());
                let found = criteria.and_then(|all| all.iter().find(|c| c.code == code));
                status_text(found.map(|c| c.status.as_str()))
            };
            let mut cells = vec![
                Cell::Count(n),
                Cell::text(commune.unit.name()),
                Cell::maybe(commune.unit.code.clone()),
            ];
            cells.extend(criteria.iter().map(|c| Cell::text(status(&c.criterion))));
            cells.push(Cell::Count(
                commune.standing.as_ref().map_or(0, |s| s.criteria_met),
            ));
            cells
        })
        .collect();
    let mut bottom = vec![Cell::Blank, Cell::text("Số xã đạt"), Cell::Blank];
    bottom.extend(criteria.iter().map(|c| Cell::Count(c.units)));
    bottom.push(Cell::Blank);
    let preface = vec![
        ("Số liệu ngày".to_owned(), day(request.on)),
        ("Bộ tiêu chí đánh giá".into(), set),
        ("Số xã".into(), communes.len().to_string()),
    ];
    let table = Table {
        title: "BẢNG TỔNG HỢP KẾT QUẢ THỰC HIỆN TIÊU CHÍ CỦA CÁC XÃ".into(),
        sheet: "Bảng tiêu chí".into(),
        preface,
        columns,
        rows,
        totals: Some(bottom),
        notes: vec![
            "Trạng thái chính thức theo kết quả thẩm định, đánh giá; khi chưa có, theo số liệu chỉ tiêu.".into(),
            "Tiêu chí chưa có số liệu không được tính là đạt.".into(),
        ],
    };
    Ok((table, data.head, parent))
}

/// Every commune under `parent` on the date with its standing under `set`: from the read
/// tables for today, graded from its events for another date (as the heat map reads them),
/// 100 a page (a page of dated standings must stay under the API's complexity limit).
async fn communes(
    source: &Source<'_>,
    request: &Request,
    parent: &Unit,
    set: &str,
) -> Result<Vec<Commune>, ReportError> {
    let today = source.api.context().clock.today();
    let standing_on = (request.on != today).then_some(request.on);
    let variables = json!({ "within": parent.id, "on": request.on,
        "standingOn": standing_on, "set": set, "after": null });
    Ok(source.every_node(ROWS, variables).await?)
}
