//! The periodic summary: every figure of every row equals `summary`'s for the same date and
//! comparison date; the issue is recorded with the file's SHA-256 and proven by
//! `ntm report verify`; the command line makes the same report as CSV.

use calamine::Data;
use serde_json::{json, Value};
use sha2::Digest;

use super::{at, download, header_row, issued, number, recorder, sheet, text};
use crate::graphql::series::history;
use crate::support::cli::{ntm, ntm_verify, path_str, stdout, succeeded};
use crate::support::server::Server;
use crate::support::TestDb;

const API: &str = "query($id: ID!, $on: Date!, $before: Date!) {
  summary(parent: $id, on: $on, compareTo: $before) { ...F children { ...F locality { code } } } }
fragment F on Summary { units averageCriteriaMet averageCriteriaMetChange atRisk
  levels { level units percent change } bands { from to units } }";

const LEVELS: [(&str, &str); 3] = [
    ("NTM", "đạt chuẩn NTM"),
    ("NTM_NANG_CAO", "đạt NTM nâng cao"),
    ("NTM_KIEU_MAU", "đạt NTM kiểu mẫu"),
];

fn close(cell: &Data, api: &Value, what: &str) {
    let (got, want) = (number(cell), api.as_f64());
    match (got, want) {
        (Some(got), Some(want)) => assert!((got - want).abs() < 1e-9, "{what}: {got} ≠ {want}"),
        // No figure on the comparison date (a unit that did not exist then): a blank cell.
        (None, None) => assert_eq!(cell, &Data::Empty, "{what}"),
        _ => panic!("{what}: {cell:?} against {api}"),
    }
}

fn band_name(band: &Value) -> String {
    let (from, to) = (band["from"].as_i64(), band["to"].as_i64());
    match (from.expect("from"), to.expect("to")) {
        (from, to) if from == to => format!("Đạt {from} tiêu chí"),
        (0, to) => format!("Dưới {} tiêu chí", to + 1),
        (from, to) => format!("Đạt {from}–{to} tiêu chí"),
    }
}

/// Every cell of `row` against `figures` (a `Summary`).
fn same(header: &[Data], row: &[Data], figures: &Value) {
    let cell = |name: &str| at(header, row, name);
    close(cell("Số xã"), &figures["units"], "units");
    for (level, name) in LEVELS {
        let levels = figures["levels"].as_array().expect("levels");
        let api = levels.iter().find(|l| l["level"] == level).expect("level");
        close(cell(&format!("Số xã {name}")), &api["units"], level);
        close(cell(&format!("Tỷ lệ {name} (%)")), &api["percent"], level);
        close(
            cell(&format!("Tăng/giảm số xã {name}")),
            &api["change"],
            level,
        );
    }
    for band in figures["bands"].as_array().expect("bands") {
        close(cell(&band_name(band)), &band["units"], "band");
    }
    let average = &figures["averageCriteriaMet"];
    close(cell("Bình quân tiêu chí đạt/xã"), average, "average");
    close(
        cell("Số xã có nguy cơ bị thu hồi"),
        &figures["atRisk"],
        "at risk",
    );
    let change = &figures["averageCriteriaMetChange"];
    close(
        cell("Tăng/giảm bình quân tiêu chí"),
        change,
        "average change",
    );
}

