//! `ntm`, the command line: every command's arguments, and everything a command prints.
//! The library underneath returns summaries and reports progress through
//! [`crate::app::progress::Progress`]; only this module writes to stdout and stderr.

pub mod catalog;
mod catalog_gradable;
mod catalog_publish;
pub mod export;
pub mod import;
pub mod progress;
pub mod replay;
pub mod report;
pub mod serve;
pub mod template;
pub mod token;
pub mod transparency;
pub mod user;
pub mod verify;
pub mod witness;

use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use uuid::Uuid;

use crate::app::publish::record_shipped;
use crate::app::{CatalogHandle, Origin};
use crate::domain::catalog::Catalog;
use crate::store::{redact_url, Db, EventStore};
use catalog::CatalogCommand;
use export::ExportCommand;
use import::ImportCommand;
use report::ReportCommand;
use serve::ServeConfig;
use token::TokenCommand;
use transparency::{KeyCommand, LogArgs, ProveArgs};
use user::UserCommand;
use witness::WitnessArgs;

/// Tracks Vietnam's New Rural Development criteria as an auditable event log.
#[derive(Parser, Debug)]
#[command(name = "ntm", version)]
pub struct Cli {
    #[command(flatten)]
    database: DatabaseConfig,
    #[command(flatten)]
    origin: OriginArgs,
    #[command(flatten)]
    log: LogArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the HTTP service (migrates the database first).
    Serve(ServeConfig),
    /// Apply the database migrations and exit.
    Migrate,
    /// On one snapshot: re-compute every hash chain and the Merkle tree (against every kept
    /// checkpoint and those given with `--checkpoint`), decode every event, look for cycles in
    /// the locality tree, re-derive every projection; exit 2 naming the first finding.
    Verify(verify::VerifyArgs),
    /// Rebuild every projection from position 0 into fresh tables and swap them in.
    Replay,
    /// Bring administrative units, the 2025 reorganisation or readings in from files, each
    /// checked whole before anything is written.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Write the .xlsx template of an import (`ntm import KIND`): the header row, and a sheet
    /// "Mã hợp lệ" of the valid codes.
    Template(template::TemplateArgs),
    /// Print the GraphQL schema (SDL), as committed in `schema/schema.graphql`.
    Schema,
    /// Standings, the event log with its hashes, or readings, to stdout.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Bearer tokens for the API: create (prints the secret once), list, revoke.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// People's accounts for the dashboard and the API: create, list, disable, reset-password
    /// (passwords read from stdin).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The criteria catalogues (bộ tiêu chí): the ones this build ships and those published in
    /// the database; publish a new set or version from a TOML file.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// Reports as offices send them (.xlsx or CSV), recorded as issued; `verify FILE` proves
    /// whether a file was.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Signing keys for checkpoints and witnesses (`generate`).
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Sign the log as it is now (size and Merkle root) with `--checkpoint-key`, keep the
    /// checkpoint and print it: the note an auditor keeps.
    Checkpoint,
    /// Print an inclusion proof of an event (`POSITION --checkpoint SIZE`) or a consistency
    /// proof between two sizes (`--from SIZE --to SIZE`), as JSON.
    Prove(ProveArgs),
    /// An auditor's witness of a log over HTTP: check its newest checkpoint against the last
    /// one accepted (signature, consistency proof), cosign it or refuse it (exit 3) with the
    /// evidence kept; once, or every `--every` seconds. Needs no database.
    Witness(Box<WitnessArgs>),
}

/// Where the events live.
#[derive(Clone, clap::Args)]
pub struct DatabaseConfig {
    /// `sqlite://FILE?mode=rwc` (embedded, the default) or `postgres://USER@HOST/DB`.
    #[arg(
        long = "database-url",
        env = "DATABASE_URL",
        default_value = "sqlite://ntm.db?mode=rwc",
        global = true,
        hide_env_values = true
    )]
    pub url: String,
    /// The directory of attached files; by default, for an SQLite file, the directory beside
    /// it named after it (`ntm.db.blobs`), otherwise the database's `blobs` table.
    #[arg(
        long = "blob-dir",
        env = "NTM_BLOB_DIR",
        global = true,
        value_name = "DIR"
    )]
    pub blob_dir: Option<PathBuf>,
}

