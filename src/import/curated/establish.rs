//! `[[establish]]`: the units an act ends or renames, as they were the day before it, for a
//! register whose list was made later. Each is registered from the file's `known_from` when no
//! unit holds its code that day; a holder under the same name and kind is left alone; a holder
//! under another name is refused, because that list was registered before the act it reflects.

use anyhow::Context;
use chrono::{Days, NaiveDate};
use serde::Deserialize;
use uuid::Uuid;

use super::Lineage;
use crate::app::Register;
use crate::domain::locality::{LocalityAction, LocalityEstablished, LocalityId};
use crate::domain::terms::LocalityKind;
use crate::domain::values::LocalityCode;
use crate::import::localities::UnitRow;

/// A unit as it was the day before the act.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Establish {
    pub code: LocalityCode,
    pub name: String,
    pub kind: LocalityKind,
    pub parent: Option<LocalityCode>,
}

/// A code held the day before the act by a unit the file describes otherwise.
#[derive(Debug, thiserror::Error)]
#[error(
    "{file_act}: code {code} is held on {before} by \"{held}\", not \"{expected}\" as it was \
     then; the register holds a list made after the act from before it. Register that list \
     as it was before the act (`ntm import localities --as-before <this file>`), or from {effective}"
)]
pub struct EstablishConflict {
    pub file_act: String,
    pub code: LocalityCode,
    pub before: NaiveDate,
    pub effective: NaiveDate,
    pub held: String,
    pub expected: String,
}

/// What establishing recorded.
#[derive(Debug, Default)]
pub struct Established {
    pub units: usize,
    pub events: usize,
}

impl Lineage {
    /// The units of a list made after the act (`later`), as they were the day before it: each
    /// `[[establish]]` entry replaces the row holding its code, or is added.
    pub fn as_before(&self, later: &[UnitRow]) -> Vec<UnitRow> {
        let described = |code: &LocalityCode| self.establish.iter().find(|e| &e.code == code);
        let mut rows: Vec<UnitRow> = later
            .iter()
            .map(|row| match described(&row.code) {
                Some(entry) => entry.row(row.row),
                None => row.clone(),
            })
            .collect();
        let missing = self
            .establish
            .iter()
            .filter(|e| !later.iter().any(|row| row.code == e.code));
        rows.extend(missing.map(|e| e.row(0)));
        rows
    }
}

impl Establish {
    fn row(&self, row: usize) -> UnitRow {
        UnitRow {
            row,
            code: self.code.clone(),
            name: self.name.clone(),
            kind: self.kind,
            parent: self.parent.clone(),
        }
    }
}

/// Registers every entry no unit holds the day before the act, one append per unit, parents
/// (shorter codes) first.
pub(super) async fn apply(
    register: &mut Register,
    lineage: &Lineage,
    today: NaiveDate,
) -> anyhow::Result<Established> {
    let before = lineage.effective - Days::new(1);
    let mut done = Established::default();
    let mut entries: Vec<&Establish> = lineage.establish.iter().collect();
    entries.sort_by_key(|e| e.code.as_str().len());
    // Every holder is checked before anything is written: a refused file records nothing.
    let mut missing = Vec::new();
    for entry in entries {
        match register.holder(&entry.code, before).cloned() {
            Some(id) => same_unit(register, &id, entry, lineage, before)?,
            None => missing.push(entry),
        }
    }
    for entry in missing {
        let known_from = lineage.known_from.with_context(|| {
            format!(
                "{}: `known_from` is needed to establish {}",
                lineage.act, entry.code
            )
        })?;
        let parent =
            match &entry.parent {
                Some(code) => Some(register.holder(code, known_from).cloned().with_context(
                    || {
                        format!(
                            "no unit holds code {code} on {known_from}, the parent of {}",
                            entry.code
                        )
                    },
                )?),
                None => None,
            };
        let id = LocalityId(Uuid::now_v7());
        let established = LocalityAction::Establish(LocalityEstablished {
            effective_on: known_from,
            legal_act: None,
            name: entry.name.clone(),
            kind: entry.kind,
            code: Some(entry.code.clone()),
            parent,
            threshold_region: None,
            commune_group: None,
            formed_from: vec![],
        });
        let events = register.decide(&id, today, established)?;
        done.units += 1;
        done.events += events.len();
        register.record(vec![(id, events)], None).await?;
    }
    Ok(done)
}

fn same_unit(
    register: &Register,
    id: &LocalityId,
    entry: &Establish,
    lineage: &Lineage,
    before: NaiveDate,
) -> Result<(), EstablishConflict> {
    let profile = register.state(id).map(|s| s.profile());
    let name = profile.and_then(|p| p.names.on(before)).cloned();
    let kind = profile.and_then(|p| p.kinds.on(before)).copied();
    if name.as_deref() == Some(entry.name.as_str()) && kind == Some(entry.kind) {
        return Ok(());
    }
    Err(EstablishConflict {
        file_act: lineage.act.to_string(),
        code: entry.code.clone(),
        before,
        effective: lineage.effective,
        held: name.unwrap_or_default(),
        expected: entry.name.clone(),
    })
}
