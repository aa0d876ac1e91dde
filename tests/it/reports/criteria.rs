//! The commune × criteria sheet: each commune's status per criterion and criteria met are its
//! `standing`'s; the counts at the bottom are `summary.criteriaPassed`; as CSV, the same rows.

use calamine::Data;
use serde_json::{json, Value};

use super::{at, download, header_row, number, recorder, sheet, text};
use crate::graphql::series::history;
use crate::support::server::Server;
use crate::support::TestDb;

const API: &str = "query($id: ID!, $on: Date!, $set: String!) {
  summary(parent: $id, on: $on) { set criteriaTotal criteriaPassed { criterion units } }
  localities(filter: { within: $id, kinds: [COMMUNE], on: $on }, first: 100, orderBy: { field: CODE }) {
    edges { node { code standing(set: $set, on: $on) { criteriaMet criteria { code status } } } } } }";

fn word(status: Option<&str>) -> &'static str {
    match status {
        Some("MET") => "Đạt",
        Some("NOT_MET") => "Chưa đạt",
        _ => "Chưa có số liệu",
    }
}

pub async fn the_criteria_sheet_says_what_the_standings_say(db: &TestDb) {
    let server = Server::start(db).await;
    let h = history(&server).await;
    let visitor = recorder(&server).await;
    let on = "2024-06-30";
    let fields = [("loai", "bang-tieu-chi"), ("don-vi", "436"), ("on", on)];
    let (bytes, _) = download(&visitor, &fields).await;
    let rows = sheet(&bytes, "Bảng tiêu chí");
    let header_at = header_row(&rows, "STT", "Xã");
    let header = &rows[header_at];
    let vars = json!({ "id": h.city, "on": on, "set": "NTM-XA-2021-2025" });
    let api = server.data(API, vars).await;
    assert_eq!(api["summary"]["set"], "NTM-XA-2021-2025");
    let communes: Vec<&Value> = api["localities"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| &e["node"])
        .collect();
    let body: Vec<&Vec<Data>> = rows[header_at + 1..]
        .iter()
        .take_while(|r| !text(&r[1]).is_empty())
        .collect();
    assert_eq!(
        body.len(),
        communes.len() + 1,
        "a row per commune and the totals"
    );
    let column_of = |code: &str| {
        let prefix = format!("TC {code} – ");
        header
            .iter()
            .position(|h| text(h).starts_with(&prefix))
            .unwrap_or_else(|| panic!("no column for criterion {code}"))
    };
    let passed = api["summary"]["criteriaPassed"].as_array().expect("passed");
    let total = api["summary"]["criteriaTotal"].as_u64().expect("total") as usize;
    assert_eq!(total, 19);
    let mut met_cells = 0;
    for commune in &communes {
        let code = commune["code"].as_str().expect("code");
        let row = body
            .iter()
            .find(|r| text(at(header, r, "Mã")) == code)
            .expect("row");
        let standing = &commune["standing"];
        let met = standing["criteriaMet"].as_f64().unwrap_or(0.0);
        assert_eq!(
            number(at(header, row, "Số tiêu chí đạt")),
            Some(met),
            "{code}"
        );
        for criterion in passed.iter().take(total) {
            let c = criterion["criterion"].as_str().expect("criterion");
            let status = standing["criteria"]
                .as_array()
                .and_then(|all| all.iter().find(|x| x["code"] == c))
                .and_then(|x| x["status"].as_str());
            let cell = text(&row[column_of(c)]);
            assert_eq!(cell, word(status), "{code} criterion {c}");
            met_cells += usize::from(cell == "Đạt");
        }
    }
    assert!(met_cells > 19, "the history meets criteria: {met_cells}");
    let bottom = body.last().expect("totals");
    assert_eq!(text(at(header, bottom, "Xã")), "Số xã đạt");
    for criterion in passed.iter().take(total) {
        let c = criterion["criterion"].as_str().expect("criterion");
        let units = criterion["units"].as_f64();
        assert_eq!(number(&bottom[column_of(c)]), units, "criterion {c}");
    }

    // The same sheet as CSV: the same rows, diacritics intact.
    let csv_fields = [&fields[..], &[("dinh-dang", "csv")]].concat();
    let (bytes, _) = download(&visitor, &csv_fields).await;
    let file = String::from_utf8(bytes).expect("UTF-8");
    let records: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(file.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .expect("CSV parses");
    let head = records
        .iter()
        .position(|r| r.get(0) == Some("STT") && r.get(1) == Some("Xã"))
        .expect("header");
    let lines = records[head + 1..]
        .iter()
        .take_while(|r| r.get(1).is_some_and(|c| !c.is_empty()))
        .count();
    assert_eq!(lines, communes.len() + 1);
}
