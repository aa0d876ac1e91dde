//! Reading one locality's stream for time travel, history and commands.

use async_graphql::Context;
use chrono::{DateTime, NaiveDate, Utc};

use super::standing::StandingView;
use super::{api, ApiError};
use crate::app::codec::{self, locality_stream_of};
use crate::domain::catalog::{Catalog, CriteriaSet, Grading};
use crate::domain::locality::LocalityEvent;
use crate::domain::standing::Recorded;
use crate::domain::territory::Territory;
use crate::domain::values::SetCode;
use crate::store::{EventStore, RecordedEvent, StreamRange};

/// The set named `code`, or NOT_FOUND.
pub fn criteria_set<'c>(catalog: &'c Catalog, code: &str) -> Result<&'c CriteriaSet, ApiError> {
    code.parse()
        .ok()
        .and_then(|c| catalog.get(&c))
        .ok_or_else(|| ApiError::not_found("criteria set", code))
}

/// The set code a standing of the set named `code` is kept under: a restatement's standing is
/// its national set's, graded by the restatement inside its territory. NOT_FOUND if unknown.
pub fn standing_code(catalog: &Catalog, code: &str) -> Result<SetCode, ApiError> {
    let set = criteria_set(catalog, code)?;
    let keyed = catalog.standing_set(&set.code).unwrap_or(set);
    Ok(keyed.code.clone())
}

/// The standing under set `code` of a locality inside `territory`, graded from its `events` on
/// `on` as the log knew it at `known_at`: by the versions published by then (a set published
/// later grades with its first version: no fact could name it before) or their restatements.
pub fn graded_view(
    (locality, events): (&str, &[Recorded<LocalityEvent>]),
    catalog: &Catalog,
    code: &SetCode,
    territory: &Territory,
    on: NaiveDate,
    known_at: DateTime<Utc>,
) -> Result<StandingView, ApiError> {
    with_grading_known_at(catalog, code, known_at, |grading| {
        StandingView::graded(locality, events, grading, territory, on, known_at)
    })
}

/// `grade` called with the grading of set `code` as the log knew it at `known_at` (see
/// [`graded_view`]); NOT_FOUND for a set never published.
pub fn with_grading_known_at<R>(
    catalog: &Catalog,
    code: &SetCode,
    known_at: DateTime<Utc>,
    grade: impl FnOnce(&Grading<'_>) -> R,
) -> Result<R, ApiError> {
    let known = catalog
        .as_known_at_time(known_at)
        .map_err(ApiError::internal)?;
    let grading = match (known.get(code), catalog.versions_of(code).first()) {
        (Some(set), _) => known.grading(set),
        (None, Some(first)) => Grading::alone(first),
        (None, None) => return Err(ApiError::not_found("criteria set", code.as_str())),
    };
    Ok(grade(&grading))
}

/// Every event of the locality's stream, as stored.
pub async fn stream_envelopes(
    ctx: &Context<'_>,
    locality: &str,
) -> Result<Vec<RecordedEvent>, ApiError> {
    read_envelopes(&api(ctx)?.store, locality).await
}

pub async fn read_envelopes(
    store: &EventStore,
    locality: &str,
) -> Result<Vec<RecordedEvent>, ApiError> {
    Ok(store
        .read_stream(&locality_stream_of(locality), StreamRange::all())
        .await?)
}

/// The stored envelope decoded into the domain event with its version and recording time.
pub fn decode(event: &RecordedEvent) -> Result<Recorded<LocalityEvent>, ApiError> {
    Ok(codec::decode(event)?)
}

/// The locality's stream decoded, for the domain's `standing`; NOT_FOUND when it is empty.
pub async fn recorded_events(
    ctx: &Context<'_>,
    locality: &str,
) -> Result<Vec<Recorded<LocalityEvent>>, ApiError> {
    let envelopes = stream_envelopes(ctx, locality).await?;
    if envelopes.is_empty() {
        return Err(ApiError::not_found("locality", locality));
    }
    envelopes.iter().map(decode).collect()
}

/// The standing of `locality` for the set named `set` on `on` as known at `known_at`, graded
/// from its stream, with the position of the last event of the stream recorded by then (0
/// before the first); None when the locality has no stream. An unknown set is NOT_FOUND.
pub async fn time_travel(
    ctx: &Context<'_>,
    locality: &str,
    set: &str,
    on: NaiveDate,
    known_at: DateTime<Utc>,
) -> async_graphql::Result<Option<StandingView>> {
    let catalog = api(ctx)?.catalog.current();
    let code = standing_code(&catalog, set)?;
    let envelopes = stream_envelopes(ctx, locality).await?;
    if envelopes.is_empty() {
        return Ok(None);
    }
    let events: Vec<Recorded<LocalityEvent>> =
        envelopes.iter().map(decode).collect::<Result<_, _>>()?;
    let territory = super::grading_set::territory(ctx, locality).await?;
    let stream = (locality, events.as_slice());
    let mut view = graded_view(stream, &catalog, &code, &territory, on, known_at)?;
    view.position = envelopes
        .iter()
        .filter(|e| e.recorded_at <= known_at)
        .map(|e| e.position)
        .max()
        .unwrap_or(0);
    Ok(Some(view))
}
