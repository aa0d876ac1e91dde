//! The conditions of each level, evaluated: QĐ 320/QĐ-TTg Phụ lục I (huyện) and II (thị xã /
//! thành phố), QĐ 321/QĐ-TTg (tỉnh), each from the units' counts or the unit's own grades.

use super::{Basis, Completion, ConditionResult, DistrictCounts, OwnGrades, UnitCounts};
use crate::domain::rules::Status;
use crate::domain::terms::RecognitionLevel;

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
pub(super) fn at_least(part: u32, whole: u32, percent: u32) -> Status {
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
    let status = crate::domain::rules::combine(statuses.iter().copied());
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
