//! Events appended straight to the store, below the domain: a counter event per append; and
//! the log changed behind the store's back, as an attacker with database rights could.

use ntm_tracker::store::{
    AppendRequest, Db, EventStore, ExpectedVersion, Metadata, NewEvent, RecordedEvent,
};
use serde_json::json;

/// A new event of type `kind` carrying `payload`.
pub fn event(kind: &str, payload: serde_json::Value) -> NewEvent {
    NewEvent::json(kind, &payload).expect("serialisable")
}

/// The metadata of the system actor `test`.
pub fn meta() -> Metadata {
    Metadata::system("test")
}

/// Appends one `Counted` event numbered `n` to `stream`, expected at version `expected`.
pub async fn append_one(store: &EventStore, stream: &str, expected: i64, n: u64) -> RecordedEvent {
    let request = AppendRequest::single(
        stream,
        ExpectedVersion::Exact(expected),
        vec![event("Counted", json!({ "n": n }))],
        meta(),
    );
    let appended = store.append(request).await.expect("append");
    appended.events.into_iter().next().expect("one event")
}

/// Runs `statement` with the append-only triggers switched off, as an attacker with
/// database rights could.
pub async fn behind_the_triggers(db: &Db, statement: &str) {
    match db {
        Db::Sqlite(pool) => {
            for sql in [
                "DROP TRIGGER IF EXISTS events_no_update",
                "DROP TRIGGER IF EXISTS events_no_delete",
                statement,
            ] {
                sqlx::query(sql).execute(pool).await.expect(sql);
            }
        }
        Db::Postgres(pool) => {
            let mut tx = pool.begin().await.expect("begin");
            for sql in [
                "ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete",
                statement,
                "ALTER TABLE events ENABLE TRIGGER events_no_update_or_delete",
            ] {
                sqlx::query(sql).execute(&mut *tx).await.expect(sql);
            }
            tx.commit().await.expect("commit");
        }
    }
}

/// The blob store of `db` as a service without `NTM_BLOB_DIR` has it: the `blobs` table.
pub fn blobs(db: &Db) -> ntm_tracker::blobs::BlobStore {
    ntm_tracker::blobs::BlobStore::new(db.clone(), Default::default())
}

/// Runs `statement` on either engine.
pub async fn execute(db: &Db, statement: &str) -> Result<(), sqlx::Error> {
    match db {
        Db::Sqlite(pool) => sqlx::query(statement).execute(pool).await.map(drop),
        Db::Postgres(pool) => sqlx::query(statement).execute(pool).await.map(drop),
    }
}

/// The one integer `query` selects, on either engine.
pub async fn scalar(db: &Db, query: &str) -> i64 {
    let (value,): (i64,) = match db {
        Db::Sqlite(pool) => sqlx::query_as(query).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_as(query).fetch_one(pool).await,
    }
    .expect(query);
    value
}
