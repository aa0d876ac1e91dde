//! The schema run inside the process: how the dashboard (`src/web`) reads, through the same
//! resolvers, access rules, limits and request scope as `/graphql`, without an HTTP round trip
//! (`docs/decisions/dashboard-server-rendered.md`).

use async_graphql::Variables;
use serde::de::DeserializeOwned;
use tokio::time::timeout;

use super::{schema, ApiContext, NtmSchema, RequestIds, RequestScope};
use crate::auth::Actor;

/// The schema, built once over the shared context: `/graphql` serves it and the dashboard
/// runs its read documents on it for a caller inside the process.
#[derive(Clone)]
pub struct InProcess {
    schema: NtmSchema,
    context: ApiContext,
}

/// Why a document run in the process gave no data: the errors the API answered, each with
/// its code (`extensions.code`), or data that did not have the shape the caller expected.
#[derive(Debug, thiserror::Error)]
pub enum InProcessError {
    #[error("{}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; "))]
    Api(Vec<AnsweredError>),
    #[error("the answer did not have the expected shape: {0}")]
    Shape(String),
}

/// One error of the API's answer.
#[derive(Debug, Clone)]
pub struct AnsweredError {
    pub message: String,
    /// `extensions.code`, e.g. `NOT_FOUND` or `VALIDATION`.
    pub code: Option<String>,
    /// Every extension the error carries (`code`, `field`, `rule`, `locality`, `item`, …),
    /// for a form that shows a refusal beside its field.
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

impl AnsweredError {
    /// The extension `name` as text (a number written out), if present.
    pub fn extension(&self, name: &str) -> Option<String> {
        match self.extensions.get(name)? {
            serde_json::Value::String(text) => Some(text.clone()),
            serde_json::Value::Null => None,
            other => Some(other.to_string()),
        }
    }
}

impl InProcessError {
    /// The first error's code, if the API gave one.
    pub fn code(&self) -> Option<&str> {
        match self {
            InProcessError::Api(errors) => errors.iter().find_map(|e| e.code.as_deref()),
            InProcessError::Shape(_) => None,
        }
    }
}

impl InProcess {
    /// The schema over `context`, built once.
    pub fn new(context: ApiContext) -> Self {
        InProcess {
            schema: schema(context.clone()),
            context,
        }
    }

    /// The schema.
    pub fn schema(&self) -> &NtmSchema {
        &self.schema
    }

    /// The shared context (clock, catalogue, store) the documents run against.
    pub fn context(&self) -> &ApiContext {
        &self.context
    }

    /// Runs `document` with `variables` as `actor` (none: anonymous) and reads its `data` as
    /// `T`; any error in the answer fails the whole read, so that a page never shows part of a
    /// screen as if it were all of it.
    pub async fn query<T: DeserializeOwned>(
        &self,
        document: &str,
        variables: serde_json::Value,
        actor: Option<Actor>,
    ) -> Result<T, InProcessError> {
        let request =
            async_graphql::Request::new(document).variables(Variables::from_json(variables));
        self.execute(request, actor).await
    }

    /// [`InProcess::query`] of a document whose variable `$file` is the uploaded `file` (the
    /// upload page's `importFacts`).
    pub async fn query_with_file<T: DeserializeOwned>(
        &self,
        document: &str,
        variables: serde_json::Value,
        actor: Option<Actor>,
        file: async_graphql::UploadValue,
    ) -> Result<T, InProcessError> {
        let mut request =
            async_graphql::Request::new(document).variables(Variables::from_json(variables));
        request.set_upload("variables.file", file);
        self.execute(request, actor).await
    }

    async fn execute<T: DeserializeOwned>(
        &self,
        request: async_graphql::Request,
        actor: Option<Actor>,
    ) -> Result<T, InProcessError> {
        let scope = RequestScope::new(&self.context, actor, RequestIds::new(None));
        let request = request.data(scope);
        let response =
            match timeout(self.context.request_timeout, self.schema.execute(request)).await {
                Ok(response) => response,
                Err(_) => {
                    return Err(InProcessError::Api(vec![AnsweredError {
                        message: "the page's read took too long and was stopped".into(),
                        code: Some("TIMEOUT".into()),
                        extensions: serde_json::Map::new(),
                    }]))
                }
            };
        if !response.errors.is_empty() {
            return Err(InProcessError::Api(
                response
                    .errors
                    .into_iter()
                    .map(|e| {
                        let extensions = e
                            .extensions
                            .as_ref()
                            .and_then(|x| serde_json::to_value(x).ok())
                            .and_then(|v| v.as_object().cloned())
                            .unwrap_or_default();
                        AnsweredError {
                            code: extensions
                                .get("code")
                                .and_then(|c| c.as_str())
                                .map(str::to_owned),
                            message: e.message,
                            extensions,
                        }
                    })
                    .collect(),
            ));
        }
        let data = response
            .data
            .into_json()
            .map_err(|e| InProcessError::Shape(e.to_string()))?;
        serde_json::from_value(data).map_err(|e| InProcessError::Shape(e.to_string()))
    }
}