impl DatabaseConfig {
    /// Where attached files are kept: the directory asked for, the one beside an SQLite file,
    /// or (`None`) the database.
    pub fn blob_dir(&self) -> Option<PathBuf> {
        if self.blob_dir.is_some() {
            return self.blob_dir.clone();
        }
        self.beside_file("blobs")
    }

    /// `<file>.<suffix>` beside an SQLite database file; `None` for any other database.
    pub fn beside_file(&self, suffix: &str) -> Option<PathBuf> {
        let rest =
            (self.url.strip_prefix("sqlite://")).or_else(|| self.url.strip_prefix("sqlite:"))?;
        let file = rest.split('?').next()?;
        (!file.is_empty() && !file.contains(":memory:"))
            .then(|| PathBuf::from(format!("{file}.{suffix}")))
    }
}

impl fmt::Debug for DatabaseConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseConfig")
            .field("url", &redact_url(&self.url))
            .field("blob_dir", &self.blob_dir)
            .finish()
    }
}

/// Who a run is recorded as, and the conversation it belongs to.
#[derive(Clone, Debug, clap::Args)]
pub struct OriginArgs {
    /// Recorded as the actor of every event the command writes.
    #[arg(
        id = "actor",
        long = "actor",
        env = "NTM_ACTOR",
        default_value = "cli",
        global = true
    )]
    pub actor: String,
    /// Recorded as the correlation id of every event the command writes (default: the run's
    /// request id), to tie runs and requests together.
    #[arg(
        long = "correlation-id",
        env = "NTM_CORRELATION_ID",
        value_name = "UUID",
        global = true
    )]
    pub correlation_id: Option<Uuid>,
}

impl OriginArgs {
    /// This run's origin: a new request id, correlated as asked.
    pub fn origin(&self) -> Origin {
        Origin::cli(&self.actor).correlated(self.correlation_id)
    }
}

/// The command line's arguments; exits with clap's message when they do not parse.
pub fn parse() -> Cli {
    Cli::parse()
}

