//! Roll-ups read from the projected history equal the domain's bitemporal standing of every
//! unit under the parent on that date, summed by hand.

use ntm_tracker::domain::territory::NOWHERE;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use ntm_tracker::domain::catalog::CriteriaSet;
use ntm_tracker::domain::locality::LocalityEvent;
use ntm_tracker::domain::profile::Profile;
use ntm_tracker::domain::recognised::recognised_on;
use ntm_tracker::domain::rules::RevocationRisk;
use ntm_tracker::domain::rules::Status;
use ntm_tracker::domain::standing::{effective_facts, standing, Recorded};
use ntm_tracker::domain::terms::LocalityKind;
use ntm_tracker::projection::{self, read};
use ntm_tracker::store::{EventStore, StreamRange};

use super::caught_up;
use crate::support::history::{self, date, district, Shape, SET};
use crate::support::projector::{catalog, fast};
use crate::support::TestDb;

async fn stream(store: &EventStore, stream_id: &str) -> Vec<Recorded<LocalityEvent>> {
    let events = store
        .read_stream(stream_id, StreamRange::all())
        .await
        .expect("read");
    events
        .iter()
        .map(|e| Recorded {
            version: u64::try_from(e.stream_version).expect("version"),
            recorded_at: e.recorded_at,
            event: serde_json::from_str(&e.payload).expect("decode"),
        })
        .collect()
}

/// The roll-up computed from the domain alone: every commune under the parent on the date, its
/// recognised status from `recognised_on` and its criteria from `standing`.
fn expected(
    streams: &[(String, Vec<Recorded<LocalityEvent>>)],
    parent: &str,
    on: NaiveDate,
    below: usize,
) -> read::Rollup {
    let catalog = catalog();
    let set = catalog.get(&SET.parse().expect("set")).expect("set");
    let all = set
        .criteria
        .iter()
        .chain(set.conditions.iter().map(|c| &c.criterion));
    let codes: Vec<String> = all.map(|c| c.code.to_string()).collect();
    let mut children = Vec::new();
    for (id, events) in streams {
        let known: Vec<_> = events.iter().map(|r| (r.version, &r.event)).collect();
        let facts = effective_facts(&known);
        let dated = facts
            .iter()
            .filter(|(_, e)| e.effective_on().is_some_and(|d| d <= on))
            .copied();
        let profile = Profile::fold(dated);
        let in_parent = profile
            .parents
            .on(on)
            .cloned()
            .flatten()
            .is_some_and(|p| p.to_string() == parent);
        let commune = profile.kinds.on(on) == Some(&LocalityKind::Commune);
        if !in_parent || !commune || !profile.exists_on(on) {
            continue;
        }
        let s = standing(events, set, on, ntm_tracker::app::clock::now());
        // No shipped commune set grades a territory: where the commune is does not matter.
        let status = recognised_on(&facts, &catalog, on, &NOWHERE).expect("a status");
        let met = s.criteria.iter().chain(&s.conditions);
        let known = s
            .criteria
            .iter()
            .chain(&s.conditions)
            .any(|c| c.status != Status::Unknown);
        let risk = status.at_risk;
        let figures = read::Figures {
            units: 1,
            with_data: i64::from(known),
            levels: vec![(status.held.map(|h| h.level.spelling().to_owned()), 1)],
            criteria_met_total: s.criteria_met as i64,
            below: i64::from(s.criteria_met < below),
            bands: set
                .bands
                .iter()
                .map(|b| i64::from(b.contains(s.criteria_met as u32)))
                .collect(),
            at_risk: i64::from(matches!(
                risk,
                Some(RevocationRisk::KeyCriterionFailing | RevocationRisk::HalfOrMoreFailing)
            )),
            cannot_be_assessed: i64::from(risk == Some(RevocationRisk::CannotBeAssessed)),
            pending_acknowledgement: i64::from(status.pending_acknowledgement > 0),
            criteria_passed: codes
                .iter()
                .zip(met)
                .map(|(code, c)| (code.clone(), i64::from(c.status == Status::Met)))
                .collect(),
        };
        children.push((id.clone(), figures));
    }
    children.sort_by(|a, b| a.0.cmp(&b.0));
    let mut total = read::Figures {
        bands: vec![0; set.bands.len()],
        criteria_passed: codes.iter().map(|c| (c.clone(), 0)).collect(),
        ..read::Figures::default()
    };
    let mut levels: BTreeMap<Option<String>, i64> = BTreeMap::new();
    for (_, f) in &children {
        total.units += f.units;
        total.with_data += f.with_data;
        total.criteria_met_total += f.criteria_met_total;
        total.below += f.below;
        total.at_risk += f.at_risk;
        total.cannot_be_assessed += f.cannot_be_assessed;
        total.pending_acknowledgement += f.pending_acknowledgement;
        for (sum, n) in total.bands.iter_mut().zip(&f.bands) {
            *sum += n;
        }
        for ((_, sum), (_, n)) in total.criteria_passed.iter_mut().zip(&f.criteria_passed) {
            *sum += n;
        }
        for (level, n) in &f.levels {
            *levels.entry(level.clone()).or_default() += n;
        }
    }
    total.levels = levels.into_iter().collect();
    read::Rollup {
        on,
        total,
        children,
        census: read::Census::default(),
        child_census: Default::default(),
    }
}

