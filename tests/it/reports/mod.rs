//! Reports offices send upward (issue 21, item 5), on Hà Tĩnh's units with a history
//! (`graphql::series::history`): each downloaded over real HTTP with a session cookie, read
//! back with calamine (or the csv crate), its figures compared with the API's for the same
//! date; the issue recorded with the exact bytes' SHA-256 and proven by `ntm report verify`.

mod access;
mod criteria;
mod decisions;
mod summary;

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use ntm_tracker::auth::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::accounts::{person, Visitor, PASSWORD};
use crate::support::on_both_engines;
use crate::support::server::Server;

use access::viewers_preview_and_only_writers_issue;
use criteria::the_criteria_sheet_says_what_the_standings_say;
use decisions::the_decisions_list_is_the_feed_of_the_period;
use summary::{
    a_downloaded_summary_says_what_the_api_says, a_set_without_bands_is_counted_in_scaled_bands,
};

on_both_engines!(
    a_downloaded_summary_says_what_the_api_says,
    a_set_without_bands_is_counted_in_scaled_bands,
    the_criteria_sheet_says_what_the_standings_say,
    the_decisions_list_is_the_feed_of_the_period,
    viewers_preview_and_only_writers_issue,
);

/// A recorder signed in on `server`.
pub async fn recorder(server: &Server) -> Visitor {
    person(&server.store, "vanphong", Role::Recorder, None).await;
    let mut visitor = Visitor::of(server);
    let answer = visitor.sign_in("vanphong", PASSWORD).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    visitor
}

/// Downloads the report `fields` ask for as `visitor`: the answer's bytes, after checking it
/// is a file with its type and a Vietnamese file name.
pub async fn download(visitor: &Visitor, fields: &[(&str, &str)]) -> (Vec<u8>, String) {
    let csrf = visitor.csrf().await;
    let form = [fields, &[("csrf", csrf.as_str())]].concat();
    let answer = visitor.post_form("/bao-cao/tai-ve", &form, "").await;
    if answer.status() != StatusCode::OK {
        let status = answer.status();
        panic!("{status}: {}", answer.text().await.unwrap_or_default());
    }
    let header = |name: &str| {
        answer
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let format = fields
        .iter()
        .find(|(k, _)| *k == "dinh-dang")
        .map_or("xlsx", |(_, v)| v);
    let expected_type = match format {
        "csv" => "text/csv; charset=utf-8",
        _ => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };
    assert_eq!(header("content-type"), expected_type);
    let disposition = header("content-disposition");
    assert!(
        disposition.starts_with("attachment; filename=\"")
            && disposition.contains("filename*=UTF-8''"),
        "{disposition}"
    );
    let sha256 = header("x-report-sha256");
    let bytes = answer.bytes().await.expect("body").to_vec();
    assert_eq!(sha256, hex::encode(Sha256::digest(&bytes)));
    (bytes, disposition)
}

/// The rows of sheet `name` of an `.xlsx` file.
pub fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx");
    let range = book.worksheet_range(name).expect("sheet");
    range.rows().map(<[Data]>::to_vec).collect()
}

/// The index of the header row: the first whose first two cells are `first`, `second`.
pub fn header_row(rows: &[Vec<Data>], first: &str, second: &str) -> usize {
    rows.iter()
        .position(|r| text(&r[0]) == first && r.get(1).map(text).as_deref() == Some(second))
        .expect("header row")
}

pub fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

pub fn number(cell: &Data) -> Option<f64> {
    match cell {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

/// The cell of `row` under column `name` of `header`.
pub fn at<'a>(header: &[Data], row: &'a [Data], name: &str) -> &'a Data {
    let column = header
        .iter()
        .position(|h| text(h) == name)
        .unwrap_or_else(|| panic!("no column {name:?} in {header:?}"));
    &row[column]
}

/// Every `ReportIssued` event of the log, as the feed shows it (the admin token reads it).
pub async fn issued(server: &Server) -> Vec<Value> {
    let data = server
        .data(
            "{ events(filter: { types: [REPORT_ISSUED] }) { edges { node { type actor
                details { ... on ReportIssuedDetails { reportId kind parameters format fileName
                  sha256 size dataPosition } } } } } }",
            json!({}),
        )
        .await;
    data["events"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}
