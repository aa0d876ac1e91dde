//! Reading one locality's stream for time travel, history and commands.

use async_graphql::Context;
use chrono::{DateTime, NaiveDate, Utc};

use super::{api, ApiError};
use crate::app::codec::{self, locality_stream_of};
use crate::domain::catalog::{Catalog, CriteriaSet};
use crate::domain::locality::LocalityEvent;
use crate::domain::standing::Recorded;
use crate::store::{EventStore, RecordedEvent, StreamRange};

/// The set named `code`, or NOT_FOUND.
pub fn criteria_set<'c>(catalog: &'c Catalog, code: &str) -> Result<&'c CriteriaSet, ApiError> {
    code.parse()
        .ok()
        .and_then(|c| catalog.get(&c))
        .ok_or_else(|| ApiError::not_found("criteria set", code))
}

/// The version of the set named `code` that graded `on` as the log knew it at `known_at` (the
/// versions published by then), or NOT_FOUND.
pub fn version_graded(
    catalog: &Catalog,
    code: &str,
    on: NaiveDate,
    known_at: DateTime<Utc>,
) -> Result<CriteriaSet, ApiError> {
    let set = criteria_set(catalog, code)?;
    let known = catalog
        .as_known_at_time(known_at)
        .map_err(ApiError::internal)?;
    // A set published after `known_at` grades with its first version: no fact could name it
    // before it was published.
    let version = known
        .version_on(&set.code, on)
        .or_else(|| catalog.versions_of(&set.code).first())
        .unwrap_or(set);
    Ok(version.clone())
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
