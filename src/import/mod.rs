//! `ntm import …`: administrative units, the July 2025 reorganisation and readings from files,
//! each checked whole before anything is written.

pub mod curated;
pub mod localities;
pub mod progress;
pub mod reorganization;
pub mod table;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{NaiveDate, Utc};

use crate::domain::catalog::Catalog;
use crate::domain::values::DecisionNumber;
use crate::register::Register;
use crate::store::{EventStore, Metadata};

/// Who a command-line import is recorded as.
#[derive(Clone, Debug, clap::Args)]
pub struct CliActor {
    /// Recorded as the actor of every event the command writes.
    #[arg(
        long = "actor",
        env = "NTM_ACTOR",
        default_value = "cli",
        global = true
    )]
    pub name: String,
}

impl CliActor {
    pub fn metadata(&self) -> Metadata {
        Metadata {
            actor: self.name.clone(),
            role: "admin".into(),
            client: Some("cli".into()),
            ..Metadata::default()
        }
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
            let mut register = Register::load(store, catalog, actor.metadata()).await?;
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
            let mut register = Register::load(store, catalog, actor.metadata()).await?;
            let sources = reorganization::Sources::read(&args)?;
            let summary =
                reorganization::run(&mut register, &sources, &args.terms(), today).await?;
            print!("{summary}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
