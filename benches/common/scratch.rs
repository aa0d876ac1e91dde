//! A fresh database for one benchmark measurement, shared by the store and projection
//! benchmarks: a temporary SQLite file, or a new PostgreSQL database through
//! `TEST_DATABASE_URL`, dropped by [`Scratch::finish`] (kept when `NTM_BENCH_KEEP` is set).

use ntm_tracker::store::Db;
use sqlx::{Connection, PgConnection};

/// A fresh database for one measurement, removed afterwards.
pub struct Scratch {
    pub db: Db,
    _dir: Option<tempfile::TempDir>,
    drop_pg: Option<(String, String)>,
}

pub async fn scratch(engine: &str) -> Scratch {
    if engine == "sqlite" {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
        let db = Db::connect(&url).await.expect("connect sqlite");
        return Scratch {
            db,
            _dir: Some(dir),
            drop_pg: None,
        };
    }
    let admin = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL");
    let name = format!("ntm_bench_{}", uuid::Uuid::new_v4().simple());
    let mut conn = PgConnection::connect(&admin)
        .await
        .expect("connect postgres");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create");
    let url = match admin.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("TEST_DATABASE_URL must name a database"),
    };
    let db = Db::connect(&url).await.expect("connect");
    Scratch {
        db,
        _dir: None,
        drop_pg: Some((admin, name)),
    }
}

impl Scratch {
    pub async fn finish(self) {
        self.db.close().await;
        if let Some((admin, name)) = self.drop_pg {
            if std::env::var_os("NTM_BENCH_KEEP").is_some() {
                eprintln!("kept database {name} (NTM_BENCH_KEEP)");
                return;
            }
            let mut conn = PgConnection::connect(&admin).await.expect("connect");
            sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await
                .expect("drop");
        }
    }
}

/// The engines to measure: SQLite, and PostgreSQL when `TEST_DATABASE_URL` is set; only those
/// named in `NTM_BENCH_ENGINES` (`sqlite`, `postgres`, comma-separated) when it is set.
pub fn engines() -> Vec<&'static str> {
    let mut engines = vec!["sqlite"];
    if std::env::var("TEST_DATABASE_URL").is_ok() {
        engines.push("postgres");
    } else {
        eprintln!("TEST_DATABASE_URL is not set: PostgreSQL is skipped");
    }
    if let Ok(chosen) = std::env::var("NTM_BENCH_ENGINES") {
        engines.retain(|engine| chosen.split(',').any(|c| c.trim() == *engine));
    }
    engines
}

/// A whole number from the environment variable `name`, or `default`.
pub fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// The benchmarks' runtime.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}
