//! `ntm import readings FILE`: every row is read, looked up (the locality holding its code on
//! the reading's date) and decided by the domain against the register with the rows before it
//! folded in; only when no row has an error is the whole file appended, in one atomic append.
//! A row identical to a reading already in force (or to an earlier row) is left unchanged.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use sha2::{Digest, Sha256};

use super::reading_row::{self, Columns, ReadingRow};
use super::sheet;
use super::table::RowError;
use crate::app::progress::Progress;
use crate::app::Register;
use crate::app::{Draft, Origin};
use crate::domain::catalog::Catalog;
use crate::domain::event::{IndicatorRecorded, LocalityEvent};
use crate::domain::lineage::StreamEvents;
use crate::domain::locality::{LocalityAction, LocalityId};
use crate::store::EventStore;

/// What an import did, or (with errors, or a dry run) would have done.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub file: String,
    pub rows: usize,
    /// Readings recorded (or, in a dry run or with errors, that would be).
    pub recorded: usize,
    /// Rows identical to a reading in force or to an earlier row: nothing to record.
    pub unchanged: usize,
    pub errors: Vec<RowError>,
    /// Positions of the first and last event written; `None` when nothing was written.
    pub written: Option<(i64, i64)>,
    pub seconds: f64,
}

impl ImportReport {
    pub fn summary(&self, dry_run: bool) -> String {
        let outcome = match (self.errors.len(), dry_run, self.written) {
            (0, true, _) => "dry run: nothing written".to_owned(),
            (0, false, Some((first, last))) => format!("written at positions {first}–{last}"),
            (0, false, None) => "nothing new to write".to_owned(),
            (n, _, _) => format!("{n} errors: nothing written"),
        };
        format!(
            "{}: {} rows read, {} recorded, {} unchanged, {} errors; {outcome} ({:.1} s, {:.0} rows/s)",
            self.file,
            self.rows,
            self.recorded,
            self.unchanged,
            self.errors.len(),
            self.seconds,
            self.rows as f64 / self.seconds.max(1e-9),
        )
    }
}

/// Imports the readings file at `path`; writes nothing if any row has an error or `dry_run`.
/// Events are recorded as `origin`'s.
pub async fn import(
    store: &EventStore,
    catalog: Arc<Catalog>,
    origin: Origin,
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
    let mut report = ImportReport {
        file: file.clone(),
        ..ImportReport::default()
    };
    let table = sheet::read(path, &bytes, &file).and_then(|sheet| {
        let columns = Columns::find(&sheet.headers, &file)?;
        Ok((sheet, columns))
    });
    let (sheet, columns) = match table {
        Ok(table) => table,
        Err(errors) => {
            report.errors = errors;
            report.seconds = started.elapsed().as_secs_f64();
            return Ok(report);
        }
    };
    report.rows = sheet.rows.len();
    progress.stage("loading", Some(0));
    let mut register = Register::load(store, catalog.clone(), origin).await?;
    progress.stage("checking", Some(sheet.rows.len() as u64));
    let mut check = Check::new(&register);
    for row in &sheet.rows {
        match reading_row::parse(&columns, row, &catalog, &file) {
            Ok(parsed) => check.row(parsed, &file, &mut report)?,
            Err(errors) => report.errors.extend(errors),
        }
        progress.inc(1);
    }
    let streams = check.draft.into_streams();
    if report.errors.is_empty() && !dry_run && !streams.is_empty() {
        progress.stage("writing", Some(report.recorded as u64));
        let key = idempotency_key("readings", &bytes, &register, &streams);
        let appended = register.record(streams, Some(key)).await?;
        progress.inc(report.recorded as u64);
        let first = appended.events.first().map_or(0, |e| e.position);
        report.written = Some((first, appended.last_position()));
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// The rows decided so far, folded in memory, and the readings already in force.
struct Check<'r> {
    draft: Draft<'r>,
    in_force: HashSet<(LocalityId, IndicatorRecorded)>,
    today: chrono::NaiveDate,
}

impl<'r> Check<'r> {
    fn new(register: &'r Register) -> Self {
        let mut in_force = HashSet::new();
        for (id, state) in register.states() {
            for (_, event) in state.facts() {
                if let LocalityEvent::IndicatorRecorded(reading) = event {
                    in_force.insert((id.clone(), reading.clone()));
                }
            }
        }
        Check {
            draft: Draft::new(register),
            in_force,
            today: crate::app::clock::today(),
        }
    }

    /// Decides one parsed row with the domain and folds it into the draft.
    fn row(
        &mut self,
        row: ReadingRow,
        file: &str,
        report: &mut ImportReport,
    ) -> anyhow::Result<()> {
        let on = row.reading.effective_on;
        let Some(id) = self.draft.register().holder(&row.code, on).cloned() else {
            let message = format!("no locality holds code {} on {on}", row.code);
            let error = RowError::row(file, row.number, Some(reading_row::LOCALITY), message);
            report.errors.push(error);
            return Ok(());
        };
        let seen = (id, row.reading);
        if self.in_force.contains(&seen) {
            report.unchanged += 1;
            return Ok(());
        }
        let (id, reading) = seen;
        let action = LocalityAction::RecordIndicator(reading.clone());
        match self.draft.decide(&id, self.today, action) {
            Ok(events) => {
                self.draft.apply(&id, events)?;
                self.in_force.insert((id, reading));
                report.recorded += 1;
            }
            Err(error) => report.errors.push(RowError::row(
                file,
                row.number,
                reading_row::column_of(&error),
                reading_row::describe(&error),
            )),
        }
        Ok(())
    }
}

/// The same file decided against the same stream versions gets the same key, so a retried
/// write returns the first one's events instead of writing them twice.
pub fn idempotency_key(
    kind: &str,
    bytes: &[u8],
    register: &Register,
    streams: &StreamEvents,
) -> String {
    let mut hasher = Sha256::new();
    hasher.update(Sha256::digest(bytes));
    for (id, _) in streams {
        hasher.update(id.0.as_bytes());
        let version = register.state(id).map_or(0, |s| s.version());
        hasher.update(version.to_be_bytes());
    }
    format!("import-{kind}/{}", hex::encode(hasher.finalize()))
}
