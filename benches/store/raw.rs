//! The raw-SQL baseline: a bare table of the same shape, written and read with plain SQL.

use futures::TryStreamExt;
use ntm_tracker::store::Db;

pub async fn create(db: &Db) {
    let sql = match db {
        Db::Sqlite(_) => {
            "CREATE TABLE raw_events (position INTEGER PRIMARY KEY AUTOINCREMENT, \
             stream_id TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT NOT NULL, \
             UNIQUE (stream_id, version))"
        }
        Db::Postgres(_) => {
            "CREATE TABLE raw_events (position BIGSERIAL PRIMARY KEY, \
             stream_id TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT NOT NULL, \
             UNIQUE (stream_id, version))"
        }
    };
    match db {
        Db::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
        Db::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
    }
    .expect("create raw_events");
}

/// Appends `payloads` as versions `expected + 1 ..` of `stream`, checking the expected version:
/// one `INSERT … SELECT … WHERE max(version) = expected` on PostgreSQL, `BEGIN IMMEDIATE` +
/// compare + insert on SQLite.
pub async fn append(db: &Db, stream: &str, expected: i64, payloads: &[&str]) {
    let versions: Vec<i32> = (1..=payloads.len() as i32)
        .map(|v| v + expected as i32)
        .collect();
    match db {
        Db::Postgres(pool) => {
            let inserted = sqlx::query(
                "INSERT INTO raw_events (stream_id, version, payload) \
                 SELECT $1, v, p FROM unnest($2::int[], $3::text[]) AS t(v, p) \
                 WHERE (SELECT coalesce(max(version), 0) FROM raw_events WHERE stream_id = $1) = $4",
            )
            .bind(stream)
            .bind(&versions)
            .bind(payloads)
            .bind(expected as i32)
            .execute(pool)
            .await
            .expect("raw insert");
            assert_eq!(
                inserted.rows_affected(),
                payloads.len() as u64,
                "raw version check"
            );
        }
        Db::Sqlite(pool) => {
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.expect("begin");
            let (actual,): (i64,) = sqlx::query_as(
                "SELECT coalesce(max(version), 0) FROM raw_events WHERE stream_id = $1",
            )
            .bind(stream)
            .fetch_one(&mut *tx)
            .await
            .expect("raw version");
            assert_eq!(actual, expected, "raw version check");
            let mut insert =
                sqlx::QueryBuilder::new("INSERT INTO raw_events (stream_id, version, payload) ");
            insert.push_values(versions.iter().zip(payloads), |mut row, (v, p)| {
                row.push_bind(stream).push_bind(*v).push_bind(*p);
            });
            insert.build().execute(&mut *tx).await.expect("raw insert");
            tx.commit().await.expect("commit");
        }
    }
}

/// Reads every row in position order and hands its stream and payload to `fold`.
pub async fn replay(db: &Db, mut fold: impl FnMut(&str, &str)) {
    const SQL: &str =
        "SELECT position, stream_id, version, payload FROM raw_events ORDER BY position";
    match db {
        Db::Sqlite(pool) => {
            let mut rows = sqlx::query_as::<_, (i64, String, i64, String)>(SQL).fetch(pool);
            while let Some((_, stream, _, payload)) = rows.try_next().await.expect("row") {
                fold(&stream, &payload);
            }
        }
        Db::Postgres(pool) => {
            let mut rows = sqlx::query_as::<_, (i64, String, i32, String)>(SQL).fetch(pool);
            while let Some((_, stream, _, payload)) = rows.try_next().await.expect("row") {
                fold(&stream, &payload);
            }
        }
    }
}

/// The payloads of one stream in version order.
pub async fn load(db: &Db, stream: &str) -> Vec<String> {
    const SQL: &str = "SELECT payload FROM raw_events WHERE stream_id = $1 ORDER BY version";
    let rows: Vec<(String,)> = match db {
        Db::Sqlite(pool) => sqlx::query_as(SQL).bind(stream).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_as(SQL).bind(stream).fetch_all(pool).await,
    }
    .expect("load");
    rows.into_iter().map(|(p,)| p).collect()
}
