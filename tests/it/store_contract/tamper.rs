//! Tampering with the log behind the store's back, with the append-only trigger disabled.

use ntm_tracker::store::{Db, Problem, RecordedEvent};

use crate::support::cli::ntm_verify;
use crate::support::history::{self, Shape};
use crate::support::store::{append_one, behind_the_triggers};
use crate::support::TestDb;

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
    let head = report.head.as_ref().map(|(position, _)| *position);
    assert_eq!(head, Some(2), "verified up to the event before the change");
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
        append_one(&store, "stream/a", n, n as u64).await;
    }
    append_one(&store, "stream/b", 0, 0).await;
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
        (4, "stream/b")
    );
    assert_eq!(broken.problem, Problem::PositionGap { expected: 3 });

    // Re-inserting an altered copy breaks the link of the event after it.
    let store2 = db.store().await;
    append_one(&store2, "stream/a", 2, 7).await; // re-uses version 3, position 5
    let broken = store2
        .verify()
        .await
        .expect("verify")
        .first_break
        .expect("detected");
    assert_eq!(broken.problem, Problem::PositionGap { expected: 3 });
}

/// Rewrites the event at `event.position` to `event`'s type, schema version, payload, metadata
/// and hash, as a tamperer who re-computes the hash would.
async fn rewrite(db: &Db, event: &RecordedEvent) {
    const SQL: &str = "UPDATE events SET event_type = $1, schema_version = $2, payload = $3, \
                       metadata = $4, hash = $5 WHERE position = $6";
    macro_rules! rewrite_on {
        ($conn:expr) => {
            sqlx::query(SQL)
                .bind(&event.event_type)
                .bind(event.schema_version)
                .bind(&event.payload)
                .bind(&event.metadata_json)
                .bind(&event.hash)
                .bind(event.position)
                .execute($conn)
                .await
                .expect("rewrite")
        };
    }
    match db {
        Db::Sqlite(pool) => {
            behind_the_triggers(db, "SELECT 1").await;
            rewrite_on!(pool);
        }
        Db::Postgres(pool) => {
            let mut tx = pool.begin().await.expect("begin");
            let trigger = "events_no_update_or_delete";
            let disable = format!("ALTER TABLE events DISABLE TRIGGER {trigger}");
            sqlx::query(&disable).execute(&mut *tx).await.expect("off");
            rewrite_on!(&mut *tx);
            let enable = format!("ALTER TABLE events ENABLE TRIGGER {trigger}");
            sqlx::query(&enable).execute(&mut *tx).await.expect("on");
            tx.commit().await.expect("commit");
        }
    }
}

/// A locality history and one more reading at the end of a commune's stream, its event.
async fn history_ending_in_a_reading(db: &TestDb) -> RecordedEvent {
    let store = db.store().await;
    let shape = Shape {
        districts: 1,
        communes: 3,
        events_per_commune: 10,
    };
    history::generate(&store, &shape).await;
    let position = history::append_one(&store, &history::commune(&shape, 1)).await;
    let events = store.read_all(position - 1, 1).await.expect("read");
    let (code, text) = ntm_verify(&db.url);
    assert_eq!(code, Some(0), "{text}");
    events.into_iter().next().expect("the reading")
}

/// A change a tamperer makes to an event's content.
type Rewrite = fn(&mut RecordedEvent);

/// Events whose chain was re-computed over content this build cannot read: each is a finding
/// naming its position, exit 2, not a warning.
pub async fn undecodable_events_are_named(db: &TestDb) {
    let reading = history_ending_in_a_reading(db).await;
    const UNKNOWN_TYPE: &str = r#"{"type":"LocalityVanished","effective_on":"2025-06-01"}"#;
    let variants: [(&str, Rewrite); 5] = [
        ("unknown type", |e| {
            e.event_type = "LocalityVanished".into();
            e.payload = UNKNOWN_TYPE.into();
        }),
        ("payload", |e| {
            e.payload = r#"{"type":"IndicatorRecorded"}"#.into()
        }),
        ("schema version", |e| e.schema_version = 2),
        ("type column", |e| {
            e.event_type = "IndicatorRetracted".into()
        }),
        ("metadata", |e| e.metadata_json = "not json".into()),
    ];
    let at = format!("(position {})", reading.position);
    for (what, change) in variants {
        let mut tampered = reading.clone();
        change(&mut tampered);
        tampered.hash = tampered.computed_hash().to_vec();
        rewrite(&db.db, &tampered).await;
        // The store's own check covers the columns; decoding is `ntm verify`'s.
        let store_check = db.store().await.verify().await.expect("verify");
        let broken = store_check.first_break.map(|b| b.problem);
        if what == "metadata" {
            assert!(
                matches!(broken, Some(Problem::Unreadable { .. })),
                "{broken:?}"
            );
        } else {
            assert_eq!(broken, None, "{what}: the chain holds");
        }
        let (code, text) = ntm_verify(&db.url);
        assert_eq!(code, Some(2), "{what}: {text}");
        let finding = text.lines().find(|l| l.starts_with("BROKEN:"));
        let finding = finding.unwrap_or_else(|| panic!("{what}: {text}"));
        assert!(finding.contains(&at), "{what}: {finding}");
        let named = if what == "metadata" {
            "column metadata does not parse"
        } else {
            "does not decode"
        };
        assert!(finding.contains(named), "{what}: {finding}");
        rewrite(&db.db, &reading).await;
    }
    let (code, text) = ntm_verify(&db.url);
    assert_eq!(code, Some(0), "restored: {text}");
}

/// A `recorded_at` that does not parse (or, on PostgreSQL, that no chrono type holds: sqlx
/// panicked decoding it) is a finding naming the position and the column.
pub async fn unreadable_columns_are_named(db: &TestDb) {
    let reading = history_ending_in_a_reading(db).await;
    let garbage = match db.db {
        Db::Sqlite(_) => "'the day before yesterday'",
        Db::Postgres(_) => "'infinity'",
    };
    for (column, value) in [("effective_on", garbage), ("recorded_at", garbage)] {
        let value = match (&db.db, column) {
            (Db::Postgres(_), "effective_on") => "'infinity'::date",
            _ => value,
        };
        let update = format!(
            "UPDATE events SET {column} = {value} WHERE position = {}",
            reading.position
        );
        behind_the_triggers(&db.db, &update).await;
        let (code, text) = ntm_verify(&db.url);
        assert_eq!(code, Some(2), "{column}: {text}");
        let expected = format!(
            "(position {}): column {column} does not parse",
            reading.position
        );
        assert!(text.contains(&expected), "{column}: {text}");
        let broken = db.store().await.verify().await.expect("verify").first_break;
        let broken = broken.expect("the store's own check names it too");
        assert_eq!(broken.position, reading.position);
        assert!(
            matches!(broken.problem, Problem::Unreadable { column: c, .. } if c == column),
            "{broken}"
        );
        if column == "effective_on" {
            let on = reading.effective_on.expect("a dated reading");
            let restore = format!(
                "UPDATE events SET effective_on = '{on}' WHERE position = {}",
                reading.position
            );
            behind_the_triggers(&db.db, &restore).await;
            let (code, text) = ntm_verify(&db.url);
            assert_eq!(code, Some(0), "restored: {text}");
        }
    }
}
