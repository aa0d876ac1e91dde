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
use crate::export::{events, readings, standings, Format};
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
    }
    Ok(ExitCode::SUCCESS)
}
