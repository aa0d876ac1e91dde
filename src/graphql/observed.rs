//! Counts each GraphQL request in the service's metrics: operation name and kind, outcome code
//! and latency; and each running subscription.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest, NextRequest,
    NextSubscribe,
};
use async_graphql::futures_util::stream::BoxStream;
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{Request, Response, ServerResult, Value, Variables};
use futures::StreamExt;

use super::error::label_engine_errors;
use crate::metrics::Metrics;

/// Installs an [`Observation`] on every request of the schema.
pub(super) struct Observed(pub Metrics);

impl ExtensionFactory for Observed {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Observation {
            metrics: self.0.clone(),
            operation: Mutex::default(),
        })
    }
}

/// One request's operation, as far as it is known.
#[derive(Default)]
struct Operation {
    /// The name the client asked to run, then the name of the operation run.
    name: Option<String>,
    /// `query`, `mutation`, `subscription`; `None` until the document parsed.
    kind: Option<&'static str>,
}

struct Observation {
    metrics: Metrics,
    operation: Mutex<Operation>,
}

impl Observation {
    fn operation(&self) -> std::sync::MutexGuard<'_, Operation> {
        match self.operation.lock() {
            Ok(operation) => operation,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn record(&self, code: &str, elapsed: Duration) {
        let operation = self.operation();
        let kind = operation.kind.unwrap_or("unknown");
        self.metrics
            .graphql_request(operation.name.as_deref(), kind, code, elapsed);
    }
}

/// Counts the request when dropped before it finished: the request budget stopped it.
struct Unfinished<'a> {
    observation: &'a Observation,
    started: Instant,
    finished: bool,
}

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.observation.record("TIMEOUT", self.started.elapsed());
        }
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for Observation {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut unfinished = Unfinished {
            observation: self,
            started: Instant::now(),
            finished: false,
        };
        let mut response = next.run(ctx).await;
        unfinished.finished = true;
        // The codes the client will see (the HTTP adapter labels the engine's errors too).
        label_engine_errors(&mut response);
        self.record(&outcome(&response), unfinished.started.elapsed());
        response
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        let running = self.metrics.subscription_started();
        let stream = next.run(ctx, stream);
        Box::pin(stream.map(move |response| {
            let _counted_while_streaming = &running;
            response
        }))
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        self.operation().name = request.operation_name.clone();
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let mut operation = self.operation();
        let mut operations = document.operations.iter();
        let chosen = match operation.name.as_deref() {
            Some(wanted) => operations.find(|(name, _)| name.is_some_and(|n| n.as_str() == wanted)),
            None => operations.next(),
        };
        if let Some((name, definition)) = chosen {
            operation.name = name.map(|n| n.to_string());
            operation.kind = Some(match definition.node.ty {
                OperationType::Query => "query",
                OperationType::Mutation => "mutation",
                OperationType::Subscription => "subscription",
            });
        }
        drop(operation);
        Ok(document)
    }
}

/// `ok`, or the code of the response's first error.
fn outcome(response: &Response) -> String {
    let Some(error) = response.errors.first() else {
        return "ok".to_owned();
    };
    match error.extensions.as_ref().and_then(|e| e.get("code")) {
        Some(Value::String(code)) => code.clone(),
        _ => "INTERNAL".to_owned(),
    }
}
