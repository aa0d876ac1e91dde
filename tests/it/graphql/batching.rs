//! Array batching: one POST of several operations, authenticated once, each admitted and run
//! in order, answered as an array in the same order; the batch limit refuses a larger one whole.

use ntm_tracker::graphql::ProtocolSettings;
use ntm_tracker::AccessSettings;
use reqwest::header::CONTENT_TYPE;
use serde_json::{json, Value};

use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    a_batch_is_answered_in_its_order,
    mutations_in_a_batch_follow_the_rules_of_one,
    batches_beyond_the_limit_or_empty_are_refused,
);

/// Status and body of a POST of `body` as `authorization` (none: anonymous).
async fn post(server: &Server, authorization: Option<&str>, body: &Value) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(server.url("/graphql"))
        .header(CONTENT_TYPE, "application/json")
        .body(body.to_string());
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    let response = request.send().await.expect("POST");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

async fn a_batch_is_answered_in_its_order(db: &TestDb) {
    let server = Server::start(db).await;
    let batch = json!([
        { "query": "{ criteriaSet(code: \"NTM-XA-2021-2025\") { code } }" },
        { "query": "{ noSuchField }" },
        { "query": "query Q($c: String!) { criteriaSet(code: $c) { code } }",
          "variables": { "c": "NTM-XA-2016-2020" }, "operationName": "Q" },
        { "nothing": "here" },
        { "query": "{ __typename }" },
    ]);
    let (status, answers) = post(&server, None, &batch).await;
    assert_eq!(status, 200, "{answers:#}");
    let answers = answers.as_array().expect("an array");
    assert_eq!(answers.len(), 5);
    assert_eq!(
        answers[0]["data"]["criteriaSet"]["code"],
        "NTM-XA-2021-2025"
    );
    assert!(answers[1].get("data").is_none(), "{:#}", answers[1]);
    assert_eq!(answers[1]["errors"][0]["extensions"]["code"], "VALIDATION");
    assert_eq!(
        answers[2]["data"]["criteriaSet"]["code"],
        "NTM-XA-2016-2020"
    );
    assert!(answers[3].get("data").is_none(), "{:#}", answers[3]);
    assert_eq!(answers[4]["data"]["__typename"], "Query");
}

async fn mutations_in_a_batch_follow_the_rules_of_one(db: &TestDb) {
    let server = Server::start(db).await;
    let before = server.event_count().await;
    let register = |code: &str| {
        json!({ "query": "mutation($input: RegisterLocalityInput!) {
                    registerLocality(input: $input) { position version } }",
                "variables": { "input": { "name": format!("Tỉnh {code}"), "kind": "PROVINCE",
                    "code": code, "thresholdRegion": "BTB", "effectiveOn": "2019-01-01",
                    "idempotencyKey": format!("batch {code}") } } })
    };
    let batch = json!([register("91"), register("92")]);
    // Anonymous: each mutation refused as it would be alone, nothing written.
    let (_, answers) = post(&server, None, &batch).await;
    for answer in answers.as_array().expect("array") {
        let code = &answer["errors"][0]["extensions"]["code"];
        assert!(
            code == "UNAUTHENTICATED" || code == "FORBIDDEN",
            "{answer:#}"
        );
    }
    assert_eq!(server.event_count().await, before);
    // An admin: both written, in the order of the batch.
    let (_, answers) = post(&server, Some(&server.admin), &batch).await;
    let positions: Vec<i64> = answers
        .as_array()
        .expect("array")
        .iter()
        .map(|a| {
            a["data"]["registerLocality"]["position"]
                .as_i64()
                .expect("position")
        })
        .collect();
    assert!(positions[0] < positions[1], "{answers:#}");
    assert_eq!(server.event_count().await, before + 2);
}

async fn batches_beyond_the_limit_or_empty_are_refused(db: &TestDb) {
    let server = Server::start(db).await;
    let one = json!({ "query": "{ __typename }" });
    let eleven = Value::Array(vec![one.clone(); 11]);
    let (status, body) = post(&server, None, &eleven).await;
    assert_eq!(status, 400);
    assert!(body.get("data").is_none());
    let extensions = &body["errors"][0]["extensions"];
    assert_eq!(extensions["code"], "BATCH_TOO_LARGE", "{body:#}");
    assert_eq!(
        (&extensions["most"], &extensions["given"]),
        (&json!(10), &json!(11))
    );
    let ten = Value::Array(vec![one.clone(); 10]);
    let (status, body) = post(&server, None, &ten).await;
    assert_eq!((status, body.as_array().map(Vec::len)), (200, Some(10)));
    let (status, body) = post(&server, None, &json!([])).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "VALIDATION",
        "{body:#}"
    );

    // The limit is a setting.
    drop(server);
    let access = AccessSettings {
        protocol: ProtocolSettings {
            batch_limit: 2,
            ..ProtocolSettings::default()
        },
        ..AccessSettings::default()
    };
    let small = Server::start_with(db, access).await;
    let three = Value::Array(vec![one; 3]);
    let (status, body) = post(&small, None, &three).await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["extensions"]["most"], 2, "{body:#}");
}