/// Runs the command; an error is printed on stderr and exits 1.
pub async fn dispatch(cli: Cli) -> ExitCode {
    match run(cli).await {
        Ok(code) => code,
        // `ntm catalog show … | head` closing the pipe early is not a failure.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let origin = cli.origin.origin();
    let database = &cli.database;
    let code = match cli.command {
        Command::Serve(config) => {
            let (db, store, catalog) = open_recording(database).await?;
            let log = serve::log_settings(&config, &cli.log, database)?;
            serve::run(db, store, catalog, config, database.blob_dir(), log).await?
        }
        Command::Migrate => open_recording(database).await.map(|_| ExitCode::SUCCESS)?,
        Command::Verify(args) => {
            let db = connect(database).await?;
            // Opening the store completes the tree of a log older than it.
            EventStore::open(db.clone()).await?;
            verify::run(db, database.blob_dir(), &args, &cli.log.settings()).await?
        }
        Command::Replay => replay::run(connect(database).await?).await?,
        Command::Import { command } => {
            let (_, store, catalog) = open(database).await?;
            import::run(&store, catalog.current(), command, &origin).await?
        }
        Command::Export { command } => {
            let (db, _, catalog) = open(database).await?;
            export::run(db, catalog.current(), command, &cli.log.settings()).await?
        }
        Command::Template(args) => {
            let (_, _, catalog) = open(database).await?;
            template::run(&args, &catalog.current())?;
            ExitCode::SUCCESS
        }
        Command::Schema => {
            print!("{}", crate::sdl());
            ExitCode::SUCCESS
        }
        Command::Token { command } => {
            let (_, store, catalog) = open(database).await?;
            let out = &mut std::io::stdout().lock();
            token::run(store, catalog.current(), command, &origin, out).await?;
            ExitCode::SUCCESS
        }
        Command::User { command } => {
            let (_, store, catalog) = open(database).await?;
            let (input, out) = (&mut std::io::stdin().lock(), &mut std::io::stdout().lock());
            user::run(store, catalog.current(), command, &origin, input, out).await?;
            ExitCode::SUCCESS
        }
        Command::Catalog { command } => {
            let (_, store, catalog) = open(database).await?;
            let out = &mut std::io::stdout().lock();
            catalog::run(&store, &catalog, &command, &origin, out).await?;
            ExitCode::SUCCESS
        }
        Command::Report { command } => {
            let (_, store, catalog) = open(database).await?;
            let out = &mut std::io::stdout().lock();
            report::run(store, catalog, command, &origin, out).await?
        }
        Command::Key { command } => transparency::key(command, &mut std::io::stdout().lock())?,
        Command::Checkpoint => {
            let (_, store, _) = open(database).await?;
            let out = &mut std::io::stdout().lock();
            transparency::checkpoint(store, &cli.log.settings(), out).await?
        }
        Command::Prove(args) => {
            let (_, store, _) = open(database).await?;
            let out = &mut std::io::stdout().lock();
            transparency::prove(store, &cli.log.settings(), args, out).await?
        }
        Command::Witness(args) => witness::run(*args, &mut std::io::stdout().lock()).await?,
    };
    Ok(code)
}

/// Connected and migrated, with the catalogue: the binary's files and the versions the log
/// records (docs/decisions/published-criteria-sets.md).
async fn open(config: &DatabaseConfig) -> anyhow::Result<(Db, EventStore, CatalogHandle)> {
    let db = connect(config).await?;
    let store = EventStore::open(db.clone()).await?;
    let base = Arc::new(Catalog::shipped().context("loading the shipped criteria catalogue")?);
    let catalog = CatalogHandle::load(&store, base)
        .await
        .context("loading the criteria sets published in the log")?;
    Ok((db, store, catalog))
}

/// [`open`], for `migrate` and `serve`: the binary's files not recorded yet are recorded first,
/// as the first published versions of their sets, by the system. Other commands grade with them
/// all the same (a shipped file counts from the log's beginning) and, refused, write nothing.
async fn open_recording(
    config: &DatabaseConfig,
) -> anyhow::Result<(Db, EventStore, CatalogHandle)> {
    let (db, store, catalog) = open(config).await?;
    let origin = Origin::new("system", "system", "migrate");
    let recorded = record_shipped(&store, &catalog, &origin)
        .await
        .context("recording the criteria sets of this release")?;
    if recorded > 0 {
        tracing::info!(
            recorded,
            "criteria sets of this release recorded as published"
        );
    }
    Ok((db, store, catalog))
}

async fn connect(config: &DatabaseConfig) -> anyhow::Result<Db> {
    let url = redact_url(&config.url);
    let db = Db::connect(&config.url)
        .await
        .with_context(|| format!("cannot connect to {url}"))?;
    db.migrate()
        .await
        .with_context(|| format!("cannot migrate {url}"))?;
    tracing::info!(database = %url, engine = db.engine(), "database ready");
    Ok(db)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_arguments_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_malformed_correlation_id_names_the_option() {
        let error =
            Cli::try_parse_from(["ntm", "--correlation-id", "x", "migrate"]).expect_err("refused");
        assert_eq!(error.kind(), clap::error::ErrorKind::ValueValidation);
        assert!(error.to_string().contains("--correlation-id"), "{error}");
    }

    #[test]
    fn a_correlation_id_is_recorded_as_given() {
        let id = "0193a2b4-0000-7000-8000-000000000001";
        let cli =
            Cli::try_parse_from(["ntm", "migrate", "--actor", "VPĐP", "--correlation-id", id])
                .expect("parses");
        let metadata = cli.origin.origin().metadata();
        assert_eq!(metadata.actor, "VPĐP");
        assert_eq!(
            metadata.correlation_id.map(|c| c.to_string()).as_deref(),
            Some(id)
        );
        assert!(metadata.request_id.is_some());
    }
}
