//! Sets for a territory end to end: a province's restatement grades its communes from the day it
//! takes effect (standings keyed by the national set, `gradedBy` the restatement), a commune of
//! another province is unaffected, a district transferred into the province carries its communes
//! in, the projector and `verify` agree, a rebuild gives the same history, and
//! `Locality.gradingSet(on)` tells which set grades and why.

use futures::TryStreamExt;
use ntm_tracker::app::codec::encode;
use ntm_tracker::app::verify;
use ntm_tracker::domain::locality::*;
use ntm_tracker::domain::measure::{IndicatorValue, Percent};
use ntm_tracker::domain::terms::{LocalityKind, ThresholdRegion};
use ntm_tracker::projection::{self, Applier, TableSet, Tables};
use ntm_tracker::store::{AppendRequest, EventStore, ExpectedVersion, Metadata};
use ntm_tracker::AccessSettings;
use serde_json::json;

use crate::support::history::{date, id};
use crate::support::projector::catalog_with_fixture;
use crate::support::server::Server;
use crate::support::store::blobs;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    a_restatement_grades_its_territory_from_its_date_and_verifies,
    the_grading_set_says_which_set_grades_and_why,
);

const NATIONAL: &str = "NTM-XA-2021-2025";
const HA_TINH: &str = "HT-NTM-XA-2024-2025";

fn established(kind: LocalityKind, code: &str, parent: Option<LocalityId>) -> LocalityEvent {
    LocalityEvent::LocalityEstablished(LocalityEstablished {
        effective_on: date(2015, 1, 1),
        legal_act: None,
        name: format!("Đơn vị {code}"),
        kind,
        code: Some(code.parse().expect("code")),
        parent,
        threshold_region: Some(ThresholdRegion::Btb),
        commune_group: None,
        formed_from: vec![],
    })
}

/// 3.1 at 82 %: met against the national 80 %, not against the fixture's 85 % for BTB.
fn reading() -> LocalityEvent {
    LocalityEvent::IndicatorRecorded(IndicatorRecorded {
        effective_on: date(2023, 1, 1),
        set: NATIONAL.parse().expect("set"),
        indicator: "3.1".parse().expect("indicator"),
        value: IndicatorValue::Percent(Percent::try_from(82.0).expect("percent")),
        evidence: Evidence::default(),
    })
}

async fn append(store: &EventStore, streams: Vec<(LocalityId, Vec<LocalityEvent>)>) -> i64 {
    let streams = streams
        .iter()
        .map(|(id, events)| encode(id, ExpectedVersion::Any, events).expect("encode"))
        .collect();
    let request = AppendRequest {
        streams,
        metadata: Metadata::system("territory test"),
        idempotency_key: None,
    };
    let appended = store.append(request).await.expect("append");
    appended.events.last().map_or(0, |e| e.position)
}

/// Hà Tĩnh (42) with commune A; Nghệ An (40) with commune B and district D holding commune C.
fn register() -> Vec<(LocalityId, Vec<LocalityEvent>)> {
    let (ht, na, d) = (id(1), id(2), id(3));
    vec![
        (
            ht.clone(),
            vec![established(LocalityKind::Province, "42", None)],
        ),
        (
            na.clone(),
            vec![established(LocalityKind::Province, "40", None)],
        ),
        (
            d.clone(),
            vec![established(LocalityKind::District, "436", Some(na.clone()))],
        ),
        (
            id(10),
            vec![
                established(LocalityKind::Commune, "18101", Some(ht)),
                reading(),
            ],
        ),
        (
            id(11),
            vec![
                established(LocalityKind::Commune, "17001", Some(na)),
                reading(),
            ],
        ),
        (
            id(12),
            vec![
                established(LocalityKind::Commune, "17201", Some(d)),
                reading(),
            ],
        ),
    ]
}

/// District D moves into Hà Tĩnh on 1/10/2024; its commune C's stream gets no event.
fn transfer() -> Vec<(LocalityId, Vec<LocalityEvent>)> {
    let moved = LocalityEvent::LocalityTransferred(LocalityTransferred {
        effective_on: date(2024, 10, 1),
        legal_act: "999/NQ-UBTVQH15".parse().expect("act"),
        parent: Some(id(1)),
    });
    vec![(id(3), vec![moved])]
}

/// (graded by, 3.1's status) of a commune's present standing.
fn graded(tables: &Tables, locality: u128) -> (String, String) {
    let locality = id(locality).to_string();
    let standing = tables
        .standings
        .iter()
        .find(|s| s.locality_id == locality)
        .expect("a standing");
    assert_eq!(
        standing.set_code, NATIONAL,
        "standings stay keyed by the national set"
    );
    let indicator = tables
        .indicators
        .iter()
        .find(|i| i.locality_id == locality && i.indicator == "3.1")
        .expect("3.1");
    (standing.graded_by.clone(), indicator.status.clone())
}

/// The sets that graded a commune's history, by period start.
fn history(tables: &Tables, locality: u128) -> Vec<(chrono::NaiveDate, String)> {
    let locality = id(locality).to_string();
    let mut periods: Vec<_> = tables
        .history
        .iter()
        .filter(|h| h.locality_id == locality)
        .map(|h| (h.valid_from, h.graded_by.clone()))
        .collect();
    periods.dedup_by(|a, b| a.1 == b.1);
    periods
}

