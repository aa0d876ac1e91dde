//! The ward title "phường đạt chuẩn văn minh đô thị" (TT 02/2013/TT-BVHTTDL, `VMDT-2013`) as the
//! seed cases hold it: phường Trần Phú in 2016, phường Văn Yên by UBND TP Hà Tĩnh's QĐ 19/QĐ-UBND
//! of 08/01/2020. The title is held across the later urban sets, which grade the ward from the
//! day each takes effect; the city's roll-up of wards counts it.

use serde_json::{json, Value};

use crate::support::graphql::mutate;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(ward_recognitions_of_2016_and_2020_name_the_ward_title_set);

const SET: &str = "VMDT-2013";

fn input(locality: &str, key: &str, fields: Value) -> Value {
    let mut input = json!({ "locality": locality, "idempotencyKey": key });
    if let (Some(i), Some(f)) = (input.as_object_mut(), fields.as_object()) {
        i.extend(f.clone());
    }
    input
}

async fn unit(server: &Server, name: &str, kind: &str, code: &str, parent: Option<&str>) -> String {
    let fields = json!({ "input": { "name": name, "kind": kind, "code": code, "parent": parent,
        "effectiveOn": "2010-01-01", "idempotencyKey": format!("register {code}") } });
    let data = server
        .data(
            "mutation($input: RegisterLocalityInput!) { registerLocality(input: $input) {
                events { localityId } } }",
            fields,
        )
        .await;
    data["registerLocality"]["events"][0]["localityId"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// The ward enrolled in the title's set and granted it (the criteria assessments of the time are
/// not in the register: the grant says so).
async fn grant(server: &Server, ward: &str, decision: &str, signed: &str, year: i32) {
    let enrol = json!({ "set": SET, "targetYear": year, "effectiveOn": "2013-01-24" });
    mutate(
        server,
        "enrolLocality",
        "EnrolLocalityInput",
        input(ward, &format!("enrol {ward}"), enrol),
    )
    .await;
    let grant = json!({ "set": SET, "level": "VAN_MINH_DO_THI", "decision": decision,
        "signedOn": signed, "effectiveOn": signed, "issuer": "UBND thành phố Hà Tĩnh",
        "signer": "Chủ tịch", "standardYear": year,
        "overrideReason": "criteria assessments of the time predate this register" });
    mutate(
        server,
        "grantRecognition",
        "GrantRecognitionInput",
        input(ward, &format!("grant {ward}"), grant),
    )
    .await;
}

const STATUS: &str = "query($id: ID!, $on: Date!) { locality(id: $id) {
    recognised(on: $on) { gradedBy recognition { level set decision } } } }";

async fn ward_recognitions_of_2016_and_2020_name_the_ward_title_set(db: &TestDb) {
    let server = Server::start(db).await;
    // Hà Tĩnh's own ward set (QĐ 18/2020/QĐ-UBND) grades its territory only.
    let province = unit(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let city = unit(
        &server,
        "Thành phố Hà Tĩnh",
        "DISTRICT",
        "436",
        Some(&province),
    )
    .await;
    let elsewhere = unit(&server, "Thành phố Vinh", "DISTRICT", "412", None).await;
    let hung_binh = unit(
        &server,
        "Phường Hưng Bình",
        "WARD",
        "16681",
        Some(&elsewhere),
    )
    .await;
    let tran_phu = unit(&server, "Phường Trần Phú", "WARD", "18070", Some(&city)).await;
    let van_yen = unit(&server, "Phường Văn Yên", "WARD", "18097", Some(&city)).await;
    unit(&server, "Phường Thạch Linh", "WARD", "18094", Some(&city)).await;
    grant(&server, &tran_phu, "120/QĐ-UBND", "2016-12-20", 2016).await;
    grant(&server, &van_yen, "19/QĐ-UBND", "2020-01-08", 2019).await;
    server.caught_up(server.event_count().await).await;

    // (ward, date, grading set, title held)
    let table = [
        (&tran_phu, "2016-12-31", "VMDT-2013", Some("120/QĐ-UBND")),
        (&van_yen, "2020-01-08", "VMDT-2013", Some("19/QĐ-UBND")),
        (
            &van_yen,
            "2021-01-01",
            "HT-PHUONG-DTVM-2020",
            Some("19/QĐ-UBND"),
        ),
        (&tran_phu, "2023-01-01", "DTVM-2022", Some("120/QĐ-UBND")),
        (&van_yen, "2019-12-31", "VMDT-2013", None),
        (&hung_binh, "2021-01-01", "VMDT-2013", None),
        (&hung_binh, "2023-01-01", "DTVM-2022", None),
    ];
    for (ward, on, graded_by, decision) in table {
        let data = server.data(STATUS, json!({ "id": ward, "on": on })).await;
        let status = &data["locality"]["recognised"];
        assert_eq!(status["gradedBy"], graded_by, "{on}");
        let recognition = &status["recognition"];
        assert_eq!(recognition["decision"].as_str(), decision, "{on}");
        if decision.is_some() {
            assert_eq!(recognition["level"], "VAN_MINH_DO_THI");
            assert_eq!(recognition["set"], SET);
        }
    }

    let query =
        "query($p: ID!) { summary(parent: $p, programme: VAN_MINH_DO_THI, on: \"2020-06-01\") {
        set units levels { level units } unrecognised } }";
    let summary = server.data(query, json!({ "p": city })).await["summary"].clone();
    assert_eq!(summary["set"], "VMDT-2013");
    assert_eq!(summary["units"], 3);
    let levels = summary["levels"].as_array().cloned().unwrap_or_default();
    let held = levels.iter().find(|l| l["level"] == "VAN_MINH_DO_THI");
    assert_eq!(held.map(|l| l["units"].clone()), Some(json!(2)));
    assert_eq!(summary["unrecognised"], 1);
}
