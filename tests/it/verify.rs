//! `ntm verify` as an operator uses it: on a live system, under concurrent writers and the
//! projector, it must pass on a sound database every time.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ntm_tracker::app::codec::encode;
use ntm_tracker::app::verify::{self, Finding};
use ntm_tracker::domain::locality::{LocalityEvent, LocalityTransferred};
use ntm_tracker::projection;
use ntm_tracker::store::{AppendRequest, ExpectedVersion, Metadata};

use crate::support::cli::ntm_verify;
use crate::support::history::{self, Shape};
use crate::support::projector::{catalog, fast};
use crate::support::store::blobs;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    verify_passes_while_eight_writers_append,
    a_cycle_in_the_locality_tree_is_named,
);

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

/// A locality tree with a cycle, planted past the domain's refusals (as databases written
/// before those refusals may hold): the province is moved under one of its own communes.
async fn a_cycle_in_the_locality_tree_is_named(db: &TestDb) {
    let store = db.store().await;
    let shape = Shape {
        districts: 1,
        communes: 2,
        events_per_commune: 10,
    };
    history::generate(&store, &shape).await;
    let (province, district, commune) = (
        history::province(),
        history::district(0),
        history::commune(&shape, 1),
    );
    let on = history::date(2024, 1, 1);
    let moved = LocalityEvent::LocalityTransferred(LocalityTransferred {
        effective_on: on,
        legal_act: "12/NQ-UBTVQH15".parse().expect("act"),
        parent: Some(commune.clone()),
    });
    let request = AppendRequest {
        streams: vec![encode(&province, ExpectedVersion::Any, &[moved]).expect("encode")],
        metadata: Metadata::system("an old build"),
        idempotency_key: None,
    };
    let last = store.append(request).await.expect("append").last_position();
    let (handle, projector) = projection::spawn(store.clone(), catalog(), fast());
    handle
        .wait_for(last, Duration::from_secs(60))
        .await
        .expect("caught up");
    projector.abort();

    let report = verify::verify(&db.db, &catalog(), &blobs(&db.db))
        .await
        .expect("verify");
    let Some(Finding::Cycle(cycle)) = report.finding else {
        panic!("a cycle is found: {:?}", report.finding);
    };
    assert_eq!(cycle.on, on);
    let commune_code = format!("{:05}", 10_000 + commune.0.as_u128() % 10_000);
    let mut named = cycle.localities.clone();
    named.sort();
    let mut expected = vec![
        (province.to_string(), Some("42".to_owned())),
        (district.to_string(), Some("400".to_owned())),
        (commune.to_string(), Some(commune_code.clone())),
    ];
    expected.sort();
    assert_eq!(named, expected);

    let (code, text) = ntm_verify(&db.url);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("CYCLE: on 2024-01-01"), "{text}");
    for id in [
        province.to_string(),
        district.to_string(),
        commune.to_string(),
    ] {
        assert!(text.contains(&id), "{id} is named: {text}");
    }
    assert!(text.contains("(code 42)") && text.contains(&format!("(code {commune_code})")));
}
