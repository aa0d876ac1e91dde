//! The spec's rules on a small schema: selection order, `null` for a failed field, null
//! propagation from a failed non-null field, fragments, aliases, lists and `@skip`.

use async_graphql::parser::parse_query;
use async_graphql::{Value, Variables};
use serde_json::json;

use super::{Asked, Shapes};

const SDL: &str = "
type Query { a: Place b: Summary! c: [Place!] d: [Place] }
type Place { name: String! code: String parent: Place }
type Summary { units: Int! }
";

/// The shaped value (an async-graphql `Value` keeps its keys' order; serde_json's map here
/// would sort them).
fn shape(query: &str, data: serde_json::Value) -> Value {
    let document = parse_query(query).expect("query");
    let variables = Variables::from_json(json!({ "no": false }));
    let asked = Asked {
        document: &document,
        operation: None,
        variables: &variables,
    };
    let data = Value::from_json(data).expect("value");
    Shapes::from_sdl(SDL).shape(data, &asked)
}

fn shaped(query: &str, data: serde_json::Value) -> serde_json::Value {
    shape(query, data).into_json().expect("json")
}

fn keys<'v>(value: &'v Value, path: &[&str]) -> Vec<&'v str> {
    let mut at = value;
    for key in path {
        if let Value::Object(o) = at {
            at = &o[*key];
        }
    }
    match at {
        Value::Object(o) => o.keys().map(|k| k.as_str()).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn keys_follow_the_selection_whatever_order_the_fields_finished_in() {
    // The engine's order is whatever finished first; here (from a sorted map) y, then z.
    let data = json!({ "z": { "code": "42", "name": "Hà Tĩnh" }, "y": { "units": 3 } });
    let out = shape("{ z: a { name code } y: b { units } }", data);
    assert_eq!(keys(&out, &[]), ["z", "y"]);
    assert_eq!(keys(&out, &["z"]), ["name", "code"]);
}

#[test]
fn a_failed_nullable_field_is_null() {
    let out = shaped(
        "{ a { name code } b { units } }",
        json!({ "b": { "units": 1 } }),
    );
    assert_eq!(out, json!({ "a": null, "b": { "units": 1 } }));
}

#[test]
fn a_failed_non_null_field_nulls_its_parent_and_up_to_data() {
    // `name` is non-null: the place becomes null, and `a` is nullable so data stays.
    let out = shaped("{ a { name code } }", json!({ "a": { "code": "42" } }));
    assert_eq!(out, json!({ "a": null }));
    // `b` is non-null at the root: data itself is null.
    let out = shaped(
        "{ a { code } b { units } }",
        json!({ "a": { "code": "42" } }),
    );
    assert_eq!(out, serde_json::Value::Null);
}

#[test]
fn a_null_in_a_list_of_non_null_nulls_the_list() {
    let data =
        json!({ "c": [{ "name": "x" }, { "code": "1" }], "d": [{ "name": "x" }, { "code": "1" }] });
    let out = shaped("{ c { name } d { name } }", data);
    assert_eq!(out, json!({ "c": null, "d": [{ "name": "x" }, null] }));
}

#[test]
fn fragments_merge_and_skip_drops() {
    let query = "query { a { ...F parent { code } } ... on Query { b { units } } }
        fragment F on Place { code parent { name } name @skip(if: true) }";
    let data = json!({ "b": { "units": 2 }, "a": { "parent": { "code": "4", "name": "p" }, "code": "1" } });
    let out = shape(query, data);
    assert_eq!(keys(&out, &[]), ["a", "b"]);
    assert_eq!(keys(&out, &["a"]), ["code", "parent"]);
    assert_eq!(keys(&out, &["a", "parent"]), ["name", "code"]);
}

#[test]
fn include_with_a_variable() {
    let out = shaped(
        "{ a { code name @include(if: $no) } }",
        json!({ "a": { "code": "1" } }),
    );
    assert_eq!(out, json!({ "a": { "code": "1" } }));
}

#[test]
fn typename_and_unknown_types_stay_as_given() {
    let data = json!({ "a": { "code": "1", "__typename": "Place" }, "__typename": "Query" });
    let out = shape("{ __typename a { __typename code } }", data);
    assert_eq!(keys(&out, &[]), ["__typename", "a"]);
    assert_eq!(keys(&out, &["a"]), ["__typename", "code"]);
}

const NODES_SDL: &str = "
type Query { nodes: [Node]! }
interface Node { id: ID! }
type Place implements Node { id: ID! name: String! }
type Summary implements Node { id: ID! units: Int! }
";

#[test]
fn fragments_on_an_interface_apply_to_their_object_type_only() {
    use super::type_conditions::{with_type_names, TYPE_KEY};
    use async_graphql::parser::types::{DocumentOperations, Selection};

    let query = "{ nodes { id ... on Place { name } ...S } } fragment S on Summary { units }";
    let document = parse_query(query).expect("query");
    // The document executed asks each node for its type, under a key the client never sees.
    let executed = with_type_names(&document);
    let DocumentOperations::Single(operation) = &executed.operations else {
        panic!("one operation");
    };
    let Selection::Field(nodes) = &operation.node.selection_set.node.items[0].node else {
        panic!("nodes");
    };
    let asks_type = nodes.node.selection_set.node.items.iter().any(|s| {
        matches!(&s.node, Selection::Field(f)
            if f.node.name.node == "__typename" && f.node.response_key().node == TYPE_KEY)
    });
    assert!(asks_type);

    let data = json!({ "nodes": [
        { TYPE_KEY: "Summary", "units": 3, "id": "s" },
        { "name": "x", TYPE_KEY: "Place", "id": "p" },
        { TYPE_KEY: "Place", "id": "q" },
        null,
    ] });
    let variables = Variables::default();
    let asked = Asked {
        document: &document,
        operation: None,
        variables: &variables,
    };
    let data = Value::from_json(data).expect("value");
    let out = Shapes::from_sdl(NODES_SDL).shape(data, &asked);
    // A Place's fragment is not a Summary's; a Place whose non-null name failed is null.
    let out = out.into_json().expect("json");
    assert_eq!(
        out,
        json!({ "nodes": [{ "id": "s", "units": 3 }, { "id": "p", "name": "x" }, null, null] })
    );
}

#[test]
fn a_union_member_is_shaped_by_its_own_fragment() {
    use super::type_conditions::TYPE_KEY;

    let sdl = "type Query { details: [Details] }
        union Details = Place | Summary
        type Place { name: String! code: String }
        type Summary { units: Int! }";
    let query = "{ details { __typename ... on Place { code name } ... on Summary { units } } }";
    let document = parse_query(query).expect("query");
    let data = json!({ "details": [
        { "name": "x", TYPE_KEY: "Place", "__typename": "Place", "code": "1" },
        { "units": 3, "__typename": "Summary", TYPE_KEY: "Summary" },
    ] });
    let variables = Variables::default();
    let asked = Asked {
        document: &document,
        operation: None,
        variables: &variables,
    };
    let data = Value::from_json(data).expect("value");
    let out = Shapes::from_sdl(sdl).shape(data, &asked).into_json();
    // In selection order, without the key the shaping asked for.
    let expected = json!({ "details": [
        { "__typename": "Place", "code": "1", "name": "x" },
        { "__typename": "Summary", "units": 3 },
    ] });
    assert_eq!(out.expect("json").to_string(), expected.to_string());
}
