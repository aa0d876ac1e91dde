//! `ntm serve`: how it listens, the demo it may load first, and the graceful shutdown.

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::http::header::HeaderName;
use axum::http::HeaderValue;

use super::progress::Bar;
use crate::app::CatalogHandle;
use crate::auth::SessionSettings;
use crate::blobs::AttachmentSettings;
use crate::checkpoint::{Checkpoints, KeyType, LogSettings, NoteSigner};
use crate::demo::{self, Loaded};
use crate::domain::catalog::Catalog;
use crate::graphql::{ManifestError, ProtocolSettings, TrustedDocuments};
use crate::http::{app, AccessSettings, AppState, DEFAULT_ALLOWED_HEADERS, DEFAULT_MAX_AGE};
use crate::metrics::{MetricsAccess, MetricsToken};
use crate::projection::{self, ProjectorConfig};
use crate::store::{Db, EventStore};

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
    /// Request headers a browser page may send (CORS), comma-separated; the default is what
    /// our clients and Apollo Client send.
    #[arg(long, env = "NTM_CORS_HEADERS", value_delimiter = ',', default_values = DEFAULT_ALLOWED_HEADERS, value_parser = header_name)]
    pub cors_headers: Vec<HeaderName>,
    /// Seconds a browser may keep a CORS preflight's answer (`Access-Control-Max-Age`).
    #[arg(long, env = "NTM_CORS_MAX_AGE", default_value_t = DEFAULT_MAX_AGE.as_secs())]
    pub cors_max_age: u64,
    /// Answer introspection (`__schema`, `__type`); `false` refuses it with code `VALIDATION`
    /// (limit `INTROSPECTION_DISABLED`). `ntm schema` prints the schema either way.
    #[arg(long, env = "NTM_INTROSPECTION", default_value_t = true, action = clap::ArgAction::Set)]
    pub introspection: bool,
    /// Serve `/metrics` (Prometheus) on the API's listener; `false`: not served.
    #[arg(long, env = "NTM_METRICS", default_value_t = true, action = clap::ArgAction::Set)]
    pub metrics: bool,
    /// When set, `/metrics` answers only requests with `Authorization: Bearer <this secret>`.
    #[arg(long, env = "NTM_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<MetricsToken>,
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
    /// Operations one JSON array body may hold (array batching); more are refused whole.
    #[arg(long, env = "NTM_BATCH_LIMIT", default_value_t = crate::graphql::DEFAULT_BATCH_LIMIT, value_parser = batch_limit)]
    pub batch_limit: usize,
    /// A manifest of trusted documents (Apollo's persisted-query manifest, or a map of SHA-256
    /// to document): only these run, except for admins. Checked at start.
    #[arg(long, env = "NTM_TRUSTED_DOCUMENTS")]
    pub trusted_documents: Option<PathBuf>,
    /// The code of the unit the dashboard's home page shows (a province or district); none:
    /// the list of provinces. With `--demo`, Hà Tĩnh (`42`) unless given.
    #[arg(long, env = "NTM_HOME")]
    pub home: Option<String>,
    /// Megabytes of queries' answers kept in memory while the log, the read tables and the
    /// verifications stand still (the same query by the same token then costs one statement);
    /// 0: every query runs.
    #[arg(long, env = "NTM_RESPONSE_CACHE_MB", default_value_t = crate::graphql::DEFAULT_RESPONSE_CACHE >> 20)]
    pub response_cache_mb: usize,
    /// Hours a person's session lasts after signing in.
    #[arg(long, env = "NTM_SESSION_HOURS", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=720))]
    pub session_hours: u32,
    /// Failed sign-ins accepted per username before it is locked out.
    #[arg(long, env = "NTM_SIGNIN_FAILURES", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub signin_failures: u32,
    /// Minutes a locked-out username stays locked, from its first failure.
    #[arg(long, env = "NTM_LOCKOUT_MINUTES", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..))]
    pub lockout_minutes: u64,
    /// Always mark the session cookie `Secure`; off, it is marked so when the proxy in front
    /// says the page came over TLS (`X-Forwarded-Proto: https`).
    #[arg(long, env = "NTM_SECURE_COOKIES", default_value_t = false, action = clap::ArgAction::Set)]
    pub secure_cookies: bool,
    /// Megabytes of the largest file that may be attached to a fact.
    #[arg(long, env = "NTM_ATTACHMENT_MAX_MB", default_value_t = crate::blobs::DEFAULT_MAX_MB as u64, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub attachment_max_mb: u64,
    /// The types of file that may be attached, by extension, comma-separated.
    #[arg(long, env = "NTM_ATTACHMENT_TYPES", value_delimiter = ',', default_value = crate::blobs::media::DEFAULT_TYPES, value_parser = attachment_type)]
    pub attachment_types: Vec<String>,
    /// Sign a checkpoint when the log has grown by this many events since the newest
    /// (with `NTM_CHECKPOINT_KEY`).
    #[arg(long, env = "NTM_CHECKPOINT_EVERY_EVENTS", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    pub checkpoint_every_events: u64,
    /// Sign a checkpoint when the log has grown at all and the newest is this many minutes old.
    #[arg(long, env = "NTM_CHECKPOINT_EVERY_MINUTES", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub checkpoint_every_minutes: u64,
}

