//! Responses in the shape the GraphQL spec gives them: every selected field present, in the
//! order of the selection; `null` where a field failed; a failed (or null) non-null field makes
//! its parent `null`, up to `data` itself. async-graphql 7.2 resolves sibling fields concurrently
//! and inserts each as it finishes, leaving out a field that failed
//! (docs/decisions/response-shape.md).

use std::collections::HashMap;

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{
    BaseType, Directive, ExecutableDocument, Field, OperationType, Selection, SelectionSet,
    ServiceDocument, Type, TypeKind, TypeSystemDefinition,
};
use async_graphql::parser::{parse_schema, Positioned};
use async_graphql::{Name, Value, Variables};

mod type_conditions;
pub use type_conditions::with_type_names;
use type_conditions::{applies, concrete, supertypes, Supertypes};

/// The fields of a selection, by response key in the order they first appear; a key selected
/// more than once (through fragments) merges its sub-selections.
type Grouped<'d> = IndexMap<Name, Vec<&'d Field>>;

/// The object types of the schema with the type of each field: what the shape follows.
#[derive(Debug, Default)]
pub struct Shapes {
    objects: HashMap<String, HashMap<String, Type>>,
    supertypes: Supertypes,
}

/// What a response answers: the executed document and operation, with its variables.
pub struct Asked<'d> {
    pub document: &'d ExecutableDocument,
    pub operation: Option<&'d str>,
    pub variables: &'d Variables,
}

impl Shapes {
    /// The object types of the schema's SDL (an SDL that does not parse gives no shapes: the
    /// responses are then left as the engine made them).
    pub fn from_sdl(sdl: &str) -> Self {
        let Ok(document) = parse_schema(sdl) else {
            return Shapes::default();
        };
        Shapes {
            objects: objects(&document),
            supertypes: supertypes(&document),
        }
    }

    /// `response` with its data in the shape `asked` selects.
    pub fn shape_response(&self, response: &mut async_graphql::Response, asked: &Asked<'_>) {
        let data = std::mem::replace(&mut response.data, Value::Null);
        response.data = self.shape(data, asked);
    }

    /// `data` in the shape `asked` selects; `Value::Null` when a non-null root field failed.
    pub fn shape(&self, data: Value, asked: &Asked<'_>) -> Value {
        if data == Value::Null {
            return data;
        }
        let Some((root, selection)) = self.operation(asked) else {
            return data;
        };
        let fields = self.grouped(&[selection], asked, Some(root));
        self.object(data, root, &fields, asked)
            .unwrap_or(Value::Null)
    }

    fn operation<'d>(&self, asked: &Asked<'d>) -> Option<(&'static str, &'d SelectionSet)> {
        let mut operations = asked.document.operations.iter();
        let chosen = match asked.operation {
            Some(name) => operations.find(|(n, _)| n.is_some_and(|n| n.as_str() == name)),
            None => operations.next(),
        };
        let (_, operation) = chosen?;
        let root = match operation.node.ty {
            OperationType::Query => "Query",
            OperationType::Mutation => "Mutation",
            OperationType::Subscription => "Subscription",
        };
        Some((root, &operation.node.selection_set.node))
    }

    /// An object's fields in selection order; `None` when a non-null field is null.
    fn object(
        &self,
        value: Value,
        type_name: &str,
        fields: &Grouped<'_>,
        asked: &Asked<'_>,
    ) -> Option<Value> {
        let Value::Object(mut given) = value else {
            return Some(value);
        };
        let Some(types) = self.objects.get(type_name) else {
            given.shift_remove(type_conditions::TYPE_KEY);
            return Some(Value::Object(given));
        };
        let mut shaped = IndexMap::with_capacity(fields.len());
        for (key, group) in fields {
            let found = given.shift_remove(key).unwrap_or(Value::Null);
            let name = group[0].name.node.as_str();
            let value = match types.get(name) {
                Some(ty) => self.complete(found, ty, group, asked)?,
                // __typename and the introspection fields stay as the engine made them.
                None => found,
            };
            shaped.insert(key.clone(), value);
        }
        Some(Value::Object(shaped))
    }

    /// A field's value completed by its type; `None` when it is null and must not be.
    fn complete(
        &self,
        value: Value,
        ty: &Type,
        group: &[&Field],
        asked: &Asked<'_>,
    ) -> Option<Value> {
        let completed = match (value, &ty.base) {
            (Value::Null, _) => None,
            (Value::List(items), BaseType::List(inner)) => items
                .into_iter()
                .map(|item| self.complete(item, inner, group, asked))
                .collect::<Option<Vec<_>>>()
                .map(Value::List),
            (value, BaseType::Named(name)) if self.objects.contains_key(name.as_str()) => {
                let sets: Vec<&SelectionSet> =
                    group.iter().map(|f| &f.selection_set.node).collect();
                // An interface's or union's object says its type (see `with_type_names`).
                let concrete = concrete(&value).filter(|c| self.objects.contains_key(c));
                let name = concrete.as_deref().unwrap_or(name.as_str());
                let fields = self.grouped(&sets, asked, concrete.as_deref());
                self.object(value, name, &fields, asked)
            }
            (value, _) => Some(value),
        };
        match completed {
            Some(value) => Some(value),
            None if ty.nullable => Some(Value::Null),
            None => None,
        }
    }
}

