//! `ntm export readings`: the readings in force (retracted ones left out), one row each in the
//! columns `ntm import readings` takes, each locality named by the code it held on the
//! reading's date. Localities by code, readings in the order they were recorded.

use std::io::Write;
use std::sync::Arc;

use super::subtree::{holder, is_under};
use crate::app::progress::Progress;
use crate::app::Origin;
use crate::app::Register;
use crate::domain::catalog::Catalog;
use crate::domain::event::LocalityEvent;
use crate::domain::values::{LocalityCode, SetCode};
use crate::export::spreadsheet::to_cell;
use crate::import::reading_row::HEADER;
use crate::store::EventStore;

/// Which readings to export.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only readings of this criteria set.
    pub set: Option<SetCode>,
    /// Only readings of localities under the locality holding this code on the reading's date.
    pub parent: Option<LocalityCode>,
}

/// How many readings went out, and how many were left out.
#[derive(Debug, Default)]
pub struct Counts {
    pub written: usize,
    /// Readings whose locality held no code on the reading's date.
    pub without_code: usize,
}

/// Writes the readings `filter` lets through, as the log has them now, to `out`.
pub async fn export(
    store: &EventStore,
    catalog: Arc<Catalog>,
    filter: &Filter,
    out: &mut impl Write,
    progress: &dyn Progress,
) -> anyhow::Result<Counts> {
    progress.stage("loading", Some(0));
    let register = Register::load(store, catalog, Origin::cli("cli:export")).await?;
    write(&register, filter, out, progress)
}

/// Writes the readings as CSV with the import's header.
pub fn write(
    register: &Register,
    filter: &Filter,
    out: &mut impl Write,
    progress: &dyn Progress,
) -> anyhow::Result<Counts> {
    let mut localities: Vec<_> = register.states().collect();
    localities.sort_by_key(|(id, state)| {
        let latest = state
            .profile()
            .codes
            .entries()
            .last()
            .and_then(|(_, c)| c.clone());
        (latest, (*id).clone())
    });
    progress.stage("exporting", Some(localities.len() as u64));
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(HEADER)?;
    let mut counts = Counts::default();
    for (id, state) in localities {
        progress.inc(1);
        for (_, event) in state.facts() {
            let LocalityEvent::IndicatorRecorded(r) = event else {
                continue;
            };
            if filter.set.as_ref().is_some_and(|s| *s != r.set) {
                continue;
            }
            if let Some(parent) = &filter.parent {
                let ancestor = holder(register, parent, r.effective_on)?;
                if !is_under(register, id, &ancestor, r.effective_on) {
                    continue;
                }
            }
            let Some(code) = state.profile().code_on(r.effective_on) else {
                counts.without_code += 1;
                continue;
            };
            let evidence = &r.evidence;
            // Free text goes out safe to open in a spreadsheet; the import reads it back.
            let optional = |v: &Option<String>| to_cell(v.as_deref().unwrap_or_default());
            csv.write_record([
                code.to_string(),
                r.set.to_string(),
                r.indicator.to_string(),
                r.value.plain_text(),
                r.effective_on.format("%Y-%m-%d").to_string(),
                optional(&evidence.document),
                optional(&evidence.file_ref),
                optional(&evidence.note),
            ])?;
            counts.written += 1;
        }
    }
    csv.flush()?;
    Ok(counts)
}