/// The demo's province, Hà Tĩnh: the dashboard's home with `--demo`.
const DEMO_HOME: &str = "42";

impl ServeConfig {
    pub fn shutdown_timeout(&self) -> Duration {
        Duration::from_secs(self.shutdown_timeout)
    }

    /// The access settings, with the trusted documents read and checked: a manifest that
    /// cannot be used is an error naming the file and the entry. Attached files are kept in
    /// `blob_dir` (`None`: the database).
    pub fn access(
        &self,
        blob_dir: Option<PathBuf>,
        log: LogSettings,
    ) -> Result<AccessSettings, ManifestError> {
        let trusted_documents = match &self.trusted_documents {
            Some(path) => Some(Arc::new(TrustedDocuments::load(path)?)),
            None => None,
        };
        Ok(AccessSettings {
            public_read: self.public_read,
            failures_per_minute: self.auth_failures_per_minute,
            cors_origins: self.cors_origins.clone(),
            cors_headers: self.cors_headers.clone(),
            cors_max_age: Duration::from_secs(self.cors_max_age),
            introspection: self.introspection,
            metrics: match (self.metrics, &self.metrics_token) {
                (false, _) => MetricsAccess::Off,
                (true, Some(secret)) => MetricsAccess::Token(secret.0.clone()),
                (true, None) => MetricsAccess::Open,
            },
            request_timeout: Duration::from_secs(self.request_timeout),
            protocol: ProtocolSettings {
                batch_limit: self.batch_limit,
                trusted_documents,
            },
            home: self
                .home
                .clone()
                .or_else(|| self.demo.then(|| DEMO_HOME.to_owned())),
            response_cache: self.response_cache_mb << 20,
            sessions: SessionSettings {
                session_length: chrono::Duration::hours(i64::from(self.session_hours)),
                failures_before_lockout: self.signin_failures,
                lockout: Duration::from_secs(self.lockout_minutes * 60),
            },
            secure_cookies: self.secure_cookies,
            attachments: AttachmentSettings {
                dir: blob_dir,
                max_bytes: (self.attachment_max_mb as usize) << 20,
                types: self.attachment_types.clone(),
            },
            log,
        })
    }
}

/// An extension the service knows the type of, such as `pdf`.
fn attachment_type(text: &str) -> Result<String, String> {
    let extension = text.trim().trim_start_matches('.').to_ascii_lowercase();
    match crate::blobs::media::is_known(&extension) {
        true => Ok(extension),
        false => Err(format!(
            "{text:?} is not a type of file the service knows; known: {}",
            crate::blobs::media::known().join(", ")
        )),
    }
}

/// A batch limit from 1 to 100.
fn batch_limit(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n @ 1..=100) => Ok(n),
        _ => Err(format!("{text:?} is not a batch limit from 1 to 100")),
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

/// A request header's name, such as `x-correlation-id`.
fn header_name(text: &str) -> Result<HeaderName, String> {
    HeaderName::from_bytes(text.trim().as_bytes())
        .map_err(|_| format!("{text:?} is not an HTTP header name"))
}

/// Serves until SIGTERM or Ctrl-C, projecting while this process holds the leadership.
/// `catalog` is shared by the commands, the API and the projector, which puts in it every
/// version it sees published.
pub async fn run(
    db: Db,
    store: EventStore,
    catalog: CatalogHandle,
    config: ServeConfig,
    blob_dir: Option<PathBuf>,
    log: LogSettings,
) -> anyhow::Result<ExitCode> {
    // A bad manifest stops the service before it listens.
    let access = config.access(blob_dir, log)?;
    if let Some(trusted) = &access.protocol.trusted_documents {
        tracing::info!(
            documents = trusted.len(),
            "trusted documents only (admins excepted)"
        );
    }
    if config.demo {
        load_demo(&store, catalog.current()).await?;
    }
    let shutdown = shutdown_signal();
    let (projections, projector) =
        projection::spawn(store.clone(), catalog.clone(), ProjectorConfig::default());
    let signer = access.log.checkpoints(store.clone());
    let checkpointer = tokio::spawn(sign_checkpoints(signer, config.checkpoint_schedule()));
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
        access,
        redecide: Default::default(),
        clock: Default::default(),
    };
    serve_until_signalled(listener, state, shutdown, config.shutdown_timeout()).await?;
    // Stop projecting before closing the pool, which waits for every connection to return.
    projector.abort();
    checkpointer.abort();
    let _ = projector.await;
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

