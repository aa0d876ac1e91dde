//! What the decision form reads and writes: the unit whose communes it lists, the communes
//! under it on a date, the units holding pasted codes, the names of the units chosen, and the
//! `recordDecision` mutation (through the API in the process, as the person).

use serde::Deserialize;

/// A unit by id or code on a date.
pub const UNIT: &str = "query Unit($id: ID, $code: String, $on: Date!) {
  locality(id: $id, code: $code, on: $on) { id name code } }";

/// The criteria sets only (no unit asked for).
pub const SETS: &str = "query Sets { criteriaSets { code } }";

/// The commune-level units under `$within` on `$on`, by name.
pub const COMMUNES: &str = "query Communes($within: ID!, $on: Date!) {
  localities(filter: { within: $within, on: $on,
      kinds: [COMMUNE, WARD, TOWNSHIP, SPECIAL_ZONE] }, first: 500) {
    edges { node { id name code } } } }";

/// The units holding `$codes` on `$on`.
pub const BY_CODES: &str = "query ByCodes($codes: [String!]!, $on: Date!) {
  localities(filter: { codes: $codes, on: $on }, first: 500) {
    edges { node { id name code } } } }";

/// The units of `$ids` (their names, for the refusals).
pub const NAMES: &str = "query Names($ids: [ID!]!) {
  nodes(ids: $ids) { ... on Locality { id name code } } }";

pub const RECORD: &str = "mutation($input: RecordDecisionInput!) {
  recordDecision(input: $input) { position } }";

#[derive(Debug, Clone, Deserialize)]
pub struct Unit {
    pub id: String,
    pub name: Option<String>,
    pub code: Option<String>,
}

impl Unit {
    /// "Xã Thạch Bình (18112)".
    pub fn label(&self) -> String {
        let name = self.name.as_deref().unwrap_or(&self.id);
        match &self.code {
            Some(code) => format!("{name} ({code})"),
            None => name.to_owned(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnitData {
    pub locality: Option<Unit>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetsData {
    pub criteria_sets: Vec<Code>,
}

#[derive(Debug, Deserialize)]
pub struct Code {
    pub code: String,
}

#[derive(Debug, Deserialize)]
pub struct Listed {
    pub localities: Connection,
}

#[derive(Debug, Deserialize)]
pub struct Connection {
    pub edges: Vec<Edge>,
}

#[derive(Debug, Deserialize)]
pub struct Edge {
    pub node: Unit,
}

impl Listed {
    pub fn units(self) -> Vec<Unit> {
        self.localities.edges.into_iter().map(|e| e.node).collect()
    }
}

#[derive(Debug, Deserialize)]
pub struct Named {
    pub nodes: Vec<Option<Unit>>,
}
