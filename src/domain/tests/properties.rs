//! Properties of folding and of the bitemporal standing.

use proptest::prelude::*;

use super::*;
use crate::domain::catalog::Grading;
use crate::domain::standing::{
    effective_facts, evaluate, standing, standing_within, standings_within, Standing,
};
use crate::domain::sweep::Sweep;
use crate::domain::territory::NOWHERE;

const SET: &str = "NTM-XA-2016-2020";
/// Percent indicators with recalled all-region targets, and their criteria.
const INDICATORS: [&str; 4] = ["3.1", "12", "15.1", "16"];
const CRITERIA: [&str; 4] = ["3", "12", "15", "16"];

#[derive(Debug, Clone)]
enum Fact {
    Reading {
        indicator: usize,
        hundredths: u32,
        day: u32,
    },
    Assessment {
        criterion: usize,
        met: bool,
        day: u32,
    },
}

fn fact() -> impl Strategy<Value = Fact> {
    prop_oneof![
        (0..INDICATORS.len(), 0u32..=10_000, 0u32..2000).prop_map(
            |(indicator, hundredths, day)| Fact::Reading {
                indicator,
                hundredths,
                day
            }
        ),
        (0..CRITERIA.len(), any::<bool>(), 0u32..2000).prop_map(|(criterion, met, day)| {
            Fact::Assessment {
                criterion,
                met,
                day,
            }
        }),
    ]
}

fn day(n: u32) -> NaiveDate {
    date(2019, 1, 1) + chrono::Days::new(u64::from(n))
}

fn event(f: &Fact) -> LocalityEvent {
    match f {
        Fact::Reading {
            indicator,
            hundredths,
            day: d,
        } => {
            let value =
                IndicatorValue::Percent(Percent::from_hundredths(*hundredths).expect("≤ 100 %"));
            reading(SET, INDICATORS[*indicator], value, day(*d))
        }
        Fact::Assessment {
            criterion,
            met,
            day: d,
        } => assessed(SET, CRITERIA[*criterion], *met, day(*d)),
    }
}

fn stream(facts: &[Fact]) -> Vec<Recorded<LocalityEvent>> {
    let base = vec![
        established("Xã P", LocalityKind::Commune, "18112", date(2019, 1, 1)),
        enrolled(SET, date(2019, 1, 1), 2020),
    ];
    let events = base.into_iter().chain(facts.iter().map(event));
    (1..)
        .zip(events)
        .map(|(version, event)| Recorded {
            version,
            recorded_at: at(2020, 1, 1),
            event,
        })
        .collect()
}

/// The standing with stream versions removed, to compare streams recorded in different orders.
fn without_versions(s: &Standing) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("version");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(s).expect("serialize standing");
    strip(&mut value);
    value
}

/// Facts with distinct effective dates per indicator and per criterion, so that valid time alone
/// orders them.
fn distinct_dates(facts: Vec<Fact>) -> Vec<Fact> {
    let mut seen = std::collections::HashSet::new();
    facts
        .into_iter()
        .filter(|f| match f {
            Fact::Reading { indicator, day, .. } => seen.insert((0, *indicator, *day)),
            Fact::Assessment { criterion, day, .. } => seen.insert((1, *criterion, *day)),
        })
        .collect()
}

