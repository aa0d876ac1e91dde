//! `locality(on:)` answers with the name, code, kind and parent valid on that date: Thạch Trung
//! (18088) was a commune of the city until it became a ward in 2025.

use serde_json::{json, Value};

use crate::support::graphql::register;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(a_locality_read_on_a_date_has_the_name_and_kind_of_that_date);

const CHANGE: &str = "mutation($input: RecordLineageChangeInput!) {
    recordLineageChange(input: $input) { position } }";

async fn change(server: &Server, locality: &str, key: &str, change: Value) -> i64 {
    let input = json!({ "input": { "locality": locality, "idempotencyKey": key,
        "change": change, "effectiveOn": "2025-01-01", "legalAct": "1283/NQ-UBTVQH15" } });
    server.data(CHANGE, input).await["recordLineageChange"]["position"]
        .as_i64()
        .expect("position")
}

async fn read(server: &Server, on: Option<&str>) -> Value {
    let data = server
        .data(
            "query($on: Date) { locality(code: \"18088\", on: $on) {
                name code kind parent { code } } }",
            json!({ "on": on }),
        )
        .await;
    data["locality"].clone()
}

async fn a_locality_read_on_a_date_has_the_name_and_kind_of_that_date(db: &TestDb) {
    let server = Server::start(db).await;
    let city = register(&server, "Thành phố Hà Tĩnh", "DISTRICT", "436", None).await;
    let id = register(&server, "Xã Thạch Trung", "COMMUNE", "18088", Some(&city)).await;
    change(&server, &id, "ward", json!({ "reclassified": "WARD" })).await;
    let last = change(
        &server,
        &id,
        "name",
        json!({ "renamed": "Phường Thạch Trung" }),
    )
    .await;
    server.caught_up(last).await;

    let before = read(&server, Some("2020-12-31")).await;
    assert_eq!(before["name"], "Xã Thạch Trung", "{before:#}");
    assert_eq!(before["kind"], "COMMUNE");
    assert_eq!(before["code"], "18088");
    assert_eq!(before["parent"]["code"], "436");
    for now in [
        read(&server, Some("2025-03-01")).await,
        read(&server, None).await,
    ] {
        assert_eq!(now["name"], "Phường Thạch Trung", "{now:#}");
        assert_eq!(now["kind"], "WARD");
    }
}