/// The checkpoints' key, name and witnesses; with `--demo` and no key, the demo's own key,
/// kept beside an SQLite file (made there the first time).
pub fn log_settings(
    config: &ServeConfig,
    log: &super::transparency::LogArgs,
    database: &super::DatabaseConfig,
) -> anyhow::Result<LogSettings> {
    let mut settings = log.settings();
    if config.demo && settings.signer.is_none() {
        if let Some(file) = database.beside_file("checkpoint-key") {
            if !file.exists() {
                let key = NoteSigner::generate(DEMO_LOG, KeyType::Ed25519)?;
                super::transparency::write_private(&file, &key.to_text())?;
            }
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read the demo's key {}", file.display()))?;
            let key = NoteSigner::parse(&text)
                .with_context(|| format!("{} is not a signing key", file.display()))?;
            tracing::info!(key = %file.display(), verifier = %key.verifier(), "the demo signs checkpoints");
            settings.signer = Some(key);
        }
    }
    Ok(settings)
}

/// The demo log's name.
const DEMO_LOG: &str = "demo.ntm-tracker.local/log";

impl ServeConfig {
    fn checkpoint_schedule(&self) -> (u64, Duration) {
        let minutes = Duration::from_secs(self.checkpoint_every_minutes * 60);
        (self.checkpoint_every_events, minutes)
    }
}

/// Signs a checkpoint whenever one is due, looking every few seconds; does nothing without a
/// key. A failure is logged and tried again at the next look.
async fn sign_checkpoints(checkpoints: Checkpoints, (events, age): (u64, Duration)) {
    if checkpoints.verifier().is_none() {
        tracing::info!("no checkpoint key (NTM_CHECKPOINT_KEY): checkpoints are not signed");
        return;
    }
    let mut ticks = tokio::time::interval(CHECKPOINT_LOOK);
    loop {
        ticks.tick().await;
        match checkpoints.make_if_due(events, age).await {
            Ok(Some(made)) => tracing::info!(size = made.size, "checkpoint signed"),
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "checkpoint not signed"),
        }
    }
}

/// How often the service looks whether a checkpoint is due.
const CHECKPOINT_LOOK: Duration = Duration::from_secs(5);

/// Serves until `shutdown` resolves, then lets requests in flight finish within `timeout`.
async fn serve_until_signalled(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = &'static str> + Send + 'static,
    timeout: Duration,
) -> std::io::Result<()> {
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    let (signalled, drain) = tokio::sync::oneshot::channel();
    let server = axum::serve(listener, service).with_graceful_shutdown(async {
        let signal = shutdown.await;
        tracing::info!(signal, "shutting down: requests in flight may finish");
        let _ = signalled.send(());
    });
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
    Ok(())
}

/// `--demo`: each part loaded in a line on stderr, with a bar while it loads.
async fn load_demo(store: &EventStore, catalog: Arc<Catalog>) -> anyhow::Result<()> {
    let progress = Bar::new("rows");
    let loaded = demo::load(store, catalog, &progress).await;
    progress.finish();
    match loaded? {
        Loaded::AlreadyThere => tracing::info!("the demo is already loaded"),
        Loaded::Fresh { events, seconds } => {
            tracing::info!(events, seconds, "demo loaded; projecting it")
        }
    }
    Ok(())
}

/// Ctrl-C, or SIGTERM (what `docker stop` sends to PID 1): the name of the one received. Both
/// are listened for from this call on, not from the first poll, so a signal sent as soon as the
/// address is logged is not missed (it would end the process at once, with a failure).
#[cfg(unix)]
pub(super) fn shutdown_signal() -> impl Future<Output = &'static str> + Send + 'static {
    use tokio::signal::unix::{signal, SignalKind};
    let interrupt = signal(SignalKind::interrupt());
    let terminate = signal(SignalKind::terminate());
    async move {
        let sigint = async {
            match interrupt {
                Ok(mut interrupt) => {
                    interrupt.recv().await;
                }
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        };
        let sigterm = async {
            match terminate {
                Ok(mut terminate) => {
                    terminate.recv().await;
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for SIGTERM; Ctrl-C only");
                    std::future::pending::<()>().await;
                }
            }
        };
        tokio::select! {
            () = sigint => "SIGINT",
            () = sigterm => "SIGTERM",
        }
    }
}

/// Ctrl-C: the name of the signal received.
#[cfg(not(unix))]
pub(super) fn shutdown_signal() -> impl Future<Output = &'static str> + Send + 'static {
    async {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}
