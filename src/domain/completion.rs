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

/// `part` of `whole` as "3 / 25 (12 %)"; a whole of 0 says so.
fn share(part: u32, whole: u32) -> String {
    if whole == 0 {
        format!("{part} / 0")
    } else {
        let pct = f64::from(part) * 100.0 / f64::from(whole);
        format!("{part} / {whole} ({pct:.1} %)")
    }
}

/// At least `percent` % of `whole`, exactly (integer arithmetic): 1 of 10 is 10 %. Over no
/// units a share condition holds, as nothing fails it (a huyện without thị trấn meets (3)).
fn at_least(part: u32, whole: u32, percent: u32) -> Status {
    Status::from_met(u64::from(part) * 100 >= u64::from(whole) * u64::from(percent))
}

/// A condition counted from the units.
fn data(
    code: &'static str,
    names: (&'static str, &'static str),
    legal_act: &'static str,
    (part, whole, percent): (u32, u32, u32),
) -> ConditionResult {
    let target = if percent == 100 {
        "= 100 %".to_owned()
    } else {
        format!("≥ {percent} %")
    };
    ConditionResult {
        code: code.to_owned(),
        name_vi: names.0.to_owned(),
        name_en: names.1.to_owned(),
        legal_act,
        target,
        actual: Some(share(part, whole)),
        met: at_least(part, whole, percent),
        basis: Basis::Data,
    }
}

/// A condition read from the unit's own grades.
fn assessed(
    code: &'static str,
    names: (&'static str, &'static str),
    legal_act: &'static str,
    target: String,
    met: Status,
    actual: Option<String>,
) -> ConditionResult {
    ConditionResult {
        code: code.to_owned(),
        name_vi: names.0.to_owned(),
        name_en: names.1.to_owned(),
        legal_act,
        target,
        actual,
        met,
        basis: Basis::Assessment,
    }
}

/// Every criterion met: met; one not met: not met; otherwise unknown.
fn all_criteria(grades: &OwnGrades<'_>) -> (Status, Option<String>) {
    let statuses = grades.criteria();
    let met = statuses.iter().filter(|s| **s == Status::Met).count();
    let status = super::rules::combine(statuses.iter().copied());
    let actual = grades
        .statuses
        .map(|_| format!("{met} / {} met", statuses.len()));
    (status, actual)
}

const QD_320: &str = "320/QĐ-TTg";
const QD_321: &str = "321/QĐ-TTg";

/// Huyện NTM, QĐ 320/QĐ-TTg Phụ lục I: (1)–(3) from the units, (4) the condition HAI-LONG and
/// (5) the criteria of `own.set` (NTM-HUYEN-2021-2025).
pub fn huyen(units: &UnitCounts, own: OwnGrades<'_>) -> Completion {
    let (criteria, actual) = all_criteria(&own);
    let satisfaction = own.condition("HAI-LONG");
    let conditions = vec![
        data(
            "320-I-1",
            (
                "Xã đạt chuẩn nông thôn mới",
                "Communes meeting the NTM standard",
            ),
            QD_320,
            (units.communes_ntm, units.communes, 100),
        ),
        data(
            "320-I-2",
            (
                "Xã đạt chuẩn nông thôn mới nâng cao",
                "Communes meeting the advanced NTM standard",
            ),
            QD_320,
            (units.communes_nang_cao, units.communes, 10),
        ),
        data(
            "320-I-3",
            (
                "Thị trấn đạt chuẩn đô thị văn minh",
                "Towns meeting the civilised-urban standard",
            ),
            QD_320,
            (units.townships_civilised, units.townships, 100),
        ),
        assessed(
            "320-I-4",
            ("Tỷ lệ hài lòng của người dân", "Residents' satisfaction"),
            QD_320,
            "≥ 90 %, each commune ≥ 80 % (condition HAI-LONG)".to_owned(),
            satisfaction,
            own.statuses
                .map(|_| format!("HAI-LONG {}", spell(satisfaction))),
        ),
        assessed(
            "320-I-5",
            (
                "Đạt các tiêu chí huyện nông thôn mới",
                "District NTM criteria met",
            ),
            QD_320,
            format!(
                "all {} criteria of {}",
                own.set.criteria.len(),
                own.set.code
            ),
            criteria,
            actual,
        ),
    ];
    Completion::of(RecognitionLevel::HuyenNtm, conditions)
}