fn question<'a>(parent: &'a str, set: &'a CriteriaSet, on: NaiveDate) -> read::RollupQuery<'a> {
    read::RollupQuery {
        parent,
        on,
        kinds: &[LocalityKind::Commune],
        set: Some(set),
        below: 15,
        census: None,
    }
}

pub async fn a_past_rollup_equals_the_sum_of_bitemporal_standings(db: &TestDb) {
    let store = db.store().await;
    let shape = Shape {
        districts: 3,
        communes: 30,
        events_per_commune: 150,
    };
    let (handle, task) = projection::spawn(store.clone(), catalog(), fast());
    let last = history::generate(&store, &shape).await;
    caught_up(&handle, last).await;
    task.abort();
    let mut streams = Vec::new();
    for c in 0..shape.communes {
        let id = history::commune(&shape, c);
        let events = stream(&store, &ntm_tracker::app::codec::locality_stream(&id)).await;
        streams.push((id.to_string(), events));
    }
    let mut compared = 0;
    for on in [date(2021, 12, 31), date(2023, 6, 30), date(2024, 12, 31)] {
        for d in 0..shape.districts {
            let parent = district(d).to_string();
            let set = catalog();
            let set = set.get(&SET.parse().expect("set")).expect("set");
            let stored = read::rollup(&db.db, question(&parent, set, on))
                .await
                .expect("rollup");
            let want = expected(&streams, &parent, on, 15);
            assert_eq!(stored, want, "district {d} on {on}");
            compared += stored.total.units;
        }
    }
    assert!(compared > 50, "the roll-ups covered {compared} units");
    // The province's roll-up covers its whole subtree: the sum of its districts'.
    let on = date(2023, 6, 30);
    let set = catalog();
    let set = set.get(&SET.parse().expect("set")).expect("set");
    let province_id = history::province().to_string();
    let province = read::rollup(&db.db, question(&province_id, set, on))
        .await
        .expect("province rollup");
    let mut districts = Vec::new();
    for d in 0..shape.districts {
        let parent = district(d).to_string();
        districts.push(
            read::rollup(&db.db, question(&parent, set, on))
                .await
                .expect("rollup"),
        );
    }
    assert_eq!(
        province.total.units,
        districts.iter().map(|r| r.total.units).sum::<i64>()
    );
    assert_eq!(
        province.total.criteria_met_total,
        districts
            .iter()
            .map(|r| r.total.criteria_met_total)
            .sum::<i64>()
    );
    assert!(province.total.units > 0);
    // Its children are the districts, each with the figures of its own roll-up.
    assert_eq!(province.children.len() as u128, shape.districts);
    for (child, figures) in &province.children {
        let district = districts.iter().find(|d| {
            d.children
                .iter()
                .all(|(c, _)| streams.iter().any(|(id, _)| id == c))
                && d.total == *figures
        });
        assert!(district.is_some(), "child {child} sums a district");
    }
}
