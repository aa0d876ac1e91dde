//! The GraphQL client of the tests: requests over real HTTP to a test [`Server`] (as its admin
//! unless told otherwise), and the mutations many tests start from.

use serde_json::{json, Value};

use super::server::Server;

impl Server {
    /// The whole response (`data`, `errors`, `extensions`) of a request as the admin.
    pub async fn post(&self, query: &str, variables: Value) -> Value {
        self.post_as(Some(&self.admin), query, variables).await
    }

    /// The whole response of a request with this `Authorization` header (none: anonymous).
    pub async fn post_as(
        &self,
        authorization: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Value {
        let mut request = self.client.post(self.url("/graphql"));
        if let Some(value) = authorization {
            request = request.header("Authorization", value);
        }
        request
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("POST /graphql")
            .json()
            .await
            .expect("JSON response")
    }

    /// `data` of a response that must have no errors.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let response = self.post(query, variables).await;
        assert!(response.get("errors").is_none(), "errors: {response:#}");
        response["data"].clone()
    }

    /// The one error of a refused request, with its `extensions`.
    pub async fn error(&self, query: &str, variables: Value) -> Value {
        let response = self.post(query, variables).await;
        let errors = response["errors"].as_array().cloned().unwrap_or_default();
        assert_eq!(errors.len(), 1, "exactly one error expected: {response:#}");
        errors[0].clone()
    }
}

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

/// Xã Thạch Bình (18112), registered and enrolled in the 2021–2025 set with target 2024: its id.
pub async fn enrolled_commune(server: &Server) -> String {
    let commune = register(server, "Xã Thạch Bình", "COMMUNE", "18112", None).await;
    let enrol = json!({ "input": { "locality": commune, "idempotencyKey": "enrol",
        "set": "NTM-XA-2021-2025", "targetYear": 2024, "effectiveOn": "2021-01-01" } });
    server
        .data(
            "mutation($input: EnrolLocalityInput!) { enrolLocality(input: $input) { version } }",
            enrol,
        )
        .await;
    commune
}

/// Runs one mutation taking `input` and returns its result (`events`, `version`, `position`).
pub async fn mutate(server: &Server, mutation: &str, input_type: &str, input: Value) -> Value {
    let query = format!(
        "mutation($input: {input_type}!) {{ {mutation}(input: $input) {{
            events {{ position type version actor }} version position }} }}"
    );
    server.data(&query, json!({ "input": input })).await[mutation].clone()
}
