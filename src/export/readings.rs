//! `ntm export readings`: the readings in force (retracted ones left out), one row each in the
//! columns `ntm import readings` takes, each locality named by the code it held on the
//! reading's date. Localities by code, readings in the order they were recorded.

use std::io::Write;
use std::sync::Arc;

use super::subtree::{holder, is_under};
use super::ReadingsArgs;
use crate::app::{Origin, Register};
use crate::domain::catalog::Catalog;
use crate::domain::event::LocalityEvent;
use crate::import::progress::Progress;
use crate::import::reading_row::HEADER;
use crate::spreadsheet::to_cell;
use crate::store::{Db, EventStore};

pub async fn run(db: Db, args: ReadingsArgs, out: &mut impl Write) -> anyhow::Result<()> {
    let store = EventStore::open(db).await?;
    let catalog = Arc::new(Catalog::shipped()?);
    let progress = Progress::new("localities");
    progress.stage("loading", 0);
    let register = Register::load(&store, catalog, Origin::cli("cli:export")).await?;
    let counts = write(&register, &args, out, &progress)?;
    progress.finish();
    out.flush()?;
    eprintln!("{} readings exported", counts.written);
    if counts.without_code > 0 {
        eprintln!(
            "{} readings left out: their locality held no code on the reading's date",
            counts.without_code
        );
    }
    Ok(())
}

#[derive(Debug, Default)]
pub struct Counts {
    pub written: usize,
    pub without_code: usize,
}

/// Writes the readings as CSV with the import's header.
pub fn write(
    register: &Register,
    args: &ReadingsArgs,
    out: &mut impl Write,
    progress: &Progress,
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
    progress.stage("exporting", localities.len() as u64);
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(HEADER)?;
    let mut counts = Counts::default();
    for (id, state) in localities {
        progress.inc(1);
        for (_, event) in state.facts() {
            let LocalityEvent::IndicatorRecorded(r) = event else {
                continue;
            };
            if args.set.as_ref().is_some_and(|s| *s != r.set) {
                continue;
            }
            if let Some(parent) = &args.parent {
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
