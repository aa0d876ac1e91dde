//! The projections on both engines: incremental equals rebuild, resumption after an abort,
//! roll-ups equal to the domain's bitemporal standings, one leader among projectors, and the
//! API's reads of the read tables and its read connections.

use std::time::{Duration, Instant};

use futures::TryStreamExt;
use ntm_tracker::app::verify;
use ntm_tracker::projection::{self, ProjectorConfig, ProjectorHandle, TableSet, Tables};
use ntm_tracker::store::EventStore;

use crate::support::history::{self, Shape};
use crate::support::projector::{catalog, fast};
use crate::support::store::blobs;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    incremental_projection_equals_a_full_rebuild,
    an_aborted_projector_resumes_without_loss_or_double_application,
    a_past_rollup_equals_the_sum_of_bitemporal_standings,
    a_standing_written_on_an_earlier_day_still_verifies,
    present_standings_are_graded_again_on_a_new_year,
    subtree_paths_follow_late_parents_and_transfers,
    the_api_reads_give_the_stored_rows,
    read_connections_are_kept_only_after_completed_statements,
    read_statements_stop_at_the_statement_timeout,
);

async fn caught_up(handle: &ProjectorHandle, position: i64) {
    handle
        .wait_for(position, Duration::from_secs(120))
        .await
        .expect("projector catches up");
}

async fn assert_verified(store: &EventStore, position: i64) {
    let report = verify::verify(store.db(), &catalog(), &blobs(store.db()))
        .await
        .expect("verify");
    assert_eq!(report.checkpoint, position);
    assert_eq!(report.finding, None);
}

/// The projector follows the appends as they happen, in whatever batches they arrive.
async fn incremental_projection_equals_a_full_rebuild(db: &TestDb) {
    let started = Instant::now();
    let store = db.store().await;
    let (handle, task) = projection::spawn(store.clone(), catalog(), fast());
    let shape = Shape {
        districts: 4,
        communes: 104,
        events_per_commune: 480,
    };
    let last = history::generate(&store, &shape).await;
    assert!(last >= 50_000, "{last} events");
    caught_up(&handle, last).await;
    task.abort();
    let incremental = Tables::load(&db.db, TableSet::Live).await.expect("load");
    assert!(incremental.history.len() > 1_000 && incremental.edges.len() == 4);
    assert_verified(&store, last).await;

    let rebuilt_to = projection::replay(&store, catalog(), |_| {})
        .await
        .expect("replay");
    assert_eq!(rebuilt_to, last);
    let rebuilt = Tables::load(&db.db, TableSet::Live).await.expect("load");
    assert_eq!(incremental.first_difference(&rebuilt), None);
    assert_eq!(incremental, rebuilt);

    // Two rebuilds at once: the later claim wins, the other stops; never a mix of both.
    let (a, b) = tokio::join!(
        projection::replay(&store, catalog(), |_| {}),
        projection::replay(&store, catalog(), |_| {})
    );
    for outcome in [&a, &b] {
        assert!(
            matches!(outcome, Ok(p) if *p == last)
                || matches!(outcome, Err(projection::ProjectionError::Superseded)),
            "{outcome:?}"
        );
    }
    assert!(a.is_ok() || b.is_ok(), "one of them finished");
    let rebuilt = Tables::load(&db.db, TableSet::Live).await.expect("load");
    assert_eq!(incremental.first_difference(&rebuilt), None);
    assert_verified(&store, last).await;
    eprintln!(
        "incremental == rebuild on {last} events in {:?}; two rebuilds at once: {:?}, {:?}",
        started.elapsed(),
        a.map_err(|e| e.to_string()),
        b.map_err(|e| e.to_string())
    );
}

async fn an_aborted_projector_resumes_without_loss_or_double_application(db: &TestDb) {
    let store = db.store().await;
    let shape = Shape {
        districts: 2,
        communes: 20,
        events_per_commune: 200,
    };
    let config = ProjectorConfig {
        batch_size: 64,
        ..fast()
    };
    let (first, task) = projection::spawn(store.clone(), catalog(), config.clone());
    let generating = tokio::spawn({
        let store = store.clone();
        async move { history::generate(&store, &Shape { ..shape }).await }
    });
    // Killed somewhere between batches, while appends go on.
    caught_up(&first, 500).await;
    task.abort();
    let _ = task.await;
    let stopped_at = projection::checkpoint(&db.db, TableSet::Live)
        .await
        .expect("checkpoint");
    let last = generating.await.expect("generator");
    assert!(
        stopped_at < last,
        "the projector was stopped before the end"
    );

    let (second, task) = projection::spawn(store.clone(), catalog(), config);
    caught_up(&second, last).await;
    // And it follows live appends after the catch-up.
    let one_more = history::append_one(&store, &history::commune(&shape, 3)).await;
    caught_up(&second, one_more).await;
    task.abort();
    assert_verified(&store, one_more).await;
}