proptest! {
    #[test]
    fn folding_is_deterministic(facts in prop::collection::vec(fact(), 0..30), on in 0u32..2200) {
        let catalog = catalog();
        let events = stream(&facts);
        let a = Locality::fold(events.iter().map(|r| r.event.clone())).expect("fold");
        let b = Locality::fold(events.iter().map(|r| r.event.clone())).expect("fold");
        prop_assert_eq!(a, b);
        let set = set(&catalog, SET);
        prop_assert_eq!(standing(&events, set, day(on), at(2021, 1, 1)), standing(&events, set, day(on), at(2021, 1, 1)));
    }

    #[test]
    fn recording_order_does_not_change_valid_time_standing(
        facts in prop::collection::vec(fact(), 0..30).prop_map(distinct_dates),
        seed in any::<u64>(),
        on in 0u32..2200,
    ) {
        let catalog = catalog();
        let set = set(&catalog, SET);
        let mut shuffled = facts.clone();
        // A deterministic shuffle from the seed (Fisher–Yates with a linear congruential step).
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let j = usize::try_from(state >> 33).expect("fits") % (i + 1);
            shuffled.swap(i, j);
        }
        let a = standing(&stream(&facts), set, day(on), at(2021, 1, 1));
        let b = standing(&stream(&shuffled), set, day(on), at(2021, 1, 1));
        prop_assert_eq!(without_versions(&a), without_versions(&b));
    }

    #[test]
    fn a_retraction_restores_the_standing_before_the_retracted_event(
        facts in prop::collection::vec(fact(), 1..30),
        pick in any::<prop::sample::Index>(),
        on in 0u32..2200,
    ) {
        let catalog = catalog();
        let set = set(&catalog, SET);
        let k = pick.index(facts.len());
        let mut with_retraction = stream(&facts);
        let retracted_version = 3 + k as u64; // two base events, then the facts
        with_retraction.push(Recorded {
            version: with_retraction.len() as u64 + 1,
            recorded_at: at(2022, 1, 1),
            event: LocalityEvent::EventRetracted(EventRetracted { retracted_version, reason: "error".into() }),
        });
        let mut without = facts.clone();
        without.remove(k);
        let after = standing(&with_retraction, set, day(on), at(2022, 1, 2));
        let never = standing(&stream(&without), set, day(on), at(2022, 1, 2));
        prop_assert_eq!(without_versions(&after), without_versions(&never));
        // Before the retraction was recorded, the retracted event still counts.
        let before = standing(&with_retraction, set, day(on), at(2021, 12, 31));
        let all = standing(&stream(&facts), set, day(on), at(2021, 12, 31));
        prop_assert_eq!(before, all);
    }

    #[test]
    fn one_sweep_over_many_dates_grades_each_date_as_evaluate_does(
        facts in prop::collection::vec(fact(), 0..30),
        mut days in prop::collection::vec(0u32..2200, 1..12),
        descending in any::<bool>(),
    ) {
        let catalog = catalog();
        let set = set(&catalog, SET);
        let events = stream(&facts);
        let known: Vec<(u64, &LocalityEvent)> = events.iter().map(|r| (r.version, &r.event)).collect();
        let facts = effective_facts(&known);
        days.sort_unstable();
        if descending {
            days.reverse(); // going back starts the fold over
        }
        let mut sweep = Sweep::new(&facts, set);
        for d in days {
            let alone = evaluate(&facts, set, day(d));
            let grades = sweep.grades(day(d));
            prop_assert_eq!(&sweep.standing(day(d)), &alone);
            let statuses: Vec<_> = alone.criteria.iter().chain(&alone.conditions).map(|c| c.status).collect();
            prop_assert_eq!(grades.statuses, statuses);
            prop_assert_eq!(grades.criteria_met, alone.criteria_met);
            prop_assert_eq!(grades.level_reached, alone.level_reached);
            prop_assert_eq!(grades.at_risk, alone.at_risk);
            prop_assert_eq!(grades.exists, alone.exists);
        }
    }

    #[test]
    fn a_series_grades_each_date_as_a_standing_alone_does(
        facts in prop::collection::vec(fact(), 0..30),
        mut days in prop::collection::vec(0u32..2200, 1..12),
        known in 0u32..3,
    ) {
        let catalog = catalog();
        let grading = Grading::alone(set(&catalog, SET));
        let events = stream(&facts);
        let known_at = at(2020 + i32::try_from(known).expect("small"), 1, 1);
        days.sort_unstable();
        let dates: Vec<NaiveDate> = days.into_iter().map(day).collect();
        let series = standings_within(&events, &grading, &NOWHERE, &dates, known_at);
        prop_assert_eq!(series.len(), dates.len());
        for (graded, on) in series.iter().zip(&dates) {
            let alone = standing_within(&events, &grading, &NOWHERE, *on, known_at);
            prop_assert_eq!(graded, &alone);
        }
    }
}
