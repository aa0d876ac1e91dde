//! Admission of query documents, on every transport (POST, GET, WebSocket): the text's
//! nesting is bounded before the parser sees it, the parsed document's size after fragments
//! are expanded, and its aliases. Documents admitted are kept by their text: clients send the
//! same few over and over, and parsing was a good part of a small query's cost. Validation,
//! depth and complexity limits still run on every request, with its variables.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::{
    Data, ErrorExtensionValues, Executor, Name, Request, Response, ServerError, ServerResult,
};
use futures::stream::BoxStream;
use futures::StreamExt;

use super::error::label_engine_errors;
use super::persisted::Persisted;
use super::response_shape::{Asked, Shapes};
use super::NtmSchema;

/// Deepest nesting of `{`, `[` and `(` in a document's text. The parser recurses once per
/// level, so a few thousand nested list literals in an argument overflowed its stack; the
/// standard introspection query nests 10 deep.
pub const MAX_NESTING: usize = 32;
/// Most fields a document selects once every fragment spread is replaced by its fragment.
/// 22 fragments each spreading the next twice select four million, in under a kilobyte.
pub const MAX_FIELDS: usize = 2_000;
/// Most aliased fields, counted like [`MAX_FIELDS`]: each alias of a field runs it again.
pub const MAX_ALIASES: usize = 200;

/// Documents kept at most; the cache starts over when full, so odd queries cannot grow it.
/// With [`LONGEST_CACHED`] it holds at most 512 KiB of text, whose parsed documents are some
/// tens of times larger.
const MOST_DOCUMENTS: usize = 128;
/// Longer documents are parsed each time: they are rare, and would make the cache large.
const LONGEST_CACHED: usize = 4 * 1024;

/// Parses every document the service executes: checked, then kept when short.
#[derive(Clone, Default)]
pub struct Documents(Arc<RwLock<HashMap<String, Arc<Kept>>>>);

/// An admitted document as the client wrote it (its response is shaped by it) and as it runs
/// (asking interface and union objects for their type: `with_type_names`), both made once.
struct Kept {
    written: Arc<ExecutableDocument>,
    executed: ExecutableDocument,
}

impl Documents {
    /// Gives `request` its admitted document, kept or parsed now, or refuses it; with
    /// `queries_only` (a GET: a link or an image could otherwise write) a mutation is refused.
    /// Returns the document, for shaping the response after it ran.
    pub fn admit_into(
        &self,
        request: &mut Request,
        queries_only: bool,
    ) -> ServerResult<Arc<ExecutableDocument>> {
        let kept = match self.cached(&request.query) {
            Some(kept) => kept,
            None => self.keep(&request.query, admit(&request.query)?),
        };
        if queries_only && has_mutation(&kept.written) {
            return Err(refused(
                "QUERIES_ONLY",
                "a GET may only query: send mutations with POST".to_owned(),
            ));
        }
        request.set_parsed_query(kept.executed.clone());
        Ok(kept.written.clone())
    }

    fn cached(&self, query: &str) -> Option<Arc<Kept>> {
        self.0.read().ok()?.get(query).cloned()
    }

    /// `document` with the form it runs in, kept for its text when that is short.
    fn keep(&self, query: &str, document: ExecutableDocument) -> Arc<Kept> {
        let kept = Arc::new(Kept {
            executed: super::response_shape::with_type_names(&document),
            written: Arc::new(document),
        });
        if query.len() <= LONGEST_CACHED {
            if let Ok(mut documents) = self.0.write() {
                if documents.len() >= MOST_DOCUMENTS {
                    documents.clear();
                }
                documents.insert(query.to_owned(), kept.clone());
            }
        }
        kept
    }
}

/// The schema with [`Documents`] in front: what the WebSocket protocol handler executes, so
/// that its operations are admitted, and its errors labelled, as the HTTP ones are. (A schema extension could do the same, but
/// any extension makes async-graphql run every field through its hooks.)
#[derive(Clone)]
pub struct Admitted {
    pub schema: NtmSchema,
    pub documents: Documents,
    pub shapes: Arc<Shapes>,
    pub persisted: Persisted,
    /// The connection's actor is an admin: not bound by the trusted documents.
    pub privileged: bool,
}

impl Admitted {
    /// The request's persisted text found and its document admitted, as over HTTP.
    fn admit(&self, request: &mut Request) -> ServerResult<Arc<ExecutableDocument>> {
        let register = self.persisted.resolve(request, self.privileged)?;
        let document = self.documents.admit_into(request, false)?;
        if let Some(hash) = register {
            self.persisted.remember(hash, &request.query);
        }
        Ok(document)
    }
}

