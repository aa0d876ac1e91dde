//! The GraphQL API (DESIGN §5): present state from the read tables, history and time travel
//! from the event streams, one mutation per domain command, and live subscriptions.

mod access;
mod attachment_routes;
pub mod attachments;
mod batch;
pub(crate) mod caching;
mod catalog;
mod catalog_parts;
mod children_loader;
mod command;
mod command_input;
mod completion;
mod completion_reads;
mod connection;
mod criterion_count;
mod criterion_entry_inputs;
mod criterion_standing;
mod decision_inputs;
mod diff;
mod documents;
mod enums;
mod error;
mod event_details;
mod event_details_accounts;
mod event_details_locality;
mod event_details_progress;
mod event_filter;
mod event_types;
mod events;
mod feed;
mod grading_set;
mod graphiql;
mod http_errors;
pub mod imports;
mod in_process;
mod inputs;
mod introspection;
mod issued_reports;
mod language;
mod lineage;
mod lineage_inputs;
mod loaders;
pub mod localities;
mod locality;
mod locality_filter;
mod messages_vi;
mod mutation;
mod node;
mod node_query;
mod observed;
mod operation;
mod persisted;
mod publish;
mod query;
mod recognised;
mod recognised_loader;
mod recognition_inputs;
mod request_ids;
mod response_cache;
mod response_shape;
mod routes;
mod scalars;
mod series;
mod series_dates;
mod standing;
mod streams;
mod subscription;
mod summary;
mod summary_figures;
mod summary_order;
mod summary_reads;
mod transparency;
mod transparency_routes;
mod trusted;
mod uploads;
mod verifications;
mod websocket;

use std::time::Duration;

use async_graphql::{Context, SDLExportOptions, Schema};

use crate::app::clock::Clock;
use crate::app::CatalogHandle;
use crate::app::CommandService;
use crate::auth::Actor;
use crate::blobs::BlobStore;
use crate::checkpoint::Checkpoints;
use crate::metrics::Metrics;
use crate::projection::read::{Readers, Reads, StatementCount};
use crate::projection::ProjectorHandle;
use crate::store::EventStore;

pub use crate::app::RequestIds;
pub use batch::DEFAULT_BATCH_LIMIT;
pub use documents::{MAX_ALIASES, MAX_FIELDS, MAX_NESTING};
pub use error::ApiError;
pub use event_types::EventType;
pub use in_process::{AnsweredError, InProcess, InProcessError};
pub use messages_vi::{message as vietnamese_message, rule_statement};
pub use response_cache::{ResponseCache, DEFAULT_BUDGET as DEFAULT_RESPONSE_CACHE};
pub use routes::{routes, ProtocolSettings, MAX_BODY_BYTES};
pub use trusted::{ManifestError, TrustedDocuments};

use issued_reports::IssuedReportsQuery;
use loaders::Loaders;
use mutation::MutationRoot;
use node_query::NodeQuery;
use query::QueryRoot;
use subscription::SubscriptionRoot;
use transparency::TransparencyQuery;
use verifications::VerificationQuery;

/// Every read the API offers: present state, time travel, roll-ups, the audit feed, reads
/// by global id, the runs of `ntm verify` and the transparency log's checkpoints and proofs.
#[derive(async_graphql::MergedObject, Default)]
#[graphql(name = "Query")]
pub struct Query(
    QueryRoot,
    NodeQuery,
    VerificationQuery,
    IssuedReportsQuery,
    TransparencyQuery,
);

/// The schema served at `/graphql`.
pub type NtmSchema = Schema<Query, MutationRoot, SubscriptionRoot>;

/// Deepest selection accepted; the standard introspection query (GraphiQL) is 13 levels deep.
pub const MAX_QUERY_DEPTH: usize = 16;
/// Most expensive selection accepted; a list of `first` items costs `first` × its selection.
pub const MAX_COMPLEXITY: usize = 20_000;
/// Cost of a roll-up (`summary`) in [`MAX_COMPLEXITY`] units, beyond its selection: it reads
/// every unit of a subtree, about a millisecond for a province of 180 communes and 90 ms for
/// 10,000 (the API benchmark), so a document holds at most 39: a national page of the 34
/// provinces fits.
pub const SUMMARY_COST: usize = 500;
/// Cost of grading a standing from the event stream (time travel: `on` or `knownAt`) or of a
/// `diff`, about a millisecond each on a demo commune.
pub const TIME_TRAVEL_COST: usize = 100;
/// Largest page of any connection.
pub const MAX_PAGE: i32 = 500;
/// Longest a request over HTTP may run by default (`NTM_REQUEST_TIMEOUT`); its statements are
/// dropped with it.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// Longest one statement may run on a read connection (PostgreSQL's `statement_timeout`, a
/// progress handler on SQLite).
pub use crate::projection::read::STATEMENT_TIMEOUT;
/// Longest a query waits for the read models to reach its `minPosition`.
pub const MIN_POSITION_WAIT: Duration = Duration::from_secs(5);

