//! A real server on a loopback port with its projector, and a small GraphQL client.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::projection::{self, ProjectorConfig, ProjectorHandle};
use ntm_tracker::store::EventStore;
use ntm_tracker::{app, AppState};
use serde_json::{json, Value};
use tokio::task::JoinHandle;

use crate::helpers::TestDb;

pub struct Server {
    pub address: SocketAddr,
    pub store: EventStore,
    projections: ProjectorHandle,
    client: reqwest::Client,
    tasks: Vec<JoinHandle<()>>,
}

fn catalog() -> Arc<Catalog> {
    static CATALOG: std::sync::OnceLock<Arc<Catalog>> = std::sync::OnceLock::new();
    CATALOG
        .get_or_init(|| Arc::new(Catalog::shipped().expect("catalogue")))
        .clone()
}

impl Server {
    pub async fn start(db: &TestDb) -> Server {
        Server::start_as(db, "local").await
    }

    pub async fn start_as(db: &TestDb, actor: &str) -> Server {
        let store = db.store().await;
        let config = ProjectorConfig {
            batch_size: 2_048,
            poll_interval: Duration::from_millis(5),
            takeover_interval: Duration::from_millis(50),
        };
        let (projections, projector) = projection::spawn(store.clone(), catalog(), config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let router = app(AppState {
            store: store.clone(),
            catalog: catalog(),
            projections: projections.clone(),
            local_actor: actor.into(),
        });
        let serving = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Server {
            address,
            store,
            projections,
            client: reqwest::Client::new(),
            tasks: vec![projector, serving],
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// The whole response: `data`, `errors`, `extensions`.
    pub async fn post(&self, query: &str, variables: Value) -> Value {
        self.client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("POST /graphql")
            .json()
            .await
            .expect("JSON response")
    }

    /// `data` of a response that must have no errors.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let response = self.post(query, variables).await;
        assert!(response.get("errors").is_none(), "errors: {response:#}");
        response["data"].clone()
    }

    /// The one error of a refused request, with its `extensions`.
    pub async fn error(&self, query: &str, variables: Value) -> Value {
        let response = self.post(query, variables).await;
        let errors = response["errors"].as_array().cloned().unwrap_or_default();
        assert_eq!(errors.len(), 1, "exactly one error expected: {response:#}");
        errors[0].clone()
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

impl Drop for Server {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}
