//! Standing over valid time: the dates where it can change, the domain's standing evaluated
//! there, and runs of equal values folded into periods `[valid_from, valid_to)`.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::catalog::{Catalog, CriteriaSet, Grading};
use crate::domain::locality::LocalityEvent;
use crate::domain::recognised::recognised_history;
use crate::domain::rules::Status;
use crate::domain::standing::Standing;
use crate::domain::sweep::{change_dates_within, Grades, Sweep};
use crate::domain::terms::RecognitionLevel;
use crate::domain::territory::Territory;

use super::rows::{HistoryRow, RecognitionRow};

/// A stable text for a spelled domain value (`"not-met"`, `"ntm-nang-cao"`).
pub fn spelling<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// The highest level held on the standing's date, of any set.
pub fn recognised_level(standing: &Standing) -> Option<RecognitionLevel> {
    standing.recognitions.iter().map(|r| r.level).max()
}

pub fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The standing at every date where it can change, graded by one domain [`Sweep`], with
/// equal neighbours folded into periods; each period holds every criterion's status and the
/// set and version that graded it (the set's version in force on the date, or its
/// restatement's for the locality's territory).
pub fn set_history(
    locality_id: &str,
    facts: &[(u64, &LocalityEvent)],
    grading: &Grading<'_>,
    territory: &Territory,
) -> Vec<HistoryRow> {
    let code = &grading.base.code;
    let mut sweep = Sweep::within(facts, grading.clone(), territory);
    let grades: Vec<(&CriteriaSet, Grades)> = change_dates_within(facts, grading.sets(), territory)
        .into_iter()
        .map(|on| (grading.set_on(on, territory), sweep.grades(on)))
        .collect();
    let summaries = periods(&grades, |(v, g)| {
        (
            &v.version,
            g.exists,
            g.criteria_met,
            g.level_reached,
            g.recognised_level,
            g.at_risk,
            &g.statuses,
            &g.graded_by,
        )
    });
    summaries
        .map(|((v, g), valid_to)| HistoryRow {
            locality_id: locality_id.to_owned(),
            set_code: code.to_string(),
            set_version: v.version.clone(),
            valid_from: g.on,
            valid_to,
            exists_on: g.exists,
            criteria_met: count(g.criteria_met),
            criteria_total: count(v.criteria.len()),
            level_reached: g.level_reached.map(|l| l.spelling().to_owned()),
            recognised_level: g.recognised_level.map(|l| l.spelling().to_owned()),
            at_risk: g.at_risk.as_ref().map(spelling),
            statuses: g.statuses.iter().map(|s| letter(*s)).collect(),
            graded_by: g.graded_by.to_string(),
        })
        .collect()
}

/// The recognised status at every date where it can change, with equal neighbours folded into
/// periods.
pub fn recognition_history(
    locality_id: &str,
    facts: &[(u64, &LocalityEvent)],
    catalog: &Catalog,
    territory: &Territory,
) -> Vec<RecognitionRow> {
    let statuses = recognised_history(facts, catalog, territory);
    let rows: Vec<RecognitionRow> = statuses
        .iter()
        .map(|r| RecognitionRow {
            locality_id: locality_id.to_owned(),
            valid_from: r.on,
            valid_to: None,
            exists_on: r.exists,
            kind: r.kind.map(|k| k.spelling().to_owned()),
            recognised_level: r.held.as_ref().map(|h| h.level.spelling().to_owned()),
            recognition: r.held.as_ref().map(|h| h.decision.to_string()),
            recognised_set: r.held.as_ref().map(|h| h.set.to_string()),
            standard_year: r.held.as_ref().map(|h| i32::from(h.standard_year)),
            recognition_batch: r.held.as_ref().and_then(|h| h.batch.clone()),
            recognition_override: r.held.as_ref().and_then(|h| h.override_reason.clone()),
            recognised_on: r.held.as_ref().map(|h| h.effective_on),
            pending_acknowledgement: count(r.pending_acknowledgement),
            at_risk: r.at_risk.as_ref().map(spelling),
            revoked: r.revoked,
        })
        .collect();
    fold_periods(rows)
}

/// Runs of rows equal but for their dates, each kept as its first row ending where the next run
/// begins.
fn fold_periods(rows: Vec<RecognitionRow>) -> Vec<RecognitionRow> {
    let same = |a: &RecognitionRow, b: &RecognitionRow| {
        RecognitionRow {
            valid_from: b.valid_from,
            ..a.clone()
        } == *b
    };
    let mut folded: Vec<RecognitionRow> = Vec::new();
    for row in rows {
        match folded.last_mut() {
            Some(last) if same(last, &row) => {}
            Some(last) => {
                last.valid_to = Some(row.valid_from);
                folded.push(row);
            }
            None => folded.push(row),
        }
    }
    folded
}

/// The letter of a status in [`HistoryRow::statuses`].
pub fn letter(status: Status) -> char {
    match status {
        Status::Met => 'M',
        Status::NotMet => 'N',
        Status::Unknown => 'U',
    }
}

/// Runs of equal `key` as periods: the first grades of each run and where the run ends.
fn periods<'g, 's, K: PartialEq>(
    grades: &'g [(&'s CriteriaSet, Grades)],
    key: impl Fn(&'g (&'s CriteriaSet, Grades)) -> K + 'g,
) -> impl Iterator<Item = (&'g (&'s CriteriaSet, Grades), Option<NaiveDate>)> + 'g {
    let starts: Vec<usize> = (0..grades.len())
        .filter(|&i| i == 0 || key(&grades[i]) != key(&grades[i - 1]))
        .collect();
    let ends: Vec<Option<NaiveDate>> = starts
        .iter()
        .skip(1)
        .map(|&i| Some(grades[i].1.on))
        .chain([None])
        .collect();
    starts
        .into_iter()
        .zip(ends)
        .map(|(i, end)| (&grades[i], end))
}
