//! The `eventually-core` contract over our store: typed events of one stream category.
//!
//! `eventually` 0.4 has no metadata, time bounds or i64 positions, so a [`TypedStore`]
//! carries the metadata and idempotency key of the command being handled, and converts
//! versions and positions to the contract's u32 with a checked conversion.

use std::marker::PhantomData;

use chrono::NaiveDate;
use eventually_core::store::{AppendError, EventStream, Expected, Persisted, Select};
use eventually_core::subscription::{self, EventSubscriber};
use futures::future::BoxFuture;
use futures::stream::{StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{
    AppendRequest, EventStore, ExpectedVersion, Metadata, NewEvent, RecordedEvent, StoreError,
};

/// A domain event that can be stored: a stable type name, a schema version, an effective date.
pub trait DomainEvent: Serialize + DeserializeOwned + Send + Sync + 'static {
    fn event_type(&self) -> &'static str;
    fn schema_version(&self) -> i32 {
        1
    }
    fn effective_on(&self) -> Option<NaiveDate> {
        None
    }
}

/// An aggregate id with its stream name: `<category>/<id>`.
pub trait StreamName: Sized + Eq + Clone + Send + Sync + 'static {
    const CATEGORY: &'static str;
    fn to_id_string(&self) -> String;
    fn parse_id(id: &str) -> Option<Self>;

    fn stream_id(&self) -> String {
        format!("{}/{}", Self::CATEGORY, self.to_id_string())
    }
}

/// The store seen as an `eventually_core` event store of `E` events in `Id` streams.
pub struct TypedStore<Id, E> {
    store: EventStore,
    metadata: Metadata,
    idempotency_key: Option<String>,
    types: PhantomData<fn() -> (Id, E)>,
}

impl<Id, E> Clone for TypedStore<Id, E> {
    fn clone(&self) -> Self {
        TypedStore {
            store: self.store.clone(),
            metadata: self.metadata.clone(),
            idempotency_key: self.idempotency_key.clone(),
            types: PhantomData,
        }
    }
}

impl<Id: StreamName, E: DomainEvent> TypedStore<Id, E> {
    /// A typed view whose appends are recorded with `metadata`.
    pub fn new(store: EventStore, metadata: Metadata) -> Self {
        TypedStore {
            store,
            metadata,
            idempotency_key: None,
            types: PhantomData,
        }
    }

    pub fn with_idempotency_key(mut self, key: Option<String>) -> Self {
        self.idempotency_key = key;
        self
    }

    fn decode(&self, event: RecordedEvent) -> Result<Persisted<Id, E>, StoreError> {
        let id = event
            .stream_id
            .strip_prefix(Id::CATEGORY)
            .and_then(|rest| rest.strip_prefix('/'))
            .and_then(Id::parse_id)
            .ok_or_else(|| StoreError::InvalidAppend(format!("bad stream {}", event.stream_id)))?;
        let payload =
            serde_json::from_str(&event.payload).map_err(|source| StoreError::Decode {
                position: event.position,
                source,
            })?;
        Ok(Persisted::from(id, payload)
            .version(to_u32("version", event.stream_version)?)
            .sequence_number(to_u32("position", event.position)?))
    }

    fn in_category(event: &Result<RecordedEvent, StoreError>) -> bool {
        match event {
            Ok(e) => e
                .stream_id
                .strip_prefix(Id::CATEGORY)
                .is_some_and(|rest| rest.starts_with('/')),
            Err(_) => true,
        }
    }
}

fn decode_payload<E: DomainEvent>(position: i64, payload: &str) -> Result<E, StoreError> {
    serde_json::from_str(payload).map_err(|source| StoreError::Decode { position, source })
}

fn to_u32(what: &'static str, value: i64) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| StoreError::OutOfRange { what, value })
}

impl NewEvent {
    /// The envelope of a domain event: its type name, schema version, effective date and JSON.
    pub fn from_domain<E: DomainEvent>(event: &E) -> Result<Self, StoreError> {
        let mut new = NewEvent::json(event.event_type(), event)?;
        new.schema_version = event.schema_version();
        new.effective_on = event.effective_on();
        Ok(new)
    }
}

impl AppendError for StoreError {
    fn is_conflict_error(&self) -> bool {
        matches!(self, StoreError::VersionConflict { .. })
    }
}

impl<Id: StreamName, E: DomainEvent> eventually_core::store::EventStore for TypedStore<Id, E> {
    type SourceId = Id;
    type Event = E;
    type Error = StoreError;

    fn append(
        &mut self,
        id: Id,
        version: Expected,
        events: Vec<E>,
    ) -> BoxFuture<'_, Result<u32, StoreError>> {
        Box::pin(async move {
            let expected = match version {
                Expected::Any => ExpectedVersion::Any,
                Expected::Exact(v) => ExpectedVersion::Exact(i64::from(v)),
            };
            let events = events
                .iter()
                .map(NewEvent::from_domain)
                .collect::<Result<_, _>>()?;
            let stream_id = id.stream_id();
            let mut request =
                AppendRequest::single(&stream_id, expected, events, self.metadata.clone());
            request.idempotency_key.clone_from(&self.idempotency_key);
            let appended = self.store.append(request).await?;
            to_u32("version", appended.version_of(&stream_id).unwrap_or(0))
        })
    }

    fn stream(
        &self,
        id: Id,
        select: Select,
    ) -> BoxFuture<'_, Result<EventStream<'_, Self>, StoreError>> {
        Box::pin(async move {
            let from = match select {
                Select::All => 1,
                Select::From(v) => i64::from(v),
            };
            let rows = self
                .store
                .read_stream_payloads(&id.stream_id(), from)
                .await?;
            let decoded: Vec<_> = rows
                .into_iter()
                .map(|(version, position, payload)| {
                    let event = decode_payload(position, &payload)?;
                    Ok(Persisted::from(id.clone(), event)
                        .version(to_u32("version", version)?)
                        .sequence_number(to_u32("position", position)?))
                })
                .collect();
            Ok(futures::stream::iter(decoded).boxed())
        })
    }

    fn stream_all(
        &self,
        select: Select,
    ) -> BoxFuture<'_, Result<EventStream<'_, Self>, StoreError>> {
        // Sequence numbers are positions; `From(n)` includes position n.
        let after = match select {
            Select::All => 0,
            Select::From(n) => i64::from(n) - 1,
        };
        let events = self
            .store
            .catch_up(after.max(0))
            .filter(|e| futures::future::ready(Self::in_category(e)))
            .and_then(move |e| futures::future::ready(self.decode(e)));
        Box::pin(async move { Ok(events.boxed()) })
    }

    fn remove(&mut self, _id: Id) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async { Err(StoreError::AppendOnly) })
    }
}

impl<Id: StreamName, E: DomainEvent> EventSubscriber for TypedStore<Id, E> {
    type SourceId = Id;
    type Event = E;
    type Error = StoreError;

    /// Events of this category appended from now on (the contract's subscription is live-only;
    /// [`EventStore::subscribe`] resumes from a position).
    fn subscribe_all(
        &self,
    ) -> BoxFuture<'_, Result<subscription::EventStream<'_, Self>, StoreError>> {
        Box::pin(async move {
            let after = self.store.last_position().await?;
            let events = self
                .store
                .subscribe(after)
                .filter(|e| futures::future::ready(Self::in_category(e)))
                .and_then(move |e| futures::future::ready(self.decode(e)));
            Ok(events.boxed())
        })
    }
}
