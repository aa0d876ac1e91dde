//! The database handle: one pool of either engine, connection settings and migrations.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::SqliteSynchronous;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

use sqlx::Connection;

use super::StoreError;

/// A connection pool on the embedded default (SQLite) or the production store (PostgreSQL).
/// Runtime queries are shared by both; engine-specific code matches on this enum.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same expression against whichever pool `$db` holds, binding it to `$pool`.
/// The expression is type-checked once per engine, so shared SQL is written once.
/// The second form also names the engine's `sqlx::Database` type, for query builders.
macro_rules! with_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite($pool) => $body,
            $crate::store::Db::Postgres($pool) => $body,
        }
    };
    ($db:expr, $pool:ident, $engine:ident => $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite($pool) => {
                type $engine = sqlx::Sqlite;
                $body
            }
            $crate::store::Db::Postgres($pool) => {
                type $engine = sqlx::Postgres;
                $body
            }
        }
    };
}
pub(crate) use with_db;

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`) with the settings DESIGN §3 asks for:
    /// SQLite in WAL mode with `synchronous=NORMAL` and a busy timeout; PostgreSQL as configured
    /// by the server (default `synchronous_commit=on`), without JIT compilation.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            // A task cancelled inside sqlx-sqlite 0.8's `begin_with` can hand its connection
            // back still inside the transaction it began (holding SQLite's write lock, with no
            // `Transaction` left to end it). Such a connection is closed on release, which
            // rolls it back, instead of being reused.
            let options = SqliteConnectOptions::from_str(url)?
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            // A file cannot drop a connection: no ping before each use.
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .test_before_acquire(false)
                .after_release(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
                .connect_with(options)
                .await?;
            Ok(Db::Sqlite(pool))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            // No JIT compilation: the service's queries are short and indexed, and on the
            // recursive roll-up, whose row estimates run wild, compiling cost 100–300 ms.
            let options = PgConnectOptions::from_str(url)?.options([("jit", "off")]);
            // sqlx pings every connection it hands back to the pool; a second ping before each
            // use doubled the round trips of a short read (a broken idle connection now fails
            // its next statement instead, and is then closed).
            let pool = PgPoolOptions::new()
                .max_connections(twice_the_cores())
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            Ok(Db::Postgres(pool))
        } else {
            Err(StoreError::UnsupportedUrl(redact_url(url)))
        }
    }

    /// Applies the embedded migrations of this engine (idempotent).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        with_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        with_db!(self, pool => pool.close().await)
    }
}

/// The URL with its password replaced by `***`, for logs and error messages.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?'])
        .map_or(url.len(), |i| scheme_end + i);
    let authority = &url[scheme_end..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!(
            "{}{}:***{}",
            &url[..scheme_end],
            &authority[..colon],
            &url[scheme_end + at..]
        ),
        _ => url.to_owned(),
    }
}

/// Connections of a pool whose statements each keep a core busy (a PostgreSQL server process,
/// a SQLite connection's thread): twice the cores, at least 4. More of them than the cores can
/// run only take turns: on the 2-core benchmark machine, 16 PostgreSQL connections put the p99
/// of a short read at 16 clients at 6.3–6.9 ms, 4 at 5.2–5.4 ms.
pub(crate) fn twice_the_cores() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    u32::try_from(2 * cores).unwrap_or(u32::MAX).max(4)
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_are_redacted_and_nothing_else_changes() {
        let cases = [
            (
                "postgres://ntm:s3cr@t@db:5432/ntm",
                "postgres://ntm:***@db:5432/ntm",
            ),
            ("postgres://ntm@db/ntm", "postgres://ntm@db/ntm"),
            ("postgres://db/ntm?user=a", "postgres://db/ntm?user=a"),
            ("sqlite://ntm.db?mode=rwc", "sqlite://ntm.db?mode=rwc"),
            ("sqlite::memory:", "sqlite::memory:"),
        ];
        for (url, expected) in cases {
            assert_eq!(redact_url(url), expected, "{url}");
        }
    }
}
