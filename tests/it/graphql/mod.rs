//! The GraphQL API over a real socket, on both engines: the Hà Tĩnh story through mutations,
//! refused inputs, access control, live subscriptions, paging, statement counts and the
//! committed schema.

pub mod access;
mod bad_input;
mod ids;
mod paging;
mod reading_values;
pub mod server;
mod story;
mod subscriptions;
mod tooling;
mod tree;
mod writers;

use serde_json::{json, Value};

use server::Server;

/// Registers a locality through the API and returns its id.
pub async fn register(
    server: &Server,
    name: &str,
    kind: &str,
    code: &str,
    parent: Option<&str>,
) -> String {
    let data = server
        .data(
            "mutation($input: RegisterLocalityInput!) { registerLocality(input: $input) {
                events { localityId } version position } }",
            json!({ "input": {
                "name": name, "kind": kind, "code": code, "parent": parent,
                "thresholdRegion": "BTB", "effectiveOn": "2019-01-01",
                "idempotencyKey": format!("register {code}"),
            }}),
        )
        .await;
    let result = &data["registerLocality"];
    assert_eq!(result["version"], 1);
    result["events"][0]["localityId"]
        .as_str()
        .expect("locality id")
        .to_owned()
}

/// Runs one mutation taking `input` and returns its result (`events`, `version`, `position`).
pub async fn mutate(server: &Server, mutation: &str, input_type: &str, input: Value) -> Value {
    let query = format!(
        "mutation($input: {input_type}!) {{ {mutation}(input: $input) {{
            events {{ position type version actor }} version position }} }}"
    );
    server.data(&query, json!({ "input": input })).await[mutation].clone()
}

#[test]
fn ntm_schema_prints_the_committed_schema() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ntm"))
        .arg("schema")
        .output()
        .expect("run ntm schema");
    assert!(output.status.success());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/schema.graphql");
    let committed = std::fs::read_to_string(path).expect("schema/schema.graphql");
    assert!(String::from_utf8_lossy(&output.stdout) == committed);
}

#[test]
fn the_committed_schema_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/schema.graphql");
    let committed = std::fs::read_to_string(path).expect("schema/schema.graphql");
    assert!(
        committed == ntm_tracker::sdl(),
        "schema/schema.graphql is out of date: run `cargo run -- schema > schema/schema.graphql` \
         and review the difference"
    );
}
