//! Villages imported from a file (issue 18, item 5) are children of their commune in the API; a
//! village graded against the model-area set from recorded assessments and recognised appears
//! in the commune's roll-up of villages (`programme: KHU_DAN_CU`), with its denominator.

use std::sync::Arc;

use serde_json::{json, Value};

use ntm_tracker::app::progress::Quiet;
use ntm_tracker::app::{clock, Origin, Register};
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::import::villages;

use crate::support::graphql::{mutate, register};
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(imported_villages_are_children_graded_and_rolled_up);

const KDC: &str = "HT-KDC-KIEU-MAU-2014";

const FILE: &str = "name,parent_code,kind,effective_on\n\
    Thôn Trung Tiến,18112,thôn,2019-02-01\n\
    Thôn Bình Yên,18112,thôn,2019-02-01\n";

fn input(locality: &str, key: &str, fields: Value) -> Value {
    let mut input = json!({ "locality": locality, "idempotencyKey": key });
    if let (Some(i), Some(f)) = (input.as_object_mut(), fields.as_object()) {
        i.extend(f.clone());
    }
    input
}

/// Imports `FILE` as the CLI does, through the register and the command service.
async fn import(server: &Server) -> villages::Summary {
    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    let mut register = Register::load(&server.store, catalog, Origin::cli("test:villages"))
        .await
        .expect("register");
    let parsed = villages::parse("villages.csv", FILE).expect("header");
    let summary = villages::import(
        &mut register,
        "villages.csv",
        &parsed,
        clock::today(),
        &Quiet,
    )
    .await
    .expect("import");
    server.caught_up(server.event_count().await).await;
    summary
}

/// Enrolled in the model-area set, every criterion and the condition met by the province,
/// then the recognition.
async fn recognise(server: &Server, village: &str) {
    let enrol = json!({ "set": KDC, "targetYear": 2019, "effectiveOn": "2019-02-01" });
    mutate(
        server,
        "enrolLocality",
        "EnrolLocalityInput",
        input(village, "enrol", enrol),
    )
    .await;
    let catalog = Catalog::shipped().expect("catalogue");
    let set = catalog.get(&KDC.parse().expect("code")).expect("set");
    let codes = set
        .criteria
        .iter()
        .chain(set.conditions.iter().map(|c| &c.criterion))
        .map(|c| c.code.to_string());
    for code in codes {
        let fields = json!({ "set": KDC, "criterion": code, "met": true,
            "level": "PROVINCIAL_COUNCIL", "effectiveOn": "2019-10-01" });
        let key = format!("assess {code}");
        mutate(
            server,
            "assessCriterion",
            "AssessCriterionInput",
            input(village, &key, fields),
        )
        .await;
    }
    let grant = json!({ "set": KDC, "level": "KHU_DAN_CU_KIEU_MAU", "decision": "12/QĐ-UBND",
        "signedOn": "2019-11-15", "effectiveOn": "2019-11-15", "issuer": "UBND huyện",
        "signer": "Chủ tịch", "standardYear": 2019 });
    mutate(
        server,
        "grantRecognition",
        "GrantRecognitionInput",
        input(village, "grant", grant),
    )
    .await;
    server.caught_up(server.event_count().await).await;
}

const SUMMARY: &str = "query($p: ID!, $on: Date) {
    summary(parent: $p, programme: KHU_DAN_CU, on: $on) { set units unitsWithData
        levels { level units } unrecognised criteriaPassed { criterion units }
        children { locality { name kind } units levels { level units } } } }";

async fn imported_villages_are_children_graded_and_rolled_up(db: &TestDb) {
    let server = Server::start(db).await;
    // The model-area set is Hà Tĩnh's: it grades villages inside the province only.
    let province = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let commune = register(
        &server,
        "Xã Thạch Bình",
        "COMMUNE",
        "18112",
        Some(&province),
    )
    .await;
    let summary = import(&server).await;
    assert_eq!((summary.created, summary.unchanged), (2, 0));
    assert_eq!(
        import(&server).await.created,
        0,
        "a second run records nothing"
    );

    let query = "query($id: ID!) { locality(id: $id) { children { id name kind } } }";
    let data = server.data(query, json!({ "id": commune })).await;
    let children = data["locality"]["children"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let names: Vec<&str> = children.iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names, ["Thôn Bình Yên", "Thôn Trung Tiến"]);
    assert!(children.iter().all(|c| c["kind"] == "VILLAGE"));
    let village = children[1]["id"].as_str().expect("id").to_owned();

    recognise(&server, &village).await;
    let summary = server
        .data(SUMMARY, json!({ "p": commune, "on": "2020-01-01" }))
        .await["summary"]
        .clone();
    assert_eq!(summary["set"], KDC);
    assert_eq!(
        (summary["units"].as_i64(), summary["unitsWithData"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(
        summary["levels"],
        json!([{ "level": "KHU_DAN_CU_KIEU_MAU", "units": 1 }])
    );
    assert_eq!(summary["unrecognised"], 1);
    let passed = summary["criteriaPassed"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(passed.len(), 11, "10 criteria and the condition");
    assert!(passed.iter().all(|c| c["units"] == 1), "{passed:?}");
    let children = summary["children"].as_array().cloned().unwrap_or_default();
    assert_eq!(children.len(), 2, "one child per village");

    // Before the villages existed the commune had none to count.
    let before = server
        .data(SUMMARY, json!({ "p": commune, "on": "2019-01-01" }))
        .await["summary"]
        .clone();
    assert_eq!(before["units"], 0);
}
