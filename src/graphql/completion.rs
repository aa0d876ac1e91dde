//! `completion`: a district's or province's level computed from its units on a date (QĐ 320,
//! QĐ 321, the district revocation rule of QĐ 18/2022), for `summary` and `Locality.completion`;
//! its reads are in [`super::completion_reads`].

use async_graphql::{Enum, SimpleObject};
use chrono::{Datelike, NaiveDate};

use super::enums::{RecognitionLevel, RevocationRisk, Status};
use crate::domain::catalog::{Catalog, CriteriaSet};
use crate::domain::completion::{self as law, Basis, Completion, DistrictCounts, DistrictType};
use crate::domain::completion::{OwnGrades, UnitCounts};
use crate::domain::rules::Status as DomainStatus;
use crate::domain::terms::{LocalityKind, RecognitionLevel as Level};
use crate::projection::read::{Census, CensusSets, OwnStanding};

/// Where a condition's answer comes from.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum CompletionBasis {
    /// Counted from the units' recognised levels on the date.
    Data,
    /// The unit's own criteria or conditions (readings or official assessments).
    Assessment,
}

/// One condition of the level on the date.
#[derive(SimpleObject)]
pub struct CompletionCondition {
    /// E.g. `320-I-2` (QĐ 320 Phụ lục I, condition 2) or `321-4`.
    pub code: String,
    /// The condition in Vietnamese, as the decision words it.
    pub name_vi: String,
    /// The condition in English.
    pub name_en: String,
    /// The decision that sets it, e.g. `320/QĐ-TTg`.
    pub legal_act: String,
    /// The target as the law states it, e.g. "≥ 10 %".
    pub target: String,
    /// The figure found, e.g. "3 / 25 (12.0 %)"; null when nothing is known.
    pub actual: Option<String>,
    /// Whether the condition holds on the date; `UNKNOWN` when the data cannot decide it.
    pub met: Status,
    /// Where the answer comes from.
    pub basis: CompletionBasis,
}

/// A district's or province's level computed from its units and its own grades on a date.
#[derive(SimpleObject)]
pub struct CompletionView {
    /// `HUYEN_NTM` for a huyện, `HOAN_THANH_NHIEM_VU` for a thị xã, thành phố or province.
    pub level: RecognitionLevel,
    /// `MET` when every condition is, `NOT_MET` when one fails, otherwise `UNKNOWN`.
    pub met: Status,
    /// The conditions that could not be decided.
    pub undecided: Vec<String>,
    /// Every condition of the level, each with its answer.
    pub conditions: Vec<CompletionCondition>,
    /// The district revocation rule (QĐ 18/2022) when the unit holds the level; else null.
    pub at_risk: Option<RevocationRisk>,
    /// The level it holds by decision, whatever the computation finds.
    pub recognised_level: Option<RecognitionLevel>,
}

/// A province's district-level units, by recognised level and by computed completion.
#[derive(SimpleObject, Default)]
pub struct DistrictTally {
    /// Huyện (rural districts) in the province on the date.
    pub huyen: i64,
    /// Huyện holding huyện NTM (or nâng cao) by decision.
    pub huyen_ntm: i64,
    /// Huyện holding huyện NTM nâng cao by decision.
    pub huyen_ntm_nang_cao: i64,
    /// Thị xã and thành phố thuộc tỉnh (towns and provincial cities) in the province.
    pub towns_cities: i64,
    /// Thị xã and thành phố holding hoàn thành nhiệm vụ by decision.
    pub towns_cities_done: i64,
    /// Huyện, thị xã and thành phố whose computed level is met (every condition holds).
    pub computed_met: i64,
    /// Huyện, thị xã and thành phố whose computed level is not met (a condition fails).
    pub computed_not_met: i64,
    /// Huyện, thị xã and thành phố whose computed level is undecided (`UNKNOWN`).
    pub computed_undecided: i64,
}

/// The district and province sets, when all are in force on a date: from the day each takes
/// effect to the end of its period (no district exists after 1/7/2025, no successor is shipped).
#[derive(Clone, Copy)]
pub struct CompletionSets<'a> {
    pub huyen: &'a CriteriaSet,
    pub town_city: &'a CriteriaSet,
    pub province: &'a CriteriaSet,
}

impl<'a> CompletionSets<'a> {
    pub fn in_force(catalog: &'a Catalog, on: NaiveDate) -> Option<Self> {
        let grading = |kind: LocalityKind, level: Level| {
            catalog
                .in_force(kind, level, on)
                .filter(|s| on.year() <= i32::from(s.period.to))
        };
        Some(Self {
            huyen: grading(LocalityKind::District, Level::HuyenNtm)?,
            town_city: grading(LocalityKind::District, Level::HoanThanhNhiemVu)?,
            province: grading(LocalityKind::Province, Level::HoanThanhNhiemVu)?,
        })
    }

