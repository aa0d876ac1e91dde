//! A local target list (danh mục chỉ tiêu địa phương) a city publishes for its communes and
//! wards (issue 18, item 5), in the catalogue's format (`tests/data/local-targets/`, invented
//! figures): readings grade each unit against it like any set, and the city's roll-up of its
//! commune-level units (`programme: CHI_TIEU_DIA_PHUONG`) counts the units meeting each target
//! and the bands of targets met, with every unit in the denominator.

use std::path::Path;
use std::sync::Arc;

use serde_json::{json, Value};

use ntm_tracker::domain::catalog::Catalog;

use crate::support::graphql::{mutate, register};
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(a_local_target_list_grades_and_rolls_up_communes_and_wards);

const LIST: &str = "VD-CHI-TIEU-2021-2025";

/// The shipped catalogue and the example list, loaded as an office's directory would be.
fn catalog() -> Arc<Catalog> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("dir");
    let shipped = std::fs::read_dir(root.join("catalog")).expect("catalog/");
    for entry in shipped.filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::copy(&path, dir.path().join(entry.file_name())).expect("copy");
        }
    }
    let list = root.join(format!("tests/data/local-targets/{LIST}.toml"));
    std::fs::copy(list, dir.path().join(format!("{LIST}.toml"))).expect("copy the list");
    Arc::new(Catalog::load_dir(dir.path()).expect("the list loads with the shipped sets"))
}

fn input(locality: &str, key: &str, fields: Value) -> Value {
    let mut input = json!({ "locality": locality, "idempotencyKey": key });
    if let (Some(i), Some(f)) = (input.as_object_mut(), fields.as_object()) {
        i.extend(f.clone());
    }
    input
}

/// Enrols the unit in the list and records its readings of 2024.
async fn readings(server: &Server, unit: &str, values: &[(&str, Value)]) {
    let enrol = json!({ "set": LIST, "targetYear": 2024, "effectiveOn": "2021-02-01" });
    mutate(
        server,
        "enrolLocality",
        "EnrolLocalityInput",
        input(unit, &format!("enrol {unit}"), enrol),
    )
    .await;
    for (indicator, value) in values {
        let fields = json!({ "set": LIST, "indicator": indicator, "value": value,
            "effectiveOn": "2024-03-31", "evidence": { "document": "12/BC-UBND" } });
        let key = format!("reading {unit} {indicator}");
        mutate(
            server,
            "recordIndicatorReading",
            "RecordIndicatorReadingInput",
            input(unit, &key, fields),
        )
        .await;
    }
}

const SUMMARY: &str = "query($p: ID!) {
    summary(parent: $p, programme: CHI_TIEU_DIA_PHUONG, on: \"2024-06-01\") {
        set criteriaTotal units unitsWithData averageCriteriaMet
        criteriaPassed { criterion units } bands { from to units }
        levels { level units } } }";

async fn a_local_target_list_grades_and_rolls_up_communes_and_wards(db: &TestDb) {
    let server = Server::start_with_catalog(db, catalog()).await;
    let city = register(&server, "Thành phố Hà Tĩnh", "DISTRICT", "436", None).await;
    let thach_binh = register(&server, "Xã Thạch Bình", "COMMUNE", "18112", Some(&city)).await;
    let tran_phu = register(&server, "Phường Trần Phú", "WARD", "18070", Some(&city)).await;
    register(&server, "Xã Thạch Trung", "COMMUNE", "18088", Some(&city)).await;
    // Every target met; the ward's poverty rate above the list's 1.5 %.
    readings(
        &server,
        &thach_binh,
        &[
            ("1", json!({ "number": 9.2 })),
            ("2", json!({ "number": 61 })),
            ("3", json!({ "percent": 1.2 })),
            ("4", json!({ "count": 7 })),
        ],
    )
    .await;
    readings(
        &server,
        &tran_phu,
        &[
            ("1", json!({ "number": 8 })),
            ("2", json!({ "number": 75 })),
            ("3", json!({ "percent": 2.0 })),
            ("4", json!({ "count": 5 })),
        ],
    )
    .await;
    server.caught_up(server.event_count().await).await;

    let standing = "query($id: ID!) { standing(locality: $id, set: \"VD-CHI-TIEU-2021-2025\",
        on: \"2024-06-01\") { criteriaMet criteria { code computed } } }";
    let ward = server.data(standing, json!({ "id": tran_phu })).await["standing"].clone();
    assert_eq!(ward["criteriaMet"], 3);
    let computed: Vec<Value> = ward["criteria"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["computed"].clone())
        .collect();
    assert_eq!(
        computed,
        [json!("MET"), json!("MET"), json!("NOT_MET"), json!("MET")]
    );

    let summary = server.data(SUMMARY, json!({ "p": city })).await["summary"].clone();
    assert_eq!(summary["set"], LIST, "the list in force");
    assert_eq!(summary["criteriaTotal"], 4);
    assert_eq!(
        (summary["units"].as_i64(), summary["unitsWithData"].as_i64()),
        (Some(3), Some(2))
    );
    let passed: Vec<(String, i64)> = summary["criteriaPassed"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["criterion"].as_str().unwrap_or("").to_owned(),
                c["units"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    let expected = [("1", 2), ("2", 2), ("3", 1), ("4", 2)];
    assert_eq!(passed, expected.map(|(c, n)| (c.to_owned(), n)));
    assert_eq!(
        summary["bands"],
        json!([{ "from": 4, "to": 4, "units": 1 }, { "from": 2, "to": 3, "units": 1 },
               { "from": 0, "to": 1, "units": 1 }])
    );
    let average = summary["averageCriteriaMet"].as_f64().expect("average");
    assert!((average - 7.0 / 3.0).abs() < 1e-9, "{average}");
    assert_eq!(
        summary["levels"],
        json!([{ "level": "CHI_TIEU_DIA_PHUONG", "units": 0 }])
    );
}
