//! Issuing a report: `ReportIssued` on a `report/<id>` stream records the SHA-256 and size of
//! the exact bytes sent, what was asked and the log position the figures were read at, as its
//! origin's like every other change; and the look-up that proves later whether a file was
//! issued, when and by whom. The reports themselves are `crate::report`'s.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::Origin;
use crate::store::{
    AppendRequest, EventStore, ExpectedVersion, NewEvent, RecordedEvent, StoreError, StreamRange,
};

/// Stream category of issued reports.
pub const CATEGORY: &str = "report/";
/// The stored name of the one event of a report's stream.
pub const REPORT_ISSUED: &str = "ReportIssued";

pub fn stream_id(id: Uuid) -> String {
    format!("{CATEGORY}{id}")
}

/// `ReportIssued`: a report file handed out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportIssued {
    pub report_id: Uuid,
    /// `summary`, `criteria` or `decisions`.
    pub kind: String,
    /// What was asked: the parent's code, the date, the comparison date, the period's start.
    pub parameters: serde_json::Value,
    /// `xlsx` or `csv`.
    pub format: String,
    pub file_name: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// The file's size in bytes.
    pub size: u64,
    /// The log's head when the figures were read.
    pub data_position: i64,
}

/// A report to record as issued.
pub struct ToIssue<'a> {
    pub kind: &'a str,
    pub parameters: serde_json::Value,
    pub format: &'a str,
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    pub data_position: i64,
}

/// An issued report as the log tells it.
#[derive(Debug, Clone, PartialEq)]
pub struct Issued {
    pub event: ReportIssued,
    /// Where the event is in the log.
    pub position: i64,
    pub recorded_at: DateTime<Utc>,
    /// Who issued it (the token's name or the person's username) and with which role.
    pub actor: String,
    pub role: String,
}

/// The SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Records `ReportIssued` for `report`, as `origin`.
pub async fn issue(
    store: &EventStore,
    report: ToIssue<'_>,
    origin: &Origin,
) -> Result<Issued, StoreError> {
    let issued = ReportIssued {
        report_id: Uuid::now_v7(),
        kind: report.kind.to_owned(),
        parameters: report.parameters,
        format: report.format.to_owned(),
        file_name: report.file_name.to_owned(),
        sha256: sha256_hex(report.bytes),
        size: u64::try_from(report.bytes.len()).unwrap_or(u64::MAX),
        data_position: report.data_position,
    };
    let event = NewEvent::json(REPORT_ISSUED, &issued)?;
    let stream = stream_id(issued.report_id);
    let request = AppendRequest::single(
        stream.clone(),
        ExpectedVersion::Exact(0),
        vec![event],
        origin.metadata(),
    );
    let appended = store.append(request).await?;
    let recorded = appended
        .events
        .first()
        .ok_or_else(|| malformed(&stream, "no event"))?;
    of_event(recorded).map_err(|detail| malformed(&stream, &detail))
}

/// Every issue of a file whose SHA-256 is `sha256` (lowercase hex), oldest first.
pub async fn issued_with(store: &EventStore, sha256: &str) -> Result<Vec<Issued>, StoreError> {
    let head = store.last_position().await?;
    let ids = store.stream_ids_by_start(CATEGORY, head).await?;
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let entries = store.read_streams_entries(&ids, head).await?;
    let wanted = sha256.trim().to_ascii_lowercase();
    let mut found = Vec::new();
    for entry in entries {
        let matches =
            serde_json::from_str::<ReportIssued>(&entry.payload).is_ok_and(|e| e.sha256 == wanted);
        if !matches {
            continue;
        }
        for event in store
            .read_stream(&entry.stream_id, StreamRange::all())
            .await?
        {
            if event.position == entry.position {
                let issued = of_event(&event).map_err(|d| malformed(&entry.stream_id, &d))?;
                found.push(issued);
            }
        }
    }
    found.sort_by_key(|i| i.position);
    Ok(found)
}

fn malformed(stream_id: &str, detail: &str) -> StoreError {
    StoreError::Malformed {
        stream_id: stream_id.to_owned(),
        detail: detail.to_owned(),
    }
}

/// The issued report an event records.
pub fn of_event(event: &RecordedEvent) -> Result<Issued, String> {
    check_event(event)?;
    let decoded: ReportIssued = serde_json::from_str(&event.payload).map_err(|e| e.to_string())?;
    let metadata = event.metadata().map_err(|e| e.to_string())?;
    Ok(Issued {
        event: decoded,
        position: event.position,
        recorded_at: event.recorded_at,
        actor: metadata.actor,
        role: metadata.role,
    })
}

/// Whether a stored event of a report's stream is one this build reads (`ntm verify`).
pub fn check_event(event: &RecordedEvent) -> Result<(), String> {
    if event.event_type != REPORT_ISSUED {
        return Err(format!("{:?} is not a report event", event.event_type));
    }
    serde_json::from_str::<ReportIssued>(&event.payload)
        .map_err(|error| format!("payload is not a {REPORT_ISSUED}: {error}"))?;
    match event.schema_version {
        1 => Ok(()),
        other => Err(format!(
            "schema_version {other} of {REPORT_ISSUED} is not supported (this build reads 1)"
        )),
    }
}
