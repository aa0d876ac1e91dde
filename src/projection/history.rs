//! Standing over valid time: the dates where it can change, the domain's standing evaluated
//! there, and runs of equal values folded into periods `[valid_from, valid_to)`.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::domain::catalog::CriteriaSet;
use crate::domain::locality::LocalityEvent;
use crate::domain::standing::{evaluate, Standing};
use crate::domain::terms::RecognitionLevel;

use super::rows::{CriterionHistoryRow, HistoryRow};

/// The history rows of one (locality, set). With `after = Some(d)`, rows before `d` are kept,
/// the stored row containing `d` is closed at `rows[0].valid_to` and `rows[1..]` replace the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetHistory {
    pub set_code: String,
    pub after: Option<NaiveDate>,
    pub rows: Vec<HistoryRow>,
    pub criteria: Vec<CriterionHistoryRow>,
}

/// The dates on which the standing for `set` can change: every effective date of a fact, and
/// every 1 January up to the year after the set's period (targets may vary by year).
pub fn breakpoints(facts: &[(u64, &LocalityEvent)], set: &CriteriaSet) -> Vec<NaiveDate> {
    let mut dates: Vec<NaiveDate> = facts.iter().filter_map(|(_, e)| e.effective_on()).collect();
    if let Some(first) = dates.iter().min().copied() {
        let last_year = i32::from(set.period.to) + 1;
        dates.extend(
            (first.year() + 1..=last_year).filter_map(|y| NaiveDate::from_ymd_opt(y, 1, 1)),
        );
    }
    dates.sort_unstable();
    dates.dedup();
    dates
}

/// A stable text for a spelled domain value (`"not-met"`, `"ntm-nang-cao"`).
pub fn spelling<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// The highest level this set's own recognitions in force give.
pub fn recognised_level(standing: &Standing) -> Option<RecognitionLevel> {
    standing
        .recognitions
        .iter()
        .filter(|r| r.set == standing.set)
        .map(|r| r.level)
        .max()
}

/// What a history row records of a standing.
fn summary(locality_id: &str, standing: &Standing, from: NaiveDate) -> HistoryRow {
    HistoryRow {
        locality_id: locality_id.to_owned(),
        set_code: standing.set.to_string(),
        valid_from: from,
        valid_to: None,
        exists_on: standing.exists,
        criteria_met: count(standing.criteria_met),
        criteria_total: count(standing.criteria_total),
        level_reached: standing.level_reached.map(|l| l.spelling().to_owned()),
        recognised_level: recognised_level(standing).map(|l| l.spelling().to_owned()),
        at_risk: standing.at_risk.as_ref().map(spelling),
    }
}

pub fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Evaluates the domain standing from `dirty_from` on (all of valid time when `None`).
pub fn set_history(
    locality_id: &str,
    facts: &[(u64, &LocalityEvent)],
    set: &CriteriaSet,
    dirty_from: Option<NaiveDate>,
) -> SetHistory {
    let dates = breakpoints(facts, set);
    // The last date before the change is unaffected by it: its row is kept and re-closed.
    let after = dirty_from.and_then(|d| dates.iter().rev().find(|b| **b < d).copied());
    let points: Vec<NaiveDate> = match after {
        Some(b0) => dates.into_iter().filter(|d| *d >= b0).collect(),
        None => dates,
    };
    let standings: Vec<Standing> = points.iter().map(|on| evaluate(facts, set, *on)).collect();
    let rows = fold_periods(
        standings.iter().map(|s| summary(locality_id, s, s.on)),
        |a, b| {
            HistoryRow {
                valid_from: a.valid_from,
                valid_to: a.valid_to,
                ..b.clone()
            } == *a
        },
        |row, to| row.valid_to = Some(to),
        |row| row.valid_from,
    );
    let mut criteria = Vec::new();
    for (index, criterion) in standings
        .first()
        .into_iter()
        .flat_map(all_criteria)
        .enumerate()
    {
        let runs = standings.iter().filter_map(|s| {
            all_criteria(s).nth(index).map(|c| CriterionHistoryRow {
                locality_id: locality_id.to_owned(),
                set_code: s.set.to_string(),
                criterion: criterion.code.to_string(),
                valid_from: s.on,
                valid_to: None,
                status: spelling(&c.status),
            })
        });
        criteria.extend(fold_periods(
            runs,
            |a, b| a.status == b.status,
            |row, to| row.valid_to = Some(to),
            |row| row.valid_from,
        ));
    }
    SetHistory {
        set_code: set.code.to_string(),
        after,
        rows,
        criteria,
    }
}

fn all_criteria(
    standing: &Standing,
) -> impl Iterator<Item = &crate::domain::standing::CriterionStanding> {
    standing.criteria.iter().chain(&standing.conditions)
}

/// Folds dated values into periods: a value equal to the previous one extends its period.
fn fold_periods<R>(
    points: impl Iterator<Item = R>,
    same: impl Fn(&R, &R) -> bool,
    close: impl Fn(&mut R, NaiveDate),
    start: impl Fn(&R) -> NaiveDate,
) -> Vec<R> {
    let mut periods: Vec<R> = Vec::new();
    for point in points {
        match periods.last_mut() {
            Some(open) if same(open, &point) => {}
            Some(open) => {
                close(open, start(&point));
                periods.push(point);
            }
            None => periods.push(point),
        }
    }
    periods
}