impl Executor for Admitted {
    async fn execute(&self, mut request: Request) -> Response {
        let (operation, variables) = (request.operation_name.clone(), request.variables.clone());
        let mut response = match self.admit(&mut request) {
            Ok(document) => {
                let mut response = self.schema.execute(request).await;
                let asked = Asked {
                    document: &document,
                    operation: operation.as_deref(),
                    variables: &variables,
                };
                self.shapes.shape_response(&mut response, &asked);
                response
            }
            Err(error) => Response::from_errors(vec![error]),
        };
        label_engine_errors(&mut response);
        response
    }

    fn execute_stream(
        &self,
        mut request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let (operation, variables) = (request.operation_name.clone(), request.variables.clone());
        let (responses, document) = match self.admit(&mut request) {
            Ok(document) => (
                self.schema
                    .execute_stream_with_session_data(request, session_data.unwrap_or_default()),
                Some(document),
            ),
            Err(error) => (
                futures::stream::once(async { Response::from_errors(vec![error]) }).boxed(),
                None,
            ),
        };
        let shapes = self.shapes.clone();
        responses
            .map(move |mut response| {
                if let Some(document) = &document {
                    let asked = Asked {
                        document,
                        operation: operation.as_deref(),
                        variables: &variables,
                    };
                    shapes.shape_response(&mut response, &asked);
                }
                label_engine_errors(&mut response);
                response
            })
            .boxed()
    }
}

fn has_mutation(document: &ExecutableDocument) -> bool {
    document
        .operations
        .iter()
        .any(|(_, operation)| operation.node.ty == OperationType::Mutation)
}

/// The document of `query`, parsed once its text is known to nest within [`MAX_NESTING`], and
/// kept only when it selects at most [`MAX_FIELDS`] fields and [`MAX_ALIASES`] aliases.
pub fn admit(query: &str) -> ServerResult<ExecutableDocument> {
    let nesting = nesting(query);
    if nesting > MAX_NESTING {
        return Err(refused(
            "MAX_NESTING",
            format!("the document nests {nesting} levels deep; at most {MAX_NESTING} are accepted"),
        ));
    }
    let document = async_graphql::parser::parse_query(query)?;
    let size = Expansion::new(&document).size()?;
    if size.fields > MAX_FIELDS {
        return Err(refused(
            "MAX_FIELDS",
            format!(
                "the document selects {} fields once its fragments are expanded; at most \
                 {MAX_FIELDS} are accepted",
                size.fields
            ),
        ));
    }
    if size.aliases > MAX_ALIASES {
        return Err(refused(
            "MAX_ALIASES",
            format!(
                "the document has {} aliased fields; at most {MAX_ALIASES} are accepted",
                size.aliases
            ),
        ));
    }
    Ok(document)
}

/// A `VALIDATION` error naming the limit.
fn refused(limit: &str, message: String) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", "VALIDATION");
    extensions.set("limit", limit);
    error.extensions = Some(extensions);
    error
}

/// The deepest nesting of brackets in a GraphQL text, outside strings and comments.
pub fn nesting(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => i = end_of_block_string(bytes, i + 3),
            b'"' => i = end_of_string(bytes, i + 1),
            b'{' | b'[' | b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// The index of the closing quote of a string whose contents start at `i`.
fn end_of_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i
}

/// The index of the last quote of a block string whose contents start at `i`.
fn end_of_block_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        if bytes[i..].starts_with(b"\\\"\"\"") {
            i += 4;
        } else if bytes[i..].starts_with(b"\"\"\"") {
            return i + 2;
        } else {
            i += 1;
        }
    }
    i
}

/// Fields and aliases a selection makes once fragments are expanded.
#[derive(Clone, Copy, Default)]
struct Size {
    fields: usize,
    aliases: usize,
}

impl Size {
    fn add(self, other: Size) -> Size {
        Size {
            fields: self.fields.saturating_add(other.fields),
            aliases: self.aliases.saturating_add(other.aliases),
        }
    }
}

/// Counts a document's expanded size with each fragment counted once, so the count itself
/// takes time linear in the text however the fragments fan out.
struct Expansion<'a> {
    document: &'a ExecutableDocument,
    sizes: HashMap<&'a Name, Size>,
    /// The fragments being counted, innermost last: a fragment met again is a cycle.
    open: Vec<&'a Name>,
}

impl<'a> Expansion<'a> {
    fn new(document: &'a ExecutableDocument) -> Self {
        Expansion {
            document,
            sizes: HashMap::new(),
            open: Vec::new(),
        }
    }

