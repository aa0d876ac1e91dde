//! Counting through the register the way the offices report: the units of a kind under Hà Tĩnh
//! on a date, the recognitions they hold, the criteria they meet.

use chrono::NaiveDate;
use ntm_tracker::app::Register;
use ntm_tracker::domain::catalog::CriteriaSet;
use ntm_tracker::domain::locality::LocalityId;
use ntm_tracker::domain::standing::evaluate;
use ntm_tracker::domain::terms::{LocalityKind, RecognitionLevel};

/// Hà Tĩnh's units of `kind` existing on `on`, found by walking each unit's parents on that date.
pub fn units_of_kind(register: &Register, kind: LocalityKind, on: NaiveDate) -> Vec<LocalityId> {
    let province = register
        .holder(&"42".parse().expect("code"), on)
        .expect("Hà Tĩnh")
        .clone();
    let in_province = |id: &LocalityId| {
        let mut current = id.clone();
        for _ in 0..3 {
            let parent = register
                .state(&current)
                .and_then(|s| s.profile().parents.on(on).cloned().flatten());
            match parent {
                Some(p) if p == province => return true,
                Some(p) => current = p,
                None => return false,
            }
        }
        false
    };
    register
        .alive_on(on)
        .into_iter()
        .filter(|id| {
            let found = register
                .state(id)
                .and_then(|s| s.profile().kinds.on(on).copied());
            found == Some(kind) && in_province(id)
        })
        .cloned()
        .collect()
}

/// The communes (xã) existing under Hà Tĩnh on `on`: the denominator of the NTM figures.
pub fn communes(register: &Register, on: NaiveDate) -> Vec<LocalityId> {
    units_of_kind(register, LocalityKind::Commune, on)
}

/// How many of `ids` hold, on `on`, a recognition at one of `levels` (granted or acknowledged,
/// not revoked).
pub fn holding(
    register: &Register,
    ids: &[LocalityId],
    on: NaiveDate,
    levels: &[RecognitionLevel],
) -> usize {
    ids.iter()
        .filter(|id| {
            register.state(id).is_some_and(|s| {
                s.profile()
                    .recognitions_in_force()
                    .any(|r| r.effective_on <= on && levels.contains(&r.level))
            })
        })
        .count()
}

/// How many of `ids` carry, on `on`, a predecessor's recognition pending thừa nhận.
pub fn pending(register: &Register, ids: &[LocalityId], on: NaiveDate, set: &CriteriaSet) -> usize {
    ids.iter()
        .filter(|id| {
            let state = register.state(id).expect("state");
            !evaluate(&state.facts(), set, on)
                .pending_acknowledgement
                .is_empty()
        })
        .count()
}

/// Criteria of `set` each of `ids` meets on `on`.
pub fn criteria_met(
    register: &Register,
    ids: &[LocalityId],
    on: NaiveDate,
    set: &CriteriaSet,
) -> Vec<usize> {
    ids.iter()
        .map(|id| {
            let state = register.state(id).expect("state");
            evaluate(&state.facts(), set, on).criteria_met
        })
        .collect()
}

/// The average of `met`, as the reports print it: to one decimal.
pub fn average_to_one_decimal(met: &[usize]) -> f64 {
    let total: usize = met.iter().sum();
    (total as f64 * 10.0 / met.len() as f64).round() / 10.0
}

/// `part` of `whole` in hundredths of a percent, cut as the press printed it: 158 of 229 is
/// 68.9956 %, published as 68.99 %.
pub fn percent_hundredths(part: usize, whole: usize) -> usize {
    part * 10_000 / whole
}
