//! The templates: `ntm template KIND` and the upload page's download open as workbooks
//! (read back with `calamine`), a header row in Vietnamese and the sheet of valid codes; a
//! template filled in imports.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use ntm_tracker::import::fact_kind::FactKind;

use crate::support::cli::{ntm, path_str, succeeded};
use crate::support::server::Server;
use crate::support::TestDb;

fn sheets(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<String>>)> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes)).expect("a workbook");
    workbook
        .worksheets()
        .into_iter()
        .map(|(name, range)| {
            let rows = range
                .rows()
                .map(|row| row.iter().map(|c: &Data| c.to_string()).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

#[tokio::test]
async fn every_template_opens_with_its_header_and_codes() {
    let db = TestDb::sqlite().await;
    let dir = tempfile::tempdir().expect("dir");
    for kind in FactKind::ALL {
        let out = dir.path().join(format!("{}.xlsx", kind.slug()));
        succeeded(&ntm(
            &db.url,
            &["template", kind.slug(), "--out", path_str(&out)],
        ));
        let sheets = sheets(std::fs::read(&out).expect("written"));
        assert_eq!(sheets.len(), 2, "{}", kind.slug());
        let (_, rows) = &sheets[0];
        let names: Vec<&str> = kind.columns().iter().map(|c| c.name).collect();
        assert_eq!(
            rows,
            &vec![names.iter().map(|n| n.to_string()).collect::<Vec<_>>()]
        );
        let (codes_name, codes) = &sheets[1];
        assert_eq!(codes_name, "Mã hợp lệ");
        assert_eq!(codes[0], ["loại", "mã", "bộ tiêu chí", "tên"]);
        let has = |what: &str, code: &str| codes.iter().any(|r| r[0] == what && r[1] == code);
        assert!(has("bộ tiêu chí", "NTM-XA-2021-2025"), "{}", kind.slug());
        match kind {
            FactKind::Assessments => {
                assert!(codes
                    .iter()
                    .any(|r| r[0] == "tiêu chí" && r[1] == "17" && r[2] == "NTM-XA-2021-2025"));
                assert!(has("cấp đánh giá", "district-appraisal"));
                assert!(has("kết quả", "đạt"));
            }
            FactKind::Decisions | FactKind::Votes | FactKind::Acknowledgements => {
                assert!(has("mức công nhận", "ntm-kieu-mau"));
            }
            FactKind::Readings => assert!(has("chỉ số", "17.8")),
            _ => {}
        }
    }
    assert!(dir.path().join("readings.xlsx").exists());
}

#[tokio::test]
async fn the_upload_page_offers_each_template_and_a_filled_one_imports() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    let response = reqwest::get(server.url("/nhap-tep/mau/decisions"))
        .await
        .expect("GET");
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("text");
    assert_eq!(disposition, "attachment; filename=\"mau-decisions.xlsx\"");
    let sheets = sheets(response.bytes().await.expect("body").to_vec());
    assert_eq!(sheets[0].1[0][0], "mã đơn vị");
    assert_eq!(sheets[1].0, "Mã hợp lệ");
    let missing = reqwest::get(server.url("/nhap-tep/mau/nope"))
        .await
        .expect("GET");
    assert_eq!(missing.status(), 404);

    // The template filled in (its header as written, rows after it) is a file the import reads.
    drop(server);
    let store = db.store().await;
    let communes = super::setup::communes(2);
    super::setup::localities(&store, &communes).await;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, spec) in (0u16..).zip(FactKind::Enrolments.columns()) {
        sheet.write_string(0, column, spec.name).expect("cell");
    }
    for (row, (code, _)) in (1u32..).zip(&communes) {
        let cells = [
            code.as_str(),
            "NTM-XA-NANG-CAO-2021-2025",
            "2025",
            "2022-01-15",
            "",
        ];
        for (column, cell) in (0u16..).zip(cells) {
            sheet.write_string(row, column, cell).expect("cell");
        }
    }
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("dang-ky.xlsx");
    workbook.save(&file).expect("save");
    let before = store.last_position().await.expect("position");
    let out = succeeded(&ntm(&db.url, &["import", "enrolments", path_str(&file)]));
    assert!(out.contains("2 rows read, 2 recorded"), "{out}");
    assert_eq!(store.last_position().await.expect("position"), before + 2);
}
