//! `ntm import …`: administrative units, the July 2025 reorganisation and readings from files,
//! each checked whole before anything is written.

pub mod curated;
pub mod localities;
pub mod progress;
pub mod reading_row;
pub mod readings;
pub mod reorganization;
pub mod sheet;
pub mod table;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{NaiveDate, Utc};

use crate::app::{Origin, Register};
use crate::domain::catalog::Catalog;
use crate::domain::values::DecisionNumber;
use crate::store::EventStore;

/// Who a command-line import is recorded as.
#[derive(Clone, Debug, clap::Args)]
pub struct CliActor {
    /// Recorded as the actor of every event the command writes.
    #[arg(
        id = "actor",
        long = "actor",
        env = "NTM_ACTOR",
        default_value = "cli",
        global = true
    )]
    pub name: String,
}

impl CliActor {
    /// This run's origin: the actor, with one request and correlation id for the run.
    pub fn origin(&self) -> Origin {
        Origin::cli(self.name.clone())
    }
}

#[derive(Debug, clap::Subcommand)]
pub enum ImportCommand {
    /// Administrative units from a `code,name,kind,parent_code` CSV file (GSO list).
    Localities {
        file: PathBuf,
        /// The date from which the file's units, names, kinds and parents hold.
        #[arg(long)]
        effective: NaiveDate,
        /// The legal act behind the list (needed when a registered unit changes).
        #[arg(long)]
        act: Option<DecisionNumber>,
    },
    /// The July 2025 reorganisation: a ward mapping (old code → new code) with the new units.
    Reorganization(reorganization::Args),
    /// Indicator readings (one per row) from a .csv or .xlsx file: checked whole, written
    /// all-or-nothing; every error names its row and column.
    Readings(ReadingsArgs),
}

#[derive(Debug, clap::Args)]
pub struct ReadingsArgs {
    /// The file: .csv (UTF-8; `,` `;` or tab separated) or .xlsx (its first sheet).
    pub file: PathBuf,
    /// Check every row and report, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub async fn run(
    store: &EventStore,
    command: ImportCommand,
    actor: &CliActor,
) -> anyhow::Result<ExitCode> {
    let catalog = Arc::new(Catalog::shipped()?);
    let today = Utc::now().date_naive();
    match command {
        ImportCommand::Localities {
            file,
            effective,
            act,
        } => {
            let units = localities::read(&file)?;
            let mut register = Register::load(store, catalog, actor.origin()).await?;
            let terms = localities::Terms {
                file: file.display().to_string(),
                effective_on: effective,
                act,
                today,
            };
            let summary = localities::import(&mut register, &units, &terms).await?;
            println!("{}: {} rows; {summary}", terms.file, units.len());
        }
        ImportCommand::Reorganization(args) => {
            let mut register = Register::load(store, catalog, actor.origin()).await?;
            let sources = reorganization::Sources::read(&args)?;
            let summary =
                reorganization::run(&mut register, &sources, &args.terms(), today).await?;
            print!("{summary}");
        }
        ImportCommand::Readings(args) => return readings::run(store, catalog, &args, actor).await,
    }
    Ok(ExitCode::SUCCESS)
}

/// Exit status of an import whose file has errors (nothing was written).
pub const EXIT_FILE_ERRORS: u8 = 2;
