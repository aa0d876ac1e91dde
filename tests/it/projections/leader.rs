//! Two projectors on one PostgreSQL database: one writes, the other takes over when it stops.

use std::time::Duration;

use ntm_tracker::projection;

use super::caught_up;
use crate::support::history::{self, Shape};
use crate::support::projector::{catalog, fast};
use crate::support::TestDb;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_projectors_on_postgres_elect_one_writer_and_fail_over() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let store = db.store().await;
    let (first, first_task) = projection::spawn(store.clone(), catalog(), fast());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !first.is_leader() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the first projector never led"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // A second process's projector: its own pool, so its own sessions.
    let other = ntm_tracker::store::Db::connect(&db.url)
        .await
        .expect("connect");
    let other_store = ntm_tracker::store::EventStore::open(other)
        .await
        .expect("open");
    let (second, second_task) = projection::spawn(other_store.clone(), catalog(), fast());

    let shape = Shape {
        districts: 2,
        communes: 10,
        events_per_commune: 50,
    };
    let last = history::generate(&store, &shape).await;
    caught_up(&first, last).await;
    caught_up(&second, last).await;
    assert!(first.batches_written() > 0);
    assert_eq!(second.batches_written(), 0, "the follower wrote");
    assert!(!second.is_leader());

    first_task.abort();
    let _ = first_task.await;
    let more = history::generate(
        &other_store,
        &Shape {
            districts: 2,
            communes: 10,
            events_per_commune: 20,
        },
    )
    .await;
    caught_up(&second, more).await;
    assert!(second.is_leader(), "the follower took over");
    assert!(second.batches_written() > 0);
    second_task.abort();
    let report = ntm_tracker::app::verify::verify(
        store.db(),
        &catalog(),
        &crate::support::store::blobs(store.db()),
    )
    .await
    .expect("verify");
    assert_eq!((report.checkpoint, report.finding), (more, None));
}
