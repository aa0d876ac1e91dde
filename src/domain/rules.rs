//! Grading rules: indicator against its target, criterion computed and official status, the
//! level reached, and the revocation-risk rule of QĐ 18/2022/QĐ-TTg.

use chrono::NaiveDate;
use serde::Serialize;

use super::catalog::{CriteriaSet, Indicator, Target};
use super::measure::IndicatorValue;
use super::terms::{AssessmentLevel, CommuneGroup, RecognitionLevel, ThresholdRegion};

/// Three-valued grade: `Unknown` when a reading, a target or an assessment is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Met,
    NotMet,
    Unknown,
}

impl Status {
    pub fn from_met(met: bool) -> Self {
        if met {
            Self::Met
        } else {
            Self::NotMet
        }
    }
}

/// An indicator's grade: the reading against the target for the locality's threshold region or
/// commune group in `year`. A missing reading or an unknown target grades `Unknown`.
pub fn indicator_status<'a>(
    indicator: &'a Indicator,
    reading: Option<&IndicatorValue>,
    region: Option<ThresholdRegion>,
    group: Option<CommuneGroup>,
    year: i32,
) -> (Status, Option<&'a Target>) {
    let target = indicator.target_for(region, group, year);
    let status = match (reading, target.and_then(|t| t.value.as_ref())) {
        (Some(r), Some(t)) => indicator
            .comparator
            .holds(r, t)
            .map_or(Status::Unknown, Status::from_met),
        _ => Status::Unknown,
    };
    (status, target)
}

/// A criterion is met (computed) when all its indicators are met; one failing indicator fails it;
/// otherwise any unknown makes it unknown, and so does having no indicator at all.
pub fn combine(statuses: impl IntoIterator<Item = Status>) -> Status {
    let mut any = false;
    let mut unknown = false;
    for s in statuses {
        any = true;
        match s {
            Status::NotMet => return Status::NotMet,
            Status::Unknown => unknown = true,
            Status::Met => {}
        }
    }
    if !any || unknown {
        Status::Unknown
    } else {
        Status::Met
    }
}

/// One assessment of a criterion, as the official-status rule needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub version: u64,
    pub effective_on: NaiveDate,
    pub level: AssessmentLevel,
    pub met: bool,
}

/// The official status: the assessments folded in valid-time order (effective date, then level,
/// then recording). A later assessment replaces the current one when its level is at least as
/// high, or when it finds the criterion not met: monitoring at any level can lower a status,
/// but a lower level cannot raise what a higher one found (docs/decisions/official-status.md).
pub fn official<'a>(
    assessments: impl IntoIterator<Item = &'a Assessment>,
) -> Option<&'a Assessment> {
    let mut ordered: Vec<&Assessment> = assessments.into_iter().collect();
    ordered.sort_by_key(|a| (a.effective_on, a.level, a.version));
    ordered
        .into_iter()
        .fold(None, |current, next| match current {
            Some(held) if next.level < held.level && next.met => Some(held),
            _ => Some(next),
        })
}

/// The level reached: the set's level when every criterion and every condition gating that level
/// is met, and each higher level whose conditions are all met on top of it.
pub fn level_reached(
    set: &CriteriaSet,
    criteria: &[Status],
    conditions: &[(RecognitionLevel, Status)],
) -> Option<RecognitionLevel> {
    let gates_met = |level: RecognitionLevel| {
        conditions
            .iter()
            .filter(|(l, _)| *l == level)
            .all(|(_, s)| *s == Status::Met)
    };
    if criteria.is_empty() || criteria.iter().any(|s| *s != Status::Met) || !gates_met(set.level) {
        return None;
    }
    let higher = conditions
        .iter()
        .map(|(l, _)| *l)
        .filter(|l| *l != set.level && gates_met(*l))
        .max();
    Some(higher.unwrap_or(set.level))
}

/// Outcome of the revocation rule for a recognised commune.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevocationRisk {
    NotAtRisk,
    /// 30 % to under 50 % of criteria fail, one of them a key criterion (rule a).
    KeyCriterionFailing,
    /// 50 % or more of criteria fail (rule b).
    HalfOrMoreFailing,
    /// Criteria without data could make either answer true: neither can be asserted.
    CannotBeAssessed,
    /// A district: 30 % or more of its communes had their recognition revoked (rule a).
    CommunesRevoked,
}

/// The criteria a revocation test counts: how many fail, how many have no data, and whether a
/// key criterion is among either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Failing {
    pub total: usize,
    pub failing: usize,
    pub unknown: usize,
    pub key_failing: bool,
    pub key_unknown: bool,
}

impl Failing {
    /// What the revocation rule counts from a set's criteria statuses (in the set's order).
    /// Criteria of the official list that the catalogue does not transcribe count as unknown.
    pub fn of(set: &CriteriaSet, statuses: &[Status]) -> Failing {
        let mut counts = Failing {
            total: set.official_criteria(),
            unknown: set.official_criteria().saturating_sub(set.criteria.len()),
            ..Failing::default()
        };
        for (criterion, status) in set.criteria.iter().zip(statuses) {
            let key = set.is_key(&criterion.code);
            match status {
                Status::NotMet => {
                    counts.failing += 1;
                    counts.key_failing |= key;
                }
                Status::Unknown => {
                    counts.unknown += 1;
                    counts.key_unknown |= key;
                }
                Status::Met => {}
            }
        }
        counts
    }
}

/// QĐ 18/2022/QĐ-TTg: a commune loses its decision when 30–50 % of its criteria fail including a
/// key criterion, or when ≥ 50 % fail. A criterion without data is never counted as passing:
/// the rule is applied with every unknown passing and with every unknown failing, and when the
/// two disagree on whether the commune is at risk the answer is [`RevocationRisk::CannotBeAssessed`].
pub fn revocation_risk(counts: Failing) -> RevocationRisk {
    let best = risk_rule(counts.total, counts.failing, counts.key_failing);
    let worst = risk_rule(
        counts.total,
        counts.failing + counts.unknown,
        counts.key_failing || counts.key_unknown,
    );
    match (best, worst) {
        (RevocationRisk::NotAtRisk, RevocationRisk::NotAtRisk) => RevocationRisk::NotAtRisk,
        (RevocationRisk::NotAtRisk, _) => RevocationRisk::CannotBeAssessed,
        (certain, _) => certain,
    }
}

/// The rule on known counts. Integer arithmetic keeps the boundaries exact.
fn risk_rule(total: usize, failing: usize, key_failing: bool) -> RevocationRisk {
    if total == 0 {
        return RevocationRisk::NotAtRisk;
    }
    if failing * 100 >= total * 50 {
        RevocationRisk::HalfOrMoreFailing
    } else if failing * 100 >= total * 30 && key_failing {
        RevocationRisk::KeyCriterionFailing
    } else {
        RevocationRisk::NotAtRisk
    }
}

#[cfg(test)]
mod tests;
