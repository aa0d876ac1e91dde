//! District and province levels computed from their units: huyện NTM (QĐ 320/QĐ-TTg Phụ lục I),
//! thị xã / thành phố hoàn thành nhiệm vụ (Phụ lục II), tỉnh hoàn thành nhiệm vụ (QĐ 321/QĐ-TTg)
//! and the district revocation rule of QĐ 18/2022/QĐ-TTg (docs/decisions/district-province-completion.md).

use serde::Serialize;

use super::catalog::CriteriaSet;
use super::rules::{revocation_risk, Failing, RevocationRisk, Status};
use super::terms::RecognitionLevel;

/// What a district-kind unit is, as its name says (GSO names open with it): the law treats a
/// huyện, a thị xã or thành phố thuộc tỉnh, and a quận (outside the programme) differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DistrictType {
    Huyen,
    TownOrCity,
    UrbanDistrict,
}

impl DistrictType {
    /// From the unit's name on the date; a name without a known prefix counts as a huyện.
    pub fn from_name(name: &str) -> Self {
        let lower = name.trim().to_lowercase();
        if lower.starts_with("thị xã") || lower.starts_with("thành phố") {
            Self::TownOrCity
        } else if lower.starts_with("quận") {
            Self::UrbanDistrict
        } else {
            Self::Huyen
        }
    }
}

/// Where a condition's answer comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Basis {
    /// Counted from the units' recognised levels on the date.
    Data,
    /// The unit's own criteria or conditions, graded by readings or official assessments.
    Assessment,
}

/// One condition of a level, evaluated on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionResult {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub legal_act: &'static str,
    /// The target as the law states it, e.g. "≥ 10 %".
    pub target: String,
    /// The figure found, e.g. "3 / 25 (12 %)"; `None` when nothing is known.
    pub actual: Option<String>,
    pub met: Status,
    pub basis: Basis,
}

/// A level evaluated from its conditions: met when all are met, not met when one fails,
/// otherwise undecided (`met` is `Unknown`, the unknown conditions say why).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completion {
    pub level: RecognitionLevel,
    pub conditions: Vec<ConditionResult>,
    pub met: Status,
    /// The revocation rule for a unit holding the level; `None` when it holds none.
    pub at_risk: Option<RevocationRisk>,
}

impl Completion {
    fn of(level: RecognitionLevel, conditions: Vec<ConditionResult>) -> Self {
        let met = conditions
            .iter()
            .fold(Status::Met, |acc, c| match (acc, c.met) {
                (Status::NotMet, _) | (_, Status::NotMet) => Status::NotMet,
                (Status::Unknown, _) | (_, Status::Unknown) => Status::Unknown,
                _ => Status::Met,
            });
        Self {
            level,
            conditions,
            met,
            at_risk: None,
        }
    }

    /// The codes of the conditions that could not be decided.
    pub fn undecided(&self) -> impl Iterator<Item = &str> {
        self.conditions
            .iter()
            .filter(|c| c.met == Status::Unknown)
            .map(|c| c.code.as_str())
    }
}

/// The commune-level units under a district or a province on a date, by recognised level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct UnitCounts {
    pub communes: u32,
    /// Communes holding NTM or a level above it.
    pub communes_ntm: u32,
    /// Communes holding nâng cao or kiểu mẫu.
    pub communes_nang_cao: u32,
    /// Communes whose recognition was revoked and that do not hold its level again.
    pub communes_revoked: u32,
    /// Thị trấn (towns).
    pub townships: u32,
    /// Towns holding đạt chuẩn đô thị văn minh (QĐ 320's wording).
    pub townships_civilised: u32,
}

/// The district-kind units of a province on a date, by type and recognised level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DistrictCounts {
    pub huyen: u32,
    pub huyen_ntm: u32,
    pub huyen_nang_cao: u32,
    pub towns_cities: u32,
    pub towns_cities_done: u32,
}

/// A unit's own grades against its set: criteria then conditions, in catalogue order (the read
/// tables' statuses); `None` grades every one unknown.
#[derive(Debug, Clone, Copy)]
pub struct OwnGrades<'a> {
    pub set: &'a CriteriaSet,
    pub statuses: Option<&'a [Status]>,
}

impl OwnGrades<'_> {
    fn status(&self, k: usize) -> Status {
        self.statuses
            .and_then(|s| s.get(k).copied())
            .unwrap_or(Status::Unknown)
    }

    fn criteria(&self) -> Vec<Status> {
        (0..self.set.criteria.len())
            .map(|k| self.status(k))
            .collect()
    }

    /// The status of the set's condition `code`, unknown when the set has none of that code.
    fn condition(&self, code: &str) -> Status {
        let at = self
            .set
            .conditions
            .iter()
            .position(|c| c.criterion.code.as_str() == code);
        at.map_or(Status::Unknown, |k| {
            self.status(self.set.criteria.len() + k)
        })
    }
}

/// QĐ 18/2022/QĐ-TTg for a recognised district (or thị xã / thành phố): at risk when ≥ 30 % of
/// its communes had their recognition revoked (rule a, certain from the data), otherwise by its
/// own criteria as for a commune: 30 – under 50 % failing with a key one, or ≥ 50 % failing.
pub fn district_revocation(units: &UnitCounts, own: OwnGrades<'_>) -> RevocationRisk {
    if units.communes > 0 && at_least(units.communes_revoked, units.communes, 30) == Status::Met {
        return RevocationRisk::CommunesRevoked;
    }
    let counts = Failing::of(own.set, &own.criteria());
    revocation_risk(counts)
}

mod levels;
use levels::at_least;
pub use levels::{huyen, province, town_or_city};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_province;
