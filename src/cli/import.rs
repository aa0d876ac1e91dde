//! `ntm import localities|attributes|villages|reorganization|readings|enrolments|assessments|
//! votes|decisions|acknowledgements|revocations`: each file checked whole
//! before anything is written; what was recorded on stdout, the file's errors on stderr.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::NaiveDate;

use super::progress::Bar;
use crate::app::Origin;
use crate::app::Register;
use crate::domain::catalog::Catalog;
use crate::domain::values::DecisionNumber;
use crate::import::fact_kind::FactKind;
use crate::import::facts::import as import_facts;
use crate::import::{attributes, localities, readings, reorganization, villages};
use crate::store::EventStore;

/// Exit status of an import whose file has errors (nothing was written).
pub const EXIT_FILE_ERRORS: u8 = 2;

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
        /// A curated lineage (catalog/lineage/*.toml) whose `[[establish]]` units replace or
        /// complete the file's rows: a list made after that act, registered as it was before it
        /// (then apply the same file with `ntm import reorganization --curated`).
        #[arg(long)]
        as_before: Option<PathBuf>,
    },
    /// Grading attributes of many units from a
    /// `code,region,commune_group,effective_on[,reason][,special]` CSV file: the threshold region
    /// (TDMNPB, DBSH, BTB, DHNTB, TN, DNB, DBSCL), the 2026–2030 commune group (1, 2, 3) and the
    /// special-commune status of QĐ 318 (xa-dbkk, xa-atk-huyen-ngheo,
    /// huyen-thoat-ngheo-2018-2020: graded against TDMNPB targets), each from its date. Checked
    /// whole, written all-or-nothing; a row the register already holds records nothing.
    Attributes { file: PathBuf },
    /// Villages (thôn, xóm, bản, tổ dân phố, khu dân cư) from a
    /// `name,parent_code,kind,effective_on[,code,legal_act]` CSV file, each under the commune,
    /// ward, town or special zone holding `parent_code` on its date. Checked whole, written
    /// all-or-nothing; a village already registered under the same parent with the same name
    /// records nothing.
    Villages { file: PathBuf },
    /// The July 2025 reorganisation: a ward mapping (old code → new code) with the new units.
    Reorganization(ReorganizationArgs),
    /// Indicator readings (one per row) from a .csv or .xlsx file: checked whole, written
    /// all-or-nothing; every error names its row and column.
    Readings(FileArgs),
    /// The year's registration list (`ntm template enrolments` for the columns): checked whole,
    /// written all-or-nothing in one append; every error names its row and column.
    Enrolments(FileArgs),
    /// Criterion assessments (đạt / không đạt, by level), as `enrolments`.
    Assessments(FileArgs),
    /// Appraisal council votes, as `enrolments`.
    Votes(FileArgs),
    /// Recognition decisions, one row per commune (rows of one decision agree), as
    /// `enrolments`: a decision covering seven communes is one append.
    Decisions(FileArgs),
    /// Acknowledgements after mergers, as `enrolments`.
    Acknowledgements(FileArgs),
    /// Revocations of recognitions, as `enrolments`.
    Revocations(FileArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct ReorganizationArgs {
    /// `old_code,old_name,old_district_name,old_province_name,new_code,new_name`.
    pub mapping: PathBuf,
    /// The units after the reorganisation (`code,name,kind,parent_code`).
    #[arg(long)]
    pub units: PathBuf,
    /// First day of the new structure.
    #[arg(long)]
    pub effective: NaiveDate,
    /// The act of the reorganisation, e.g. 19/2025/QĐ-TTg (the code list of 1/7/2025).
    #[arg(long)]
    pub act: DecisionNumber,
    /// From when the mapping's old names hold where they differ from the register.
    #[arg(long)]
    pub prior_effective: NaiveDate,
    /// The act recorded with those inferred changes (the arrangements of 2023–2025 had one
    /// resolution per province; the default is their framework, NQ 35/2023/UBTVQH15).
    #[arg(long, default_value = "35/2023/UBTVQH15")]
    pub prior_act: DecisionNumber,
    /// Curated lineage applied first, in the order given (repeatable), e.g.
    /// catalog/lineage/42-ha-tinh-2020-01-01.toml then 42-ha-tinh-2025-01-01.toml: its
    /// `[[establish]]` units (those the act ends, as they were the day before) are registered
    /// from its `known_from` unless already there under the same name; a unit holding the code
    /// under its later name is refused (import the list with `--as-before` that file); then its
    /// `[[change]]` and `[[merge]]` entries are recorded on its `effective` date.
    #[arg(long)]
    pub curated: Vec<PathBuf>,
}

impl ReorganizationArgs {
    fn files(&self) -> reorganization::Files {
        reorganization::Files {
            mapping: self.mapping.clone(),
            units: self.units.clone(),
            curated: self.curated.clone(),
        }
    }

    fn terms(&self) -> reorganization::Terms {
        reorganization::Terms {
            effective: self.effective,
            act: self.act.clone(),
            prior_effective: self.prior_effective,
            prior_act: self.prior_act.clone(),
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct FileArgs {
    /// The file: .csv (UTF-8; `,` `;` or tab separated) or .xlsx (its first sheet).
    pub file: PathBuf,
    /// Check every row and report, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs one import; every event it writes is recorded by `origin`.
pub async fn run(
    store: &EventStore,
    catalog: Arc<Catalog>,
    command: ImportCommand,
    origin: &Origin,
) -> anyhow::Result<ExitCode> {
    let progress = Bar::new("rows");
    let shared = Arc::clone(&catalog);
    let run = Run {
        store,
        catalog: &shared,
        origin,
        progress: &progress,
    };
    let outcome = match command {
        ImportCommand::Localities {
            file,
            effective,
            act,
            as_before,
        } => {
            let mut units = localities::read(&file)?;
            if let Some(lineage) = as_before {
                units = crate::import::curated::read(&lineage)?.as_before(&units);
            }
            let terms = localities::Terms {
                file: file.display().to_string(),
                effective_on: effective,
                act,
                today: crate::app::clock::today(),
            };
            let register = Register::load(store, catalog, origin.clone()).await?;
            localities(register, &units, &terms, &progress).await
        }
        ImportCommand::Attributes { file } => {
            let rows = attributes::read(&file)?;
            let mut register = Register::load(store, catalog, origin.clone()).await?;
            let name = file.display().to_string();
            let today = crate::app::clock::today();
            let summary = attributes::import(&mut register, &name, &rows, today, &progress).await;
            summary
                .map(|s| format!("{name}: {} rows; {s}\n", rows.len()))
                .map_err(anyhow::Error::from)
        }
        ImportCommand::Villages { file } => {
            let parsed = villages::read(&file)?;
            let mut register = Register::load(store, catalog, origin.clone()).await?;
            let name = file.display().to_string();
            let today = crate::app::clock::today();
            let summary = villages::import(&mut register, &name, &parsed, today, &progress).await;
            summary
                .map(|s| format!("{name}: {} rows; {s}\n", parsed.len))
                .map_err(anyhow::Error::from)
        }
        ImportCommand::Reorganization(args) => {
            let register = Register::load(store, catalog, origin.clone()).await?;
            reorganization(register, &args, &progress).await
        }
        ImportCommand::Readings(args) => {
            let report = readings::import(
                store,
                catalog,
                origin.clone(),
                &args.file,
                args.dry_run,
                &progress,
            )
            .await;
            progress.finish();
            return Ok(report_readings(&report?, args.dry_run));
        }
        ImportCommand::Enrolments(args) => return facts(FactKind::Enrolments, args, run).await,
        ImportCommand::Assessments(args) => return facts(FactKind::Assessments, args, run).await,
        ImportCommand::Votes(args) => return facts(FactKind::Votes, args, run).await,
        ImportCommand::Decisions(args) => return facts(FactKind::Decisions, args, run).await,
        ImportCommand::Acknowledgements(args) => {
            return facts(FactKind::Acknowledgements, args, run).await
        }
        ImportCommand::Revocations(args) => return facts(FactKind::Revocations, args, run).await,
    };
    progress.finish();
    print!("{}", outcome?);
    Ok(ExitCode::SUCCESS)
}

/// What an import of facts needs of its run.
#[derive(Clone, Copy)]
struct Run<'a> {
    store: &'a EventStore,
    catalog: &'a Arc<Catalog>,
    origin: &'a Origin,
    progress: &'a Bar,
}

/// `ntm import KIND FILE [--dry-run]` for a fact kind other than readings.
async fn facts(kind: FactKind, args: FileArgs, run: Run<'_>) -> anyhow::Result<ExitCode> {
    let (store, catalog, origin) = (run.store, run.catalog.clone(), run.origin.clone());
    let dry_run = args.dry_run;
    let report = import_facts(
        store,
        catalog,
        origin,
        kind,
        &args.file,
        dry_run,
        run.progress,
    );
    let report = report.await;
    run.progress.finish();
    Ok(report_readings(&report?, dry_run))
}

/// What the localities import recorded, in a line for stdout.
async fn localities(
    mut register: Register,
    units: &[localities::UnitRow],
    terms: &localities::Terms,
    progress: &Bar,
) -> anyhow::Result<String> {
    let summary = localities::import(&mut register, units, terms, progress).await?;
    Ok(format!("{}: {} rows; {summary}\n", terms.file, units.len()))
}

/// What the reorganisation recorded, and what the data could not explain, in lines for stdout.
async fn reorganization(
    mut register: Register,
    args: &ReorganizationArgs,
    progress: &Bar,
) -> anyhow::Result<String> {
    let sources = reorganization::Sources::read(&args.files())?;
    let today = crate::app::clock::today();
    let terms = args.terms();
    let summary = reorganization::run(&mut register, &sources, &terms, today, progress).await?;
    Ok(summary.to_string())
}

/// The file's errors on stderr, the summary on stdout; exit 2 when the file has errors.
fn report_readings(report: &readings::ImportReport, dry_run: bool) -> ExitCode {
    for error in &report.errors {
        eprintln!("{error}");
    }
    println!("{}", report.summary(dry_run));
    if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FILE_ERRORS)
    }
}