fn objects(document: &ServiceDocument) -> HashMap<String, HashMap<String, Type>> {
    let mut objects = HashMap::new();
    for definition in &document.definitions {
        let TypeSystemDefinition::Type(t) = definition else {
            continue;
        };
        let fields = match &t.node.kind {
            TypeKind::Object(o) => o.fields.as_slice(),
            TypeKind::Interface(i) => i.fields.as_slice(),
            // A union has no fields of its own: its values name their member type.
            TypeKind::Union(_) => &[],
            _ => continue,
        };
        let types = fields
            .iter()
            .map(|f| (f.node.name.node.to_string(), f.node.ty.node.clone()))
            .collect();
        objects.insert(t.node.name.node.to_string(), types);
    }
    objects
}

impl Shapes {
    /// The fields `sets` select for one object of type `concrete`, fragments expanded (those
    /// whose type condition it meets; all of them when its type is not known), `@skip` and
    /// `@include` applied.
    fn grouped<'d>(
        &self,
        sets: &[&'d SelectionSet],
        asked: &Asked<'d>,
        concrete: Option<&str>,
    ) -> Grouped<'d> {
        let mut fields = Grouped::new();
        let on = Applying {
            concrete,
            supertypes: &self.supertypes,
        };
        for set in sets {
            collect(set, asked, &mut fields, (&on, 0));
        }
        fields
    }
}

/// The object type fragments are collected for.
struct Applying<'s> {
    concrete: Option<&'s str>,
    supertypes: &'s Supertypes,
}

impl Applying<'_> {
    fn applies(&self, condition: Option<&str>) -> bool {
        condition.is_none_or(|c| applies(c, self.concrete, self.supertypes))
    }
}

fn collect<'d>(
    set: &'d SelectionSet,
    asked: &Asked<'d>,
    fields: &mut Grouped<'d>,
    (on, depth): (&Applying<'_>, usize),
) {
    // Validation refuses fragment cycles; the bound only keeps a bug from looping.
    if depth > 64 {
        return;
    }
    for selection in &set.items {
        match &selection.node {
            Selection::Field(f) if included(&f.node.directives, asked.variables) => {
                let key = f.node.response_key().node.clone();
                fields.entry(key).or_default().push(&f.node);
            }
            Selection::FragmentSpread(s) if included(&s.node.directives, asked.variables) => {
                let name = &s.node.fragment_name.node;
                let fragment = asked.document.fragments.get(name);
                let condition = fragment.map(|f| f.node.type_condition.node.on.node.as_str());
                if let Some(fragment) = fragment.filter(|_| on.applies(condition)) {
                    let set = &fragment.node.selection_set.node;
                    collect(set, asked, fields, (on, depth + 1));
                }
            }
            Selection::InlineFragment(i) if included(&i.node.directives, asked.variables) => {
                let condition = i.node.type_condition.as_ref();
                if on.applies(condition.map(|c| c.node.on.node.as_str())) {
                    collect(&i.node.selection_set.node, asked, fields, (on, depth + 1));
                }
            }
            _ => {}
        }
    }
}

/// Whether `@skip(if:)` and `@include(if:)` keep a selection, with the request's variables.
fn included(directives: &[Positioned<Directive>], variables: &Variables) -> bool {
    directives.iter().all(|d| {
        let condition = d.node.get_argument("if").and_then(|v| {
            let value = v
                .node
                .clone()
                .into_const_with(|name| variables.get(&name).cloned().ok_or(()));
            match value {
                Ok(Value::Boolean(b)) => Some(b),
                _ => None,
            }
        });
        let dropped = [("skip", Some(true)), ("include", Some(false))];
        !dropped.contains(&(d.node.name.node.as_str(), condition))
    })
}

#[cfg(test)]
mod tests;
