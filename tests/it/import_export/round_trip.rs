//! Readings exported and imported into an empty database holding the same localities give
//! the same standings; text a spreadsheet would run as a formula goes out escaped and comes
//! back as it was.

use super::setup::{self, SET};
use crate::support::cli::{ntm, path_str, succeeded};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    exported_readings_re_imported_elsewhere_give_identical_standings,
    formula_like_text_goes_out_escaped_and_comes_back_as_it_was,
);

async fn fresh_like(db: &TestDb) -> TestDb {
    if db.url.starts_with("sqlite:") {
        TestDb::sqlite().await
    } else {
        TestDb::postgres()
            .await
            .expect("PostgreSQL, as for the first database")
    }
}

fn standings(url: &str, format: &str) -> String {
    let args = [
        "export",
        "standings",
        "--set",
        SET,
        "--on",
        "2022-06-30",
        "--parent",
        "42",
        "--format",
        format,
    ];
    succeeded(&ntm(url, &args))
}

async fn exported_readings_re_imported_elsewhere_give_identical_standings(db: &TestDb) {
    let communes = setup::communes(6);
    setup::localities(&db.store().await, &communes).await;
    let (text, _) = setup::readings_csv(&communes, 2_000);
    let dir = tempfile::tempdir().expect("dir");
    let original = dir.path().join("readings.csv");
    std::fs::write(&original, text).expect("write");
    succeeded(&ntm(&db.url, &["import", "readings", path_str(&original)]));
    let exported = dir.path().join("exported.csv");
    let readings = succeeded(&ntm(&db.url, &["export", "readings", "--set", SET]));
    std::fs::write(&exported, &readings).expect("write");

    let other = fresh_like(db).await;
    setup::localities(&other.store().await, &communes).await;
    let report = succeeded(&ntm(
        &other.url,
        &["import", "readings", path_str(&exported)],
    ));
    assert!(report.contains("2000 rows read, 2000 recorded"), "{report}");

    let here = standings(&db.url, "csv");
    assert_eq!(here, standings(&other.url, "csv"));
    assert_eq!(standings(&db.url, "json"), standings(&other.url, "json"));
    assert_eq!(
        readings,
        succeeded(&ntm(&other.url, &["export", "readings", "--set", SET]))
    );
    // Six communes, graded: some criteria met, some not, under Thành phố Hà Tĩnh.
    let rows: Vec<&str> = here.lines().collect();
    assert_eq!(rows.len(), 7, "{here}");
    assert!(rows[0].starts_with("code,name,kind,parent_code,enrolled,criteria_met,criteria_total,"));
    assert!(
        rows[1].starts_with("30000,Xã Thử Nghiệm 0,commune,436,true,"),
        "{}",
        rows[1]
    );
    assert!(
        here.contains(",met,") && here.contains(",not-met,"),
        "{here}"
    );
}

/// The notes and evidence that went in, as the log holds them, in recording order.
async fn evidence(db: &TestDb) -> Vec<serde_json::Value> {
    let events = db.store().await.read_all(0, 100).await.expect("log");
    events
        .iter()
        .filter(|e| e.event_type == "IndicatorRecorded")
        .map(|e| {
            let payload: serde_json::Value = serde_json::from_str(&e.payload).expect("JSON");
            payload["evidence"].clone()
        })
        .collect()
}

async fn formula_like_text_goes_out_escaped_and_comes_back_as_it_was(db: &TestDb) {
    let mut communes = setup::communes(2);
    communes[1].1 = "=1+1".into();
    setup::localities(&db.store().await, &communes).await;
    let rows = [
        r#"30000,NTM-XA-2021-2025,2.1,80,2021-02-01,+84 912,"=HYPERLINK(""http://x"",""y"")""#,
        "30000,NTM-XA-2021-2025,2.1,81,2021-02-02,@SUM(A1),-2+3",
        "30001,NTM-XA-2021-2025,2.1,82,2021-02-03,'=typed escaped,'0123 kept",
        "30001,NTM-XA-2021-2025,2.1,83,2021-02-04,1/BC-UBND,đo lại",
    ];
    let text = format!(
        "locality_code,criteria_set,indicator,value,effective_on,evidence_document,note\n{}\n",
        rows.join("\n")
    );
    let dir = tempfile::tempdir().expect("dir");
    let original = dir.path().join("readings.csv");
    std::fs::write(&original, text).expect("write");
    succeeded(&ntm(&db.url, &["import", "readings", path_str(&original)]));
    let went_in = evidence(db).await;
    assert_eq!(went_in[0]["note"], r#"=HYPERLINK("http://x","y")"#);
    assert_eq!(
        went_in[2]["document"], "=typed escaped",
        "a hand-escaped cell"
    );
    assert_eq!(went_in[2]["note"], "'0123 kept");

    let exported = succeeded(&ntm(&db.url, &["export", "readings", "--set", SET]));
    for cell in [
        r#""'=HYPERLINK(""http://x"",""y"")""#,
        ",'+84 912,",
        ",'@SUM(A1),,'-2+3",
        ",'=typed escaped,,'0123 kept",
        ",1/BC-UBND,,đo lại",
    ] {
        assert!(exported.contains(cell), "{cell} in\n{exported}");
    }
    let csv = standings(&db.url, "csv");
    assert!(csv.contains("30001,'=1+1,commune,"), "{csv}");
    assert!(standings(&db.url, "json").contains(r#""name": "=1+1""#));

    let other = fresh_like(db).await;
    setup::localities(&other.store().await, &communes).await;
    let file = dir.path().join("exported.csv");
    std::fs::write(&file, &exported).expect("write");
    succeeded(&ntm(&other.url, &["import", "readings", path_str(&file)]));
    assert_eq!(evidence(&other).await, went_in);
    assert_eq!(
        succeeded(&ntm(&other.url, &["export", "readings", "--set", SET])),
        exported
    );
}
