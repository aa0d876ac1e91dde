//! What an event looks like on the way in and on the way out, and its chained hash.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{ColumnIndex, Decode, FromRow, Row, Type};
use uuid::Uuid;

use super::StoreError;

/// The `prev_hash` of the first event of every stream.
pub const GENESIS_HASH: [u8; 32] = [0; 32];

/// Who recorded an event and in which context. Set by the server, never by the client.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// The person or system that recorded the event (`cli:root`, a token name, …).
    pub actor: String,
    /// The actor's role when recording (`admin`, `recorder`, `system`, …).
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_id: Option<String>,
    /// The account of the signed-in person who recorded it (absent for tokens and the CLI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causation_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// The SHA-256 of the command as the client gave it, so that a retry with the same
    /// idempotency key is told from a different command reusing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command_sha256: Option<String>,
    /// The SHA-256 of the mutation's input in canonical JSON (which replaced
    /// `command_sha256`): a key reused with another input is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_sha256: Option<String>,
    /// Why the event was recorded as it is, when that is not plain: e.g. a change inferred
    /// from a dataset rather than read in a legal act.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Metadata {
    pub fn system(actor: impl Into<String>) -> Self {
        Metadata {
            actor: actor.into(),
            role: "system".into(),
            ..Metadata::default()
        }
    }
}

/// An event to append: its type, schema version, JSON payload and the date it is true from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    pub event_type: String,
    pub schema_version: i32,
    /// The JSON text, stored and hashed byte for byte as given.
    pub payload: String,
    pub effective_on: Option<NaiveDate>,
    /// The event this one follows from, recorded as its metadata's `causation_id`; none: it
    /// follows from the request itself.
    pub caused_by: Option<Cause>,
}

/// What caused an event, when it is another event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// An event already in the log.
    Event(Uuid),
    /// Another event of the same (atomic) append request, by its index (0-based, in stream
    /// order).
    InRequest(usize),
}

impl NewEvent {
    /// An event whose payload is `payload` serialised to JSON.
    pub fn json(
        event_type: impl Into<String>,
        payload: &impl Serialize,
    ) -> Result<Self, StoreError> {
        Ok(NewEvent {
            event_type: event_type.into(),
            schema_version: 1,
            payload: serde_json::to_string(payload).map_err(StoreError::Encode)?,
            effective_on: None,
            caused_by: None,
        })
    }

    pub fn effective_on(mut self, date: NaiveDate) -> Self {
        self.effective_on = Some(date);
        self
    }

    pub fn caused_by(mut self, cause: Cause) -> Self {
        self.caused_by = Some(cause);
        self
    }
}

/// An event as stored: the envelope of DESIGN §3.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedEvent {
    pub position: i64,
    pub stream_id: String,
    pub stream_version: i64,
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: i32,
    pub payload: String,
    /// The metadata JSON text exactly as hashed; see [`RecordedEvent::metadata`].
    pub metadata_json: String,
    pub recorded_at: DateTime<Utc>,
    pub effective_on: Option<NaiveDate>,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

/// Decodes the columns of `sql::EVENT_COLUMNS` by index, on either engine (by-name look-ups
/// cost a hash per column and row on the replay path).
impl<'r, R: Row> FromRow<'r, R> for RecordedEvent
where
    usize: ColumnIndex<R>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
    i32: Decode<'r, R::Database> + Type<R::Database>,
    String: Decode<'r, R::Database> + Type<R::Database>,
    Uuid: Decode<'r, R::Database> + Type<R::Database>,
    DateTime<Utc>: Decode<'r, R::Database> + Type<R::Database>,
    NaiveDate: Decode<'r, R::Database> + Type<R::Database>,
    Vec<u8>: Decode<'r, R::Database> + Type<R::Database>,
{
    fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
        Ok(RecordedEvent {
            position: row.try_get(0)?,
            stream_id: row.try_get(1)?,
            stream_version: row.try_get(2)?,
            event_id: row.try_get(3)?,
            event_type: row.try_get(4)?,
            schema_version: row.try_get(5)?,
            payload: row.try_get(6)?,
            metadata_json: row.try_get(7)?,
            recorded_at: row.try_get(8)?,
            effective_on: row.try_get(9)?,
            prev_hash: row.try_get(10)?,
            hash: row.try_get(11)?,
        })
    }
}