pub async fn a_downloaded_summary_says_what_the_api_says(db: &TestDb) {
    let server = Server::start(db).await;
    let h = history(&server).await;
    let visitor = recorder(&server).await;
    let fields = [
        ("loai", "tong-hop"),
        ("don-vi", "436"),
        ("on", "2024-06-30"),
        ("so-sanh", "2019-12-31"),
        ("dinh-dang", "xlsx"),
    ];
    let (bytes, disposition) = download(&visitor, &fields).await;
    assert!(
        disposition.contains("filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20t%E1%BB%95ng%20h%E1%BB%A3p"),
        "{disposition}"
    );
    let rows = sheet(&bytes, "Tổng hợp");
    assert_eq!(
        text(&rows[0][0]),
        "BÁO CÁO TỔNG HỢP KẾT QUẢ XÂY DỰNG NÔNG THÔN MỚI"
    );
    let header_at = header_row(&rows, "Đơn vị", "Mã");
    let preface: Vec<(String, String)> = rows[1..header_at - 1]
        .iter()
        .map(|r| (text(&r[0]), text(&r[1])))
        .collect();
    let said = |label: &str| {
        let found = preface.iter().find(|(l, _)| l == label);
        found.map(|(_, v)| v.clone()).unwrap_or_default()
    };
    assert_eq!(said("Số liệu ngày"), "30/06/2024");
    assert_eq!(said("So sánh với ngày"), "31/12/2019");
    assert_eq!(said("Bộ tiêu chí đánh giá"), "NTM-XA-2021-2025");
    assert!(said("Đơn vị").contains("(mã 436)"), "{preface:?}");

    let header = &rows[header_at];
    let vars = json!({ "id": h.city, "on": "2024-06-30", "before": "2019-12-31" });
    let api = server.data(API, vars).await["summary"].clone();
    let children: Vec<&Value> = api["children"]
        .as_array()
        .expect("children")
        .iter()
        .filter(|c| c["units"].as_i64() > Some(0))
        .collect();
    let body: Vec<&Vec<Data>> = rows[header_at + 1..]
        .iter()
        .take_while(|r| !text(&r[0]).is_empty())
        .collect();
    assert_eq!(
        body.len(),
        children.len() + 1,
        "a row per child and the total"
    );
    for child in &children {
        let code = child["locality"]["code"].as_str().expect("code");
        let row = body.iter().find(|r| text(&r[1]) == code).expect("row");
        same(header, row, child);
    }
    let total = body.last().expect("total");
    assert_eq!(text(&total[0]), "Tổng cộng");
    same(header, total, &api);
    let recognised = api["levels"][0]["units"].as_i64().expect("NTM");
    assert!(
        recognised > 0 && api["atRisk"].as_i64() > Some(0),
        "{api:#}"
    );

    // The issue: one event with the exact bytes' digest, by the person, at the data's head.
    let events = issued(&server).await;
    assert_eq!(events.len(), 1);
    let details = &events[0]["details"];
    assert_eq!(events[0]["actor"], "vanphong");
    assert_eq!(details["kind"], "summary");
    assert_eq!(details["format"], "xlsx");
    assert_eq!(details["size"].as_u64(), Some(bytes.len() as u64));
    let asked: Value =
        serde_json::from_str(details["parameters"].as_str().expect("text")).expect("parameters");
    assert_eq!(
        asked,
        json!({ "parent": "436", "on": "2024-06-30", "compare": "2019-12-31", "from": null })
    );
    let position = details["dataPosition"].as_i64().expect("position");
    assert!(said("Số liệu đến sự kiện số").starts_with(&position.to_string()));

    // Proven later, through the API: this exact file was issued, by whom.
    let digest = hex::encode(sha2::Sha256::digest(&bytes));
    let proven = server
        .data(
            "query($sha: String!) { issuedReports(sha256: $sha) { kind sha256 size
                dataPosition issuedBy } }",
            json!({ "sha": digest.to_uppercase() }),
        )
        .await;
    assert_eq!(
        proven["issuedReports"],
        json!([{ "kind": "summary", "sha256": digest, "size": bytes.len(),
            "dataPosition": position, "issuedBy": "vanphong" }])
    );
    let refused = server
        .error("{ issuedReports(sha256: \"abc\") { kind } }", json!({}))
        .await;
    assert_eq!(refused["extensions"]["code"], "VALIDATION", "{refused:#}");

    // And by the command line; one byte changed was not issued.
    let dir = tempfile::tempdir().expect("dir");
    let sent = dir.path().join("sent.xlsx");
    std::fs::write(&sent, &bytes).expect("write");
    let proof = succeeded(&ntm(&db.url, &["report", "verify", path_str(&sent)]));
    assert!(proof.contains("by vanphong (recorder)"), "{proof}");
    let mut altered = bytes.clone();
    let last = altered.len() - 1;
    altered[last] ^= 1;
    let forged = dir.path().join("forged.xlsx");
    std::fs::write(&forged, &altered).expect("write");
    let refused = ntm(&db.url, &["report", "verify", path_str(&forged)]);
    assert!(!refused.status.success());
    assert!(
        stdout(&refused).contains("never issued"),
        "{}",
        stdout(&refused)
    );

    // The command line: the same question as CSV, issued by the operator.
    let csv_path = dir.path().join("tong-hop.csv");
    let made = succeeded(&ntm(
        &db.url,
        &[
            "report",
            "summary",
            "--parent",
            "436",
            "--on",
            "2024-06-30",
            "--compare",
            "2019-12-31",
            "--format",
            "csv",
            "--out",
            path_str(&csv_path),
        ],
    ));
    assert!(made.contains("issued: report/"), "{made}");
    let file = std::fs::read_to_string(&csv_path).expect("csv");
    let file = file.strip_prefix('\u{feff}').expect("a byte-order mark");
    let records: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(file.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .expect("CSV parses");
    let head = records
        .iter()
        .position(|r| r.get(0) == Some("Đơn vị") && r.get(1) == Some("Mã"))
        .expect("header");
    let column = |name: &str| records[head].iter().position(|c| c == name).expect(name);
    let total = records
        .iter()
        .find(|r| r.get(0) == Some("Tổng cộng"))
        .expect("total");
    assert_eq!(total[column("Số xã")], api["units"].to_string());
    let average = api["averageCriteriaMet"].as_f64().expect("average");
    assert_eq!(
        total[column("Bình quân tiêu chí đạt/xã")],
        format!("{average:.2}")
    );
    let proof = succeeded(&ntm(&db.url, &["report", "verify", path_str(&csv_path)]));
    assert!(proof.contains("by cli:tester (admin)"), "{proof}");
    assert_eq!(issued(&server).await.len(), 2);
    let (code, report) = ntm_verify(&db.url);
    assert_eq!(code, Some(0), "{report}");
}

