//! Subtree paths kept by the incremental upkeep: children projected before their parent, and a
//! district transferred to another province carrying its communes along.

use futures::TryStreamExt;
use ntm_tracker::app::codec::encode;
use ntm_tracker::domain::locality::*;
use ntm_tracker::domain::terms::LocalityKind;
use ntm_tracker::projection::{Applier, TableSet, Tables};
use ntm_tracker::store::{AppendRequest, EventStore, ExpectedVersion, Metadata};

use super::assert_verified;
use crate::support::history::{date, id};
use crate::support::projector::catalog;
use crate::support::TestDb;

fn established(n: u128, kind: LocalityKind, parent: Option<u128>) -> LocalityEvent {
    LocalityEvent::LocalityEstablished(LocalityEstablished {
        effective_on: date(2015, 1, 1),
        legal_act: None,
        name: format!("Đơn vị {n}"),
        kind,
        code: Some(format!("{:05}", 20_000 + n).parse().expect("code")),
        parent: parent.map(id),
        threshold_region: None,
        commune_group: None,
        formed_from: vec![],
    })
}

/// Appends one event per locality, then projects exactly that batch.
async fn project(store: &EventStore, applier: &mut Applier, events: Vec<(u128, LocalityEvent)>) {
    let streams = events
        .iter()
        .map(|(n, e)| encode(&id(*n), ExpectedVersion::Any, std::slice::from_ref(e)))
        .collect::<Result<_, _>>()
        .expect("encode");
    let request = AppendRequest {
        streams,
        metadata: Metadata::system("paths test"),
        idempotency_key: None,
    };
    let from = applier.position();
    store.append(request).await.expect("append");
    let batch: Vec<_> = store
        .catch_up_entries(from)
        .try_collect()
        .await
        .expect("read");
    let today = ntm_tracker::app::clock::today();
    applier.apply(&batch, today).await.expect("apply");
}

async fn path_of(store: &EventStore, n: u128) -> String {
    let tables = Tables::load(store.db(), TableSet::Live)
        .await
        .expect("load");
    let wanted = id(n).to_string();
    let row = tables.localities.iter().find(|l| l.locality_id == wanted);
    row.expect("projected").path.clone()
}

pub async fn subtree_paths_follow_late_parents_and_transfers(db: &TestDb) {
    let store = db.store().await;
    let mut applier = Applier::resume(store.clone(), catalog(), TableSet::Live)
        .await
        .expect("applier");
    let (p1, p2, d, c1, c2) = (1, 2, 10, 100, 101);
    let path = |ids: &[u128]| {
        let ids: Vec<String> = ids.iter().map(|n| id(*n).to_string()).collect();
        format!("/{}/", ids.join("/"))
    };
    // Communes first, their district next, the province last: each in its own batch.
    let communes = vec![
        (c1, established(c1, LocalityKind::Commune, Some(d))),
        (c2, established(c2, LocalityKind::Commune, Some(d))),
    ];
    project(&store, &mut applier, communes).await;
    assert_eq!(path_of(&store, c1).await, path(&[d, c1]));
    let district = vec![(d, established(d, LocalityKind::District, Some(p1)))];
    project(&store, &mut applier, district).await;
    assert_eq!(path_of(&store, c2).await, path(&[p1, d, c2]));
    let province = vec![(p1, established(p1, LocalityKind::Province, None))];
    project(&store, &mut applier, province).await;
    assert_eq!(path_of(&store, c1).await, path(&[p1, d, c1]));

    // The district moves to another province: its communes (not in the batch) follow.
    let transfer = LocalityEvent::LocalityTransferred(LocalityTransferred {
        effective_on: date(2025, 7, 1),
        legal_act: "1283/NQ-UBTVQH15".parse().expect("act"),
        parent: Some(id(p2)),
    });
    let moved = vec![
        (p2, established(p2, LocalityKind::Province, None)),
        (d, transfer),
    ];
    project(&store, &mut applier, moved).await;
    assert_eq!(path_of(&store, d).await, path(&[p2, d]));
    assert_eq!(path_of(&store, c1).await, path(&[p2, d, c1]));
    assert_eq!(path_of(&store, c2).await, path(&[p2, d, c2]));
    assert_verified(&store, applier.position()).await;
}
