//! The rows of the read models, one struct per table, shared by the writer, `verify` and queries.

use chrono::NaiveDate;

/// `proj_localities`: the register entry with its latest attributes and subtree path.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LocalityRow {
    pub locality_id: String,
    pub path: String,
    pub name: Option<String>,
    pub code: Option<String>,
    pub kind: Option<String>,
    pub parent_id: Option<String>,
    pub established_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub end_kind: Option<String>,
    pub last_position: i64,
}

/// `proj_locality_periods`: attributes holding still over `[valid_from, valid_to)`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PeriodRow {
    pub locality_id: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub name: Option<String>,
    pub code: Option<String>,
    pub kind: Option<String>,
    pub parent_id: Option<String>,
    pub region: Option<String>,
    pub commune_group: Option<String>,
}

/// `proj_lineage_edges`: merged into, split into, formed from.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EdgeRow {
    pub recorded_on: String,
    pub from_id: String,
    pub to_id: String,
    pub kind: String,
    pub effective_on: NaiveDate,
    pub legal_act: Option<String>,
}

/// `proj_standings`: present standing of a locality for one criteria set.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StandingRow {
    pub locality_id: String,
    pub set_code: String,
    pub as_of: NaiveDate,
    pub exists_on: bool,
    pub enrolled: bool,
    pub criteria_met: i32,
    pub criteria_total: i32,
    pub level_reached: Option<String>,
    pub recognised_level: Option<String>,
    pub recognition: Option<String>,
    pub recognised_on: Option<NaiveDate>,
    pub standard_year: Option<i32>,
    pub recognition_batch: Option<String>,
    pub at_risk: Option<String>,
    pub pending_acknowledgement: i32,
    pub last_position: i64,
}

/// `proj_standing_criteria`: official and computed status of one criterion or condition.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CriterionRow {
    pub locality_id: String,
    pub set_code: String,
    pub criterion: String,
    pub is_condition: bool,
    pub status: String,
    pub computed: String,
    pub official: Option<String>,
    pub official_level: Option<String>,
    pub official_on: Option<NaiveDate>,
    pub differs: bool,
}

/// `proj_standing_indicators`: the latest reading behind an indicator, and its grade.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct IndicatorRow {
    pub locality_id: String,
    pub set_code: String,
    pub indicator: String,
    pub criterion: String,
    pub reading: Option<String>,
    pub read_on: Option<NaiveDate>,
    pub target: Option<String>,
    pub status: String,
}

/// `proj_standing_history`: the standing summary over `[valid_from, valid_to)`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HistoryRow {
    pub locality_id: String,
    pub set_code: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub exists_on: bool,
    pub criteria_met: i32,
    pub criteria_total: i32,
    pub level_reached: Option<String>,
    pub recognised_level: Option<String>,
    pub at_risk: Option<String>,
    /// One letter per criterion, then per condition, of the set: `M`, `N` or `U`.
    pub statuses: String,
}
