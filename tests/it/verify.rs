//! `ntm verify` as an operator uses it: on a live system, under concurrent writers and the
//! projector, it must pass on a sound database every time.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ntm_tracker::projection;

use crate::helpers::{ntm_verify, on_both_engines, TestDb};
use crate::projections::history::{self, Shape};
use crate::projections::{catalog, fast};

on_both_engines!(verify_passes_while_eight_writers_append,);

/// Writers that each append readings to their own communes until told to stop.
const WRITERS: u128 = 8;
/// `ntm verify` runs during the load, each of which must pass.
const RUNS: usize = 4;

async fn verify_passes_while_eight_writers_append(db: &TestDb) {
    let store = db.store().await;
    let shape = Shape {
        districts: 2,
        communes: 4 * WRITERS,
        events_per_commune: 20,
    };
    let mut last = history::generate(&store, &shape).await;
    let (handle, projector) = projection::spawn(store.clone(), catalog(), fast());
    handle
        .wait_for(last, Duration::from_secs(60))
        .await
        .expect("caught up");
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (store, stop) = (store.clone(), stop.clone());
            let communes: Vec<_> = (0..4)
                .map(|c| history::commune(&shape, w * 4 + c))
                .collect();
            tokio::spawn(async move {
                let mut appended = 0_u64;
                while !stop.load(Ordering::Relaxed) {
                    let commune = &communes[appended as usize % communes.len()];
                    history::append_one(&store, commune).await;
                    appended += 1;
                }
                appended
            })
        })
        .collect();
    for run in 0..RUNS {
        let url = db.url.clone();
        let verified = tokio::task::spawn_blocking(move || ntm_verify(&url));
        let (code, text) = verified.await.expect("verify ran");
        let now = store.last_position().await.expect("position");
        assert!(now > last, "run {run}: the writers appended meanwhile");
        last = now;
        assert_eq!(code, Some(0), "run {run} of {RUNS} under load: {text}");
    }
    stop.store(true, Ordering::Relaxed);
    let mut appended = 0;
    for writer in writers {
        appended += writer.await.expect("writer");
    }
    projector.abort();
    eprintln!("{RUNS} verify runs passed while {WRITERS} writers appended {appended} events");
}