/// What every resolver can reach: the store, the catalogue and the projector's progress.
#[derive(Clone)]
pub struct ApiContext {
    pub store: EventStore,
    /// The catalogue: read it once per resolver with `current()`.
    pub catalog: CatalogHandle,
    pub projections: ProjectorHandle,
    /// Anonymous requests may read (without identities): `NTM_PUBLIC_READ`.
    pub public_read: bool,
    /// The connections of the requests' reads of the read tables.
    pub readers: Readers,
    /// Where every mutation's command is handled.
    pub commands: CommandService,
    /// What "now" and "today" (Vietnam's date) are for defaults such as `on`.
    pub clock: Clock,
    /// Longest one HTTP request may run.
    pub request_timeout: Duration,
    /// `__schema` and `__type` answer; off, documents asking them are refused.
    pub introspection: bool,
    /// Where requests and subscriptions are counted.
    pub metrics: Metrics,
    /// Queries' answers kept while the store stands still.
    pub responses: ResponseCache,
    /// The files attached to facts.
    pub blobs: BlobStore,
    /// The log's signed checkpoints and their cosignatures.
    pub checkpoints: Checkpoints,
}

/// Per request (or per WebSocket connection): the actor (none: anonymous), the request's ids,
/// the loaders and the statement count.
pub struct RequestScope {
    pub actor: Option<Actor>,
    pub ids: RequestIds,
    pub reads: Reads,
    pub loaders: Loaders,
}

impl RequestScope {
    pub fn new(context: &ApiContext, actor: Option<Actor>, ids: RequestIds) -> Self {
        let reads = Reads::new(context.readers.clone(), StatementCount::default());
        let loaders = Loaders::new(&reads, context.store.db());
        RequestScope {
            actor,
            ids,
            reads,
            loaders,
        }
    }

    /// The scope of a WebSocket connection: its loaders batch but do not cache.
    pub fn live(context: &ApiContext, actor: Option<Actor>, ids: RequestIds) -> Self {
        let scope = RequestScope::new(context, actor, ids);
        RequestScope {
            loaders: scope.loaders.without_cache(),
            ..scope
        }
    }
}

/// The schema with its limits and the shared context; `ntm schema` and the drift test use
/// [`sdl`], which needs no database.
pub fn schema(context: ApiContext) -> NtmSchema {
    let builder = Schema::build(Query::default(), MutationRoot, SubscriptionRoot)
        .limit_depth(MAX_QUERY_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .extension(observed::Observed(context.metrics.clone()))
        .extension(response_cache::Responses)
        .extension(caching::Caching);
    let builder = if context.introspection {
        builder
    } else {
        builder
            .disable_introspection()
            .extension(introspection::NoIntrospection)
    };
    builder.data(context).finish()
}

/// The schema in GraphQL SDL, as committed in `schema/schema.graphql`, with the scalars'
/// `@specifiedBy` URLs.
pub fn sdl() -> String {
    Schema::build(Query::default(), MutationRoot, SubscriptionRoot)
        .finish()
        .sdl_with_options(SDLExportOptions::new().include_specified_by())
}

/// The shared context of a resolver.
pub(crate) fn api<'a>(ctx: &Context<'a>) -> Result<&'a ApiContext, ApiError> {
    ctx.data::<ApiContext>()
        .map_err(|_| ApiError::internal("schema built without its ApiContext"))
}

/// The request scope of a resolver.
/// The service's clock (the system's unless the server was started with another).
pub(crate) fn clock(ctx: &Context<'_>) -> Clock {
    ctx.data::<ApiContext>()
        .map_or(Clock::SYSTEM, |api| api.clock)
}

pub(crate) fn scope<'a>(ctx: &Context<'a>) -> Result<&'a RequestScope, ApiError> {
    ctx.data::<RequestScope>()
        .map_err(|_| ApiError::internal("request executed without its RequestScope"))
}

/// Read-your-writes: waits (bounded) until the read models include `min_position`.
pub(crate) async fn reach(ctx: &Context<'_>, min_position: Option<i64>) -> Result<(), ApiError> {
    if let Some(position) = min_position.filter(|p| *p > 0) {
        api(ctx)?
            .projections
            .wait_for(position, MIN_POSITION_WAIT)
            .await?;
    }
    Ok(())
}

/// A page size within `1..=MAX_PAGE` (default 20).
pub(crate) fn page_size(first: Option<i32>) -> Result<usize, ApiError> {
    match first.unwrap_or(20) {
        n @ 1..=MAX_PAGE => Ok(n as usize),
        n => Err(ApiError::validation(
            "first",
            format!("first must be from 1 to {MAX_PAGE}, got {n}"),
        )),
    }
}
