//! `ntm import attributes`: the grading attributes of many localities from one
//! `code,region,commune_group,effective_on` file: the threshold region (vùng) of QĐ 1980 and
//! QĐ 318, which an especially difficult commune takes as TDMNPB wherever it is, and the commune
//! group (nhóm 1/2/3) of QĐ 51/2025, and the special-commune status behind that TDMNPB rule
//! (optional column `special`), each from a date. A row equal to what the register holds on
//! its date records nothing, so the same file imported twice records nothing the second time.

use std::fmt;
use std::path::Path;

use chrono::NaiveDate;

use super::table::{Row, RowError, RowErrors, Table};
use crate::app::progress::Progress;
use crate::app::Register;
use crate::domain::lineage::StreamEvents;
use crate::domain::locality::{LocalityAction, LocalityId, ThresholdAssigned};
use crate::domain::terms::{CommuneGroup, SpecialStatus, ThresholdRegion};
use crate::domain::values::LocalityCode;

pub use super::localities::ImportError;

pub const COLUMNS: &[&str] = &["code", "region", "commune_group", "effective_on"];

/// One row: the unit holding `code` on `effective_on` grades with these from then on (an
/// empty field: none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeRow {
    pub row: usize,
    pub code: LocalityCode,
    pub region: Option<ThresholdRegion>,
    pub group: Option<CommuneGroup>,
    /// Optional column `special`: xa-dbkk, xa-atk-huyen-ngheo, huyen-thoat-ngheo-2018-2020.
    pub special: Option<SpecialStatus>,
    pub effective_on: NaiveDate,
    /// Why, e.g. "xã đặc biệt khó khăn (QĐ 318)"; optional column `reason`.
    pub reason: Option<String>,
}

/// Reads and checks every row; all problems are returned together.
pub fn read(path: &Path) -> Result<Vec<AttributeRow>, RowErrors> {
    rows(Table::read(path, COLUMNS)?)
}

/// The rows of CSV text named `file` in messages.
pub fn parse(file: &str, text: &str) -> Result<Vec<AttributeRow>, RowErrors> {
    rows(Table::parse(file, text.as_bytes(), COLUMNS)?)
}

fn spelled<T: Copy>(
    row: &Row<'_>,
    column: &str,
    all: &[T],
    spelling: fn(T) -> &'static str,
    parse: fn(&str) -> Option<T>,
    errors: &mut Vec<RowError>,
) -> Option<Option<T>> {
    let text = row.text(column);
    if text.is_empty() {
        return Some(None);
    }
    let found = parse(text).or_else(|| parse(&text.to_uppercase()));
    if found.is_none() {
        let valid: Vec<&str> = all.iter().map(|v| spelling(*v)).collect();
        let problem = format!(
            "expected one of {} or empty, got {text:?}",
            valid.join(", ")
        );
        errors.push(row.error(column, problem));
        return None;
    }
    Some(found)
}

fn rows(table: Table) -> Result<Vec<AttributeRow>, RowErrors> {
    let mut errors = Vec::new();
    let mut rows = Vec::with_capacity(table.len());
    for row in table.rows() {
        let code = row.parse::<LocalityCode>("code", "a GSO code, e.g. 18112", &mut errors);
        let region = spelled(
            &row,
            "region",
            ThresholdRegion::ALL,
            ThresholdRegion::spelling,
            ThresholdRegion::from_spelling,
            &mut errors,
        );
        let group = spelled(
            &row,
            "commune_group",
            CommuneGroup::ALL,
            CommuneGroup::spelling,
            CommuneGroup::from_spelling,
            &mut errors,
        );
        let special = spelled(
            &row,
            "special",
            SpecialStatus::ALL,
            SpecialStatus::spelling,
            SpecialStatus::from_spelling,
            &mut errors,
        );
        let effective_on = row.date("effective_on", &mut errors);
        let reason = Some(row.text("reason").trim()).filter(|r| !r.is_empty());
        let (Some(code), Some(region), Some(group), Some(special), Some(effective_on)) =
            (code, region, group, special, effective_on)
        else {
            continue;
        };
        rows.push(AttributeRow {
            row: row.row,
            code,
            region,
            group,
            special,
            effective_on,
            reason: reason.map(str::to_owned),
        });
    }
    RowErrors::or_value(errors, rows)
}

/// What an import recorded.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub assigned: usize,
    pub unchanged: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} assigned, {} unchanged ({} events recorded)",
            self.assigned, self.unchanged, self.assigned
        )
    }
}

/// Decides every row against the register and records all of it in one atomic append, or
/// nothing when a row is refused (every refusal named by file, row and column).
pub async fn import(
    register: &mut Register,
    file: &str,
    rows: &[AttributeRow],
    today: NaiveDate,
    progress: &dyn Progress,
) -> Result<Summary, ImportError> {
    progress.stage("checking", Some(rows.len() as u64));
    let mut ordered: Vec<&AttributeRow> = rows.iter().collect();
    ordered.sort_by_key(|r| (r.effective_on, r.row));
    let mut summary = Summary::default();
    let mut streams = StreamEvents::new();
    let mut errors = Vec::new();
    let error = |row: &AttributeRow, column: &str, problem: String| RowError {
        file: file.to_owned(),
        row: row.row,
        column: column.into(),
        problem,
        reason: None,
    };
    for row in ordered {
        progress.inc(1);
        let Some(id) = register.holder(&row.code, row.effective_on).cloned() else {
            let problem = format!("no unit holds code {} on {}", row.code, row.effective_on);
            errors.push(error(row, "code", problem));
            continue;
        };
        if holds(register, &streams, &id, row) {
            summary.unchanged += 1;
            continue;
        }
        let action = LocalityAction::AssignThreshold(ThresholdAssigned {
            effective_on: row.effective_on,
            region: row.region,
            group: row.group,
            reason: row.reason.clone(),
            special: row.special,
        });
        match register.decide(&id, today, action) {
            Ok(mut events) => {
                summary.assigned += 1;
                // One entry per unit: later rows of the same unit follow its earlier ones.
                match streams.iter_mut().find(|(planned, _)| *planned == id) {
                    Some((_, planned)) => planned.append(&mut events),
                    None => streams.push((id, events)),
                }
            }
            Err(refused) => errors.push(error(row, "code", refused.to_string())),
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Err(RowErrors(errors).into());
    }
    if !streams.is_empty() {
        progress.stage(&format!("writing {} events", summary.assigned), None);
        register.record(streams, None).await?;
    }
    Ok(summary)
}

/// Whether the unit already grades with the row's region and group on its date: in the
/// register, or by an earlier row of this file for the same unit.
fn holds(register: &Register, planned: &StreamEvents, id: &LocalityId, row: &AttributeRow) -> bool {
    let earlier_row = planned.iter().find(|(p, _)| p == id);
    if let Some((_, events)) = earlier_row {
        let assigned = events.iter().rev().find_map(|e| match e {
            crate::domain::locality::LocalityEvent::ThresholdAssigned(t) => Some(t),
            _ => None,
        });
        if let Some(t) = assigned {
            return t.region == row.region && t.group == row.group && t.special == row.special;
        }
    }
    let Some(profile) = register.state(id).map(|s| s.profile()) else {
        return false;
    };
    let on = row.effective_on;
    profile.regions.on(on).copied().flatten() == row.region
        && profile.groups.on(on).copied().flatten() == row.group
        && profile.specials.on(on).copied().flatten() == row.special
}