pub async fn a_set_without_bands_is_counted_in_scaled_bands(db: &TestDb) {
    let server = Server::start(db).await;
    let h = history(&server).await;
    let visitor = recorder(&server).await;
    let on = "2026-03-01";
    let fields = [("loai", "tong-hop"), ("don-vi", "42"), ("on", on)];
    let (bytes, _) = download(&visitor, &fields).await;
    let rows = sheet(&bytes, "Tổng hợp");
    let header_at = header_row(&rows, "Đơn vị", "Mã");
    let header = &rows[header_at];
    let below = |n: i64| {
        format!("b{n}: summary(parent: $id, on: $on, belowCriteria: {n}) {{ below children {{ below locality {{ code }} }} }}")
    };
    let query = format!(
        "query($id: ID!, $on: Date!) {{ all: summary(parent: $id, on: $on) {{ set criteriaTotal
            units bands {{ from }} children {{ units locality {{ code }} }} }} {} {} {} }}",
        below(3),
        below(6),
        below(8)
    );
    let api = server
        .data(&query, json!({ "id": h.province, "on": on }))
        .await;
    assert_eq!(api["all"]["set"], "NTM-XA-2026-2030");
    assert_eq!(api["all"]["criteriaTotal"], 10);
    // The 2026 set's file declares no bands: the catalogue gives it "all" and "fewer".
    assert_eq!(api["all"]["bands"], json!([{ "from": 10 }, { "from": 0 }]));
    let b10 = server
        .data(
            &format!("query($id: ID!, $on: Date!) {{ {} }}", below(10)),
            json!({ "id": h.province, "on": on }),
        )
        .await;
    // below(n) of the parent (`None`) or of the child with `code`.
    let count = |data: &Value, n: i64, code: Option<&str>| -> i64 {
        let figures = &data[format!("b{n}")];
        match code {
            None => figures["below"].as_i64().expect("below"),
            Some(code) => figures["children"]
                .as_array()
                .expect("children")
                .iter()
                .find(|c| c["locality"]["code"] == code)
                .and_then(|c| c["below"].as_i64())
                .unwrap_or(0),
        }
    };
    let check = |row: &[Data], units: i64, code: Option<&str>| {
        let (b3, b6, b8) = (
            count(&api, 3, code),
            count(&api, 6, code),
            count(&api, 8, code),
        );
        let b10 = count(&b10, 10, code);
        let expected = [
            ("Đạt 10 tiêu chí", units - b10),
            ("Đạt 8–9 tiêu chí", b10 - b8),
            ("Đạt 6–7 tiêu chí", b8 - b6),
            ("Đạt 3–5 tiêu chí", b6 - b3),
            ("Dưới 3 tiêu chí", b3),
        ];
        for (name, want) in expected {
            assert_eq!(
                number(at(header, row, name)),
                Some(want as f64),
                "{name} {code:?}"
            );
        }
    };
    let body: Vec<&Vec<Data>> = rows[header_at + 1..]
        .iter()
        .take_while(|r| !text(&r[0]).is_empty())
        .collect();
    let units = api["all"]["units"].as_i64().expect("units");
    assert!(units > 0);
    check(body.last().expect("total"), units, None);
    for child in api["all"]["children"].as_array().expect("children") {
        let Some(code) = child["locality"]["code"].as_str() else {
            continue;
        };
        if child["units"].as_i64() == Some(0) {
            continue;
        }
        let row = body.iter().find(|r| text(&r[1]) == code).expect("row");
        check(row, child["units"].as_i64().expect("units"), Some(code));
    }
}
