//! Settings shared by every command, from flags or the environment.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use axum::http::HeaderValue;

use crate::http::AccessSettings;
use crate::store::redact_url;

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
}

impl fmt::Debug for DatabaseConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseConfig")
            .field("url", &redact_url(&self.url))
            .finish()
    }
}

/// How `ntm serve` listens.
#[derive(Clone, Debug, clap::Args)]
pub struct ServeConfig {
    /// Address and port of the HTTP server.
    #[arg(long, env = "NTM_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Load the demo first (Vietnam's units, Hà Tĩnh's 2016–2025 history, the 2025
    /// reorganisation): into an empty database only; a database holding the demo is served as is.
    #[arg(long)]
    pub demo: bool,
    /// Let requests without a token read (never actor identities); `false`: every request
    /// needs a token.
    #[arg(long, env = "NTM_PUBLIC_READ", default_value_t = true, action = clap::ArgAction::Set)]
    pub public_read: bool,
    /// Browser origins allowed to call the API, comma-separated (CORS); none by default.
    #[arg(long, env = "NTM_CORS_ORIGINS", value_delimiter = ',', value_parser = origin)]
    pub cors_origins: Vec<HeaderValue>,
    /// Failed authentications accepted per client address and minute; further attempts get
    /// 429 until the minute is over.
    #[arg(long, env = "NTM_AUTH_FAILURES_PER_MINUTE", default_value_t = 10)]
    pub auth_failures_per_minute: u32,
    /// Seconds that requests in flight get to finish after SIGTERM or Ctrl-C (new connections
    /// are refused meanwhile); those still running then are dropped.
    #[arg(long, env = "NTM_SHUTDOWN_TIMEOUT", default_value_t = 30)]
    pub shutdown_timeout: u64,
    /// Seconds one HTTP request may run; beyond it the answer is a `TIMEOUT` error and its
    /// statements are dropped.
    #[arg(long, env = "NTM_REQUEST_TIMEOUT", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout: u64,
}

impl ServeConfig {
    pub fn shutdown_timeout(&self) -> Duration {
        Duration::from_secs(self.shutdown_timeout)
    }

    pub fn access(&self) -> AccessSettings {
        AccessSettings {
            public_read: self.public_read,
            failures_per_minute: self.auth_failures_per_minute,
            cors_origins: self.cors_origins.clone(),
            request_timeout: Duration::from_secs(self.request_timeout),
        }
    }
}

/// An origin such as `https://ntm.example.vn`: scheme and host, no path.
fn origin(text: &str) -> Result<HeaderValue, String> {
    let text = text.trim();
    let shaped = (text.starts_with("https://") || text.starts_with("http://"))
        && !text
            .trim_end_matches('/')
            .split_once("://")
            .is_some_and(|(_, h)| h.contains('/'));
    if !shaped {
        return Err(format!(
            "{text:?} is not an origin like https://example.org"
        ));
    }
    HeaderValue::from_str(text.trim_end_matches('/')).map_err(|e| e.to_string())
}

/// Crates that log whole WebSocket frames at `trace`: a `connection_init` frame carries the
/// bearer secret, so they are held at `debug` whatever `NTM_LOG` asks for.
const FRAME_LOGGERS: [&str; 2] = ["tungstenite", "tokio_tungstenite"];

/// The log filter of `spec` (`NTM_LOG`'s syntax), with the frame loggers held at `debug`.
pub fn log_filter(spec: &str) -> tracing_subscriber::EnvFilter {
    let mut filter = tracing_subscriber::EnvFilter::try_new(spec).unwrap_or_else(|error| {
        eprintln!("NTM_LOG={spec:?} is not a log filter ({error}); logging at info");
        tracing_subscriber::EnvFilter::new("info")
    });
    for target in FRAME_LOGGERS {
        if let Ok(directive) = format!("{target}=debug").parse() {
            filter = filter.add_directive(directive);
        }
    }
    filter
}
