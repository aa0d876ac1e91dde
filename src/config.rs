//! Settings shared by every command, from flags or the environment.

use std::fmt;
use std::net::SocketAddr;

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
    /// The actor recorded in the metadata of every mutation until tokens exist.
    #[arg(long, env = "NTM_LOCAL_ACTOR", default_value = "local")]
    pub local_actor: String,
    /// Load the demo first (Vietnam's units, Hà Tĩnh's 2016–2025 history, the 2025
    /// reorganisation): into an empty database only; a database holding the demo is served as is.
    #[arg(long)]
    pub demo: bool,
}
