//! Fresh databases for tests: a temporary SQLite file always, a new PostgreSQL database
//! when `TEST_DATABASE_URL` is set (and a failure, not a skip, when it is set but unreachable);
//! `on_both_engines!` declares a test once per engine.

use std::time::Duration;

use ntm_tracker::store::{Db, EventStore};
use sqlx::postgres::PgConnection;
use sqlx::Connection;

pub struct TestDb {
    pub url: String,
    pub db: Db,
    cleanup: Option<Cleanup>,
    _dir: Option<tempfile::TempDir>,
}

struct Cleanup {
    admin_url: String,
    database: String,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}/ntm.db?mode=rwc", dir.path().display());
        let db = connect(&url).await;
        TestDb {
            url,
            db,
            cleanup: None,
            _dir: Some(dir),
        }
    }

    /// `None` when `TEST_DATABASE_URL` is not set: the PostgreSQL half is then skipped.
    pub async fn postgres() -> Option<TestDb> {
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            eprintln!("TEST_DATABASE_URL is not set: skipping the PostgreSQL variant");
            return None;
        };
        let database = format!("ntm_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&admin_url)
            .await
            .expect("TEST_DATABASE_URL is set but PostgreSQL is unreachable");
        for statement in [
            format!("CREATE DATABASE {database}"),
            // Tests need isolation, not durability.
            format!("ALTER DATABASE {database} SET synchronous_commit TO off"),
        ] {
            sqlx::query(&statement)
                .execute(&mut admin)
                .await
                .expect("create test database");
        }
        let url = with_database(&admin_url, &database);
        let db = connect(&url).await;
        Some(TestDb {
            url,
            db,
            cleanup: Some(Cleanup {
                admin_url,
                database,
            }),
            _dir: None,
        })
    }

    pub async fn store(&self) -> EventStore {
        EventStore::open(self.db.clone())
            .await
            .expect("open store")
            .with_poll_interval(Duration::from_millis(5))
    }
}

async fn connect(url: &str) -> Db {
    let db = Db::connect(url).await.expect("connect");
    db.migrate().await.expect("migrate");
    db
}

/// `url` pointing at `database` instead of its own.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{database}?{q}"),
        None => format!("{base}/{database}"),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(Cleanup {
            admin_url,
            database,
        }) = self.cleanup.take()
        else {
            return;
        };
        // Drop runs outside async: use a short-lived runtime on its own thread.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&admin_url).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
                    .execute(&mut admin)
                    .await?;
                Ok::<_, anyhow::Error>(())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop a test database");
        }
    }
}

/// Declares each contract test once per engine: `sqlite::NAME` always, `postgres::NAME`
/// against a fresh database when `TEST_DATABASE_URL` is set.
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = crate::support::TestDb::sqlite().await;
                    super::$name(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = crate::support::TestDb::postgres().await else { return };
                    super::$name(&db).await;
                }
            )*
        }
    };
}
pub(crate) use on_both_engines;
