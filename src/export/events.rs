//! `ntm export events`: the log from a position on, one JSON object per line, with every field
//! the chained hash covers, so that an outside party can re-verify it (README, "The event
//! store"). `payload` and `metadata` are the exact JSON texts that were hashed, as strings.

use std::io::Write;

use chrono::SecondsFormat;
use serde::Serialize;

use crate::app::progress::Progress;
use crate::store::{EventStore, RecordedEvent, READ_BATCH};

#[derive(Serialize)]
pub(crate) struct EventLine<'a> {
    position: i64,
    stream_id: &'a str,
    stream_version: i64,
    event_id: String,
    event_type: &'a str,
    schema_version: i32,
    /// `YYYY-MM-DD`, or null.
    effective_on: Option<String>,
    /// RFC 3339 in UTC with six fraction digits, as hashed.
    recorded_at: String,
    metadata: &'a str,
    payload: &'a str,
    prev_hash: String,
    hash: String,
}

impl<'a> From<&'a RecordedEvent> for EventLine<'a> {
    fn from(e: &'a RecordedEvent) -> Self {
        EventLine {
            position: e.position,
            stream_id: &e.stream_id,
            stream_version: e.stream_version,
            event_id: e.event_id.hyphenated().to_string(),
            event_type: &e.event_type,
            schema_version: e.schema_version,
            effective_on: e.effective_on.map(|d| d.format("%Y-%m-%d").to_string()),
            recorded_at: e.recorded_at.to_rfc3339_opts(SecondsFormat::Micros, true),
            metadata: &e.metadata_json,
            payload: &e.payload,
            prev_hash: hex::encode(&e.prev_hash),
            hash: hex::encode(&e.hash),
        }
    }
}

/// Writes every event after position `after` as a JSON line; returns how many.
pub async fn export(
    store: &EventStore,
    mut after: i64,
    out: &mut impl Write,
    progress: &dyn Progress,
) -> anyhow::Result<usize> {
    let last = store.last_position().await?;
    progress.stage("exporting", Some(u64::try_from(last - after).unwrap_or(0)));
    let mut written = 0;
    loop {
        let batch = store.read_all(after, READ_BATCH).await?;
        let Some(last) = batch.last() else {
            return Ok(written);
        };
        after = last.position;
        for event in &batch {
            serde_json::to_writer(&mut *out, &EventLine::from(event))?;
            out.write_all(b"\n")?;
        }
        written += batch.len();
        progress.inc(batch.len() as u64);
    }
}
