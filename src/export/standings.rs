//! `ntm export standings`: every locality's standing for a set on a date, graded by the
//! domain's one `standing::evaluate` on the facts the log holds now, with its recognised status
//! whatever set granted it (`recognised::recognised_on`): summed, the lines give `summary`'s
//! figures for the same question.

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
use crate::domain::recognised::{recognised_on, Recognised};
use crate::domain::standing::{CriterionStanding, Standing};
use crate::domain::sweep::Sweep;
use crate::domain::terms::{LocalityKind, RecognitionLevel};
use crate::domain::territory::{self, Ancestry, Territory};
use crate::domain::values::{LocalityCode, SetCode};
use crate::export::spreadsheet::to_cell;
use crate::projection::history::spelling;
use crate::store::EventStore;

/// Which standings to export, and how.
#[derive(Debug, Clone)]
pub struct Query {
    /// The criteria set, e.g. NTM-XA-2021-2025; `None`: the commune set in force on `on`.
    pub set: Option<SetCode>,
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
    /// The recognised status on the date, whatever set granted it.
    pub recognised: Option<Recognised>,
    /// The version (SHA-256 of its file) of the set that graded the standing.
    pub set_version: String,
}

/// Writes the standings `query` asks for to `out`, graded on the log as it is now.
pub async fn export(
    store: &EventStore,
    catalog: Arc<Catalog>,
    query: &Query,
    out: &mut impl Write,
    progress: &dyn Progress,
) -> anyhow::Result<()> {
    let on = query.on;
    // The version of the set in force on the date grades it (an amendment splits history).
    let set = match &query.set {
        Some(code) => catalog
            .version_on(code, on)
            .with_context(|| format!("criteria set {code} is not in the catalogue"))?,
        None => catalog
            .in_force(LocalityKind::Commune, RecognitionLevel::Ntm, on)
            .with_context(|| format!("no commune criteria set is in force on {on}: give --set"))?,
    }
    .clone();
    progress.stage("loading", Some(0));
    let register = Register::load(store, catalog.clone(), Origin::cli("cli:export")).await?;
    let parent = query
        .parent
        .as_ref()
        .map(|code| holder(&register, code, on))
        .transpose()?;
    let lines = standings(&register, &catalog, &set, on, parent.as_ref(), progress);
    match query.format {
        Format::Csv => write_csv(&set, &lines, out),
        Format::Json => write_json(&set, on, query.parent.as_ref(), &lines, out),
    }
}

/// The standing on `on` of every locality that exists then, is of a kind `set` applies to and
/// (with `parent`) lies under it then; ordered by code.
pub fn standings(
    register: &Register,
    catalog: &Catalog,
    set: &CriteriaSet,
    on: NaiveDate,
    parent: Option<&LocalityId>,
    progress: &dyn Progress,
) -> Vec<StandingLine> {
    progress.stage("grading", Some(register.len() as u64));
    // Where each unit is matters only when a set grades a territory.
    let ancestry: Ancestry = if catalog.has_territorial_sets() {
        let links = |(id, state): (&LocalityId, _)| (id.to_string(), territory::links(state));
        register
            .states()
            .map(|(id, s)| links((id, s.profile())))
            .collect()
    } else {
        Ancestry::new()
    };
    let grading = catalog.grading(catalog.standing_set(&set.code).unwrap_or(set));
    let mut lines: Vec<StandingLine> = register
        .states()
        .filter(|(id, state)| {
            progress.inc(1);
            let profile = state.profile();
            profile.exists_on(on)
                && profile.kinds.on(on).is_some_and(|k| set.applies_to(*k))
                && parent.is_none_or(|p| is_under(register, id, p, on))
        })
        .map(|(id, state)| {
            let facts = state.facts();
            let own = ancestry.get(&id.to_string()).cloned().unwrap_or_default();
            let territory = Territory::build(&own, &ancestry);
            let mut sweep = Sweep::within(&facts, grading.clone(), &territory);
            StandingLine {
                parent_code: parent_code(register, id, on),
                standing: sweep.standing(on),
                recognised: recognised_on(&facts, catalog, on, &territory),
                set_version: grading.set_on(on, &territory).version.clone(),
            }
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
fn summary(line: &StandingLine) -> [(&'static str, String); 15] {
    let s = &line.standing;
    let held = line.recognised.as_ref().and_then(|r| r.held.as_ref());
    [
        ("code", text(s.code.as_ref())),
        ("name", text(s.name.as_ref())),
        ("kind", text(s.kind.map(|k| k.spelling()))),
        ("parent_code", text(line.parent_code.as_ref())),
        ("enrolled", s.enrolled.to_string()),
        ("criteria_met", s.criteria_met.to_string()),
        ("criteria_total", s.criteria_total.to_string()),
        ("level_reached", text(s.level_reached.map(|l| l.spelling()))),
        ("recognised_level", text(held.map(|r| r.level.spelling()))),
        ("recognition", text(held.map(|r| &r.decision))),
        ("recognised_set", text(held.map(|r| &r.set))),
        (
            "at_risk",
            text(
                line.recognised
                    .as_ref()
                    .and_then(|r| r.at_risk.as_ref())
                    .map(spelling),
            ),
        ),
        (
            "pending_acknowledgement",
            line.recognised
                .as_ref()
                .map_or(0, |r| r.pending_acknowledgement)
                .to_string(),
        ),
        ("graded_by", line.standing.graded_by.to_string()),
        ("set_version", line.set_version.clone()),
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
        "recognition",
        "recognised_set",
        "at_risk",
        "pending_acknowledgement",
        "graded_by",
        "set_version",
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
                    "pending_acknowledgement" => json!(value.parse::<usize>().unwrap_or_default()),
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
    let document = json!({ "set": set.code, "set_version": set.version, "on": on,
        "parent": parent, "standings": standings });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)?;
    Ok(())
}
