//! The catalogue as the log records it: `CriteriaSetPublished` events on `catalog/<CODE>`
//! streams, loaded over the files compiled into the binary, and the one shared handle through
//! which a running process sees a newly published version.

use std::sync::{Arc, RwLock};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::catalog::{Catalog, CatalogError, Published, SetCode};
use crate::store::{EventStore, LogEntry, RecordedEvent, StoreError};

/// Stream category of published criteria sets.
pub const CATEGORY: &str = "catalog/";
/// The event type of a published version.
pub const CRITERIA_SET_PUBLISHED: &str = "CriteriaSetPublished";

pub fn stream_id(code: &SetCode) -> String {
    format!("{CATEGORY}{code}")
}

/// `CriteriaSetPublished`: one version of a criteria set, its file whole, so that the log alone
/// rebuilds the catalogue that graded any date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriteriaSetPublished {
    pub code: String,
    /// SHA-256 of `toml`, hex.
    pub version: String,
    pub file: String,
    pub toml: String,
    pub legal_act: Option<String>,
    /// The day the version takes effect (the later of the act's signing and entry into force).
    pub effective_on: NaiveDate,
    pub supersedes: Option<String>,
}

/// A catalogue that cannot be loaded from the log.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("event at position {position}: {reason}")]
    Event { position: i64, reason: String },
    #[error("the published catalogue does not load: {0}")]
    Catalog(#[from] CatalogError),
}

/// Whether `event`, of a catalogue stream, is one this build reads; `Err` says why not.
pub fn check_event(event: &RecordedEvent) -> Result<(), String> {
    if event.event_type != CRITERIA_SET_PUBLISHED {
        return Err(format!("{:?} is not a catalogue event", event.event_type));
    }
    if event.schema_version != 1 {
        return Err(format!(
            "schema_version {} of {CRITERIA_SET_PUBLISHED} is not supported (this build reads 1)",
            event.schema_version
        ));
    }
    serde_json::from_str::<CriteriaSetPublished>(&event.payload)
        .map(drop)
        .map_err(|e| format!("payload is not a {CRITERIA_SET_PUBLISHED}: {e}"))
}

/// A recorded version from its log entry.
pub fn published(entry: &LogEntry) -> Result<Published, LoadError> {
    let event: CriteriaSetPublished =
        serde_json::from_str(&entry.payload).map_err(|e| LoadError::Event {
            position: entry.position,
            reason: format!("payload is not a {CRITERIA_SET_PUBLISHED}: {e}"),
        })?;
    Ok(Published {
        file: event.file,
        toml: event.toml,
        position: entry.position,
        recorded_at: entry.recorded_at,
    })
}

/// A recorded version from its stored event.
pub fn published_event(event: &RecordedEvent) -> Result<Published, LoadError> {
    let entry = LogEntry {
        position: event.position,
        stream_id: event.stream_id.clone(),
        stream_version: event.stream_version,
        event_type: event.event_type.clone(),
        schema_version: event.schema_version,
        recorded_at: event.recorded_at,
        payload: event.payload.clone(),
    };
    published(&entry)
}

/// Every version recorded up to `up_to`, in log order.
pub async fn recorded(store: &EventStore, up_to: i64) -> Result<Vec<Published>, LoadError> {
    let ids = store.stream_ids_by_start(CATEGORY, up_to).await?;
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut entries = store.read_streams_entries(&ids, up_to).await?;
    entries.sort_by_key(|e| e.position);
    entries.iter().map(published).collect()
}

/// The catalogue: `base` (the files of the binary) with every version recorded in the log.
pub async fn load(store: &EventStore, base: &Catalog) -> Result<Catalog, LoadError> {
    let recorded = recorded(store, i64::MAX).await?;
    Ok(base.with_published(&recorded)?)
}

/// The catalogue as the log knew it at `position`: what the projection up to there graded with.
pub async fn load_at(
    store: &EventStore,
    base: &Catalog,
    position: i64,
) -> Result<Catalog, LoadError> {
    let recorded = recorded(store, position).await?;
    Ok(base.with_published(&recorded)?)
}

/// The catalogue a process grades and decides with, shared by the command service, the API and
/// the projector, replaced whole when a version is published.
#[derive(Clone, Debug)]
pub struct CatalogHandle {
    base: Arc<Catalog>,
    current: Arc<RwLock<Arc<Catalog>>>,
}

impl CatalogHandle {
    /// A handle holding `catalog`, built over `base` (the files of the binary).
    pub fn new(base: Arc<Catalog>, catalog: Arc<Catalog>) -> Self {
        CatalogHandle {
            base,
            current: Arc::new(RwLock::new(catalog)),
        }
    }

    /// A handle on a fixed catalogue that is also its base (tests, tools without a log).
    pub fn fixed(catalog: Arc<Catalog>) -> Self {
        Self::new(catalog.clone(), catalog)
    }

    /// The base catalogue and every version recorded in the log.
    pub async fn load(store: &EventStore, base: Arc<Catalog>) -> Result<Self, LoadError> {
        let catalog = Arc::new(load(store, &base).await?);
        Ok(Self::new(base, catalog))
    }

    /// The catalogue as it stands now; a version published later does not change this value.
    pub fn current(&self) -> Arc<Catalog> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn base(&self) -> &Arc<Catalog> {
        &self.base
    }

    /// Replaces the catalogue unless the current one already holds as many versions or more
    /// (two reloads racing keep the newer).
    pub fn replace(&self, catalog: Arc<Catalog>) {
        let mut guard = match self.current.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let newest = |c: &Catalog| c.versions().iter().filter_map(|v| v.published_at).max();
        if newest(&catalog) >= newest(&guard) {
            *guard = catalog;
        }
    }

    /// Reloads from the log.
    pub async fn reload(&self, store: &EventStore) -> Result<Arc<Catalog>, LoadError> {
        let catalog = Arc::new(load(store, &self.base).await?);
        self.replace(catalog.clone());
        Ok(self.current())
    }
}

impl From<Arc<Catalog>> for CatalogHandle {
    fn from(catalog: Arc<Catalog>) -> Self {
        CatalogHandle::fixed(catalog)
    }
}
