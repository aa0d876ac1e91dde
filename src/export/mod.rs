//! `ntm export …`: standings on a date, the event log with its hashes, and readings in the
//! format `ntm import readings` takes. Everything goes to stdout; progress to stderr.

pub mod events;
pub mod readings;
pub mod standings;
mod subtree;

use std::process::ExitCode;

use chrono::NaiveDate;

use crate::domain::values::{LocalityCode, SetCode};
use crate::store::Db;

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
    /// The criteria set, e.g. NTM-XA-2021-2025.
    #[arg(long)]
    pub set: SetCode,
    /// The valid date (YYYY-MM-DD); default today.
    #[arg(long)]
    pub on: Option<NaiveDate>,
    /// Only localities under the locality holding this code on that date.
    #[arg(long)]
    pub parent: Option<LocalityCode>,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
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

pub async fn run(db: Db, command: ExportCommand) -> anyhow::Result<ExitCode> {
    let out = &mut std::io::BufWriter::new(std::io::stdout().lock());
    match command {
        ExportCommand::Standings(args) => standings::run(db, args, out).await?,
        ExportCommand::Events(args) => events::run(db, args, out).await?,
        ExportCommand::Readings(args) => readings::run(db, args, out).await?,
    }
    Ok(ExitCode::SUCCESS)
}