/// Thị xã / thành phố thuộc tỉnh hoàn thành nhiệm vụ, QĐ 320/QĐ-TTg Phụ lục II: only its first
/// condition was found; the rest cannot be decided, so the level never computes as met.
pub fn town_or_city(units: &UnitCounts, own: OwnGrades<'_>) -> Completion {
    let (criteria, actual) = all_criteria(&own);
    let conditions = vec![
        data(
            "320-II-1",
            (
                "Xã đạt chuẩn nông thôn mới",
                "Communes meeting the NTM standard",
            ),
            QD_320,
            (units.communes_ntm, units.communes, 100),
        ),
        assessed(
            "320-II-CRITERIA",
            (
                "Các tiêu chí đã chép của Phụ lục II",
                "Transcribed criteria of Annex II",
            ),
            QD_320,
            format!(
                "all {} criteria of {}",
                own.set.criteria.len(),
                own.set.code
            ),
            criteria,
            actual,
        ),
        assessed(
            "320-II-REST",
            (
                "Các điều kiện khác của Phụ lục II (chưa tìm thấy)",
                "Other conditions of Annex II (not found)",
            ),
            QD_320,
            "not transcribed".to_owned(),
            Status::Unknown,
            None,
        ),
    ];
    Completion::of(RecognitionLevel::HoanThanhNhiemVu, conditions)
}

/// Tỉnh hoàn thành nhiệm vụ, QĐ 321/QĐ-TTg: (1)–(4) from the units, (5)–(8) the criteria of
/// `own.set` (NTM-TINH-2021-2025), one condition each.
pub fn province(units: &UnitCounts, districts: &DistrictCounts, own: OwnGrades<'_>) -> Completion {
    let d = districts;
    let mut conditions = vec![
        data(
            "321-1",
            (
                "Huyện đạt chuẩn nông thôn mới",
                "Districts meeting the NTM standard",
            ),
            QD_321,
            (d.huyen_ntm, d.huyen, 100),
        ),
        data(
            "321-2",
            (
                "Thị xã, thành phố hoàn thành nhiệm vụ",
                "Towns and cities completing the task",
            ),
            QD_321,
            (d.towns_cities_done, d.towns_cities, 100),
        ),
        data(
            "321-3",
            (
                "Huyện đạt chuẩn nông thôn mới nâng cao",
                "Districts meeting the advanced standard",
            ),
            QD_321,
            (d.huyen_nang_cao, d.huyen, 20),
        ),
        data(
            "321-4",
            (
                "Xã đạt chuẩn nông thôn mới nâng cao",
                "Communes meeting the advanced standard",
            ),
            QD_321,
            (units.communes_nang_cao, units.communes, 40),
        ),
    ];
    for (k, criterion) in own.set.criteria.iter().enumerate() {
        let met = own.status(k);
        conditions.push(ConditionResult {
            code: format!("321-{}", criterion.code),
            name_vi: criterion.name_vi.clone(),
            name_en: criterion.name_en.clone(),
            legal_act: QD_321,
            target: format!("criterion {} of {} met", criterion.code, own.set.code),
            actual: own.statuses.map(|_| spell(met).to_owned()),
            met,
            basis: Basis::Assessment,
        });
    }
    Completion::of(RecognitionLevel::HoanThanhNhiemVu, conditions)
}

fn spell(status: Status) -> &'static str {
    match status {
        Status::Met => "met",
        Status::NotMet => "not met",
        Status::Unknown => "unknown",
    }
}

/// QĐ 18/2022/QĐ-TTg for a recognised district (or thị xã / thành phố): at risk when ≥ 30 % of
/// its communes had their recognition revoked (rule a, certain from the data), otherwise by its
/// own criteria as for a commune: 30 – under 50 % failing with a key one, or ≥ 50 % failing.
pub fn district_revocation(units: &UnitCounts, own: OwnGrades<'_>) -> RevocationRisk {
    if units.communes > 0 && at_least(units.communes_revoked, units.communes, 30) == Status::Met {
        return RevocationRisk::CommunesRevoked;
    }
    let mut counts = Failing {
        total: own.set.official_criteria(),
        ..Failing::default()
    };
    for (criterion, status) in own.set.criteria.iter().zip(own.criteria()) {
        let key = own.set.is_key(&criterion.code);
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
    counts.unknown += counts.total.saturating_sub(own.set.criteria.len());
    revocation_risk(counts)
}

#[cfg(test)]
mod tests;
