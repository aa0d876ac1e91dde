//! The API's read connections (`projection::read::Readers`): one goes back to the pool after a statement
//! that completed, and is closed after one that failed or was cancelled, so that none is reused
//! in an unknown state without the ping sqlx's own pool pays for.

use std::time::Duration;

use ntm_tracker::projection::read::{Connections, Reader, Readers, STATEMENT_TIMEOUT};

use crate::support::TestDb;

/// A statement that runs for a second or more on either engine.
const SLOW_SQLITE: &str = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c \
     WHERE x < 10000000) SELECT count(*) FROM c";
const SLOW_POSTGRES: &str = "SELECT pg_sleep(2)";

/// The checks on one engine's pool; a macro, as the two engines' connections are distinct types.
macro_rules! check {
    ($pool:expr, $slow:expr) => {{
        let pool = $pool;
        for _ in 0..3 {
            let mut reader = Reader::get(pool).await.expect("connection");
            sqlx::query("SELECT 1")
                .execute(&mut *reader)
                .await
                .expect("select");
            reader.keep();
        }
        assert_eq!(pool.status().size, 1, "one connection, kept and reused");

        let mut reader = Reader::get(pool).await.expect("connection");
        let failed = sqlx::query("SELECT * FROM no_such_table")
            .execute(&mut *reader)
            .await;
        assert!(failed.is_err());
        drop(reader);
        assert_eq!(pool.status().size, 0, "closed after a failed statement");

        let mut reader = Reader::get(pool).await.expect("connection");
        let slow = sqlx::query($slow).execute(&mut *reader);
        let cancelled = tokio::time::timeout(Duration::from_millis(50), slow).await;
        assert!(cancelled.is_err(), "the slow statement outran the timeout");
        drop(reader);
        assert_eq!(pool.status().size, 0, "closed after a cancelled statement");

        let mut reader = Reader::get(pool).await.expect("a new connection");
        let (one,): (i64,) = sqlx::query_as("SELECT CAST(1 AS BIGINT)")
            .fetch_one(&mut *reader)
            .await
            .expect("select");
        reader.keep();
        assert_eq!((one, pool.status().size), (1, 1));
    }};
}

pub async fn read_connections_are_kept_only_after_completed_statements(db: &TestDb) {
    let readers = Readers::new(db.db.clone());
    match readers.connections() {
        Connections::Sqlite(pool) => check!(pool, SLOW_SQLITE),
        Connections::Postgres(pool) => check!(pool, SLOW_POSTGRES),
    }
}

/// Statements that would run for ever (a loop a cyclic tree once made) or a minute.
const ENDLESS_SQLITE: &str =
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";
const MINUTE_POSTGRES: &str = "SELECT pg_sleep(60)";

/// Stops a statement on the engine itself, whether or not its client still waits.
macro_rules! stops {
    ($pool:expr, $endless:expr) => {{
        let mut reader = Reader::get($pool).await.expect("connection");
        let started = std::time::Instant::now();
        let stopped = sqlx::query($endless).execute(&mut *reader).await;
        let took = started.elapsed();
        assert!(stopped.is_err(), "the statement ended on its own");
        assert!(
            took >= STATEMENT_TIMEOUT && took < STATEMENT_TIMEOUT + Duration::from_secs(5),
            "stopped after {took:?}"
        );
    }};
}

pub async fn read_statements_stop_at_the_statement_timeout(db: &TestDb) {
    let readers = Readers::new(db.db.clone());
    match readers.connections() {
        Connections::Sqlite(pool) => stops!(pool, ENDLESS_SQLITE),
        Connections::Postgres(pool) => stops!(pool, MINUTE_POSTGRES),
    }
}
