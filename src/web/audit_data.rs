//! What the audit page reads: the feed newest first under its filters, the last `ntm verify`
//! and the newest signed checkpoints, in one document.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use super::layout::Head;
use super::overview_data::Named;

pub const FEED: &str = "query Audit($filter: EventFilter!, $first: Int!, $after: String, $unit: ID, $scoped: Boolean!) {
  head { position recordedAt projected }
  lastVerification { finishedAt ok eventsChecked streamsChecked headPosition headHash readTablesCompared problem }
  logVerifierKey
  checkpoints(first: 10) { treeSize rootHash madeAt cosignatures { witness keyId signedAt } }
  unit: locality(id: $unit) @include(if: $scoped) { id name code kind }
  events(filter: $filter, order: NEWEST_FIRST, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id position type recordedAt effectiveOn actor reason
      locality { id name code kind } } } } }";

/// A unit named by its code on the page's date, for the unit filter.
pub const UNIT_BY_CODE: &str = "query AuditUnit($code: String!, $on: Date!) {
  locality(code: $code, on: $on) { id name code kind } }";

/// Events per page.
pub const EVENTS_PER_PAGE: i64 = 50;

#[derive(Debug, Deserialize)]
pub struct UnitByCode {
    pub locality: Option<Named>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedData {
    pub head: Head,
    pub last_verification: Option<Verification>,
    pub log_verifier_key: Option<String>,
    pub checkpoints: Vec<SignedCheckpoint>,
    pub unit: Option<Named>,
    pub events: Events,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Events {
    pub total_count: i64,
    pub page_info: PageInfo,
    pub edges: Vec<Edge>,
}

pub use super::overview_data::PageInfo;

#[derive(Debug, Deserialize)]
pub struct Edge {
    pub node: Event,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub position: i64,
    #[serde(rename = "type")]
    pub event_type: String,
    pub recorded_at: DateTime<Utc>,
    pub effective_on: Option<NaiveDate>,
    pub actor: Option<String>,
    pub reason: Option<String>,
    pub locality: Option<Named>,
}

/// The last run of `ntm verify`, as recorded.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    pub finished_at: DateTime<Utc>,
    pub ok: bool,
    pub events_checked: i64,
    pub streams_checked: i64,
    pub head_position: i64,
    pub head_hash: Option<String>,
    pub read_tables_compared: bool,
    pub problem: Option<String>,
}

/// A signed checkpoint of the log, with its witnesses' cosignatures.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedCheckpoint {
    pub tree_size: i64,
    pub root_hash: String,
    pub made_at: DateTime<Utc>,
    pub cosignatures: Vec<Cosignature>,
}

/// Who cosigned a checkpoint, and when (by the witness's clock).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cosignature {
    pub witness: String,
    pub key_id: String,
    pub signed_at: DateTime<Utc>,
}
