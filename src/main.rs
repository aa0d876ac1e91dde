//! `ntm`: parses the command line, sets up logging and hands over to [`ntm_tracker::cli`].

use std::io::IsTerminal;
use std::process::ExitCode;

use ntm_tracker::cli;
use ntm_tracker::config::log_filter;

/// mimalloc instead of the system allocator: a GraphQL request allocates many small values, and
/// glibc's malloc and free were 15 % of the server's CPU at 16 clients (see the API benchmark).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Logging when `NTM_LOG` is not set: sqlx's slow-statement warnings (a long catch-up read on a
/// busy machine) would print whole SQL statements, so only its errors are shown.
const DEFAULT_LOG: &str = "info,sqlx::query=error";

#[tokio::main]
async fn main() -> ExitCode {
    let (filter, warning) =
        log_filter(&std::env::var("NTM_LOG").unwrap_or_else(|_| DEFAULT_LOG.into()));
    if let Some(warning) = warning {
        eprintln!("{warning}");
    }
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        // A closed stderr must not stop the service: reporting a failed log write would panic.
        .log_internal_errors(false)
        .init();
    cli::dispatch(cli::parse()).await
}
