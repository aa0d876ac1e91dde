//! The attacks of someone with write access to the database (an operator, a DBA): triggers
//! dropped, history changed, every hash after it and the Merkle tree recomputed so that the
//! database agrees with itself again.

use ntm_tracker::store::{Db, EventStore, RecordedEvent, StreamRange};
use serde_json::Value;

use crate::support::TestDb;

/// Every trigger that keeps the log (with its tree) and the checkpoints append-only, dropped.
async fn drop_guards(db: &Db) {
    let statements: &[&str] = match db {
        Db::Sqlite(_) => &[
            "DROP TRIGGER IF EXISTS events_no_update",
            "DROP TRIGGER IF EXISTS events_no_delete",
            "DROP TRIGGER IF EXISTS checkpoints_no_update",
            "DROP TRIGGER IF EXISTS checkpoints_no_delete",
            "DROP TRIGGER IF EXISTS cosignatures_no_update",
            "DROP TRIGGER IF EXISTS cosignatures_no_delete",
        ],
        Db::Postgres(_) => &[
            "ALTER TABLE events DISABLE TRIGGER USER",
            "ALTER TABLE checkpoints DISABLE TRIGGER USER",
            "ALTER TABLE checkpoint_cosignatures DISABLE TRIGGER USER",
        ],
    };
    for statement in statements {
        execute(db, statement).await;
    }
}

async fn execute(db: &Db, statement: &str) {
    match db {
        Db::Sqlite(pool) => sqlx::query(statement).execute(pool).await.map(|_| ()),
        Db::Postgres(pool) => sqlx::query(statement).execute(pool).await.map(|_| ()),
    }
    .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

/// The first number in `value` (depth first), plus one: a reading changed, still decodable.
fn bump_first_number(value: &mut Value) -> bool {
    match value {
        Value::Number(n) => {
            let changed = match n.as_u64() {
                Some(whole) => Some(serde_json::Number::from(whole + 1)),
                None => n
                    .as_f64()
                    .and_then(|f| serde_json::Number::from_f64(f + 1.0)),
            };
            match changed {
                Some(changed) => {
                    *n = changed;
                    true
                }
                None => false,
            }
        }
        Value::Array(items) => items.iter_mut().any(bump_first_number),
        Value::Object(fields) => fields.values_mut().any(bump_first_number),
        _ => false,
    }
}

async fn write_event(db: &Db, event: &RecordedEvent) {
    const SQL: &str =
        "UPDATE events SET payload = $1, prev_hash = $2, hash = $3 WHERE position = $4";
    match db {
        Db::Sqlite(pool) => sqlx::query(SQL)
            .bind(&event.payload)
            .bind(&event.prev_hash)
            .bind(&event.hash)
            .bind(event.position)
            .execute(pool)
            .await
            .map(|_| ()),
        Db::Postgres(pool) => sqlx::query(SQL)
            .bind(&event.payload)
            .bind(&event.prev_hash)
            .bind(&event.hash)
            .bind(event.position)
            .execute(pool)
            .await
            .map(|_| ()),
    }
    .expect("rewrite an event");
}

/// Forgets the whole tree (and, if asked, every checkpoint) and has the store rebuild the tree
/// from the events as they now are.
async fn rebuild_tree(db: &TestDb, forget_checkpoints: bool) -> EventStore {
    execute(&db.db, "UPDATE events SET tree_nodes = NULL").await;
    if forget_checkpoints {
        execute(&db.db, "DELETE FROM checkpoint_cosignatures").await;
        execute(&db.db, "DELETE FROM checkpoints").await;
    }
    db.store().await
}

/// The first event at or after `from` with a number in its payload (a reading's value).
pub async fn first_with_a_number(store: &EventStore, from: i64) -> i64 {
    let events = store.read_all(from - 1, 10_000).await.expect("read");
    let found = events.iter().find(|e| {
        let mut payload: Value = serde_json::from_str(&e.payload).expect("JSON payload");
        bump_first_number(&mut payload)
    });
    found.expect("an event with a number").position
}

/// The DBA's rewrite: the event at `position` gets another value (its first number plus one),
/// every later hash of its stream is recomputed, the tree is rebuilt. Afterwards every hash
/// chain and the tree agree with each other: only something held outside can tell.
pub async fn rewrite_history(db: &TestDb, position: i64, forget_checkpoints: bool) {
    drop_guards(&db.db).await;
    let store = db.store().await;
    let target = store.read_all(position - 1, 1).await.expect("read")[0].clone();
    let mut stream = store
        .read_stream(
            &target.stream_id,
            StreamRange::all().from_version(target.stream_version),
        )
        .await
        .expect("read the stream");
    let mut payload: Value = serde_json::from_str(&stream[0].payload).expect("JSON payload");
    assert!(
        bump_first_number(&mut payload),
        "event {position} has no number to change"
    );
    stream[0].payload = payload.to_string();
    let mut previous = stream[0].prev_hash.clone();
    for event in &mut stream {
        event.prev_hash = previous;
        event.hash = event.computed_hash().to_vec();
        previous = event.hash.clone();
        write_event(&db.db, event).await;
    }
    rebuild_tree(db, forget_checkpoints).await;
}

/// The log cut after `keep` events (with the tree and the checkpoints beyond it).
pub async fn truncate_history(db: &TestDb, keep: i64) {
    drop_guards(&db.db).await;
    execute(
        &db.db,
        &format!("DELETE FROM events WHERE position > {keep}"),
    )
    .await;
    execute(
        &db.db,
        &format!("DELETE FROM checkpoint_cosignatures WHERE tree_size > {keep}"),
    )
    .await;
    execute(
        &db.db,
        &format!("DELETE FROM checkpoints WHERE tree_size > {keep}"),
    )
    .await;
    rebuild_tree(db, false).await;
}

/// The stored tree nodes of the event at `position` zeroed (the proofs served would then lie).
pub async fn change_tree_nodes(db: &TestDb, position: i64) {
    drop_guards(&db.db).await;
    let zeros = match db.db {
        Db::Sqlite(_) => "zeroblob(length(tree_nodes))",
        Db::Postgres(_) => "decode(repeat('00', length(tree_nodes)), 'hex')",
    };
    let statement = format!("UPDATE events SET tree_nodes = {zeros} WHERE position = {position}");
    execute(&db.db, &statement).await;
}
