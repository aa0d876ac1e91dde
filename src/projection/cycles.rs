//! Cycles in the locality tree: a locality that is its own ancestor through parent links that
//! all hold on one date.
//!
//! The source of truth for a locality's parent over valid time is its own stream (the
//! `parent` of `LocalityEstablished`, then each transfer), folded into directory periods; the
//! `proj_locality_periods` table is derived from the same fold and checked against it by
//! `ntm verify`, so the check runs on the periods the whole log gives, not on the table.

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::NaiveDate;

use super::rows::PeriodRow;

/// Localities each the parent of the next, the last the parent of the first, on `on`: the
/// first date the cycle holds. Each with the code it holds that day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cycle {
    pub on: NaiveDate,
    pub localities: Vec<(String, Option<String>)>,
}

impl fmt::Display for Cycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "on {} the locality tree has a cycle: ", self.on)?;
        for (id, code) in &self.localities {
            let code = code.as_deref().unwrap_or("no code");
            write!(f, "{id} (code {code}) has parent ")?;
        }
        let first = self.localities.first().map_or("", |(id, _)| id.as_str());
        write!(f, "{first}")
    }
}

/// The earliest cycle among `periods` (every locality's directory periods). A cycle holds on a
/// date from the latest start of its links' periods on, so only the start of each period with
/// a parent needs a walk up the tree, and the first start in date order that closes one gives
/// the earliest. Each walk stops at a locality it has seen: bounded by the localities.
pub fn first_cycle(periods: &[PeriodRow]) -> Option<Cycle> {
    let mut by_locality: HashMap<&str, Vec<&PeriodRow>> = HashMap::new();
    for period in periods {
        by_locality
            .entry(period.locality_id.as_str())
            .or_default()
            .push(period);
    }
    for list in by_locality.values_mut() {
        list.sort_by_key(|p| p.valid_from);
    }
    let on = |id: &str, date: NaiveDate| -> Option<&PeriodRow> {
        let list = by_locality.get(id)?;
        let at = list
            .partition_point(|p| p.valid_from <= date)
            .checked_sub(1)?;
        let period = list[at];
        period
            .valid_to
            .is_none_or(|end| date < end)
            .then_some(period)
    };
    let mut starts: Vec<&PeriodRow> = periods.iter().filter(|p| p.parent_id.is_some()).collect();
    starts.sort_by(|a, b| (a.valid_from, &a.locality_id).cmp(&(b.valid_from, &b.locality_id)));
    starts.into_iter().find_map(|start| {
        let date = start.valid_from;
        let mut chain = vec![start];
        let mut seen = HashSet::from([start.locality_id.as_str()]);
        let mut parent = start.parent_id.as_deref();
        while let Some(id) = parent {
            if id == start.locality_id {
                let localities = chain
                    .iter()
                    .map(|p| (p.locality_id.clone(), p.code.clone()))
                    .collect();
                return Some(Cycle {
                    on: date,
                    localities,
                });
            }
            if !seen.insert(id) {
                return None; // a cycle further up, found from its own members
            }
            let period = on(id, date)?;
            chain.push(period);
            parent = period.parent_id.as_deref();
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(id: &str, from: (i32, u32), to: Option<(i32, u32)>, parent: &str) -> PeriodRow {
        let date = |(y, m): (i32, u32)| NaiveDate::from_ymd_opt(y, m, 1).expect("date");
        PeriodRow {
            locality_id: id.into(),
            valid_from: date(from),
            valid_to: to.map(date),
            name: None,
            code: Some(format!("c-{id}")),
            kind: None,
            parent_id: (!parent.is_empty()).then(|| parent.into()),
            region: None,
            commune_group: None,
            special: None,
            search_name: None,
        }
    }

    #[test]
    fn a_tree_has_no_cycle() {
        let periods = [
            period("p", (2015, 1), None, ""),
            period("d", (2015, 1), None, "p"),
            period("c", (2015, 1), Some((2020, 1)), "d"),
            period("c", (2020, 1), None, "p"),
        ];
        assert_eq!(first_cycle(&periods), None);
    }

    #[test]
    fn a_cycle_is_named_from_the_first_date_it_holds() {
        let periods = [
            period("a", (2015, 1), None, "b"),
            // b under a only from 2020: the cycle holds from then on.
            period("b", (2015, 1), Some((2020, 1)), ""),
            period("b", (2020, 1), None, "c"),
            period("c", (2016, 1), None, "a"),
            period("x", (2015, 1), None, "a"),
        ];
        let cycle = first_cycle(&periods).expect("a cycle");
        assert_eq!(cycle.on, NaiveDate::from_ymd_opt(2020, 1, 1).expect("date"));
        let ids: Vec<&str> = cycle.localities.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["b", "c", "a"]);
        assert_eq!(cycle.localities[0].1.as_deref(), Some("c-b"));
    }

    #[test]
    fn links_that_never_hold_together_are_no_cycle() {
        let periods = [
            period("a", (2015, 1), Some((2018, 1)), "b"),
            period("a", (2018, 1), None, ""),
            period("b", (2018, 1), None, "a"),
            period("s", (2019, 1), None, "s"),
        ];
        let cycle = first_cycle(&periods).expect("the self-parent");
        assert_eq!(cycle.localities, [("s".to_owned(), Some("c-s".to_owned()))]);
    }
}
