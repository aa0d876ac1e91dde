//! `ntm import KIND FILE` for every fact kind (and `importFacts`, the upload page): each row is
//! read, its code looked up on its date and decided by the domain against the register with
//! the rows before it folded in; a file with any error writes nothing, a file without is one
//! atomic append.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use chrono::NaiveDate;

use super::fact_kind::FactKind;
use super::fact_row::{FactRow, Layout};
use super::readings::{idempotency_key, ImportReport};
use super::sheet;
use super::table::RowError;
use crate::app::progress::Progress;
use crate::app::{Draft, Origin, Register};
use crate::domain::catalog::Catalog;
use crate::domain::event::RecognitionGranted;
use crate::domain::lineage::StreamEvents;
use crate::domain::locality::{
    Locality, LocalityAction, LocalityCommand, LocalityId, LocalityState,
};
use crate::domain::values::DecisionNumber;
use crate::domain::DomainError;
use crate::store::EventStore;

/// A file decided against a register: what it would record, or its errors.
pub struct Checked {
    pub report: ImportReport,
    /// Every row's locality and command, in file order (to decide again at write time).
    pub rows: Vec<(LocalityId, LocalityAction)>,
    pub streams: StreamEvents,
}

impl Checked {
    /// The localities the file touches, in the order first touched.
    pub fn involved(&self) -> Vec<LocalityId> {
        self.streams.iter().map(|(id, _)| id.clone()).collect()
    }
}

/// Imports the `kind` file at `path` as an operator on the database host; writes nothing if
/// any row has an error or `dry_run`.
pub async fn import(
    store: &EventStore,
    catalog: Arc<Catalog>,
    origin: Origin,
    kind: FactKind,
    path: &Path,
    dry_run: bool,
    progress: &dyn Progress,
) -> anyhow::Result<ImportReport> {
    let started = Instant::now();
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    progress.stage("loading", Some(0));
    let mut register = Register::load(store, catalog, origin).await?;
    let today = crate::app::clock::today();
    let checked = check(&register, kind, &file, &bytes, today, progress)?;
    let mut report = checked.report;
    if report.errors.is_empty() && !dry_run && !checked.streams.is_empty() {
        progress.stage("writing", Some(report.recorded as u64));
        let key = idempotency_key(kind.slug(), &bytes, &register, &checked.streams);
        let appended = register.record(checked.streams, Some(key)).await?;
        let first = appended.events.first().map_or(0, |e| e.position);
        report.written = Some((first, appended.last_position()));
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Reads `bytes` (a file named `file`: `.xlsx`, `.xls`, `.ods`, else CSV) as a `kind` file and
/// decides every row in order against `register`; nothing is written.
pub fn check(
    register: &Register,
    kind: FactKind,
    file: &str,
    bytes: &[u8],
    today: NaiveDate,
    progress: &dyn Progress,
) -> anyhow::Result<Checked> {
    let started = Instant::now();
    let mut checked = Checked {
        report: ImportReport {
            file: file.to_owned(),
            ..ImportReport::default()
        },
        rows: Vec::new(),
        streams: Vec::new(),
    };
    let table = sheet::read(Path::new(file), bytes, file).and_then(|sheet| {
        let layout = Layout::find(kind, &sheet.headers, file)?;
        Ok((sheet, layout))
    });
    let (sheet, layout) = match table {
        Ok(table) => table,
        Err(errors) => {
            checked.report.errors = errors;
            return Ok(checked);
        }
    };
    checked.report.rows = sheet.rows.len();
    progress.stage("checking", Some(sheet.rows.len() as u64));
    let mut rows = Rows {
        draft: Draft::new(register),
        layout: &layout,
        file,
        today,
        decisions: HashMap::new(),
    };
    for row in &sheet.rows {
        match layout.parse(row, register.catalog(), file) {
            Ok(parsed) => rows.decide(parsed, &mut checked)?,
            Err(errors) => checked.report.errors.extend(errors),
        }
        progress.inc(1);
    }
    checked.streams = rows.draft.into_streams();
    checked.report.seconds = started.elapsed().as_secs_f64();
    Ok(checked)
}

/// The rows decided so far, folded in memory, and the decisions met so far.
struct Rows<'r> {
    draft: Draft<'r>,
    layout: &'r Layout,
    file: &'r str,
    today: NaiveDate,
    /// The first row of each decision number and what it says of the decision.
    decisions: HashMap<DecisionNumber, (usize, RecognitionGranted)>,
}

impl Rows<'_> {
    fn decide(&mut self, row: FactRow, checked: &mut Checked) -> anyhow::Result<()> {
        let error = |column: Option<&str>, message: String| {
            RowError::row(self.file, row.number, column, message)
        };
        let Some(id) = self.draft.register().holder(&row.code, row.on).cloned() else {
            let message = format!("no locality holds code {} on {}", row.code, row.on);
            let column = Some(self.layout.locality_column());
            checked.report.errors.push(error(column, message));
            return Ok(());
        };
        if let Some(differs) = self.differs_from_earlier_row(&row) {
            checked.report.errors.push(error(None, differs));
            return Ok(());
        }
        match self.draft.decide(&id, self.today, row.action.clone()) {
            Ok(events) => {
                self.draft.apply(&id, events)?;
                checked.rows.push((id, row.action));
                checked.report.recorded += 1;
            }
            Err(refused) => {
                let column = self.layout.column_of(&refused);
                let message = super::reading_row::describe(&refused);
                let named = error(column, message).because(refused.problem());
                checked.report.errors.push(named);
            }
        }
        Ok(())
    }

    /// Every row of one decision number must say the same of the decision (but the commune).
    fn differs_from_earlier_row(&mut self, row: &FactRow) -> Option<String> {
        let LocalityAction::GrantRecognition(granted) = &row.action else {
            return None;
        };
        match self.decisions.get(&granted.decision) {
            Some((first, earlier)) if earlier != granted => Some(format!(
                "decision {} is described differently on row {first}: every row of one decision \
                 has the same signed date, issuer, signer, level, set, standard year, batch and \
                 outstanding field",
                granted.decision
            )),
            Some(_) => None,
            None => {
                let first = (row.number, granted.clone());
                self.decisions.insert(granted.decision.clone(), first);
                None
            }
        }
    }
}

/// The checked rows decided again, in file order, against `states` as the command service
/// loaded them for the append (the same decisions unless another writer moved first).
pub fn decide_again(
    catalog: Arc<Catalog>,
    rows: &[(LocalityId, LocalityAction)],
    states: &HashMap<LocalityId, LocalityState>,
    today: NaiveDate,
) -> Result<StreamEvents, DomainError> {
    let aggregate = Locality::new(catalog);
    let mut folded: HashMap<LocalityId, LocalityState> = HashMap::new();
    let mut streams: StreamEvents = Vec::new();
    let mut index: HashMap<LocalityId, usize> = HashMap::new();
    for (id, action) in rows {
        let state = match folded.remove(id) {
            Some(state) => state,
            None => states.get(id).cloned().unwrap_or_default(),
        };
        let command = LocalityCommand {
            today,
            action: action.clone(),
        };
        let events = aggregate.decide(id, &state, command)?;
        let mut state = state;
        for event in &events {
            state = Locality::fold_onto(state, event.clone())?;
        }
        folded.insert(id.clone(), state);
        match index.get(id) {
            Some(&at) => streams[at].1.extend(events),
            None => {
                index.insert(id.clone(), streams.len());
                streams.push((id.clone(), events));
            }
        }
    }
    Ok(streams)
}
