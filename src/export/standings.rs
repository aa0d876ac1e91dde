//! `ntm export standings`: every locality's standing for a set on a date, graded by the
//! domain's one `standing::evaluate` on the facts the log holds now.

use std::io::Write;
use std::sync::Arc;

use anyhow::Context;
use chrono::NaiveDate;
use serde_json::json;

use super::subtree::{holder, is_under, parent_code};
use super::Format;
use crate::app::progress::Progress;
use crate::app::{Origin, Register};
use crate::domain::catalog::{Catalog, CriteriaSet};
use crate::domain::locality::LocalityId;
use crate::domain::standing::{evaluate, CriterionStanding, Standing};
use crate::domain::values::{LocalityCode, SetCode};
use crate::export::spreadsheet::to_cell;
use crate::projection::history::{recognised_level, spelling};
use crate::store::EventStore;

/// Which standings to export, and how.
#[derive(Debug, Clone)]
pub struct Query {
    /// The criteria set, e.g. NTM-XA-2021-2025.
    pub set: SetCode,
    /// The valid date.
    pub on: NaiveDate,
    /// Only localities under the locality holding this code on that date.
    pub parent: Option<LocalityCode>,
    pub format: Format,
}

/// One locality's line of the export.
pub struct StandingLine {
    pub parent_code: Option<LocalityCode>,
    pub standing: Standing,
}

/// Writes the standings `query` asks for to `out`, graded on the log as it is now.
pub async fn export(
    store: &EventStore,
    catalog: Arc<Catalog>,
    query: &Query,
    out: &mut impl Write,
    progress: &dyn Progress,
) -> anyhow::Result<()> {
    let set = catalog
        .get(&query.set)
        .with_context(|| format!("criteria set {} is not in the catalogue", query.set))?
        .clone();
    let on = query.on;
    progress.stage("loading", Some(0));
    let register = Register::load(store, catalog, Origin::cli("cli:export")).await?;
    let parent = query
        .parent
        .as_ref()
        .map(|code| holder(&register, code, on))
        .transpose()?;
    let lines = standings(&register, &set, on, parent.as_ref(), progress);
    match query.format {
        Format::Csv => write_csv(&set, &lines, out),
        Format::Json => write_json(&set, on, query.parent.as_ref(), &lines, out),
    }
}

/// The standing on `on` of every locality that exists then, is of a kind `set` applies to and
/// (with `parent`) lies under it then; ordered by code.
pub fn standings(
    register: &Register,
    set: &CriteriaSet,
    on: NaiveDate,
    parent: Option<&LocalityId>,
    progress: &dyn Progress,
) -> Vec<StandingLine> {
    progress.stage("grading", Some(register.len() as u64));
    let mut lines: Vec<StandingLine> = register
        .states()
        .filter(|(id, state)| {
            progress.inc(1);
            let profile = state.profile();
            profile.exists_on(on)
                && profile.kinds.on(on).is_some_and(|k| set.applies_to(*k))
                && parent.is_none_or(|p| is_under(register, id, p, on))
        })
        .map(|(id, state)| StandingLine {
            parent_code: parent_code(register, id, on),
            standing: evaluate(&state.facts(), set, on),
        })
        .collect();
    lines.sort_by(|a, b| {
        (&a.standing.code, &a.standing.name).cmp(&(&b.standing.code, &b.standing.name))
    });
    lines
}

fn text<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// The summary columns, shared by both formats.
fn summary(line: &StandingLine) -> [(&'static str, String); 10] {
    let s = &line.standing;
    [
        ("code", text(s.code.as_ref())),
        ("name", text(s.name.as_ref())),
        ("kind", text(s.kind.map(|k| k.spelling()))),
        ("parent_code", text(line.parent_code.as_ref())),
        ("enrolled", s.enrolled.to_string()),
        ("criteria_met", s.criteria_met.to_string()),
        ("criteria_total", s.criteria_total.to_string()),
        ("level_reached", text(s.level_reached.map(|l| l.spelling()))),
        (
            "recognised_level",
            text(recognised_level(s).map(|l| l.spelling())),
        ),
        ("at_risk", text(s.at_risk.as_ref().map(spelling))),
    ]
}

fn statuses(criteria: &[CriterionStanding]) -> impl Iterator<Item = String> + '_ {
    criteria.iter().map(|c| spelling(&c.status))
}

fn write_csv(
    set: &CriteriaSet,
    lines: &[StandingLine],
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    let mut header: Vec<String> = summary_names();
    header.extend(set.criteria.iter().map(|c| format!("criterion_{}", c.code)));
    header.extend(
        set.conditions
            .iter()
            .map(|c| format!("condition_{}", c.criterion.code)),
    );
    csv.write_record(&header)?;
    for line in lines {
        // A locality's name is the one free text here: safe to open in a spreadsheet.
        let mut record: Vec<String> = summary(line)
            .into_iter()
            .map(|(name, v)| if name == "name" { to_cell(&v) } else { v })
            .collect();
        record.extend(statuses(&line.standing.criteria));
        record.extend(statuses(&line.standing.conditions));
        csv.write_record(&record)?;
    }
    csv.flush()?;
    Ok(())
}

fn summary_names() -> Vec<String> {
    let names = [
        "code",
        "name",
        "kind",
        "parent_code",
        "enrolled",
        "criteria_met",
        "criteria_total",
        "level_reached",
        "recognised_level",
        "at_risk",
    ];
    names.iter().map(|n| (*n).to_owned()).collect()
}

fn write_json(
    set: &CriteriaSet,
    on: NaiveDate,
    parent: Option<&LocalityCode>,
    lines: &[StandingLine],
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let status_list = |criteria: &[CriterionStanding]| -> Vec<serde_json::Value> {
        criteria
            .iter()
            .map(|c| json!({ "code": c.code, "status": spelling(&c.status) }))
            .collect()
    };
    let standings: Vec<serde_json::Value> = lines
        .iter()
        .map(|line| {
            let mut object = serde_json::Map::new();
            let s = &line.standing;
            for (name, value) in summary(line) {
                let value = match name {
                    "enrolled" => json!(s.enrolled),
                    "criteria_met" => json!(s.criteria_met),
                    "criteria_total" => json!(s.criteria_total),
                    _ if value.is_empty() => json!(null),
                    _ => json!(value),
                };
                object.insert(name.to_owned(), value);
            }
            object.insert(
                "criteria".into(),
                json!(status_list(&line.standing.criteria)),
            );
            object.insert(
                "conditions".into(),
                json!(status_list(&line.standing.conditions)),
            );
            serde_json::Value::Object(object)
        })
        .collect();
    let document = json!({ "set": set.code, "on": on, "parent": parent, "standings": standings });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)?;
    Ok(())
}
