//! What a frontend developer meets first: GraphiQL, introspection within the limits, GET.

use serde_json::json;

use crate::support::server::Server;
use crate::support::TestDb;

/// The introspection query GraphiQL sends (graphql-js `getIntrospectionQuery`), 13 levels deep.
const INTROSPECTION: &str = "query IntrospectionQuery { __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType } directives { name description locations args { ...InputValue } } } }
  fragment FullType on __Type { kind name description
    fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef }
      isDeprecated deprecationReason }
    inputFields { ...InputValue } interfaces { ...TypeRef }
    enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
    possibleTypes { ...TypeRef } }
  fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
  fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }";

#[tokio::test]
async fn graphiql_introspection_and_get_requests_work() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    let client = reqwest::Client::new();

    let page = client
        .get(server.url("/graphiql"))
        .send()
        .await
        .expect("GET /graphiql");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("graphiql") && html.contains("/graphql/ws"),
        "{html}"
    );

    let schema = server.data(INTROSPECTION, json!({})).await;
    let types = schema["__schema"]["types"].as_array().expect("types");
    assert!(types.iter().any(|t| t["name"] == "Locality"));
    assert_eq!(
        schema["__schema"]["subscriptionType"]["name"],
        "Subscription"
    );

    let response: serde_json::Value = client
        .get(server.url("/graphql"))
        .query(&[("query", "{ criteriaSets { code } }")])
        .send()
        .await
        .expect("GET /graphql")
        .json()
        .await
        .expect("JSON");
    let codes = response["data"]["criteriaSets"].as_array().expect("sets");
    assert!(
        codes.iter().any(|s| s["code"] == "NTM-XA-2016-2020"),
        "{response:#}"
    );
}