    fn size(&mut self) -> ServerResult<Size> {
        let mut total = Size::default();
        for (_, operation) in self.document.operations.iter() {
            total = total.add(self.selection(&operation.node.selection_set.node)?);
        }
        Ok(total)
    }

    fn selection(&mut self, set: &'a SelectionSet) -> ServerResult<Size> {
        let mut total = Size::default();
        for item in &set.items {
            let size = match &item.node {
                Selection::Field(field) => {
                    let inner = self.selection(&field.node.selection_set.node)?;
                    let own = Size {
                        fields: 1,
                        aliases: usize::from(field.node.alias.is_some()),
                    };
                    own.add(inner)
                }
                Selection::InlineFragment(fragment) => {
                    self.selection(&fragment.node.selection_set.node)?
                }
                Selection::FragmentSpread(spread) => {
                    self.fragment(&spread.node.fragment_name.node)?
                }
            };
            total = total.add(size);
        }
        Ok(total)
    }

    /// A fragment's size, counted on first use; an unknown fragment counts nothing here and is
    /// reported by validation.
    fn fragment(&mut self, name: &'a Name) -> ServerResult<Size> {
        if let Some(size) = self.sizes.get(name) {
            return Ok(*size);
        }
        if self.open.contains(&name) {
            return Err(refused(
                "FRAGMENT_CYCLE",
                format!("fragment {name} spreads itself"),
            ));
        }
        if self.open.len() >= MAX_NESTING {
            return Err(refused(
                "MAX_NESTING",
                format!("fragments spread within fragments more than {MAX_NESTING} deep"),
            ));
        }
        let Some(fragment) = self.document.fragments.get(name) else {
            return Ok(Size::default());
        };
        self.open.push(name);
        let size = self.selection(&fragment.node.selection_set.node)?;
        self.open.pop();
        self.sizes.insert(name, size);
        Ok(size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit_of(query: &str) -> Option<String> {
        let error = admit(query).err()?;
        let value = error.extensions?.get("limit")?.clone();
        Some(value.to_string().trim_matches('"').to_owned())
    }

    #[test]
    fn nesting_skips_strings_block_strings_and_comments() {
        assert_eq!(nesting(r#"{ a(b: "{[(") }"#), 2);
        assert_eq!(nesting(r#"{ a(b: "\"{{") }"#), 2);
        assert_eq!(nesting("{ a(b: \"\"\"{{{ \\\"\"\" {{\"\"\") }"), 2);
        assert_eq!(nesting("{ a # {{{{\n b }"), 1);
        assert_eq!(nesting("{ a(f: {x: [[1]]}) { b { c } } }"), 5);
    }

    #[test]
    fn deep_values_are_refused_before_parsing() {
        let depth = 5_000;
        let query = format!(
            "{{ localities(filter: {{name: {}\"x\"{}}}) {{ totalCount }} }}",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        assert_eq!(limit_of(&query).as_deref(), Some("MAX_NESTING"));
        let objects = format!("{{ a(b: {}1{}) }}", "{c: ".repeat(depth), "}".repeat(depth));
        assert_eq!(limit_of(&objects).as_deref(), Some("MAX_NESTING"));
    }

    #[test]
    fn fanning_fragments_are_counted_expanded_in_linear_time() {
        let n = 60;
        let mut query = "query { __typename ...F0 }".to_owned();
        for i in 0..n {
            query += &format!(" fragment F{i} on Query {{ ...F{} ...F{} }}", i + 1, i + 1);
        }
        query += &format!(" fragment F{n} on Query {{ __typename }}");
        let started = std::time::Instant::now();
        assert_eq!(limit_of(&query).as_deref(), Some("MAX_NESTING"));
        let shallow = (0..20)
            .map(|i| format!(" fragment F{i} on Query {{ ...F{} ...F{} }}", i + 1, i + 1))
            .collect::<String>();
        let query = format!("{{ ...F0 }}{shallow} fragment F20 on Query {{ __typename }}");
        assert_eq!(limit_of(&query).as_deref(), Some("MAX_FIELDS"));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn fragment_cycles_and_aliases_are_refused() {
        let cycle = "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
        assert_eq!(limit_of(cycle).as_deref(), Some("FRAGMENT_CYCLE"));
        let aliases: String = (0..=MAX_ALIASES)
            .map(|i| format!(" a{i}: __typename"))
            .collect();
        assert_eq!(
            limit_of(&format!("{{{aliases} }}")).as_deref(),
            Some("MAX_ALIASES")
        );
        let fine: String = (0..MAX_ALIASES)
            .map(|i| format!(" a{i}: __typename"))
            .collect();
        assert!(admit(&format!("{{{fine} }}")).is_ok());
    }
}
