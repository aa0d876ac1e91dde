//! `importFacts` over real HTTP as the GraphQL multipart request spec sends a file: checked
//! whole, a dry run writes nothing, an upload touching a commune outside the uploader's scope
//! is refused whole, and a decision covering seven communes is one append.

use ntm_tracker::auth::Role;
use serde_json::{json, Value};

use crate::support::graphql::{mutate, register};
use crate::support::server::{token, Server};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    an_upload_outside_the_scope_is_refused_and_nothing_written,
    a_decision_of_seven_communes_uploaded_is_one_append,
);

const IMPORT: &str = "mutation($file: Upload!, $kind: ImportKind!, $dryRun: Boolean) {
    importFacts(kind: $kind, file: $file, dryRun: $dryRun) {
        rows recorded written position sha256 errors { row column message code } } }";

/// The request a GraphQL multipart client sends: `operations`, `map`, then the file.
pub fn multipart(kind: &str, name: &str, bytes: &[u8], dry_run: bool) -> (String, Vec<u8>) {
    let boundary = "ntm-upload-7MA4YWxkTrZu0gW";
    let operations = json!({ "query": IMPORT,
        "variables": { "file": null, "kind": kind, "dryRun": dry_run } });
    let mut body = Vec::new();
    let mut part = |headers: &str, content: &[u8]| {
        body.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    };
    part(
        "Content-Disposition: form-data; name=\"operations\"",
        operations.to_string().as_bytes(),
    );
    part(
        "Content-Disposition: form-data; name=\"map\"",
        br#"{ "0": ["variables.file"] }"#,
    );
    let file = format!(
        "Content-Disposition: form-data; name=\"0\"; filename=\"{name}\"\r\nContent-Type: text/csv"
    );
    part(&file, bytes);
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(server: &Server, authorization: &str, file: &str, text: &str, dry: bool) -> Value {
    let kind = if file.starts_with("qd") {
        "DECISIONS"
    } else {
        "ASSESSMENTS"
    };
    let (content_type, body) = multipart(kind, file, text.as_bytes(), dry);
    reqwest::Client::new()
        .post(server.url("/graphql"))
        .header("Authorization", authorization)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("JSON")
}

async fn enrolled(server: &Server, name: &str, code: &str, parent: &str) -> String {
    let commune = register(server, name, "COMMUNE", code, Some(parent)).await;
    let enrol = json!({ "locality": commune, "idempotencyKey": format!("enrol {code}"),
        "set": "NTM-XA-2021-2025", "targetYear": 2024, "effectiveOn": "2021-01-01" });
    mutate(server, "enrolLocality", "EnrolLocalityInput", enrol).await;
    commune
}

const ASSESSMENTS: &str = "mã đơn vị,bộ tiêu chí,tiêu chí,kết quả,cấp đánh giá,ngày hiệu lực\n";

async fn an_upload_outside_the_scope_is_refused_and_nothing_written(db: &TestDb) {
    let server = Server::start(db).await;
    let ha_tinh = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let nghe_an = register(&server, "Tỉnh Nghệ An", "PROVINCE", "40", None).await;
    enrolled(&server, "Xã Sơn Kim", "18010", &ha_tinh).await;
    enrolled(&server, "Xã Nghi Lộc", "17100", &nghe_an).await;
    let (_, recorder) = token(&server.store, "vpdp", Role::Recorder, Some(&ha_tinh), None).await;
    let inside = format!("{ASSESSMENTS}18010,NTM-XA-2021-2025,1,đạt,xã tự đánh giá,2024-02-01\n");
    let both = format!("{inside}17100,NTM-XA-2021-2025,1,đạt,xã tự đánh giá,2024-02-01\n");
    let before = server.event_count().await;

    let refused = upload(&server, &recorder, "danh-gia.csv", &both, false).await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{refused:#}"
    );
    let dry = upload(&server, &recorder, "danh-gia.csv", &both, true).await;
    assert_eq!(
        dry["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{dry:#}"
    );
    let bad = format!("{inside}18010,NTM-XA-2021-2025,1,có lẽ,xã tự đánh giá,2024-02-01\n");
    let named = upload(&server, &recorder, "danh-gia.csv", &bad, false).await;
    let errors = &named["data"]["importFacts"]["errors"];
    assert_eq!(errors.as_array().map(Vec::len), Some(1), "{named:#}");
    assert_eq!(
        (&errors[0]["row"], &errors[0]["column"], &errors[0]["code"]),
        (&json!(3), &json!("kết quả"), &json!("ROW"))
    );
    assert_eq!(server.event_count().await, before, "nothing written");

    let checked = upload(&server, &recorder, "danh-gia.csv", &inside, true).await;
    let summary = &checked["data"]["importFacts"];
    assert_eq!(
        (&summary["recorded"], &summary["written"]),
        (&json!(1), &json!(false))
    );
    assert_eq!(
        server.event_count().await,
        before,
        "a dry run writes nothing"
    );
    let written = upload(&server, &recorder, "danh-gia.csv", &inside, false).await;
    let summary = &written["data"]["importFacts"];
    assert_eq!(summary["written"], true, "{written:#}");
    assert_eq!(server.event_count().await, before + 1);
    let event = &server.store.read_all(before, 1).await.expect("read")[0];
    assert_eq!(event.metadata().expect("metadata").actor, "vpdp");
}

async fn a_decision_of_seven_communes_uploaded_is_one_append(db: &TestDb) {
    let server = Server::start(db).await;
    let ha_tinh = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let criteria = super::setup::assessable();
    let mut assessments = String::from(ASSESSMENTS);
    let mut decision = String::from(
        "mã đơn vị,số quyết định,ngày ký,cơ quan ban hành,người ký,mức công nhận,bộ tiêu chí,\
         năm đạt chuẩn,đợt\n",
    );
    for i in 0..7 {
        let code = format!("{}", 18_100 + i);
        enrolled(&server, &format!("Xã Thạch {i}"), &code, &ha_tinh).await;
        for criterion in &criteria {
            assessments.push_str(&format!(
                "{code},NTM-XA-2021-2025,{criterion},đạt,hội đồng thẩm định tỉnh,2024-06-01\n"
            ));
        }
        decision.push_str(&format!(
            "{code},1763/QĐ-UBND,2024-07-18,UBND tỉnh Hà Tĩnh,Nguyễn Hồng Lĩnh,ntm,\
             NTM-XA-2021-2025,2024,đợt 1 năm 2024\n"
        ));
    }
    let admin = server.admin.clone();
    let assessed = upload(&server, &admin, "danh-gia.csv", &assessments, false).await;
    assert_eq!(
        assessed["data"]["importFacts"]["written"], true,
        "{assessed:#}"
    );
    let before = server.event_count().await;

    let granted = upload(&server, &admin, "qd-1763.csv", &decision, false).await;

    let summary = &granted["data"]["importFacts"];
    assert_eq!(summary["written"], true, "{granted:#}");
    assert_eq!(server.event_count().await, before + 7);
    assert_eq!(summary["position"], before + 7);
    let events = server.store.read_all(before, 7).await.expect("read");
    let key = |i: usize| events[i].metadata().expect("metadata").request_id;
    assert!((0..7).all(|i| key(i) == key(0)), "one request, one append");
    assert!(events.iter().all(|e| e.event_type == "RecognitionGranted"));
    let again = upload(&server, &admin, "qd-1763.csv", &decision, false).await;
    let errors = &again["data"]["importFacts"]["errors"];
    assert_eq!(errors.as_array().map(Vec::len), Some(7), "{again:#}");
    assert_eq!(errors[6]["row"], 8);
    assert_eq!(errors[6]["column"], "số quyết định");
    assert_eq!(
        server.event_count().await,
        before + 7,
        "the same decision is recorded once"
    );
}
