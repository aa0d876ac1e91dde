//! A log written before the tree existed gets its tree when the store opens — through the one
//! update the log allows (a missing `tree_nodes` set, nothing else) — and the triggers still
//! refuse every other change, the tree's included.

use ntm_tracker::merkle::Frontier;
use ntm_tracker::store::{Db, EventStore};

use crate::support::cli::ntm_verify;
use crate::support::history::{self, Shape};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(an_older_log_gets_its_tree_and_keeps_its_guards);

async fn refused(db: &Db, statement: &str) -> bool {
    match db {
        Db::Sqlite(pool) => sqlx::query(statement).execute(pool).await.is_err(),
        Db::Postgres(pool) => sqlx::query(statement).execute(pool).await.is_err(),
    }
}

async fn an_older_log_gets_its_tree_and_keeps_its_guards(db: &TestDb) {
    let shape = Shape {
        districts: 1,
        communes: 3,
        events_per_commune: 6,
    };
    let older = EventStore::open_without_tree_for_benchmarks(db.db.clone())
        .await
        .expect("a store writing no tree, as before the tree existed");
    let size = history::generate(&older, &shape).await as u64;
    drop(older);
    assert!(
        db.store().await.tree_root(size).await.is_ok(),
        "opening the store completed the tree"
    );
    let store = db.store().await;
    let mut frontier = Frontier::default();
    for event in store.read_all(0, 10_000).await.expect("events") {
        frontier.push(&event.hash);
    }
    assert_eq!(store.tree_root(size).await.expect("root"), frontier.root());
    history::append_one(&store, &history::commune(&shape, 0)).await;
    let (code, said) = ntm_verify(&db.url);
    assert_eq!(code, Some(0), "{said}");
    for statement in [
        "UPDATE events SET tree_nodes = NULL WHERE position = 1",
        "UPDATE events SET tree_nodes = hash WHERE position = 2",
        "UPDATE events SET payload = '{}' WHERE position = 3",
        "DELETE FROM events WHERE position = 4",
    ] {
        assert!(refused(&db.db, statement).await, "{statement} was allowed");
    }
}
