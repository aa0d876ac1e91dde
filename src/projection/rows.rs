//! The rows of the read models, one struct per table, shared by the writer, `verify` and queries.

use chrono::NaiveDate;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};

/// A read-table row whose columns, in field order, a query can list: the API reads rows
/// packed as one JSON array of arrays (see `read::row_kinds`), which serde reads back in this
/// order.
pub trait Columns {
    const COLUMNS: &'static [&'static str];
}

/// Declares a row struct and its [`Columns`] from the same field list, so that the column
/// names and their order cannot drift from the struct.
macro_rules! table_row {
    ($(#[$meta:meta])* pub struct $row:ident {
        $($(#[$field_meta:meta])* pub $field:ident: $type:ty,)+
    }) => {
        $(#[$meta])*
        pub struct $row {
            $($(#[$field_meta])* pub $field: $type,)+
        }
        impl Columns for $row {
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),+];
        }
    };
}

/// A boolean column in JSON: `true` or `false` from PostgreSQL, `0` or `1` from SQLite.
fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    struct Flag;
    impl Visitor<'_> for Flag {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a boolean, 0 or 1")
        }
        fn visit_bool<E: de::Error>(self, b: bool) -> Result<bool, E> {
            Ok(b)
        }
        fn visit_u64<E: de::Error>(self, n: u64) -> Result<bool, E> {
            Ok(n != 0)
        }
    }
    deserializer.deserialize_any(Flag)
}

table_row! {
    /// `proj_localities`: the register entry with its latest attributes and subtree path.
    #[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Deserialize)]
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
}

table_row! {
    /// `proj_locality_periods`: attributes holding still over `[valid_from, valid_to)`.
    #[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Deserialize)]
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
        /// The special-commune status (QĐ 318, Điều 1), spelled.
        pub special: Option<String>,
        /// `name` folded for search and ordering: lower case, without Vietnamese diacritics
        /// (`domain::diacritics::search_key`).
        pub search_name: Option<String>,
    }
}

table_row! {
    /// `proj_lineage_edges`: merged into, split into, formed from.
    #[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Deserialize)]
    pub struct EdgeRow {
        pub recorded_on: String,
        pub from_id: String,
        pub to_id: String,
        pub kind: String,
        pub effective_on: NaiveDate,
        pub legal_act: Option<String>,
    }
}

table_row! {
    /// `proj_standings`: present standing of a locality for one criteria set.
    #[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Deserialize)]
    pub struct StandingRow {
        pub locality_id: String,
        pub set_code: String,
        /// The version (SHA-256 of its file) of the set that graded it.
        pub set_version: String,
        pub as_of: NaiveDate,
        #[serde(deserialize_with = "flag")]
        pub exists_on: bool,
        #[serde(deserialize_with = "flag")]
        pub enrolled: bool,
        pub criteria_met: i32,
        pub criteria_total: i32,
        pub level_reached: Option<String>,
        pub recognised_level: Option<String>,
        pub recognition: Option<String>,
        /// The set the recognition was granted (or acknowledged) under.
        pub recognised_set: Option<String>,
        /// The override reason of the recognition, when granted by override.
        pub recognition_override: Option<String>,
        pub recognised_on: Option<NaiveDate>,
        pub standard_year: Option<i32>,
        pub recognition_batch: Option<String>,
        pub at_risk: Option<String>,
        pub pending_acknowledgement: i32,
        pub last_position: i64,
        /// The set that graded on `as_of`: `set_code`, or its restatement for the territory.
        pub graded_by: String,
    }
}

table_row! {
    /// `proj_standing_criteria`: official and computed status of one criterion or condition.
    #[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Deserialize)]
    pub struct CriterionRow {
        pub locality_id: String,
        pub set_code: String,
        pub criterion: String,
        #[serde(deserialize_with = "flag")]
        pub is_condition: bool,
        pub status: String,
        pub computed: String,
        pub official: Option<String>,
        pub official_level: Option<String>,
        pub official_on: Option<NaiveDate>,
        #[serde(deserialize_with = "flag")]
        pub differs: bool,
    }
}

table_row! {
    /// `proj_standing_indicators`: the latest reading behind an indicator, and its grade.
    #[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Deserialize)]
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
}

/// `proj_standing_history`: the standing summary over `[valid_from, valid_to)`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HistoryRow {
    pub locality_id: String,
    pub set_code: String,
    /// The version of the set that graded the period: a new version starts a new period.
    pub set_version: String,
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
    /// The set that graded the period: `set_code`, or its restatement for the territory.
    pub graded_by: String,
}

/// `proj_recognition_history`: a locality's recognised status over `[valid_from, valid_to)`,
/// whatever set granted it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RecognitionRow {
    pub locality_id: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub exists_on: bool,
    pub kind: Option<String>,
    pub recognised_level: Option<String>,
    pub recognition: Option<String>,
    pub recognised_set: Option<String>,
    pub standard_year: Option<i32>,
    pub recognition_batch: Option<String>,
    pub recognition_override: Option<String>,
    pub recognised_on: Option<NaiveDate>,
    pub pending_acknowledgement: i32,
    pub at_risk: Option<String>,
    /// A recognition was revoked and its level is not held again.
    pub revoked: bool,
}