/// An event as the log reads it for folding: no metadata, event id or hashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    pub position: i64,
    pub stream_id: String,
    pub stream_version: i64,
    pub event_type: String,
    pub schema_version: i32,
    pub recorded_at: DateTime<Utc>,
    pub payload: String,
}

impl<'r, R: Row> FromRow<'r, R> for LogEntry
where
    usize: ColumnIndex<R>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
    i32: Decode<'r, R::Database> + Type<R::Database>,
    String: Decode<'r, R::Database> + Type<R::Database>,
    DateTime<Utc>: Decode<'r, R::Database> + Type<R::Database>,
{
    fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
        Ok(LogEntry {
            position: row.try_get(0)?,
            stream_id: row.try_get(1)?,
            stream_version: row.try_get(2)?,
            event_type: row.try_get(3)?,
            schema_version: row.try_get(4)?,
            recorded_at: row.try_get(5)?,
            payload: row.try_get(6)?,
        })
    }
}

/// A shape in which the global log can be streamed.
pub(crate) trait LogRow:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin + 'static
{
    /// The columns to select, in the order `from_row` reads them.
    const COLUMNS: &'static str;
    fn position(&self) -> i64;
}

impl LogRow for RecordedEvent {
    const COLUMNS: &'static str = super::sql::EVENT_COLUMNS;
    fn position(&self) -> i64 {
        self.position
    }
}

impl LogRow for LogEntry {
    const COLUMNS: &'static str =
        "position, stream_id, stream_version, event_type, schema_version, recorded_at, payload";
    fn position(&self) -> i64 {
        self.position
    }
}

impl RecordedEvent {
    pub fn metadata(&self) -> Result<Metadata, StoreError> {
        serde_json::from_str(&self.metadata_json).map_err(|source| StoreError::Decode {
            position: self.position,
            source,
        })
    }

    /// The hash this event should carry given its content and `prev_hash`.
    pub fn computed_hash(&self) -> [u8; 32] {
        chain_hash(&HashInput {
            stream_id: &self.stream_id,
            stream_version: self.stream_version,
            event_id: self.event_id,
            event_type: &self.event_type,
            schema_version: self.schema_version,
            effective_on: self.effective_on,
            recorded_at: self.recorded_at,
            metadata: &self.metadata_json,
            payload: &self.payload,
            prev_hash: &self.prev_hash,
        })
    }
}

/// The fields covered by an event's hash.
pub(crate) struct HashInput<'a> {
    pub stream_id: &'a str,
    pub stream_version: i64,
    pub event_id: Uuid,
    pub event_type: &'a str,
    pub schema_version: i32,
    pub effective_on: Option<NaiveDate>,
    pub recorded_at: DateTime<Utc>,
    pub metadata: &'a str,
    pub payload: &'a str,
    pub prev_hash: &'a [u8],
}

/// `SHA-256(canonical envelope ‖ prev_hash)`. The canonical envelope is each field as UTF-8
/// text preceded by its byte length as a 4-byte big-endian integer, in this order: stream id,
/// stream version (decimal), event id (hyphenated, lower case), event type, schema version
/// (decimal), effective date (`YYYY-MM-DD` or empty), recorded-at (RFC 3339, UTC, microseconds,
/// `Z`), metadata JSON, payload JSON. `scripts/verify_sqlite_chain.py` is the same algorithm as a short script.
pub(crate) fn chain_hash(input: &HashInput<'_>) -> [u8; 32] {
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        hasher.update(len.to_be_bytes());
        hasher.update(bytes);
    };
    field(input.stream_id.as_bytes());
    field(input.stream_version.to_string().as_bytes());
    field(input.event_id.hyphenated().to_string().as_bytes());
    field(input.event_type.as_bytes());
    field(input.schema_version.to_string().as_bytes());
    let effective_on = input
        .effective_on
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    field(effective_on.as_bytes());
    let recorded_at = input
        .recorded_at
        .to_rfc3339_opts(SecondsFormat::Micros, true);
    field(recorded_at.as_bytes());
    field(input.metadata.as_bytes());
    field(input.payload.as_bytes());
    hasher.update(input.prev_hash);
    hasher.finalize().into()
}