    pub fn census(&self) -> CensusSets<'a> {
        CensusSets {
            huyen: self.huyen.code.as_str(),
            town_city: self.town_city.code.as_str(),
        }
    }
}

fn statuses(letters: Option<&str>) -> Option<Vec<DomainStatus>> {
    letters.map(|l| {
        l.chars()
            .map(|c| match c {
                'M' => DomainStatus::Met,
                'N' => DomainStatus::NotMet,
                _ => DomainStatus::Unknown,
            })
            .collect()
    })
}

/// A district-kind unit's completion from its census; `None` for a quận (outside the programme).
pub fn district(
    sets: &CompletionSets<'_>,
    name: &str,
    held: Option<Level>,
    grades: (Option<&str>, Option<&str>),
    units: &UnitCounts,
) -> Option<CompletionView> {
    let kind = DistrictType::from_name(name);
    let (set, letters, level) = match kind {
        DistrictType::Huyen => (sets.huyen, grades.0, Level::HuyenNtm),
        DistrictType::TownOrCity => (sets.town_city, grades.1, Level::HoanThanhNhiemVu),
        DistrictType::UrbanDistrict => return None,
    };
    let parsed = statuses(letters);
    let own = OwnGrades {
        set,
        statuses: parsed.as_deref(),
    };
    let mut completion = match kind {
        DistrictType::Huyen => law::huyen(units, own),
        _ => law::town_or_city(units, own),
    };
    if held.is_some_and(|h| h.includes(level)) {
        completion.at_risk = Some(law::district_revocation(units, own));
    }
    Some(view(completion, held))
}

/// A province's completion and its districts' tally, from its census.
pub fn province(
    sets: &CompletionSets<'_>,
    own: &OwnStanding,
    census: &Census,
    child_census: impl Fn(&str) -> UnitCounts,
) -> (CompletionView, DistrictTally) {
    let mut counts = DistrictCounts::default();
    let mut tally = DistrictTally::default();
    for d in &census.districts {
        let holds = |l: Level| u32::from(d.level.is_some_and(|h| h.includes(l)));
        match DistrictType::from_name(&d.name) {
            DistrictType::Huyen => {
                counts.huyen += 1;
                counts.huyen_ntm += holds(Level::HuyenNtm);
                counts.huyen_nang_cao += holds(Level::HuyenNtmNangCao);
            }
            DistrictType::TownOrCity => {
                counts.towns_cities += 1;
                counts.towns_cities_done += holds(Level::HoanThanhNhiemVu);
            }
            DistrictType::UrbanDistrict => continue,
        }
        let grades = (d.huyen_statuses.as_deref(), d.town_statuses.as_deref());
        let computed = district(sets, &d.name, d.level, grades, &child_census(&d.id));
        match computed.map(|c| c.met) {
            Some(Status::Met) => tally.computed_met += 1,
            Some(Status::NotMet) => tally.computed_not_met += 1,
            _ => tally.computed_undecided += 1,
        }
    }
    tally.huyen = counts.huyen.into();
    tally.huyen_ntm = counts.huyen_ntm.into();
    tally.huyen_ntm_nang_cao = counts.huyen_nang_cao.into();
    tally.towns_cities = counts.towns_cities.into();
    tally.towns_cities_done = counts.towns_cities_done.into();
    let parsed = statuses(own.statuses_in(sets.province.code.as_str()));
    let grades = OwnGrades {
        set: sets.province,
        statuses: parsed.as_deref(),
    };
    let completion = law::province(&census.units, &counts, grades);
    (view(completion, own.level), tally)
}

fn view(c: Completion, held: Option<Level>) -> CompletionView {
    CompletionView {
        level: c.level.into(),
        met: c.met.into(),
        undecided: c.undecided().map(str::to_owned).collect(),
        at_risk: c.at_risk.map(Into::into),
        recognised_level: held.map(Into::into),
        conditions: c
            .conditions
            .into_iter()
            .map(|r| CompletionCondition {
                code: r.code,
                name_vi: r.name_vi,
                name_en: r.name_en,
                legal_act: r.legal_act.to_owned(),
                target: r.target,
                actual: r.actual,
                met: r.met.into(),
                basis: match r.basis {
                    Basis::Data => CompletionBasis::Data,
                    Basis::Assessment => CompletionBasis::Assessment,
                },
            })
            .collect(),
    }
}
