//! Parsed query documents by their text: clients send the same few documents over and over,
//! and parsing was a good part of a small query's cost. Validation, depth and complexity
//! limits still run on every request, with its variables.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::Request;

/// Documents kept at most; the cache starts over when full, so odd queries cannot grow it.
const MOST_DOCUMENTS: usize = 256;
/// Longer documents are parsed each time: they are rare, and would make the cache large.
const LONGEST_CACHED: usize = 8 * 1024;

#[derive(Clone, Default)]
pub struct Documents(Arc<RwLock<HashMap<String, ExecutableDocument>>>);

impl Documents {
    /// Gives `request` its parsed document, from the cache or parsed now and kept. A document
    /// that does not parse is left for the schema to report.
    pub fn parse(&self, request: &mut Request) {
        if request.query.len() > LONGEST_CACHED {
            return;
        }
        let cached = self
            .0
            .read()
            .ok()
            .and_then(|documents| documents.get(&request.query).cloned());
        if let Some(document) = cached {
            request.set_parsed_query(document);
            return;
        }
        let Ok(document) = request.parsed_query().cloned() else {
            return;
        };
        if let Ok(mut documents) = self.0.write() {
            if documents.len() >= MOST_DOCUMENTS {
                documents.clear();
            }
            documents.insert(request.query.clone(), document);
        }
    }
}
