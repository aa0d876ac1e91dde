//! What the heat map reads: the unit with the set grading it on the date and the units
//! meeting each criterion (one document), then a page of its communes' standings under that
//! set (a second: a standing's set must be named, and the first tells which).

use serde::Deserialize;

use super::layout::Head;
use super::overview_data::Named;

/// The unit, its grading set on the date and the totals per criterion.
pub const UNIT: &str = "query HeatMapUnit($id: ID, $code: String, $on: Date!) {
  head { position recordedAt projected }
  locality(id: $id, code: $code, on: $on) { id name code kind
    summary(on: $on) { set criteriaPassed { criterion nameVi nameEn units percent } } } }";

/// A page of the communes under the unit (the units the programme counts), each with its standing under the set: from the read
/// tables for today, graded from its events for another date.
pub const ROWS: &str = "query HeatMapRows($within: ID!, $on: Date!, $standingOn: Date, $set: String!, $first: Int!, $after: String) {
  localities(filter: { within: $within, kinds: [COMMUNE], on: $on }, first: $first,
      after: $after, orderBy: { field: CODE }) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id name code kind
      standing(set: $set, on: $standingOn) { criteriaMet criteria { code status official computed differs } } } } } }";

#[derive(Debug, Deserialize)]
pub struct UnitData {
    pub head: Head,
    pub locality: Option<Unit>,
}

#[derive(Debug, Deserialize)]
pub struct Unit {
    #[serde(flatten)]
    pub named: Named,
    pub summary: Totals,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    pub set: Option<String>,
    pub criteria_passed: Vec<CriterionTotal>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CriterionTotal {
    pub criterion: String,
    pub name_vi: String,
    pub name_en: String,
    pub units: i64,
    pub percent: f64,
}

#[derive(Debug, Deserialize)]
pub struct RowsData {
    pub localities: Rows,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rows {
    pub total_count: i64,
    pub page_info: PageInfo,
    pub edges: Vec<RowEdge>,
}

pub use super::overview_data::PageInfo;

#[derive(Debug, Deserialize)]
pub struct RowEdge {
    pub node: Row,
}

#[derive(Debug, Deserialize)]
pub struct Row {
    #[serde(flatten)]
    pub named: Named,
    pub standing: Option<RowStanding>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowStanding {
    pub criteria_met: i64,
    pub criteria: Vec<Cell>,
}

/// One criterion of one commune.
#[derive(Debug, Deserialize)]
pub struct Cell {
    pub code: String,
    pub status: String,
    pub official: Option<String>,
    pub computed: String,
    pub differs: bool,
}

/// Communes per page: each graded from its events on a past date costs the API's
/// `TIME_TRAVEL_COST`, and a page stays well within `MAX_COMPLEXITY`.
pub const ROWS_PER_PAGE: i64 = 100;
