//! Answers kept between two changes of the store (docs/decisions/response-cache.md): a query's
//! answer is a function of its document, variables and actor, the day, and the store's state —
//! the log's head, the read tables' checkpoint, the last recorded `ntm verify` and the signed
//! checkpoints and cosignatures kept. While those four stand still, the same query by the same actor on the same day gets the
//! answer computed the first time, from memory; when any of them moves, every kept answer is
//! dropped at once. Only queries answered without an error are kept, within a byte budget.

use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery,
};
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{Response, ServerResult, Variables};
use axum::body::Bytes;
use chrono::NaiveDate;

use super::{ApiContext, RequestScope};

/// Bytes of answers kept by default (`NTM_RESPONSE_CACHE_MB`).
pub const DEFAULT_BUDGET: usize = 64 << 20;

/// What the store looked like: the log's head, the read tables' checkpoint, the last run of
/// `ntm verify`, the signed checkpoints and cosignatures kept, and the day (Vietnam's date)
/// that defaults `on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Freshness {
    pub head: i64,
    pub projected: i64,
    pub verified: i64,
    /// Signed checkpoints plus cosignatures kept (they only grow).
    pub signed: i64,
    pub today: NaiveDate,
}

impl Freshness {
    /// Every part at least as far as `other`'s: the store only moves forward, so a request
    /// that read an older state must neither read nor replace answers of a newer one.
    fn at_least(&self, other: &Freshness) -> bool {
        self.head >= other.head
            && self.projected >= other.projected
            && self.verified >= other.verified
            && self.signed >= other.signed
            && self.today >= other.today
    }
}

/// One query as asked: the same key, the same answer while the store stands still.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Asked {
    document: String,
    operation: Option<String>,
    /// The variables as JSON text.
    variables: String,
    /// The token behind the request (none: anonymous): roles and scopes change answers.
    actor: Option<uuid::Uuid>,
}

impl Asked {
    fn bytes(&self) -> usize {
        self.document.len() + self.variables.len() + 64
    }
}

/// An answer as kept: its parts, to be rebuilt into a fresh response per hit, and once an
/// HTTP request has put it in the spec's shape (`response_shape.rs`), its `data` as JSON text,
/// which later HTTP hits send as they are.
pub(super) struct Kept {
    data: async_graphql::Value,
    headers: axum::http::HeaderMap,
    bytes: usize,
    shaped: OnceLock<Bytes>,
}

impl Kept {
    /// The shaped `data` as JSON text, once an HTTP request has written it.
    pub(super) fn shaped(&self) -> Option<&Bytes> {
        self.shaped.get()
    }

    /// Keeps `data`, the kept answer in the spec's shape, as JSON text, and gives the text
    /// kept. Its size is not counted again: the same answer, in another key order.
    pub(super) fn set_shaped(&self, data: &async_graphql::Value) -> Option<Bytes> {
        let text = serde_json::to_vec(data).ok()?;
        Some(self.shaped.get_or_init(|| Bytes::from(text)).clone())
    }
}

/// Where the HTTP path learns which kept answer a request used or made: put in the request's
/// data by `operation.rs`, filled by [`Lookup`].
#[derive(Clone, Default)]
pub(super) struct Shelving(Arc<Mutex<Option<Arc<Kept>>>>);

impl Shelving {
    pub(super) fn take(&self) -> Option<Arc<Kept>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }

    fn put(&self, kept: Arc<Kept>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(kept);
    }
}

#[derive(Default)]
struct Shelf {
    freshness: Option<Freshness>,
    answers: HashMap<Asked, Arc<Kept>>,
    bytes: usize,
}

/// The answers kept for the current state of the store, shared by every request of a process.
#[derive(Clone)]
pub struct ResponseCache {
    budget: usize,
    shelf: Arc<Mutex<Shelf>>,
}

