//! A real server on a loopback port with its projector, and tokens made as `ntm token create`
//! makes them.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use ntm_tracker::app::clock::Clock;
use ntm_tracker::app::{CatalogHandle, Origin};
use ntm_tracker::auth::{NewToken, Role, Tokens};
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::projection::{self, ProjectorConfig, ProjectorHandle};
use ntm_tracker::store::EventStore;
use ntm_tracker::{app, AccessSettings, AppState};
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::projector::catalog;
use crate::support::TestDb;

/// The name of the admin token every test server makes: the actor of its mutations.
pub const ADMIN: &str = "test admin";

pub struct Server {
    pub address: SocketAddr,
    pub store: EventStore,
    /// `Bearer <secret>` of an admin token, sent by [`Server::post`].
    pub admin: String,
    projections: ProjectorHandle,
    /// The HTTP client of `support::graphql`'s requests.
    pub(super) client: reqwest::Client,
    tasks: Vec<JoinHandle<()>>,
}

impl Server {
    pub async fn start(db: &TestDb) -> Server {
        // Tests make many refused requests from one address on purpose.
        let access = AccessSettings {
            failures_per_minute: 10_000,
            ..AccessSettings::default()
        };
        Server::start_with(db, access).await
    }

    pub async fn start_with(db: &TestDb, access: AccessSettings) -> Server {
        Server::start_at(db, access, Clock::SYSTEM).await
    }

    /// A server whose "now" (and so "today", Vietnam's date) is `clock`'s.
    pub async fn start_at(db: &TestDb, access: AccessSettings, clock: Clock) -> Server {
        Server::start_full(db, access, clock, catalog()).await
    }

    /// A server grading with `catalog` (the shipped sets and a test's own, e.g. a local target
    /// list under `tests/data/`).
    pub async fn start_with_catalog(db: &TestDb, catalog: Arc<Catalog>) -> Server {
        let access = AccessSettings {
            failures_per_minute: 10_000,
            ..AccessSettings::default()
        };
        Server::start_full(db, access, Clock::SYSTEM, catalog).await
    }

    /// A server whose clock is `clock`, grading with `catalog`.
    pub async fn start_full(
        db: &TestDb,
        access: AccessSettings,
        clock: Clock,
        catalog: Arc<Catalog>,
    ) -> Server {
        let store = db.store().await;
        let config = ProjectorConfig {
            batch_size: 2_048,
            poll_interval: Duration::from_millis(5),
            takeover_interval: Duration::from_millis(50),
            clock,
        };
        // One handle: the projector puts in it every version it sees published.
        let catalog: CatalogHandle = catalog.into();
        let (projections, projector) = projection::spawn(store.clone(), catalog.clone(), config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let router = app(AppState {
            store: store.clone(),
            catalog,
            projections: projections.clone(),
            access,
            redecide: Default::default(),
            clock,
        });
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        let serving = tokio::spawn(async move {
            let _ = axum::serve(listener, service).await;
        });
        let (_, admin) = token(&store, ADMIN, Role::Admin, None, None).await;
        Server {
            address,
            admin,
            store,
            projections,
            client: reqwest::Client::new(),
            tasks: vec![projector, serving],
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// Waits (up to 2 minutes) until the read models include `position`.
    pub async fn caught_up(&self, position: i64) {
        self.projections
            .wait_for(position, Duration::from_secs(120))
            .await
            .expect("projector catches up");
    }

    pub async fn event_count(&self) -> i64 {
        self.store.last_position().await.expect("last position")
    }
}

/// The id and `Bearer <secret>` of a new token, created as `ntm token create` does.
pub async fn token(
    store: &EventStore,
    name: &str,
    role: Role,
    scope: Option<&str>,
    expires_on: Option<NaiveDate>,
) -> (Uuid, String) {
    let new = NewToken {
        name: name.into(),
        role,
        scope: scope.map(|s| s.parse().expect("scope locality id")),
        expires_on,
    };
    let (token, secret) = Tokens::new(store.clone())
        .create(new, &Origin::cli("test"))
        .await
        .expect("create token");
    (
        token.created.token_id,
        format!("Bearer {}", secret.expose()),
    )
}

impl Drop for Server {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}
