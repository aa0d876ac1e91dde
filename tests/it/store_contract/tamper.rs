//! Tampering with the log behind the store's back, with the append-only trigger disabled.

use ntm_tracker::store::{Db, Problem};

use super::append_one;
use crate::helpers::{ntm_verify, TestDb};

/// Runs `statement` with the append-only triggers switched off, as an attacker with
/// database rights could.
async fn behind_the_triggers(db: &Db, statement: &str) {
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

pub async fn payload_change_is_named(db: &TestDb) {
    let store = db.store().await;
    // Streams of no category `ntm verify` decodes: only their chains are checked.
    for n in 0..3 {
        append_one(&store, "counter/a", n, n as u64).await;
        append_one(&store, "counter/b", n, n as u64).await;
    }
    let (code, text) = ntm_verify(&db.url);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("6 events in 2 streams"), "{text}");

    // Position 3 is counter/a version 2.
    behind_the_triggers(
        &db.db,
        "UPDATE events SET payload = '{\"n\":99}' WHERE position = 3",
    )
    .await;
    let report = store.verify().await.expect("verify");
    let broken = report.first_break.expect("the change is detected");
    assert_eq!(
        (
            broken.position,
            broken.stream_id.as_str(),
            broken.stream_version
        ),
        (3, "counter/a", 2)
    );
    assert!(
        matches!(broken.problem, Problem::HashMismatch { .. }),
        "{broken}"
    );

    let (code, text) = ntm_verify(&db.url);
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("stream counter/a version 2 (position 3)"),
        "{text}"
    );
}

pub async fn deletion_is_named(db: &TestDb) {
    let store = db.store().await;
    for n in 0..3 {
        append_one(&store, "locality/a", n, n as u64).await;
    }
    append_one(&store, "locality/b", 0, 0).await;
    // Removing a stream's last event leaves its chain intact: the position gap shows it.
    behind_the_triggers(&db.db, "DELETE FROM events WHERE position = 3").await;
    let broken = store
        .verify()
        .await
        .expect("verify")
        .first_break
        .expect("detected");
    assert_eq!(
        (broken.position, broken.stream_id.as_str()),
        (4, "locality/b")
    );
    assert_eq!(broken.problem, Problem::PositionGap { expected: 3 });

    // Re-inserting an altered copy breaks the link of the event after it.
    let store2 = db.store().await;
    append_one(&store2, "locality/a", 2, 7).await; // re-uses version 3, position 5
    let broken = store2
        .verify()
        .await
        .expect("verify")
        .first_break
        .expect("detected");
    assert_eq!(broken.problem, Problem::PositionGap { expected: 3 });
}
