//! `ntm import localities`: administrative units from a `code,name,kind,parent_code` file
//! (the GSO list). A unit not yet registered is established; a registered one whose name, kind
//! or parent differs on the effective date is renamed, reclassified or transferred; the rest is
//! unchanged, so importing the same file twice records nothing the second time.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use chrono::NaiveDate;
use uuid::Uuid;

use super::table::{Row, RowError, RowErrors, Table};
use crate::app::progress::Progress;
use crate::app::{CommandError, Register};
use crate::domain::lineage::StreamEvents;
use crate::domain::locality::*;
use crate::domain::terms::LocalityKind;
use crate::domain::values::{DecisionNumber, LocalityCode};

pub const COLUMNS: &[&str] = &["code", "name", "kind", "parent_code"];

/// One row of a localities file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRow {
    pub row: usize,
    pub code: LocalityCode,
    pub name: String,
    pub kind: LocalityKind,
    pub parent: Option<LocalityCode>,
}

impl UnitRow {
    /// The unit entering the register on `on` under `parent`, predecessors unknown.
    pub fn established(
        &self,
        on: NaiveDate,
        legal_act: Option<DecisionNumber>,
        parent: Option<LocalityId>,
    ) -> LocalityEstablished {
        LocalityEstablished {
            effective_on: on,
            legal_act,
            name: self.name.clone(),
            kind: self.kind,
            code: Some(self.code.clone()),
            parent,
            threshold_region: None,
            commune_group: None,
            formed_from: vec![],
        }
    }
}

/// The file's kind column: the domain's spelling, also with `_` (`special_zone`).
pub fn kind(row: &Row<'_>, column: &str, errors: &mut Vec<RowError>) -> Option<LocalityKind> {
    let text = row.text(column);
    let kind = LocalityKind::from_spelling(&text.replace('_', "-"));
    if kind.is_none() {
        let kinds: Vec<&str> = LocalityKind::ALL.iter().map(|k| k.spelling()).collect();
        errors.push(row.error(
            column,
            format!("expected one of {}, got {text:?}", kinds.join(", ")),
        ));
    }
    kind
}

const CODE: &str = "a GSO code of 2, 3 or 5 digits, zero-padded (as text, e.g. 01 or 00004)";

/// Reads and checks every row; all problems are returned together.
pub fn read(path: &Path) -> Result<Vec<UnitRow>, RowErrors> {
    units(Table::read(path, COLUMNS)?)
}

/// The rows of CSV text named `file` in messages.
pub fn parse(file: &str, text: &str) -> Result<Vec<UnitRow>, RowErrors> {
    units(Table::parse(file, text.as_bytes(), COLUMNS)?)
}

fn units(table: Table) -> Result<Vec<UnitRow>, RowErrors> {
    let mut errors = Vec::new();
    let mut units = Vec::with_capacity(table.len());
    let mut seen: HashMap<LocalityCode, usize> = HashMap::new();
    for row in table.rows() {
        let code = row.parse::<LocalityCode>("code", CODE, &mut errors);
        let name = row.name("name", &mut errors);
        let kind = kind(&row, "kind", &mut errors);
        let parent = row.optional::<LocalityCode>("parent_code", CODE, &mut errors);
        let (Some(code), Some(name), Some(kind), Some(parent)) = (code, name, kind, parent) else {
            continue;
        };
        if let Some(first) = seen.insert(code.clone(), row.row) {
            errors.push(row.error("code", format!("{code} is already on row {first}")));
            continue;
        }
        units.push(UnitRow {
            row: row.row,
            code,
            name,
            kind,
            parent,
        });
    }
    RowErrors::or_value(errors, units)
}

/// What an import recorded.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub created: usize,
    pub renamed: usize,
    pub reclassified: usize,
    pub transferred: usize,
    pub unchanged: usize,
    pub events: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} created, {} renamed, {} reclassified, {} transferred, {} unchanged ({} events recorded)",
            self.created, self.renamed, self.reclassified, self.transferred, self.unchanged, self.events
        )
    }
}