/// `ntm verify` run on a later day than the projector wrote a present standing (a year later
/// here, with other targets in force) compares it with the standing of that same day.
async fn a_standing_written_on_an_earlier_day_still_verifies(db: &TestDb) {
    let store = db.store().await;
    let shape = Shape {
        districts: 1,
        communes: 3,
        events_per_commune: 40,
    };
    let last = history::generate(&store, &shape).await;
    let mut applier = projection::Applier::resume(store.clone(), catalog(), TableSet::Live)
        .await
        .expect("applier");
    let events: Vec<_> = store
        .catch_up_entries(0)
        .try_collect()
        .await
        .expect("events");
    let a_year_ago = ntm_tracker::app::clock::today() - chrono::Days::new(365);
    applier.apply(&events, a_year_ago).await.expect("apply");
    let stored = Tables::load(&db.db, TableSet::Live).await.expect("load");
    assert!(stored.standings.iter().all(|s| s.as_of == a_year_ago));
    assert_verified(&store, last).await;
}

/// A present standing graded on 31/12/2025 is graded again once the year turns, with no new
/// fact, into exactly the rows a projector writing on 1/1/2026 writes; a day with no calendar
/// change grades nothing again.
async fn present_standings_are_graded_again_on_a_new_year(db: &TestDb) {
    let store = db.store().await;
    let shape = Shape {
        districts: 1,
        communes: 4,
        events_per_commune: 40,
    };
    history::generate(&store, &shape).await;
    let events: Vec<_> = store
        .catch_up_entries(0)
        .try_collect()
        .await
        .expect("events");
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
    let mut applier = projection::Applier::resume(store.clone(), catalog(), TableSet::Live)
        .await
        .expect("applier");
    applier
        .apply(&events, day(2025, 12, 31))
        .await
        .expect("apply");
    assert_eq!(
        applier.regrade(day(2025, 12, 31)).await.expect("regrade"),
        0
    );

    // A projector that starts later, with nothing cached.
    let mut later = projection::Applier::resume(store.clone(), catalog(), TableSet::Live)
        .await
        .expect("applier");
    let graded = later.regrade(day(2026, 1, 1)).await.expect("regrade");
    assert_eq!(graded, shape.communes as usize);
    let stored = Tables::load(&db.db, TableSet::Live).await.expect("load");
    assert!(stored.standings.iter().all(|s| s.as_of == day(2026, 1, 1)));
    assert_eq!(later.regrade(day(2026, 1, 2)).await.expect("regrade"), 0);

    // The same events projected afresh on 1 January.
    let fresh = if db.url.starts_with("sqlite:") {
        TestDb::sqlite().await
    } else {
        TestDb::postgres().await.expect("PostgreSQL")
    };
    let fresh_store = fresh.store().await;
    history::generate(&fresh_store, &shape).await;
    let mut applier = projection::Applier::resume(fresh_store.clone(), catalog(), TableSet::Live)
        .await
        .expect("applier");
    let events: Vec<_> = fresh_store
        .catch_up_entries(0)
        .try_collect()
        .await
        .expect("events");
    applier
        .apply(&events, day(2026, 1, 1))
        .await
        .expect("apply");
    let expected = Tables::load(&fresh.db, TableSet::Live).await.expect("load");
    assert_eq!(stored.standings, expected.standings);
    assert_eq!(stored.criteria, expected.criteria);
    assert_eq!(stored.indicators, expected.indicators);
}

mod rollup;
use rollup::a_past_rollup_equals_the_sum_of_bitemporal_standings;

mod leader;

mod paths;
use paths::subtree_paths_follow_late_parents_and_transfers;

mod reads;
use reads::the_api_reads_give_the_stored_rows;

mod read_connections;
use read_connections::{
    read_connections_are_kept_only_after_completed_statements,
    read_statements_stop_at_the_statement_timeout,
};
