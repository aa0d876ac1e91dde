//! Responses as the GraphQL spec shapes them (issue 19): a failed field is present as `null`
//! with its error's path, a failed non-null field makes its parent null (at the root: `data`),
//! and keys come in the order of the selection, so identical requests get identical bodies.

use serde_json::{json, Value};

use crate::support::graphql::register;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    failed_fields_are_null_in_selection_order,
    not_ready_and_malformed_ids_have_their_own_codes,
);

/// The body as text: its keys in the order the server wrote them.
async fn body(server: &Server, query: &str) -> String {
    reqwest::Client::new()
        .post(server.url("/graphql"))
        .header("Content-Type", "application/json")
        .body(json!({ "query": query }).to_string())
        .send()
        .await
        .expect("POST")
        .text()
        .await
        .expect("body")
}

async fn failed_fields_are_null_in_selection_order(db: &TestDb) {
    let server = Server::start(db).await;
    let province = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    server.caught_up(server.event_count().await).await;

    // A nullable field that fails is present, null, with the error's path.
    let nullable =
        "{ z: locality(code: \"42\") { name gone: standing(set: \"NOPE\") { setVersion } code } \
                    a: criteriaSet(code: \"NTM-XA-2021-2025\") { code } }";
    let text = body(&server, nullable).await;
    let response: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(
        response["data"],
        json!({ "z": { "name": "Tỉnh Hà Tĩnh", "gone": null, "code": "42" },
                "a": { "code": "NTM-XA-2021-2025" } }),
        "{text}"
    );
    assert_eq!(response["errors"][0]["path"], json!(["z", "gone"]));
    let order = ["\"z\"", "\"name\"", "\"gone\"", "\"code\"", "\"a\""];
    let at: Vec<usize> = order.iter().filter_map(|k| text.find(k)).collect();
    assert!(
        at.len() == order.len() && at.windows(2).all(|w| w[0] < w[1]),
        "{text}"
    );

    // The same request twenty times: the same body every time.
    let bodies: Vec<String> = futures::future::join_all((0..20).map(|_| body(&server, nullable)))
        .await
        .into_iter()
        .map(|b| {
            b.split("\"extensions\":{\"sqlStatements\"")
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "{bodies:#?}");

    // `summary` is non-null: its failure makes `data` null, the error names it.
    let root = format!(
        "{{ a: locality(code: \"42\") {{ name }} b: summary(parent: \"{province}\", set: \"NOPE\") {{ units }} }}"
    );
    let response: Value = serde_json::from_str(&body(&server, &root).await).expect("JSON");
    assert_eq!(response["data"], Value::Null, "{response:#}");
    assert_eq!(response["errors"][0]["path"], json!(["b"]));
    assert_eq!(response["errors"][0]["extensions"]["code"], "NOT_FOUND");
}

/// `minPosition` beyond the log: after the wait, a retryable `NOT_READY` naming both positions
/// (not `VALIDATION`, which a client takes as its own fault).
async fn not_ready_and_malformed_ids_have_their_own_codes(db: &TestDb) {
    let server = Server::start(db).await;
    let waiting = "{ localities(first: 1, minPosition: 1000000) { totalCount } }";
    let response = server.post(waiting, json!({})).await;
    let extensions = &response["errors"][0]["extensions"];
    assert_eq!(extensions["code"], "NOT_READY", "{response:#}");
    assert_eq!(
        (&extensions["field"], &extensions["wanted"]),
        (&json!("minPosition"), &json!(1_000_000))
    );
    assert!(extensions["reached"]
        .as_i64()
        .is_some_and(|r| r < 1_000_000));
}
