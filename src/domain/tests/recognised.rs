//! Properties of the recognised status over time: the history's dates of change miss no change
//! (the status on any date is the one graded directly on that date, and a set's grades change
//! only on its dates of change), and a recognition of one set holds whatever set is in force.

use proptest::prelude::*;

use super::*;
use crate::domain::recognised::{recognised_history, recognised_on};
use crate::domain::sweep::{change_dates, Sweep};

const SET16: &str = "NTM-XA-2016-2020";
const SET21: &str = "NTM-XA-2021-2025";

fn day(n: u32) -> NaiveDate {
    date(2017, 1, 1) + chrono::Days::new(u64::from(n))
}

/// Assessments of the 2021–2025 criteria (criterion, met, day), the day of an NTM grant under
/// 2016–2020, an optional revocation day after it and an optional day the commune becomes a
/// ward.
type Story = (Vec<(u32, bool, u32)>, u32, Option<u32>, Option<u32>);

fn story() -> impl Strategy<Value = Story> {
    (
        prop::collection::vec((1u32..=19, any::<bool>(), 0u32..3600), 0..40),
        0u32..1400,
        prop::option::of(0u32..3600),
        prop::option::of(0u32..3600),
    )
}

fn events((assessments, granted_on, revoked_on, ward_on): &Story) -> Vec<LocalityEvent> {
    let mut events = vec![
        established("Xã P", LocalityKind::Commune, "18112", date(2017, 1, 1)),
        enrolled(SET16, date(2017, 1, 1), 2019),
        enrolled(SET21, date(2017, 1, 1), 2025),
        LocalityEvent::RecognitionGranted(granted(
            SET16,
            "1/QĐ-UBND",
            RecognitionLevel::Ntm,
            day(*granted_on),
            2019,
        )),
    ];
    for (criterion, met, on) in assessments {
        events.push(assessed(SET21, &criterion.to_string(), *met, day(*on)));
    }
    if let Some(on) = revoked_on.filter(|d| d > granted_on) {
        events.push(LocalityEvent::RecognitionRevoked(RecognitionRevoked {
            effective_on: day(on),
            decision: act("2/QĐ-UBND"),
            revoked: act("1/QĐ-UBND"),
            reason: "criteria no longer met".into(),
            issuer: "UBND tỉnh Hà Tĩnh".into(),
        }));
    }
    if let Some(on) = ward_on {
        events.push(LocalityEvent::LocalityReclassified(LocalityReclassified {
            effective_on: day(*on),
            legal_act: act("1283/NQ-UBTVQH15"),
            kind: LocalityKind::Ward,
        }));
    }
    events
}

use crate::domain::territory::NOWHERE;

proptest! {
    #[test]
    fn the_history_misses_no_change(story in story(), on in 0u32..3700) {
        let catalog = catalog();
        let events = events(&story);
        let facts: Vec<(u64, &LocalityEvent)> = (1..).zip(&events).collect();
        let on = day(on);
        let graded = recognised_on(&facts, &catalog, on, &NOWHERE).expect("a status from 2017");

        // The history's status for the last date of change up to `on` is the one graded directly.
        let history = recognised_history(&facts, &catalog, &NOWHERE);
        let last = history.iter().take_while(|r| r.on <= on).last().cloned();
        let last = last.map(|r| crate::domain::recognised::Recognised { on, ..r });
        prop_assert_eq!(Some(&graded), last.as_ref());
        let held = graded.held.clone();
        // And a set's grades change only on the dates of change of that set.
        let set = set(&catalog, SET21);
        let dates = change_dates(&facts, [set]);
        if let Some(since) = dates.iter().copied().rfind(|d| *d <= on) {
            let mut sweep = Sweep::new(&facts, set);
            let then = sweep.grades(since);
            let now = sweep.grades(on);
            prop_assert_eq!((&then.statuses, then.at_risk, then.recognised_level), (&now.statuses, now.at_risk, now.recognised_level));
        }
        // A 2016–2020 recognition still held is held whatever set is in force.
        let (_, granted_on, revoked_on, ward_on) = &story;
        let revoked = revoked_on.is_some_and(|r| r > *granted_on && day(r) <= on);
        let ward = ward_on.is_some_and(|w| day(w) <= on);
        let expected = day(*granted_on) <= on && !revoked && !ward;
        prop_assert_eq!(held.is_some(), expected);
        // A revoked recognition whose level is not held again is what a district's rule counts.
        prop_assert_eq!(graded.revoked, revoked);
        // The history's dates are increasing.
        prop_assert!(history.windows(2).all(|w| w[0].on < w[1].on));
    }
}
