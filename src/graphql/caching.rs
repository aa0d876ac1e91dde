//! Which responses may be cached for good (docs/decisions/http-caching.md): a root field's
//! resolver that read only immutable data says so with [`immutable`]; when every root field of
//! a query did and nothing failed, the response carries
//! `Cache-Control: private, max-age=…, immutable`. Nothing opts in by default, and a root
//! field opts in only when its whole selection is made of fields known to be fixed too: a field
//! added later (say, a locality's present name under an event) keeps the response revalidated.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextPrepareRequest,
};
use async_graphql::{
    Context, QueryPathSegment, Request, Response, SelectionField, ServerResult, Value,
};
use axum::http::header::CACHE_CONTROL;
use axum::http::HeaderValue;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::events::{EventConnection, EventFilter};

/// What an immutable response allows a client to keep it for: a week. The data cannot change,
/// but the code grading it can (a release fixing a rule): a week bounds how long a browser
/// keeps an answer graded by an old release.
pub const IMMUTABLE: &str = "private, max-age=604800, immutable";

/// How far in the past a `knownAt` must be for its answer to be final: an append records its
/// time before it commits, so events recorded a moment ago may still be committing. Longer
/// than any request may run (the request timeout) and than the clock skew between processes.
pub const SETTLED: TimeDelta = TimeDelta::minutes(5);

/// The fields under `standing` that come from the graded standing alone.
const STANDING_FIELDS: &[&str] = &[
    // Standing
    "localityId",
    "set",
    "gradedBy",
    "setVersion",
    "on",
    "knownAt",
    "exists",
    "inForce",
    "enrolled",
    "criteriaMet",
    "criteriaTotal",
    "levelReached",
    "recognition",
    "atRisk",
    "pendingAcknowledgement",
    "criteria",
    // CriterionStanding
    "code",
    "nameVi",
    "nameEn",
    "isKey",
    "isCondition",
    "status",
    "computed",
    "official",
    "officialLevel",
    "officialOn",
    "differs",
    "indicators",
    // IndicatorStanding
    "reading",
    "readOn",
    "target",
    // MeasuredValue
    "kind",
    "value",
    "flag",
    "text",
    // Recognition
    "level",
    "decision",
    "overrideReason",
    "recognisedOn",
    "standardYear",
    "batch",
];

/// The fields under `events` that come from the log's envelopes alone.
const EVENT_PAGE_FIELDS: &[&str] = &[
    // EventConnection, EventEdge, PageInfo
    "edges",
    "pageInfo",
    "cursor",
    "node",
    "hasNextPage",
    "hasPreviousPage",
    "startCursor",
    "endCursor",
    // Event
    "position",
    "streamId",
    "localityId",
    "version",
    "eventId",
    "type",
    "schemaVersion",
    "effectiveOn",
    "recordedAt",
    "actor",
    "metadata",
    "requestId",
    "correlationId",
    "causationId",
    "reason",
    "overrideReason",
    "payload",
    "hash",
    "prevHash",
];

/// `standing(on:, knownAt:)` is final when both are given and `knownAt` is [`SETTLED`]: the log
/// is append-only and `knownAt` selects by recorded time, so no later append can change it. A
/// default `on` is today, which moves; a `knownAt` of now is not settled.
pub(crate) fn standing_is_final(
    ctx: &Context<'_>,
    on: Option<NaiveDate>,
    known_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) {
    let settled = known_at.is_some_and(|known_at| known_at <= now - SETTLED);
    if on.is_some() && settled && selects_only(ctx.field(), STANDING_FIELDS) {
        immutable(ctx);
    }
}

/// A page of the audit feed is final when more events follow it: positions are gap-free and
/// committed in order, so it lies wholly below the log's head. A subtree filter follows the
/// tree as known now (a later, backdated change moves units), so it is never final.
pub(crate) fn events_page_is_final(
    ctx: &Context<'_>,
    filter: &EventFilter,
    page: &EventConnection,
) {
    if filter.subtree.is_none()
        && page.page_info.has_next_page
        && selects_only(ctx.field(), EVENT_PAGE_FIELDS)
    {
        immutable(ctx);
    }
}

/// Every field selected below `field`, at any depth, is in `allowed` (or is `__typename`).
fn selects_only(field: SelectionField<'_>, allowed: &[&str]) -> bool {
    field.selection_set().all(|selected| {
        (selected.name() == "__typename" || allowed.contains(&selected.name()))
            && selects_only(selected, allowed)
    })
}

/// The response keys of the root fields that read immutable data, for one request.
#[derive(Clone, Default)]
struct Votes(Arc<Mutex<HashSet<String>>>);

impl Votes {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        match self.0.lock() {
            Ok(keys) => keys,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

/// Declares that the root field resolving in `ctx` read only data that can never change (e.g.
/// as known at a past time: the log is append-only). Called from a nested field it does
/// nothing: only a root field can speak for its whole subtree.
fn immutable(ctx: &Context<'_>) {
    let Some(node) = ctx.path_node.as_ref() else {
        return;
    };
    if node.parent.is_some() {
        return;
    }
    if let (QueryPathSegment::Name(key), Ok(votes)) = (node.segment, ctx.data::<Votes>()) {
        votes.lock().insert(key.to_owned());
    }
}

/// Installs a [`Verdict`] on every request of the schema.
pub(super) struct Caching;

impl ExtensionFactory for Caching {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Verdict(Votes::default()))
    }
}

/// Collects the request's votes and marks its response immutable when they cover it.
struct Verdict(Votes);

#[async_graphql::async_trait::async_trait]
impl Extension for Verdict {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        next.run(ctx, request.data(self.0.clone())).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        if covered(&response, &self.0.lock()) {
            response
                .http_headers
                .insert(CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
        }
        response
    }
}

/// No error, and every root field of the data voted immutable (a mutation's never do).
fn covered(response: &Response, votes: &HashSet<String>) -> bool {
    let Value::Object(data) = &response.data else {
        return false;
    };
    response.errors.is_empty()
        && !data.is_empty()
        && data.keys().all(|key| votes.contains(key.as_str()))
}