/// How the units enter the register.
#[derive(Debug, Clone)]
pub struct Terms {
    pub file: String,
    pub effective_on: NaiveDate,
    /// The act behind the list; needed for renames, reclassifications and transfers.
    pub act: Option<DecisionNumber>,
    pub today: NaiveDate,
}

/// Decides every unit against the register and records all of it in one atomic append.
pub async fn import(
    register: &mut Register,
    units: &[UnitRow],
    terms: &Terms,
    progress: &dyn Progress,
) -> Result<Summary, ImportError> {
    let (streams, mut summary) = plan(register, units, terms, progress)?;
    summary.events = streams.iter().map(|(_, events)| events.len()).sum();
    if !streams.is_empty() {
        progress.stage(&format!("writing {} events", summary.events), None);
        register.record(streams, None).await?;
    }
    Ok(summary)
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Rows(#[from] RowErrors),
    #[error(transparent)]
    Register(#[from] CommandError),
}

/// Decides every unit, parents first, collecting every row's error.
fn plan(
    register: &Register,
    units: &[UnitRow],
    terms: &Terms,
    progress: &dyn Progress,
) -> Result<(StreamEvents, Summary), RowErrors> {
    // Parents first, whatever the file's order.
    let mut order: Vec<&UnitRow> = units.iter().collect();
    order.sort_by_key(|u| u.code.as_str().len());
    let mut decisions = Decisions {
        register,
        terms,
        new_ids: HashMap::new(),
        summary: Summary::default(),
        streams: StreamEvents::new(),
        errors: Vec::new(),
    };
    progress.stage("checking", Some(units.len() as u64));
    for unit in order {
        progress.inc(1);
        decisions.unit(unit);
    }
    decisions.finish()
}

/// The units decided so far: their events, the ids of those new in this file, the summary
/// and the rows' errors.
struct Decisions<'a> {
    register: &'a Register,
    terms: &'a Terms,
    new_ids: HashMap<&'a LocalityCode, LocalityId>,
    summary: Summary,
    streams: StreamEvents,
    errors: Vec<RowError>,
}

impl<'a> Decisions<'a> {
    /// One row: established if no unit holds its code, else changed where it differs.
    fn unit(&mut self, unit: &'a UnitRow) {
        let parent = match self.parent(unit) {
            Ok(parent) => parent,
            Err(error) => return self.errors.push(error),
        };
        let register = self.register;
        let (id, actions) = match register.holder(&unit.code, self.terms.effective_on) {
            None => self.established(unit, parent),
            Some(id) => match self.changes(id, unit, parent) {
                Ok(Some(actions)) => (id.clone(), actions),
                Ok(None) => return,
                Err(error) => return self.errors.push(error),
            },
        };
        self.decide(unit, id, actions);
    }

    /// The unit's parent: one new in this file or one in the register holding the code.
    fn parent(&self, unit: &UnitRow) -> Result<Option<LocalityId>, RowError> {
        let on = self.terms.effective_on;
        let Some(code) = &unit.parent else {
            return Ok(None);
        };
        match self
            .new_ids
            .get(code)
            .or_else(|| self.register.holder(code, on))
        {
            Some(id) => Ok(Some(id.clone())),
            None => Err(self.error(
                unit,
                "parent_code",
                format!("no unit holds code {code} on {on}, in this file or the register"),
            )),
        }
    }

    /// A unit new to the register, under a new id.
    fn established(
        &mut self,
        unit: &'a UnitRow,
        parent: Option<LocalityId>,
    ) -> (LocalityId, Vec<LocalityAction>) {
        let id = LocalityId(Uuid::now_v7());
        self.new_ids.insert(&unit.code, id.clone());
        self.summary.created += 1;
        let established = unit.established(self.terms.effective_on, self.terms.act.clone(), parent);
        (id, vec![LocalityAction::Establish(established)])
    }

    /// What changes a registered unit to its row: nothing if it does not differ, an error if
    /// it differs and no act was given.
    fn changes(
        &mut self,
        id: &LocalityId,
        unit: &UnitRow,
        parent: Option<LocalityId>,
    ) -> Result<Option<Vec<LocalityAction>>, RowError> {
        let on = self.terms.effective_on;
        let differences = Differences::of(self.register, id, unit, parent.as_ref(), on);
        if differences.is_empty() {
            self.summary.unchanged += 1;
            return Ok(None);
        }
        let Some(act) = &self.terms.act else {
            return Err(self.error(
                unit,
                differences.first_column(),
                format!(
                    "{} differs from the register on {on}: changing a registered unit needs --act",
                    unit.code
                ),
            ));
        };
        self.summary.renamed += usize::from(differences.name);
        self.summary.reclassified += usize::from(differences.kind);
        self.summary.transferred += usize::from(differences.parent);
        Ok(Some(differences.actions(unit, parent, on, act)))
    }

    /// The unit's events, or the domain's refusal as an error on its `code`.
    fn decide(&mut self, unit: &UnitRow, id: LocalityId, actions: Vec<LocalityAction>) {
        let mut events = Vec::new();
        for action in actions {
            match self.register.decide(&id, self.terms.today, action) {
                Ok(mut decided) => events.append(&mut decided),
                Err(e) => {
                    let error = self.error(unit, "code", e.to_string());
                    self.errors.push(error);
                }
            }
        }
        self.streams.push((id, events));
    }

    fn error(&self, unit: &UnitRow, column: &str, problem: String) -> RowError {
        RowError {
            file: self.terms.file.clone(),
            row: unit.row,
            column: column.into(),
            problem,
            reason: None,
        }
    }

    /// The streams and summary, or every error in row order.
    fn finish(mut self) -> Result<(StreamEvents, Summary), RowErrors> {
        if self.errors.is_empty() {
            Ok((self.streams, self.summary))
        } else {
            self.errors.sort_by_key(|e| e.row);
            Err(RowErrors(self.errors))
        }
    }
}

/// What differs between a registered unit and its row, on the effective date.
struct Differences {
    name: bool,
    kind: bool,
    parent: bool,
}

impl Differences {
    fn of(
        register: &Register,
        id: &LocalityId,
        unit: &UnitRow,
        parent: Option<&LocalityId>,
        on: NaiveDate,
    ) -> Self {
        let profile = register.state(id).map(LocalityState::profile);
        let profile = profile.cloned().unwrap_or_default();
        Differences {
            name: profile.names.on(on) != Some(&unit.name),
            kind: profile.kinds.on(on) != Some(&unit.kind),
            parent: profile.parents.on(on).map(Option::as_ref) != Some(parent),
        }
    }

    fn is_empty(&self) -> bool {
        !(self.name || self.kind || self.parent)
    }

    fn first_column(&self) -> &'static str {
        match (self.name, self.kind) {
            (true, _) => "name",
            (false, true) => "kind",
            (false, false) => "parent_code",
        }
    }

    fn actions(
        &self,
        unit: &UnitRow,
        parent: Option<LocalityId>,
        effective_on: NaiveDate,
        legal_act: &DecisionNumber,
    ) -> Vec<LocalityAction> {
        let legal_act = legal_act.clone();
        let mut actions = Vec::new();
        if self.name {
            actions.push(LocalityAction::Rename(LocalityRenamed {
                effective_on,
                legal_act: legal_act.clone(),
                name: unit.name.clone(),
            }));
        }
        if self.kind {
            actions.push(LocalityAction::Reclassify(LocalityReclassified {
                effective_on,
                legal_act: legal_act.clone(),
                kind: unit.kind,
            }));
        }
        if self.parent {
            actions.push(LocalityAction::Transfer(LocalityTransferred {
                effective_on,
                legal_act,
                parent,
            }));
        }
        actions
    }
}
