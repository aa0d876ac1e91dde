//! `ntm import readings`: all-or-nothing, every error named, dry runs, re-imports.

use ntm_tracker::domain::measure::IndicatorKind;

use super::setup::{self, SET};
use crate::support::cli::{ntm, path_str, stderr, stdout, succeeded};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    one_bad_row_among_ten_thousand_writes_nothing_and_is_named,
    a_dry_run_writes_nothing_and_a_re_import_records_nothing_new,
);

async fn one_bad_row_among_ten_thousand_writes_nothing_and_is_named(db: &TestDb) {
    let store = db.store().await;
    let communes = setup::communes(40);
    setup::localities(&store, &communes).await;
    let (text, kinds) = setup::readings_csv(&communes, 10_000);
    let bad = (7_000..)
        .find(|i| kinds[*i] == IndicatorKind::Percent)
        .expect("a percentage");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut cells: Vec<&str> = lines[bad + 1].split(',').collect();
    cells[3] = "130";
    lines[bad + 1] = cells.join(",");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("readings.csv");
    std::fs::write(&file, lines.join("\n")).expect("write");
    let before = store.last_position().await.expect("position");

    let output = ntm(&db.url, &["import", "readings", path_str(&file)]);

    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let errors = stderr(&output);
    let expected = format!(
        "readings.csv row {}, column value: expected a percentage 0–100 (at most two decimals, \
         '.' as separator), got \"130\"",
        bad + 2
    );
    assert_eq!(errors.trim(), expected);
    assert!(
        stdout(&output).contains(
            "10000 rows read, 9999 recorded, 0 unchanged, 1 errors; 1 errors: nothing written"
        ),
        "{}",
        stdout(&output)
    );
    assert_eq!(store.last_position().await.expect("position"), before);
}

async fn a_dry_run_writes_nothing_and_a_re_import_records_nothing_new(db: &TestDb) {
    let store = db.store().await;
    let communes = setup::communes(5);
    setup::localities(&store, &communes).await;
    let (text, _) = setup::readings_csv(&communes, 300);
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("readings.csv");
    std::fs::write(&file, text).expect("write");
    let file = path_str(&file);
    let before = store.last_position().await.expect("position");

    let dry = succeeded(&ntm(&db.url, &["import", "readings", "--dry-run", file]));
    assert!(
        dry.contains("300 rows read, 300 recorded, 0 unchanged, 0 errors; dry run"),
        "{dry}"
    );
    assert_eq!(store.last_position().await.expect("position"), before);

    let first = succeeded(&ntm(&db.url, &["import", "readings", file]));
    let after = store.last_position().await.expect("position");
    assert_eq!(after, before + 300);
    let written = format!("written at positions {}–{after}", before + 1);
    assert!(first.contains(&written), "{first}");
    let event = &store.read_all(after - 1, 1).await.expect("read")[0];
    let metadata = event.metadata().expect("metadata");
    assert_eq!(
        (metadata.actor.as_str(), metadata.role.as_str()),
        ("cli:tester", "admin")
    );
    assert_eq!(metadata.client.as_deref(), Some("cli"));

    let again = succeeded(&ntm(&db.url, &["import", "readings", file]));
    assert!(
        again.contains("300 rows read, 0 recorded, 300 unchanged, 0 errors; nothing new"),
        "{again}"
    );
    assert_eq!(store.last_position().await.expect("position"), after);
}

/// Every kind of mistake, each named by row and column, all in one run.
#[tokio::test]
async fn every_mistake_of_a_sheet_is_pointed_out_before_anything_is_written() {
    let db = TestDb::sqlite().await;
    let store = db.store().await;
    setup::localities(&store, &setup::communes(2)).await;
    let rows = [
        "locality_code,criteria_set,indicator,value,effective_on",
        &format!("30000,{SET},17.8,85.5,2021-03-01"),
        &format!("30009,{SET},17.8,85.5,2021-03-01"),
        "30000,NTM-XA-2016-2020,17.8,85.5,2021-03-01",
        &format!("30001,{SET},1.1,maybe,2021-03-01"),
        &format!("30001,{SET},17.8,90,2999-01-01"),
        &format!("30001,{SET},99.9,90,2021-03-01"),
        &format!("3001,{SET},17.8,90,01/03/2021"),
    ];
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("sổ.csv");
    std::fs::write(&file, rows.join("\n")).expect("write");
    let before = store.last_position().await.expect("position");

    let output = ntm(&db.url, &["import", "readings", path_str(&file)]);

    assert_eq!(output.status.code(), Some(2));
    let errors = stderr(&output);
    let lines: Vec<&str> = errors.lines().collect();
    let expected = [
        "sổ.csv row 3, column locality_code: no locality holds code 30009 on 2021-03-01",
        "sổ.csv row 4, column criteria_set: locality is not enrolled in criteria set NTM-XA-2016-2020",
        "sổ.csv row 5, column value: expected yes or no (also true/false, 1/0, đạt/không đạt), got \"maybe\"",
        "sổ.csv row 6, column effective_on: effective date 2999-01-01 is after today",
        "sổ.csv row 7, column indicator: criteria set NTM-XA-2021-2025 has no indicator 99.9",
        "sổ.csv row 8, column locality_code: expected 2, 3 or 5 digits, zero-padded, got \"3001\" (a leading zero lost? keep codes as text, not numbers)",
    ];
    assert_eq!(lines.len(), expected.len(), "{errors}");
    for (line, wanted) in lines.iter().zip(expected) {
        assert!(line.starts_with(wanted), "{line}\nwanted: {wanted}");
    }
    assert_eq!(store.last_position().await.expect("position"), before);
}

/// The example sheet shipped in `tests/data`, as .csv and as .xlsx, records the same readings.
#[tokio::test]
async fn the_example_sheet_imports_the_same_from_csv_and_from_xlsx() {
    let communes: Vec<(String, String)> = [
        ("18088", "Xã Thạch Trung"),
        ("18100", "Xã Thạch Hạ"),
        ("18109", "Xã Thạch Hưng"),
    ]
    .iter()
    .map(|(c, n)| ((*c).to_owned(), (*n).to_owned()))
    .collect();
    let mut exports = Vec::new();
    for file in ["readings.csv", "readings.xlsx"] {
        let db = TestDb::sqlite().await;
        setup::localities(&db.store().await, &communes).await;
        let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
        let report = succeeded(&ntm(&db.url, &["import", "readings", &path]));
        assert!(
            report.contains("12 rows read, 12 recorded, 0 unchanged, 0 errors"),
            "{report}"
        );
        exports.push(succeeded(&ntm(&db.url, &["export", "readings"])));
    }
    assert_eq!(exports[0], exports[1]);
    assert_eq!(exports[0].lines().count(), 13, "{}", exports[0]);
}