impl ResponseCache {
    /// A cache keeping at most `budget` bytes of answers (0: none, every query runs).
    pub fn new(budget: usize) -> Self {
        ResponseCache {
            budget,
            shelf: Arc::default(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Shelf> {
        self.shelf.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The answer kept for `asked` at `freshness`, if any. A newer state drops every answer.
    fn find(&self, asked: &Asked, freshness: Freshness) -> Option<Arc<Kept>> {
        let mut shelf = self.lock();
        match shelf.freshness {
            Some(kept) if kept == freshness => shelf.answers.get(asked).cloned(),
            Some(kept) if !freshness.at_least(&kept) => None,
            _ => {
                *shelf = Shelf {
                    freshness: Some(freshness),
                    ..Shelf::default()
                };
                None
            }
        }
    }

    /// Keeps `response` for `asked` if the store is still at `freshness` and it fits; the
    /// answer as kept.
    fn keep(&self, asked: Asked, freshness: Freshness, response: &Response) -> Option<Arc<Kept>> {
        let bytes = asked.bytes() + json_bytes(&response.data);
        let mut shelf = self.lock();
        if shelf.freshness != Some(freshness) || shelf.bytes + bytes > self.budget {
            return None;
        }
        let kept = Arc::new(Kept {
            data: response.data.clone(),
            headers: response.http_headers.clone(),
            bytes,
            shaped: OnceLock::new(),
        });
        if let Some(replaced) = shelf.answers.insert(asked, kept.clone()) {
            shelf.bytes -= replaced.bytes;
        }
        shelf.bytes += bytes;
        Some(kept)
    }

    /// Answers kept and their bytes, for tests and the benchmark.
    pub fn size(&self) -> (usize, usize) {
        let shelf = self.lock();
        (shelf.answers.len(), shelf.bytes)
    }
}

/// The length of `value` as JSON, counted without building the text.
fn json_bytes(value: &async_graphql::Value) -> usize {
    struct Counter(usize);
    impl io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    match serde_json::to_writer(&mut counter, value) {
        Ok(()) => counter.0,
        Err(_) => usize::MAX / 2,
    }
}

/// Installs a [`Lookup`] on every request of the schema.
pub(super) struct Responses;

impl ExtensionFactory for Responses {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Lookup::default())
    }
}

/// One request's way through the cache: what was asked, if it is a query.
#[derive(Default)]
struct Lookup(Mutex<Option<(String, String)>>);

#[async_graphql::async_trait::async_trait]
impl Extension for Lookup {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let only_queries = document
            .operations
            .iter()
            .all(|(_, operation)| operation.node.ty == OperationType::Query);
        if only_queries {
            if let Ok(variables) = serde_json::to_string(variables) {
                *self.0.lock().unwrap_or_else(PoisonError::into_inner) =
                    Some((query.to_owned(), variables));
            }
        }
        Ok(document)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let asked = self.0.lock().unwrap_or_else(PoisonError::into_inner).take();
        let (Some((document, variables)), Ok(api), Ok(scope)) =
            (asked, ctx.data::<ApiContext>(), ctx.data::<RequestScope>())
        else {
            return next.run(ctx, operation_name).await;
        };
        let cache = &api.responses;
        if cache.budget == 0 {
            return next.run(ctx, operation_name).await;
        }
        let Ok((head, projected, verified, signed)) = scope.reads.freshness().await else {
            return next.run(ctx, operation_name).await;
        };
        let freshness = Freshness {
            head,
            projected,
            verified,
            signed,
            today: api.clock.today(),
        };
        let asked = Asked {
            document,
            operation: operation_name.map(str::to_owned),
            variables,
            actor: scope.actor.as_ref().map(|actor| actor.token_id),
        };
        let shelving = ctx.data::<Shelving>().ok();
        if let Some(kept) = cache.find(&asked, freshness) {
            // An HTTP request that will send the shaped text needs no copy of the data.
            let data = match (shelving, kept.shaped()) {
                (Some(_), Some(_)) => async_graphql::Value::Null,
                _ => kept.data.clone(),
            };
            let mut response = Response::new(data);
            response.http_headers = kept.headers.clone();
            if let Some(shelving) = shelving {
                shelving.put(kept);
            }
            return response;
        }
        let response = next.run(ctx, operation_name).await;
        if response.errors.is_empty() {
            let kept = cache.keep(asked, freshness, &response);
            if let (Some(kept), Some(shelving)) = (kept, shelving) {
                shelving.put(kept);
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(head: i64, projected: i64) -> Freshness {
        Freshness {
            head,
            projected,
            verified: 0,
            signed: 0,
            today: NaiveDate::from_ymd_opt(2026, 12, 7).expect("a date"),
        }
    }

    fn asked(document: &str) -> Asked {
        Asked {
            document: document.into(),
            operation: None,
            variables: "{}".into(),
            actor: None,
        }
    }

    fn answer(text: &str) -> Response {
        Response::new(async_graphql::Value::String(text.into()))
    }

    #[test]
    fn an_answer_is_kept_until_the_store_moves() {
        let cache = ResponseCache::new(1 << 20);
        let q = asked("{ head { position } }");
        assert!(cache.find(&q, at(5, 5)).is_none());
        cache.keep(q.clone(), at(5, 5), &answer("five"));
        let kept = cache.find(&q, at(5, 5)).expect("kept");
        assert_eq!(kept.data, async_graphql::Value::String("five".into()));
        assert!(cache.find(&q, at(6, 5)).is_none(), "a new event drops it");
        assert_eq!(cache.size().0, 0);
        cache.keep(q.clone(), at(6, 5), &answer("six"));
        assert!(cache.find(&q, at(6, 6)).is_none(), "so does the projector");
    }

    #[test]
    fn a_request_that_read_an_older_state_neither_reads_nor_replaces() {
        let cache = ResponseCache::new(1 << 20);
        let q = asked("{ a }");
        assert!(cache.find(&q, at(7, 7)).is_none());
        cache.keep(q.clone(), at(7, 7), &answer("new"));
        assert!(cache.find(&q, at(6, 6)).is_none());
        cache.keep(q.clone(), at(6, 6), &answer("old"));
        let kept = cache.find(&q, at(7, 7)).expect("the newer answer stays");
        assert_eq!(kept.data, async_graphql::Value::String("new".into()));
    }

    #[test]
    fn the_budget_bounds_what_is_kept() {
        let q = asked("{ a }");
        let fits = q.bytes() + json_bytes(&answer("x").data);
        let cache = ResponseCache::new(fits);
        assert!(cache.find(&q, at(1, 1)).is_none());
        cache.keep(q.clone(), at(1, 1), &answer("x"));
        let other = asked("{ b }");
        cache.keep(other.clone(), at(1, 1), &answer("y"));
        assert!(cache.find(&q, at(1, 1)).is_some());
        assert!(cache.find(&other, at(1, 1)).is_none(), "over the budget");
        assert_eq!(cache.size(), (1, fits));
    }

    #[test]
    fn json_bytes_counts_the_text() {
        let value =
            async_graphql::Value::from_json(serde_json::json!({"a": [1, "é"]})).expect("JSON");
        assert_eq!(json_bytes(&value), r#"{"a":[1,"é"]}"#.len());
    }
}