async fn a_restatement_grades_its_territory_from_its_date_and_verifies(db: &TestDb) {
    let store = db.store().await;
    let catalog = catalog_with_fixture();
    append(&store, register()).await;
    let mut applier = Applier::resume(store.clone(), catalog.clone(), TableSet::Live)
        .await
        .expect("applier");
    let all = |store: EventStore| async move {
        let events: Vec<_> = store
            .catch_up_entries(0)
            .try_collect()
            .await
            .expect("events");
        events
    };
    let today = date(2024, 12, 1);
    applier
        .apply(&all(store.clone()).await, today)
        .await
        .expect("apply");
    let tables = Tables::load(&db.db, TableSet::Live).await.expect("load");
    let (ht, national) = (HA_TINH.to_owned(), NATIONAL.to_owned());
    let (met, not_met) = ("met".to_owned(), "not-met".to_owned());
    assert_eq!(graded(&tables, 10), (ht.clone(), not_met.clone()));
    assert_eq!(graded(&tables, 11), (national.clone(), met.clone()));
    assert_eq!(graded(&tables, 12), (national.clone(), met.clone()));
    // From its date until QĐ 51/2025's set supersedes the set it restates.
    let from_2024 = vec![
        (date(2015, 1, 1), national.clone()),
        (date(2024, 7, 26), ht.clone()),
        (date(2026, 2, 15), national.clone()),
    ];
    assert_eq!(history(&tables, 10), from_2024);

    // The transfer is one event on the district: its commune is graded again all the same.
    let last = append(&store, transfer()).await;
    applier
        .apply(&all(store.clone()).await, today)
        .await
        .expect("apply");
    let tables = Tables::load(&db.db, TableSet::Live).await.expect("load");
    assert_eq!(graded(&tables, 12), (ht.clone(), not_met));
    let moved = vec![
        (date(2015, 1, 1), national.clone()),
        (date(2024, 10, 1), ht.clone()),
        (date(2026, 2, 15), national.clone()),
    ];
    assert_eq!(history(&tables, 12), moved);
    assert_eq!(graded(&tables, 11), (national, met));

    let report = verify::verify(store.db(), &catalog, &blobs(store.db()))
        .await
        .expect("verify");
    assert_eq!((report.checkpoint, report.finding), (last, None));
    projection::replay(&store, catalog.clone(), |_| {})
        .await
        .expect("replay");
    let rebuilt = Tables::load(&db.db, TableSet::Live).await.expect("load");
    assert_eq!(rebuilt.history, tables.history);
    assert_eq!(rebuilt.periods, tables.periods);
    let report = verify::verify(store.db(), &catalog, &blobs(store.db()))
        .await
        .expect("verify");
    assert_eq!(report.finding, None);
}

async fn the_grading_set_says_which_set_grades_and_why(db: &TestDb) {
    let access = AccessSettings {
        failures_per_minute: 10_000,
        ..AccessSettings::default()
    };
    let clock = ntm_tracker::app::clock::Clock::SYSTEM;
    let server = Server::start_full(db, access, clock, catalog_with_fixture()).await;
    let last = append(&server.store, register()).await;
    server.caught_up(last).await;
    let query = "query($id: ID!) { locality(id: $id) {
        before: gradingSet(on: \"2024-07-25\") { reason territory set { code } }
        after: gradingSet(on: \"2024-07-26\") {
          reason territory restates thresholdRegion targetRegion special
          set { code territory restates criteria { code indicators { code targets { region value { value } provenance { label source } } } } }
        }
        ntm: gradingSet(on: \"2024-08-01\", programme: NONG_THON_MOI) { set { code } }
        standing(set: \"NTM-XA-2021-2025\", on: \"2024-08-01\") { set gradedBy }
    } }";
    let ht = server
        .data(query, json!({ "id": id(10).to_string() }))
        .await;
    let ht = &ht["locality"];
    assert_eq!(
        ht["before"],
        json!({ "reason": "NATIONAL", "territory": null, "set": { "code": NATIONAL } })
    );
    let after = &ht["after"];
    assert_eq!(after["reason"], "TERRITORY");
    assert_eq!(after["territory"], "42");
    assert_eq!(after["restates"], NATIONAL);
    assert_eq!(
        (&after["thresholdRegion"], &after["targetRegion"]),
        (&json!("BTB"), &json!("BTB"))
    );
    assert_eq!(after["set"]["code"], HA_TINH);
    let criterion_3 = &after["set"]["criteria"][2];
    let targets = &criterion_3["indicators"][0]["targets"];
    assert_eq!(targets[0]["region"], "BTB");
    assert_eq!(targets[0]["value"]["value"], 85.0);
    assert_eq!(targets[0]["provenance"]["label"], "recalled");
    // The targets the province leaves to the nation keep the national source.
    let national_source = &targets[2]["provenance"];
    assert_eq!(national_source["label"], "verified");
    assert!(national_source["source"]
        .as_str()
        .is_some_and(|s| s.starts_with("https://")));
    assert_eq!(ht["ntm"]["set"]["code"], HA_TINH);
    assert_eq!(
        ht["standing"],
        json!({ "set": NATIONAL, "gradedBy": HA_TINH })
    );

    let other = server
        .data(query, json!({ "id": id(11).to_string() }))
        .await;
    let other = &other["locality"];
    assert_eq!(other["after"]["reason"], "NATIONAL");
    assert_eq!(other["after"]["set"]["code"], NATIONAL);
    assert_eq!(other["standing"]["gradedBy"], NATIONAL);
}
