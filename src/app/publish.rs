//! Publishing a criteria set: the file checked with today's checks against the catalogue the log
//! holds, then recorded once as a `CriteriaSetPublished` event on `catalog/<CODE>`; and, at
//! start-up, the files of the binary recorded as the first versions.

use chrono::NaiveDate;

use super::catalog::{
    self, stream_id, CatalogHandle, CriteriaSetPublished, LoadError, CRITERIA_SET_PUBLISHED,
};
use super::Origin;
use crate::domain::catalog::{parse_set, Catalog, CatalogError, CriteriaSet, Problem, Published};
use crate::store::{AppendRequest, EventStore, ExpectedVersion, NewEvent, StoreError, StreamRange};

/// A version published, or found already published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub code: String,
    pub version: String,
    pub effective_on: NaiveDate,
    /// Where its event is in the log.
    pub position: i64,
    /// The same file was published before: nothing was written.
    pub already: bool,
}

/// Why a file was not published; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(transparent)]
    Invalid(#[from] CatalogError),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What to publish.
pub struct PublishRequest<'a> {
    pub file: &'a str,
    pub toml: &'a str,
    /// Allows a file with another content than a version of the same start to replace it.
    pub correction: bool,
}

/// Checks `request` and records it, unless the same file is already recorded (idempotent).
/// On success the handle holds the catalogue with the new version.
pub async fn publish(
    store: &EventStore,
    handle: &CatalogHandle,
    request: &PublishRequest<'_>,
    origin: &Origin,
) -> Result<Publication, PublishError> {
    let set = parse_set(request.file, request.toml)?;
    let stream = stream_id(&set.code);
    let stored = store.read_stream(&stream, StreamRange::all()).await?;
    for event in &stored {
        let payload: CriteriaSetPublished =
            serde_json::from_str(&event.payload).map_err(|e| LoadError::Event {
                position: event.position,
                reason: e.to_string(),
            })?;
        if payload.version == set.version {
            return Ok(publication(&set, event.position, true));
        }
    }
    let recorded = catalog::recorded(store, i64::MAX).await?;
    let known = handle.base().with_published(&recorded)?;
    // The new version must load with every other: `supersedes` names a set, and so on.
    let candidate = Published {
        file: request.file.to_owned(),
        toml: request.toml.to_owned(),
        position: i64::MAX,
        // Not recorded: only checked with the others.
        recorded_at: chrono::DateTime::<chrono::Utc>::MAX_UTC,
    };
    known.with_published([&candidate])?;
    if !request.correction {
        refuse_same_start(&known, &set, request.file)?;
    }
    let event = NewEvent::json(CRITERIA_SET_PUBLISHED, &payload(&set, request))?
        .effective_on(set.starts_on());
    let expected = ExpectedVersion::Exact(stored.last().map_or(0, |e| e.stream_version));
    let append = AppendRequest::single(stream, expected, vec![event], origin.metadata());
    let appended = store.append(append).await?;
    handle.reload(store).await?;
    Ok(publication(&set, appended.last_position(), false))
}

/// Records every file of `handle`'s base not recorded yet, as `origin` (the start-up's); returns
/// how many were recorded. A file of a new release that changes a set on the same start is a
/// correction of it: the release is the publisher.
pub async fn record_shipped(
    store: &EventStore,
    handle: &CatalogHandle,
    origin: &Origin,
) -> Result<usize, PublishError> {
    let mut count = 0;
    for (file, toml) in Catalog::shipped_files() {
        let request = PublishRequest {
            file,
            toml,
            correction: true,
        };
        // Another process starting at the same time may record the same file first: the
        // second attempt finds it recorded.
        let published = match publish(store, handle, &request, origin).await {
            Err(PublishError::Store(StoreError::VersionConflict { .. })) => {
                publish(store, handle, &request, origin).await?
            }
            other => other?,
        };
        if !published.already {
            count += 1;
        }
    }
    Ok(count)
}

/// A file whose version starts on the same day as a recorded version of its set, with another
/// content, would replace that version for every date: only as an explicit correction.
fn refuse_same_start(known: &Catalog, set: &CriteriaSet, file: &str) -> Result<(), CatalogError> {
    let same = known
        .versions_of(&set.code)
        .iter()
        .find(|v| v.starts_on() == set.starts_on() && v.version != set.version);
    match same {
        Some(v) => Err(CatalogError::Invalid {
            file: file.to_owned(),
            key: "effective_from".into(),
            problem: Problem::SameEffectiveDate(v.version.clone()),
        }),
        None => Ok(()),
    }
}

fn payload(set: &CriteriaSet, request: &PublishRequest<'_>) -> CriteriaSetPublished {
    CriteriaSetPublished {
        code: set.code.to_string(),
        version: set.version.clone(),
        file: request.file.to_owned(),
        toml: request.toml.to_owned(),
        legal_act: set.legal_act.as_ref().map(ToString::to_string),
        effective_on: set.starts_on(),
        supersedes: set.supersedes.as_ref().map(ToString::to_string),
    }
}

fn publication(set: &CriteriaSet, position: i64, already: bool) -> Publication {
    Publication {
        code: set.code.to_string(),
        version: set.version.clone(),
        effective_on: set.starts_on(),
        position,
        already,
    }
}
