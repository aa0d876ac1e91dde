//! A mutation's input in canonical form: what "the same command" means for an idempotency key
//! (docs/decisions/idempotency-key-reuse.md).

use async_graphql::Context;
use serde_json::{Map, Number, Value as Json};

use super::ApiError;

/// The arguments of the mutation field being resolved, variables substituted, as canonical
/// JSON text: object members sorted by name, null members left out (an absent optional field
/// and an explicit `null` are the same input), whole floats written as integers.
pub fn canonical_input(ctx: &Context<'_>) -> Result<String, ApiError> {
    let arguments = ctx
        .field()
        .arguments()
        .map_err(|e| ApiError::internal(e.message))?;
    let mut object = Map::new();
    for (name, value) in arguments {
        let value = canonical(value.into_json().map_err(ApiError::internal)?);
        if !value.is_null() {
            object.insert(name.to_string(), value);
        }
    }
    Ok(text(&Json::Object(object)))
}

/// `value` with null members dropped and whole floats made integers.
fn canonical(value: Json) -> Json {
    match value {
        Json::Object(members) => Json::Object(
            members
                .into_iter()
                .map(|(name, value)| (name, canonical(value)))
                .filter(|(_, value)| !value.is_null())
                .collect(),
        ),
        Json::Array(items) => Json::Array(items.into_iter().map(canonical).collect()),
        Json::Number(n) => Json::Number(whole(&n).unwrap_or(n)),
        other => other,
    }
}

/// A float with no fractional part, as the integer it equals.
fn whole(n: &Number) -> Option<Number> {
    let float = n.as_f64().filter(|_| n.is_f64())?;
    #[expect(clippy::cast_possible_truncation, reason = "checked equal just after")]
    let integer = float as i64;
    (integer as f64 == float).then(|| Number::from(integer))
}

/// Canonical text: members in name order whatever the map's own order.
fn text(value: &Json) -> String {
    match value {
        Json::Object(members) => {
            let mut names: Vec<&String> = members.keys().collect();
            names.sort();
            let inner: Vec<String> = names
                .into_iter()
                .map(|name| format!("{}:{}", Json::String(name.clone()), text(&members[name])))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        Json::Array(items) => {
            let inner: Vec<String> = items.iter().map(text).collect();
            format!("[{}]", inner.join(","))
        }
        scalar => scalar.to_string(),
    }
}

/// Whether two GraphQL values are the same input once canonical.
#[cfg(test)]
fn same_input(a: async_graphql::Value, b: async_graphql::Value) -> bool {
    match (a.into_json(), b.into_json()) {
        (Ok(a), Ok(b)) => text(&canonical(a)) == text(&canonical(b)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{Name, Value};

    use super::same_input;

    fn object(members: &[(&str, Value)]) -> Value {
        Value::Object(
            members
                .iter()
                .map(|(n, v)| (Name::new(n), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn member_order_nulls_and_whole_floats_do_not_make_another_input() {
        let a = object(&[
            ("value", Value::from(80.0)),
            ("set", Value::from("NTM-XA-2021-2025")),
            ("evidence", Value::Null),
        ]);
        let b = object(&[
            ("set", Value::from("NTM-XA-2021-2025")),
            ("value", Value::from(80)),
        ]);
        assert!(same_input(a, b));
    }

    #[test]
    fn another_value_or_list_order_is_another_input() {
        let a = object(&[("value", Value::from(80))]);
        let b = object(&[("value", Value::from(80.5))]);
        assert!(!same_input(a, b));
        let list = |items: &[&str]| Value::List(items.iter().map(|i| Value::from(*i)).collect());
        assert!(!same_input(list(&["a", "b"]), list(&["b", "a"])));
    }
}
