//! What the overview of a province or district reads: one document, run through the API.

use chrono::NaiveDate;
use serde::Deserialize;

use super::layout::Head;

/// The document of the overview: the unit, its roll-up with one row per child, and the
/// same figures at the end of every year from 2016 to today.
pub const OVERVIEW: &str = "query Overview($id: ID, $code: String, $on: Date!, $today: Date!, $order: SummaryOrder!, $descending: Boolean!) {
  head { position recordedAt projected }
  locality(id: $id, code: $code, on: $on) { id name code kind
    parent { id name code kind }
    summary(on: $on) { ...Figures
      children(orderBy: $order, descending: $descending) { ...Figures locality { id name code kind } } }
    summarySeries(from: \"2016-01-01\", to: $today, every: YEAR) { on set criteriaTotal units unrecognised averageCriteriaMet
      levels { level units percent } } } }
fragment Figures on Summary { on set criteriaTotal units unitsWithData unrecognised averageCriteriaMet atRisk
  pendingAcknowledgement levels { level units percent } bands { from to units percent } }";

#[derive(Debug, Deserialize)]
pub struct OverviewData {
    pub head: Head,
    pub locality: Option<Unit>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Unit {
    pub id: String,
    pub name: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    pub kind: Option<String>,
    pub parent: Option<Named>,
    pub summary: Figures,
    pub summary_series: Vec<Figures>,
}

/// A unit as a link names it.
#[derive(Debug, Clone, Deserialize)]
pub struct Named {
    pub id: String,
    pub name: Option<String>,
    pub code: Option<String>,
    pub kind: Option<String>,
}

/// Where a page of a connection sits (`PageInfo`): shared by the pages that page.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub has_next_page: bool,
    #[serde(default)]
    pub end_cursor: Option<String>,
}

impl PageInfo {
    /// The cursor of the next page, if there is one.
    pub fn next(&self) -> Option<&str> {
        self.end_cursor.as_deref().filter(|_| self.has_next_page)
    }
}

/// A roll-up's figures (`Summary`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    pub on: NaiveDate,
    pub set: Option<String>,
    #[serde(default)]
    pub criteria_total: i64,
    pub units: i64,
    #[serde(default)]
    pub units_with_data: i64,
    pub unrecognised: i64,
    pub average_criteria_met: f64,
    #[serde(default)]
    pub at_risk: i64,
    #[serde(default)]
    pub pending_acknowledgement: i64,
    pub levels: Vec<LevelCount>,
    #[serde(default)]
    pub bands: Vec<Band>,
    #[serde(default)]
    pub children: Vec<Figures>,
    pub locality: Option<Named>,
}

#[derive(Debug, Deserialize)]
pub struct LevelCount {
    pub level: String,
    pub units: i64,
    pub percent: f64,
}

#[derive(Debug, Deserialize)]
pub struct Band {
    pub from: i64,
    pub to: i64,
    pub units: i64,
    pub percent: f64,
}

impl Figures {
    /// Units holding `level` (as reports count them) and their share.
    pub fn level(&self, level: &str) -> (i64, f64) {
        self.levels
            .iter()
            .find(|l| l.level == level)
            .map_or((0, 0.0), |l| (l.units, l.percent))
    }
}

/// The levels an overview shows, in order: those of the communes' programme.
pub const SHOWN_LEVELS: [&str; 3] = ["NTM", "NTM_NANG_CAO", "NTM_KIEU_MAU"];

/// How the table of children is ordered: `?xep=` (the API's `SummaryOrder`) and `?giam=1`.
pub fn child_order(param: Option<&str>) -> &'static str {
    match param {
        Some("NAME") => "NAME",
        Some("UNITS") => "UNITS",
        Some("RECOGNISED_PERCENT") => "RECOGNISED_PERCENT",
        Some("AVERAGE_CRITERIA_MET") => "AVERAGE_CRITERIA_MET",
        Some("AT_RISK") => "AT_RISK",
        _ => "CODE",
    }
}
