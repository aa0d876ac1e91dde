//! Readings exported and imported into an empty database holding the same localities give
//! the same standings.

use super::setup::{self, SET};
use super::{ntm, path_str, succeeded};
use crate::helpers::{on_both_engines, TestDb};

on_both_engines!(exported_readings_re_imported_elsewhere_give_identical_standings);

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
