//! When a criteria set can be decided under: from the day the act that issued it was signed
//! and took effect, until the set that replaces it takes effect (the old set keeps governing
//! the decisions of the gap, as in 2021 before QĐ 318/QĐ-TTg); the standard year within those
//! years and not after the decision's. See `docs/decisions/law-on-write.md`.

use chrono::{Datelike, Days, NaiveDate};

use super::catalog::CriteriaSet;
use super::event::RecognitionGranted;
use super::law::LawRule;
use super::DomainError;

/// The days a set can be decided under, both ends included, and the standard years it grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionWindow {
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub first_year: i32,
    pub last_year: i32,
}

fn first_day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// From the set's start until the day before its successor starts; without a successor, until
/// the end of the year after its period (the decisions that close the period's last year).
/// Standard years: the period, and the years before the successor's start that it still
/// governed.
/// The start and the successor's start are the catalogue's [`CriteriaSet::in_force`], the days
/// the set grades.
pub fn decision_window(set: &CriteriaSet) -> DecisionWindow {
    let from = set.in_force.from;
    let (first_year, period_end) = (i32::from(set.period.from), i32::from(set.period.to));
    let next = set.in_force.until;
    let until = next
        .and_then(|start| start.checked_sub_days(Days::new(1)))
        .unwrap_or_else(|| first_day(period_end + 2) - Days::new(1));
    let last_year = next.map_or(period_end, |start| period_end.max(start.year() - 1));
    DecisionWindow {
        from,
        until: until.max(from),
        first_year,
        last_year,
    }
}

fn broken(rule: LawRule, detail: String) -> DomainError {
    DomainError::Law { rule, detail }
}

/// The decision signed and effective while its set governs, and its standard year within the
/// set's years and not after the year it was signed.
pub(super) fn decided_while_in_force(
    set: &CriteriaSet,
    e: &RecognitionGranted,
) -> Result<(), DomainError> {
    let window = decision_window(set);
    let earliest = e.signed_on.min(e.effective_on);
    if earliest < window.from {
        return Err(broken(
            LawRule::DecisionBeforeSet,
            format!(
                "decision dated {earliest}; set {} governs decisions from {}",
                set.code, window.from
            ),
        ));
    }
    if e.signed_on > window.until {
        return Err(broken(
            LawRule::DecisionAfterSet,
            format!(
                "decision signed {}; set {} governs decisions until {}",
                e.signed_on, set.code, window.until
            ),
        ));
    }
    let year = i32::from(e.standard_year);
    let (first, last) = (window.first_year, window.last_year);
    if year < first || year > last {
        return Err(broken(
            LawRule::StandardYearOutsideSet,
            format!(
                "standard year {year}; set {} covers {first}–{last}",
                set.code
            ),
        ));
    }
    if year > e.signed_on.year() {
        return Err(broken(
            LawRule::StandardYearAfterDecision,
            format!("standard year {year} on a decision signed {}", e.signed_on),
        ));
    }
    Ok(())
}
