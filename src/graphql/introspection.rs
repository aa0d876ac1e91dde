//! Introspection switched off (`NTM_INTROSPECTION=false`): a document asking `__schema` or
//! `__type` is refused before it runs, with code `VALIDATION` and limit
//! `INTROSPECTION_DISABLED`, instead of the engine's silent `null`.

use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ErrorExtensionValues, Pos, ServerError, ServerResult, Variables};

/// The root fields that introspect the schema (`__typename` stays: clients need it).
const INTROSPECTION_FIELDS: [&str; 2] = ["__schema", "__type"];

/// Refuses introspection documents; installed only when introspection is off.
pub(super) struct NoIntrospection;

impl ExtensionFactory for NoIntrospection {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(NoIntrospection)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for NoIntrospection {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        match introspection_field(&document) {
            Some(pos) => Err(refusal(pos)),
            None => Ok(document),
        }
    }
}

/// Where a root selection of any operation asks an introspection field, through fragments too.
fn introspection_field(document: &ExecutableDocument) -> Option<Pos> {
    let mut seen = HashSet::new();
    document
        .operations
        .iter()
        .find_map(|(_, operation)| asked(&operation.node.selection_set.node, document, &mut seen))
}

fn asked<'d>(
    selection: &'d SelectionSet,
    document: &'d ExecutableDocument,
    seen: &mut HashSet<&'d str>,
) -> Option<Pos> {
    selection.items.iter().find_map(|item| match &item.node {
        Selection::Field(field) => INTROSPECTION_FIELDS
            .contains(&field.node.name.node.as_str())
            .then_some(field.pos),
        Selection::InlineFragment(inline) => asked(&inline.node.selection_set.node, document, seen),
        // A fragment is looked into once: a cycle (refused later by validation) ends here.
        Selection::FragmentSpread(spread) => {
            let name = spread.node.fragment_name.node.as_str();
            let fragment = document.fragments.get(name)?;
            seen.insert(name)
                .then(|| asked(&fragment.node.selection_set.node, document, seen))
                .flatten()
        }
    })
}

fn refusal(pos: Pos) -> ServerError {
    let mut error = ServerError::new("introspection is disabled on this server", Some(pos));
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", "VALIDATION");
    extensions.set("limit", "INTROSPECTION_DISABLED");
    error.extensions = Some(extensions);
    error
}
