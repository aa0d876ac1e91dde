//! The schema is the documented contract: every type, field, argument, input field and enum
//! value the code builds carries a description.

use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{InputValueDefinition, TypeKind, TypeSystemDefinition};
use async_graphql::Positioned;

/// `owner.name` of every input value without a description.
fn undocumented_inputs(owner: &str, inputs: &[Positioned<InputValueDefinition>]) -> Vec<String> {
    inputs
        .iter()
        .filter(|i| i.node.description.is_none())
        .map(|i| format!("{owner}({})", i.node.name.node))
        .collect()
}

/// Everything in the schema printed by the code that a reader would find without a word.
fn undocumented(sdl: &str) -> Vec<String> {
    let document = parse_schema(sdl).expect("the schema parses");
    let mut missing = Vec::new();
    for definition in &document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let ty = &ty.node;
        let name = ty.name.node.as_str();
        if ty.description.is_none() {
            missing.push(name.to_owned());
        }
        match &ty.kind {
            TypeKind::Object(object) => {
                for field in &object.fields {
                    let field = &field.node;
                    let owner = format!("{name}.{}", field.name.node);
                    if field.description.is_none() {
                        missing.push(owner.clone());
                    }
                    missing.extend(undocumented_inputs(&owner, &field.arguments));
                }
            }
            TypeKind::Interface(interface) => {
                for field in &interface.fields {
                    let field = &field.node;
                    let owner = format!("{name}.{}", field.name.node);
                    if field.description.is_none() {
                        missing.push(owner.clone());
                    }
                    missing.extend(undocumented_inputs(&owner, &field.arguments));
                }
            }
            TypeKind::InputObject(input) => {
                missing.extend(undocumented_inputs(name, &input.fields));
            }
            TypeKind::Enum(values) => missing.extend(
                values
                    .values
                    .iter()
                    .filter(|v| v.node.description.is_none())
                    .map(|v| format!("{name}.{}", v.node.value.node)),
            ),
            TypeKind::Scalar | TypeKind::Union(_) => {}
        }
    }
    missing
}

#[test]
fn every_type_field_argument_and_enum_value_is_described() {
    let missing = undocumented(&ntm_tracker::sdl());
    assert!(
        missing.is_empty(),
        "{} undocumented in the schema: {}",
        missing.len(),
        missing.join(", ")
    );
}

#[test]
fn the_check_finds_an_undocumented_argument() {
    let sdl = "\"\"\"A query.\"\"\"\ntype Query {\n  \"\"\"One.\"\"\"\n  one(id: ID): Int\n}\n";
    assert_eq!(undocumented(sdl), vec!["Query.one(id)".to_owned()]);
}
