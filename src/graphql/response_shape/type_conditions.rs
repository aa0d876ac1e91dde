//! Fragments with a type condition on interfaces and unions (`... on Locality` under `Node`):
//! the document executed asks each selection set holding such a fragment for its object's
//! `__typename` under a reserved key, so the shape applies only the fragments of that type.

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{
    ExecutableDocument, Field, Selection, SelectionSet, ServiceDocument, TypeKind,
    TypeSystemDefinition,
};
use async_graphql::parser::Positioned;
use async_graphql::{Name, Value};

/// The response key of the injected `__typename`; never in the client's selection, so the
/// shape leaves it out.
pub const TYPE_KEY: &str = "__shapeTypename";

/// The interfaces and unions each object type belongs to.
pub type Supertypes = HashMap<String, HashSet<String>>;

pub fn supertypes(document: &ServiceDocument) -> Supertypes {
    let mut of: Supertypes = HashMap::new();
    for definition in &document.definitions {
        let TypeSystemDefinition::Type(t) = definition else {
            continue;
        };
        let name = t.node.name.node.to_string();
        match &t.node.kind {
            TypeKind::Object(o) => of
                .entry(name)
                .or_default()
                .extend(o.implements.iter().map(|i| i.node.to_string())),
            TypeKind::Union(u) => {
                for member in &u.members {
                    of.entry(member.node.to_string())
                        .or_default()
                        .insert(name.clone());
                }
            }
            _ => {}
        }
    }
    of
}

/// Whether a fragment on `condition` applies to an object of type `concrete` (unknown: every
/// fragment applies, as before abstract types existed).
pub fn applies(condition: &str, concrete: Option<&str>, supertypes: &Supertypes) -> bool {
    concrete.is_none_or(|concrete| {
        condition == concrete
            || supertypes
                .get(concrete)
                .is_some_and(|s| s.contains(condition))
    })
}

/// The object type an object of the response names under [`TYPE_KEY`].
pub fn concrete(value: &Value) -> Option<String> {
    match value {
        Value::Object(fields) => match fields.get(TYPE_KEY) {
            Some(Value::String(name)) => Some(name.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// `document` with `__shapeTypename: __typename` in every selection set below the roots
/// that holds a fragment (a root's type is known, and a subscription root takes one field).
pub fn with_type_names(document: &ExecutableDocument) -> ExecutableDocument {
    let mut executed = document.clone();
    for (_, fragment) in executed.fragments.iter_mut() {
        let on = fragment.node.type_condition.node.on.node.as_str();
        // Introspection is left as the engine makes it (the shape does not follow it).
        if on.starts_with("__") {
            continue;
        }
        let root = matches!(on, "Query" | "Mutation" | "Subscription");
        mark(&mut fragment.node.selection_set.node, !root);
    }
    let operations = match &mut executed.operations {
        async_graphql::parser::types::DocumentOperations::Single(op) => vec![op],
        async_graphql::parser::types::DocumentOperations::Multiple(ops) => {
            ops.values_mut().collect()
        }
    };
    for operation in operations {
        mark(&mut operation.node.selection_set.node, false);
    }
    executed
}

/// Marks the selection sets below `set`, and `set` itself when `inject`.
fn mark(set: &mut SelectionSet, inject: bool) {
    let has_fragment = set
        .items
        .iter()
        .any(|s| !matches!(s.node, Selection::Field(_)));
    for selection in &mut set.items {
        match &mut selection.node {
            Selection::Field(f)
                if !f.node.selection_set.node.items.is_empty()
                    && !f.node.name.node.starts_with("__") =>
            {
                mark(&mut f.node.selection_set.node, true)
            }
            Selection::InlineFragment(i) => mark(&mut i.node.selection_set.node, false),
            _ => {}
        }
    }
    if inject && has_fragment {
        let at = set.items.first().map(|s| s.pos).unwrap_or_default();
        let named = |text: &str| Positioned::new(Name::new(text), at);
        let field = Field {
            alias: Some(named(TYPE_KEY)),
            name: named("__typename"),
            arguments: Vec::new(),
            directives: Vec::new(),
            selection_set: Positioned::new(SelectionSet::default(), at),
        };
        set.items.push(Positioned::new(
            Selection::Field(Positioned::new(field, at)),
            at,
        ));
    }
}
