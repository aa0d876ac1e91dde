//! Roll-ups read from the projected history equal the domain's bitemporal standing of every
//! unit under the parent on that date, summed by hand.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use ntm_tracker::domain::locality::LocalityEvent;
use ntm_tracker::domain::profile::Profile;
use ntm_tracker::domain::rules::Status;
use ntm_tracker::domain::standing::{effective_facts, standing, Recorded};
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

/// The roll-up computed from the domain alone.
fn expected(
    streams: &[Vec<Recorded<LocalityEvent>>],
    parent: &str,
    on: NaiveDate,
    below: usize,
) -> read::Rollup {
    let catalog = catalog();
    let set = catalog.get(&SET.parse().expect("set")).expect("set");
    let mut levels: BTreeMap<Option<String>, i64> = BTreeMap::new();
    // Every criterion and condition of the set is listed, met by no unit or more.
    let all = set
        .criteria
        .iter()
        .chain(set.conditions.iter().map(|c| &c.criterion));
    let mut passed: BTreeMap<String, i64> = all.map(|c| (c.code.to_string(), 0)).collect();
    let (mut units, mut met_total, mut below_n) = (0, 0, 0);
    for events in streams {
        let known: Vec<_> = events.iter().map(|r| (r.version, &r.event)).collect();
        let facts = effective_facts(&known);
        let dated = facts
            .iter()
            .filter(|(_, e)| e.effective_on().is_some_and(|d| d <= on))
            .copied();
        let in_parent = Profile::fold(dated)
            .parents
            .on(on)
            .cloned()
            .flatten()
            .is_some_and(|p| p.to_string() == parent);
        let s = standing(events, set, on, ntm_tracker::app::clock::now());
        if !in_parent || !s.exists {
            continue;
        }
        units += 1;
        met_total += s.criteria_met as i64;
        below_n += i64::from(s.criteria_met < below);
        let level = s
            .recognitions
            .iter()
            .filter(|r| r.set == s.set)
            .map(|r| r.level)
            .max();
        *levels
            .entry(level.map(|l| l.spelling().to_owned()))
            .or_default() += 1;
        for c in s.criteria.iter().chain(&s.conditions) {
            *passed.entry(c.code.to_string()).or_default() += i64::from(c.status == Status::Met);
        }
    }
    read::Rollup {
        on,
        units,
        levels: levels.into_iter().collect(),
        criteria_met_total: met_total,
        below: below_n,
        criteria_passed: passed.into_iter().collect(),
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
        streams.push(
            stream(
                &store,
                &ntm_tracker::app::codec::locality_stream(&history::commune(&shape, c)),
            )
            .await,
        );
    }
    let mut compared = 0;
    for on in [date(2021, 12, 31), date(2023, 6, 30), date(2024, 12, 31)] {
        for d in 0..shape.districts {
            let parent = district(d).to_string();
            let set = catalog();
            let set = set.get(&SET.parse().expect("set")).expect("set");
            let stored = read::rollup(&db.db, &parent, set, on, 15)
                .await
                .expect("rollup");
            let want = expected(&streams, &parent, on, 15);
            assert_eq!(stored, want, "district {d} on {on}");
            compared += stored.units;
        }
    }
    assert!(compared > 50, "the roll-ups covered {compared} units");
    // The province's roll-up covers its whole subtree: the sum of its districts'.
    let on = date(2023, 6, 30);
    let set = catalog();
    let set = set.get(&SET.parse().expect("set")).expect("set");
    let province = read::rollup(&db.db, &history::province().to_string(), set, on, 15)
        .await
        .expect("province rollup");
    let mut districts = Vec::new();
    for d in 0..shape.districts {
        let parent = district(d).to_string();
        districts.push(
            read::rollup(&db.db, &parent, set, on, 15)
                .await
                .expect("rollup"),
        );
    }
    assert_eq!(
        province.units,
        districts.iter().map(|r| r.units).sum::<i64>()
    );
    assert_eq!(
        province.criteria_met_total,
        districts.iter().map(|r| r.criteria_met_total).sum::<i64>()
    );
    assert!(province.units > 0);
}
