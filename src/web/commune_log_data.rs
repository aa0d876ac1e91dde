//! The events and the changes between two dates that a commune page reads (see
//! [`super::commune_data`]).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use super::format;
use super::words::Lang;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Events {
    #[serde(default)]
    pub total_count: i64,
    pub page_info: Option<PageInfo>,
    pub edges: Vec<Edge>,
}

pub use super::overview_data::PageInfo;

#[derive(Debug, Deserialize)]
pub struct Edge {
    pub node: Logged,
}

/// An event of the unit's stream (`Event`), its typed details flattened.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Logged {
    #[serde(default)]
    pub position: i64,
    #[serde(default)]
    pub version: i64,
    #[serde(rename = "type", default)]
    pub event_type: String,
    pub effective_on: Option<NaiveDate>,
    pub recorded_at: Option<DateTime<Utc>>,
    /// Who recorded it: given to auditors only, so none on the dashboard's anonymous reads.
    pub actor: Option<String>,
    pub reason: Option<String>,
    pub details: Option<Details>,
}

/// The fields of `EventDetails` the page shows, whichever type gives them.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Details {
    pub set: Option<String>,
    pub indicator: Option<String>,
    pub value: Option<Text>,
    pub evidence: Option<Evidence>,
    pub criterion: Option<String>,
    pub met: Option<bool>,
    pub level: Option<String>,
    pub in_favour: Option<f64>,
    pub decision: Option<String>,
    pub revoked: Option<String>,
    pub reason: Option<String>,
    pub standard_year: Option<i64>,
    pub signed_on: Option<NaiveDate>,
    pub issuer: Option<String>,
    pub batch: Option<String>,
    pub acknowledges: Vec<String>,
    pub target_year: Option<i64>,
    pub name: Option<String>,
    pub kind: Option<String>,
    pub code: Option<String>,
    pub new_code: Option<String>,
    pub act: Option<String>,
    pub retracted_version: Option<i64>,
    /// A merger's successor: the recognitions its sources held, awaiting acknowledgement.
    pub pending: Vec<Pending>,
}

/// A recognition a merged unit held (`PredecessorRecognition`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pending {
    pub decision: String,
    pub set: String,
    pub level: String,
    pub standard_year: i64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Evidence {
    pub document: Option<String>,
    pub file_ref: Option<String>,
    pub note: Option<String>,
    pub attachments: Vec<Attached>,
}

/// A file behind a fact: its name and where to download it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Attached {
    pub name: String,
    pub url: String,
}

/// `diff`: what changed between two dates.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diff {
    pub set: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub criteria_met_from: i64,
    pub criteria_met_to: i64,
    pub level_reached_from: Option<String>,
    pub level_reached_to: Option<String>,
    pub recognised_level_from: Option<String>,
    pub recognised_level_to: Option<String>,
    pub criteria: Vec<CriterionChange>,
    pub indicators: Vec<IndicatorChange>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CriterionChange {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndicatorChange {
    pub code: String,
    pub from: String,
    pub to: String,
    pub reading_from: Option<Text>,
    pub reading_to: Option<Text>,
}

/// A measured value (`MeasuredValue`); only `text` when the document asks only for it.
#[derive(Debug, Deserialize)]
pub struct Text {
    pub text: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub flag: Option<bool>,
}

impl Text {
    /// As the page's language writes it: `93,81 %`, `1.234`, `đạt`; the API's text otherwise.
    pub fn written(&self, lang: Lang) -> String {
        match (self.kind.as_deref(), self.value, self.flag) {
            (_, _, Some(flag)) => lang
                .pick(
                    if flag { "có" } else { "không" },
                    if flag { "yes" } else { "no" },
                )
                .to_owned(),
            (Some("PERCENT"), Some(v), _) => format!("{} %", number(lang, v)),
            (Some("COUNT"), Some(v), _) => format::count(lang, v.round() as i64),
            (Some(_), Some(v), _) => number(lang, v),
            _ => self.text.clone(),
        }
    }
}

/// A number with as many decimals as it has, up to 2: `93,81`, `1.234`.
fn number(lang: Lang, x: f64) -> String {
    let places = (0..2).find(|p| ((x * 10f64.powi(*p)).round() - x * 10f64.powi(*p)).abs() < 1e-9);
    format::decimal(lang, x, places.map_or(2, |p| p as usize))
}
