//! `ntm import villages`: villages (thôn, xóm, bản, tổ dân phố, khu dân cư) from a
//! `name,parent_code,kind,effective_on[,code,legal_act]` file, each established under the
//! commune-level unit holding `parent_code` on its date. A village already registered under the
//! same parent with the same name is left as it is, so the same file imported twice records
//! nothing the second time (docs/decisions/village-import.md).

use std::fmt;

use chrono::NaiveDate;
use uuid::Uuid;

use super::table::{RowError, RowErrors};
use super::village_row::folded;
pub use super::village_row::{parse, read, Parsed, VillageRow, COLUMNS};
use crate::app::progress::Progress;
use crate::app::Register;
use crate::domain::lineage::StreamEvents;
use crate::domain::locality::{LocalityAction, LocalityEstablished, LocalityEvent, LocalityId};
use crate::domain::terms::LocalityKind;
use crate::domain::values::LocalityCode;

pub use super::localities::ImportError;

/// What an import recorded.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub created: usize,
    pub unchanged: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} created, {} unchanged ({} events recorded)",
            self.created, self.unchanged, self.created
        )
    }
}

/// Decides every row against the register and records all of it in one atomic append through
/// the command service, or nothing when a row is refused (each named by file, row and column).
pub async fn import(
    register: &mut Register,
    file: &str,
    parsed: &Parsed,
    today: NaiveDate,
    progress: &dyn Progress,
) -> Result<Summary, ImportError> {
    progress.stage("checking", Some(parsed.rows.len() as u64));
    let mut summary = Summary::default();
    let mut streams = StreamEvents::new();
    let mut errors = parsed.errors.clone();
    for row in &parsed.rows {
        progress.inc(1);
        match plan(register, row, today) {
            Ok(Some(planned)) => {
                summary.created += 1;
                streams.push(planned);
            }
            Ok(None) => summary.unchanged += 1,
            Err((column, problem)) => {
                errors.push(RowError::row(file, row.row, Some(column), problem));
            }
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Err(RowErrors(errors).into());
    }
    if !streams.is_empty() {
        progress.stage(&format!("writing {} events", summary.created), None);
        register.record(streams, None).await?;
    }
    Ok(summary)
}

/// A refusal: the column at fault and why.
type Refusal = (&'static str, String);

/// The village's establishment, `None` when it is already registered, or why the row is refused.
fn plan(
    register: &Register,
    row: &VillageRow,
    today: NaiveDate,
) -> Result<Option<(LocalityId, Vec<LocalityEvent>)>, Refusal> {
    let on = row.effective_on;
    if on > today {
        return Err(("effective_on", format!("{on} is after today ({today})")));
    }
    let parent = parent_on(register, &row.parent, on)?;
    match registered(register, &parent, row) {
        Some(Registered::Alive(id)) => return unchanged(register, &id, row),
        Some(Registered::From(from)) => {
            let problem = format!(
                "{:?} is registered under {} from {from}: a village is registered once",
                row.name, row.parent
            );
            return Err(("effective_on", problem));
        }
        None => {}
    }
    if let Some(code) = &row.code {
        if register.holder(code, on).is_some() {
            return Err(("code", format!("{code} is held by another unit on {on}")));
        }
    }
    let id = LocalityId(Uuid::now_v7());
    let established = established(row, parent);
    let events = register
        .decide(&id, today, LocalityAction::Establish(established))
        .map_err(|refused| ("name", refused.to_string()))?;
    Ok(Some((id, events)))
}

/// The row's village entering the register under `parent`.
fn established(row: &VillageRow, parent: LocalityId) -> LocalityEstablished {
    LocalityEstablished {
        effective_on: row.effective_on,
        legal_act: row.legal_act.clone(),
        name: row.name.clone(),
        kind: LocalityKind::Village,
        code: row.code.clone(),
        parent: Some(parent),
        threshold_region: None,
        commune_group: None,
        formed_from: vec![],
    }
}

/// The commune-level unit holding `code` on `on`.
fn parent_on(
    register: &Register,
    code: &LocalityCode,
    on: NaiveDate,
) -> Result<LocalityId, Refusal> {
    let Some(id) = register.holder(code, on) else {
        return Err(("parent_code", format!("no unit holds code {code} on {on}")));
    };
    let kind = register
        .state(id)
        .and_then(|s| s.profile().kinds.on(on).copied());
    match kind {
        Some(kind) if kind.is_commune_level() => Ok(id.clone()),
        kind => Err((
            "parent_code",
            format!(
                "{code} is a {} on {on}; a village lies under a xã, phường, thị trấn or đặc khu",
                kind.map_or("unit of unknown kind", LocalityKind::spelling)
            ),
        )),
    }
}

/// A village of the row's name under the parent: alive on the row's date, or from a later one.
enum Registered {
    Alive(LocalityId),
    From(NaiveDate),
}

fn registered(register: &Register, parent: &LocalityId, row: &VillageRow) -> Option<Registered> {
    let name = folded(&row.name);
    let on = row.effective_on;
    let mut later = None;
    for id in register.ever_children(parent) {
        let Some(profile) = register.state(id).map(|s| s.profile()) else {
            continue;
        };
        let named = |d: NaiveDate| profile.names.on(d).is_some_and(|n| folded(n) == name);
        let under = |d: NaiveDate| profile.parents.on(d).and_then(Option::as_ref) == Some(parent);
        if profile.exists_on(on) && named(on) && under(on) {
            return Some(Registered::Alive(id.clone()));
        }
        let from = profile.established_on.filter(|d| *d > on);
        if let Some(from) = from.filter(|d| named(*d) && under(*d)) {
            later = Some(later.map_or(from, |l: NaiveDate| l.min(from)));
        }
    }
    later.map(Registered::From)
}

/// Nothing to record for a registered village, unless the row gives it another code.
fn unchanged(
    register: &Register,
    id: &LocalityId,
    row: &VillageRow,
) -> Result<Option<(LocalityId, Vec<LocalityEvent>)>, Refusal> {
    let held = register
        .state(id)
        .and_then(|s| s.profile().code_on(row.effective_on));
    match &row.code {
        Some(code) if held != Some(code) => {
            let held = held.map_or_else(|| "no code".to_owned(), |c| format!("code {c}"));
            let problem = format!(
                "{:?} under {} is registered with {held}; this import does not re-code a village",
                row.name, row.parent
            );
            Err(("code", problem))
        }
        _ => Ok(None),
    }
}
