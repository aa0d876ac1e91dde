//! `ntm export standings|events|readings`: the export to stdout; progress and counts to stderr.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::NaiveDate;
use clap::builder::PossibleValue;
use clap::ValueEnum;

use super::progress::Bar;
use crate::domain::catalog::Catalog;
use crate::domain::values::{LocalityCode, SetCode};
use std::path::PathBuf;

use anyhow::Context;

use crate::checkpoint::{Checkpoint, LogSettings, NoteVerifier};
use crate::export::{events, proof, readings, standings, Format};
use crate::store::{Db, EventStore};

/// What can be exported.
#[derive(Debug, clap::Subcommand)]
pub enum ExportCommand {
    /// The standing of every locality (of a parent's subtree) for a criteria set on a date,
    /// graded by the domain: one row per locality, one column per criterion.
    Standings(StandingsArgs),
    /// Every event from a position on, as JSON lines with the hashes that chain them.
    Events(EventsArgs),
    /// The readings in force, as a CSV file `ntm import readings` takes back.
    Readings(ReadingsArgs),
    /// The proof for an auditor holding a checkpoint: the events since, a new signed
    /// checkpoint (made now with `--checkpoint-key`) and the proofs that the log extends the
    /// held one unchanged, as one JSON file for `scripts/verify_log_bundle.py`.
    Proof(ProofArgs),
}

#[derive(Debug, clap::Args)]
pub struct ProofArgs {
    /// The checkpoint the auditor holds (a signed note).
    #[arg(long, value_name = "FILE")]
    pub checkpoint: PathBuf,
    /// The log's verifier key; default: the verifier of `--checkpoint-key`.
    #[arg(id = "verifier_key", long = "key", value_name = "VKEY", value_parser = super::transparency::verifier_key)]
    pub key: Option<NoteVerifier>,
}

#[derive(Debug, clap::Args)]
pub struct StandingsArgs {
    /// The criteria set, e.g. NTM-XA-2021-2025; default the commune set in force on the date.
    #[arg(long)]
    pub set: Option<SetCode>,
    /// The valid date (YYYY-MM-DD); default today.
    #[arg(long)]
    pub on: Option<NaiveDate>,
    /// Only localities under the locality holding this code on that date.
    #[arg(long)]
    pub parent: Option<LocalityCode>,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
}

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[Format::Csv, Format::Json]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }))
    }
}

#[derive(Debug, clap::Args)]
pub struct EventsArgs {
    /// The first position to export (1: the whole log).
    #[arg(long, default_value_t = 1)]
    pub from: i64,
}

#[derive(Debug, clap::Args)]
pub struct ReadingsArgs {
    /// Only readings of this criteria set.
    #[arg(long)]
    pub set: Option<SetCode>,
    /// Only readings of localities under the locality holding this code on the reading's date.
    #[arg(long)]
    pub parent: Option<LocalityCode>,
}

pub async fn run(
    db: Db,
    catalog: Arc<Catalog>,
    command: ExportCommand,
    log: &LogSettings,
) -> anyhow::Result<ExitCode> {
    let out = &mut std::io::BufWriter::new(std::io::stdout().lock());
    let store = EventStore::open(db).await?;
    match command {
        ExportCommand::Standings(args) => {
            let query = standings::Query {
                set: args.set,
                on: args.on.unwrap_or_else(crate::app::clock::today),
                parent: args.parent,
                format: args.format,
            };
            let progress = Bar::new("localities");
            let exported = standings::export(&store, catalog, &query, out, &progress).await;
            progress.finish();
            exported?;
            out.flush()?;
        }
        ExportCommand::Events(args) => {
            let progress = Bar::new("events");
            let after = args.from.max(1) - 1;
            let written = events::export(&store, after, out, &progress).await;
            progress.finish();
            let written = written?;
            out.flush()?;
            eprintln!("{written} events exported ({:.1} s)", progress.elapsed());
        }
        ExportCommand::Readings(args) => {
            let filter = readings::Filter {
                set: args.set,
                parent: args.parent,
            };
            let progress = Bar::new("localities");
            let counts = readings::export(&store, catalog, &filter, out, &progress).await;
            progress.finish();
            let counts = counts?;
            out.flush()?;
            eprintln!("{} readings exported", counts.written);
            if counts.without_code > 0 {
                eprintln!(
                    "{} readings left out: their locality held no code on the reading's date",
                    counts.without_code
                );
            }
        }
        ExportCommand::Proof(args) => {
            let key = args
                .key
                .or_else(|| log.signer.as_ref().map(|s| s.verifier()))
                .context("the held checkpoint is checked with the log's key: give --key VKEY")?;
            let path = &args.checkpoint;
            let note = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let (old, _) = Checkpoint::open(&note, &key).with_context(|| {
                format!("{} is not a checkpoint signed by {key}", path.display())
            })?;
            let checkpoints = log.checkpoints(store.clone());
            let progress = Bar::new("events");
            let exported = proof::export(&store, &checkpoints, (&old, &note), out, &progress).await;
            progress.finish();
            let exported = exported?;
            out.flush()?;
            eprintln!(
                "proof from {} to {} events ({} events in the bundle)",
                exported.old_size, exported.new_size, exported.events
            );
            if !exported.old_root_holds {
                eprintln!("warning: the log's first {} events no longer have the held checkpoint's root: the bundle will be refused", exported.old_size);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
