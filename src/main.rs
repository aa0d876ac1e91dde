//! `ntm`: the command line. Parses, configures, connects, dispatches; nothing else.

use std::future::IntoFuture;
use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use ntm_tracker::catalog_cli::{self, CatalogCommand};
use ntm_tracker::config::{log_filter, DatabaseConfig, ServeConfig};
use ntm_tracker::demo::Loaded;
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::export::{self, ExportCommand};
use ntm_tracker::import::{self, CliActor, ImportCommand};
use ntm_tracker::projection::{self, ProjectorConfig};
use ntm_tracker::replay_cli;
use ntm_tracker::store::{redact_url, Db, EventStore};
use ntm_tracker::token_cli::{self, TokenCommand};
use ntm_tracker::verify_cli;
use ntm_tracker::{app, AppState};

/// mimalloc instead of the system allocator: a GraphQL request allocates many small values, and
/// glibc's malloc and free were 15 % of the server's CPU at 16 clients (see the API benchmark).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Logging when `NTM_LOG` is not set: sqlx's slow-statement warnings (a long catch-up read on a
/// busy machine) would print whole SQL statements, so only its errors are shown.
const DEFAULT_LOG: &str = "info,sqlx::query=error";

/// Tracks Vietnam's New Rural Development criteria as an auditable event log.
#[derive(Parser, Debug)]
#[command(name = "ntm", version)]
struct Cli {
    #[command(flatten)]
    database: DatabaseConfig,
    #[command(flatten)]
    actor: CliActor,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the HTTP service (migrates the database first).
    Serve(ServeConfig),
    /// Apply the database migrations and exit.
    Migrate,
    /// On one snapshot: re-compute every hash chain, decode every event, look for cycles in the
    /// locality tree, re-derive every projection; exit 2 naming the first finding.
    Verify,
    /// Rebuild every projection from position 0 into fresh tables and swap them in.
    Replay,
    /// Bring administrative units, the 2025 reorganisation or readings in from files, each
    /// checked whole before anything is written.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
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
    /// The criteria catalogues (bộ tiêu chí) this build ships.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
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

async fn run() -> anyhow::Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(log_filter(
            &std::env::var("NTM_LOG").unwrap_or_else(|_| DEFAULT_LOG.into()),
        ))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        // A closed stderr must not stop the service: reporting a failed log write would panic.
        .log_internal_errors(false)
        .init();
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Serve(config) => serve(connect(&cli.database).await?, config).await?,
        Command::Migrate => connect(&cli.database).await.map(|_| ExitCode::SUCCESS)?,
        Command::Verify => verify_cli::run(connect(&cli.database).await?).await?,
        Command::Replay => replay_cli::run(connect(&cli.database).await?).await?,
        Command::Import { command } => {
            let store = EventStore::open(connect(&cli.database).await?).await?;
            import::run(&store, command, &cli.actor).await?
        }
        Command::Export { command } => export::run(connect(&cli.database).await?, command).await?,
        Command::Schema => {
            print!("{}", ntm_tracker::sdl());
            ExitCode::SUCCESS
        }
        Command::Token { command } => {
            let store = EventStore::open(connect(&cli.database).await?).await?;
            let by = cli.actor.origin();
            token_cli::run(store, command, by, &mut std::io::stdout().lock()).await?;
            ExitCode::SUCCESS
        }
        Command::Catalog { command } => {
            catalog_cli::run(&command, &mut std::io::stdout().lock())?;
            ExitCode::SUCCESS
        }
    };
    Ok(code)
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

async fn serve(db: Db, config: ServeConfig) -> anyhow::Result<ExitCode> {
    let store = EventStore::open(db.clone()).await?;
    let catalog = std::sync::Arc::new(Catalog::shipped()?);
    if config.demo {
        match ntm_tracker::demo::load(&store, catalog.clone()).await? {
            Loaded::AlreadyThere => tracing::info!("the demo is already loaded"),
            Loaded::Fresh { events, seconds } => {
                tracing::info!(events, seconds, "demo loaded; projecting it")
            }
        }
    }
    // Projects while this process holds the leadership.
    let (projections, projector) =
        projection::spawn(store.clone(), catalog.clone(), ProjectorConfig::default());
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    tracing::info!(address = %listener.local_addr()?, "serving");
    tracing::info!(
        public_read = config.public_read,
        cors_origins = config.cors_origins.len(),
        auth_failures_per_minute = config.auth_failures_per_minute,
        "access control: writes need a bearer token (`ntm token create`)"
    );
    let state = AppState {
        store,
        catalog,
        projections,
        access: config.access(),
        redecide: Default::default(),
    };
    let service = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let (signalled, drain) = tokio::sync::oneshot::channel();
    let server = axum::serve(listener, service).with_graceful_shutdown(async {
        let signal = shutdown_signal().await;
        tracing::info!(signal, "shutting down: requests in flight may finish");
        let _ = signalled.send(());
    });
    let timeout = config.shutdown_timeout();
    tokio::select! {
        served = server.into_future() => served?,
        // The drain has a deadline: a client holding a subscription open must not keep the
        // process alive.
        () = async {
            if drain.await.is_ok() {
                tokio::time::sleep(timeout).await;
            } else {
                std::future::pending::<()>().await;
            }
        } => tracing::warn!(seconds = timeout.as_secs(), "requests still in flight dropped"),
    }
    // Stop projecting before closing the pool, which waits for every connection to return.
    projector.abort();
    let _ = projector.await;
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Ctrl-C, or SIGTERM (what `docker stop` sends to PID 1): the name of the one received.
async fn shutdown_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => tokio::select! {
                _ = tokio::signal::ctrl_c() => "SIGINT",
                _ = terminate.recv() => "SIGTERM",
            },
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM; Ctrl-C only");
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}
