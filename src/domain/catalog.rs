//! Criteria catalogues (bộ tiêu chí): sets, criteria, indicators and their targets with
//! provenance, plus the shipped catalogue and target resolution by region, group and year.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

pub use super::catalog_gradable::{Gradability, ProvenanceCount};
pub use super::catalog_in_force::InForce;
pub use super::catalog_load::{parse_set, CatalogError, Problem};
pub use super::catalog_territory::{Grading, Reason};
pub use super::catalog_versions::Published;
use super::measure::{Comparator, IndicatorKind, IndicatorValue};
use super::terms::{CommuneGroup, LocalityKind, RecognitionLevel, ThresholdRegion};
pub use super::values::SetCode;
use super::values::{CriterionCode, DecisionNumber, IndicatorCode, LocalityCode};

/// Where a figure comes from, exactly as the research file marks it; never promote `Recalled`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "provenance", rename_all = "kebab-case")]
pub enum Provenance {
    /// `[V]`: a cited source states it.
    Verified { source: String },
    /// `[R]`: recalled from general knowledge, not confirmed by a cited source.
    Recalled,
    /// `[I]`: inferred by the researcher from verified facts.
    Inferred,
    /// Searched for and not found; nothing was guessed.
    Unknown,
}

impl Provenance {
    pub fn label(&self) -> &'static str {
        match self {
            Self::Verified { .. } => "verified",
            Self::Recalled => "recalled",
            Self::Inferred => "inferred",
            Self::Unknown => "unknown",
        }
    }
}

/// Inclusive range of years a target applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct YearRange {
    pub from: u16,
    pub to: u16,
}

impl YearRange {
    pub fn contains(&self, year: i32) -> bool {
        i32::from(self.from) <= year && year <= i32::from(self.to)
    }
    pub fn overlaps(&self, other: &YearRange) -> bool {
        self.from <= other.to && other.from <= self.to
    }
}

/// Which localities a target applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetScope {
    /// Every locality without a more specific target.
    All,
    Region(ThresholdRegion),
    Group(CommuneGroup),
}

/// One threshold: a value (absent when unknown) for a scope and optionally some years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub scope: TargetScope,
    pub years: Option<YearRange>,
    pub value: Option<IndicatorValue>,
    pub provenance: Provenance,
    pub note: Option<String>,
}

/// An indicator (chỉ tiêu) of a criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicator {
    pub code: IndicatorCode,
    pub name_vi: String,
    pub name_en: String,
    pub kind: IndicatorKind,
    pub unit: String,
    pub comparator: Comparator,
    pub targets: Vec<Target>,
    /// Provenance of the indicator's definition (its existence and wording), not of its targets.
    pub provenance: Provenance,
    pub note: Option<String>,
}

impl Indicator {
    /// The most specific target for a locality: its region or group beats `All`, and a
    /// year-bounded target beats an open one. `None` when nothing applies.
    pub fn target_for(
        &self,
        region: Option<ThresholdRegion>,
        group: Option<CommuneGroup>,
        year: i32,
    ) -> Option<&Target> {
        self.targets
            .iter()
            .filter(|t| match t.scope {
                TargetScope::All => true,
                TargetScope::Region(r) => region == Some(r),
                TargetScope::Group(g) => group == Some(g),
            })
            .filter(|t| t.years.is_none_or(|y| y.contains(year)))
            .max_by_key(|t| (t.scope != TargetScope::All, t.years.is_some()))
    }
}

/// A criterion (tiêu chí) with its indicators; an empty list means "assessed officially only".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Criterion {
    pub code: CriterionCode,
    pub name_vi: String,
    pub name_en: String,
    pub provenance: Provenance,
    pub indicators: Vec<Indicator>,
    pub note: Option<String>,
}

/// A condition on top of all criteria that gates a higher level (e.g. kiểu mẫu, QĐ 319).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    pub level: RecognitionLevel,
    pub legal_act: Option<DecisionNumber>,
    pub criterion: Criterion,
}

/// What thresholds vary by for this set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThresholdBasis {
    Region,
    Group,
    None,
}

/// A band of criteria met, both ends included (e.g. 15–18 of 19).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Band {
    pub from: u32,
    pub to: u32,
}

impl Band {
    pub fn contains(&self, met: u32) -> bool {
        self.from <= met && met <= self.to
    }
}

/// One version of a criteria set (bộ tiêu chí): immutable; a change is a new version of the same
/// code (docs/decisions/published-criteria-sets.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriteriaSet {
    pub code: SetCode,
    pub title_vi: String,
    pub title_en: String,
    /// `None` only when the research did not find the act's number (Hà Tĩnh 2014 set).
    pub legal_act: Option<DecisionNumber>,
    pub signed_on: Option<NaiveDate>,
    pub effective_from: Option<NaiveDate>,
    pub period: YearRange,
    pub applies_to: Vec<LocalityKind>,
    /// The level granted when every criterion is met.
    pub level: RecognitionLevel,
    pub basis: ThresholdBasis,
    /// GSO code of the province whose territory the set grades; `None`: national.
    pub territory: Option<LocalityCode>,
    /// The national set this one restates for its territory (same criteria, its own targets):
    /// after loading, its criteria are the restated set's with its own targets laid over them.
    pub restates: Option<SetCode>,
    /// The region whose targets a special commune (QĐ 318, Điều 1) is graded against.
    pub special_region: Option<ThresholdRegion>,
    pub criteria: Vec<Criterion>,
    pub conditions: Vec<Condition>,
    /// Key criteria of the revocation rule (QĐ 18/2022/QĐ-TTg), when it applies.
    pub key_criteria: Vec<CriterionCode>,
    /// The act whose revocation rule applies to recognitions at this set's level, if any.
    pub revocation_act: Option<DecisionNumber>,
    pub declared_criteria: Option<u32>,
    pub declared_indicators: Option<u32>,
    /// Whether the criteria list is the full official list (false: partial research).
    pub criteria_complete: bool,
    /// The bands of criteria met that reports count units in, highest first.
    pub bands: Vec<Band>,
    /// When the set, whichever its version, grades its kinds of locality: from its first
    /// version's start until its successor's. Set by the catalogue.
    pub in_force: InForce,
    /// The days this version grades: from its own start until a later version's (a version
    /// replaced by a correction of the same date grades no day). Set by the catalogue.
    pub version_in_force: InForce,
    /// The set whose period this one ends from its own start (`supersedes = "CODE"`).
    pub supersedes: Option<SetCode>,
    pub indicators_complete: bool,
    pub provenance: Provenance,
    /// Where in `reference/domain-research.md` the content comes from.
    pub research: String,
    pub note: Option<String>,
    pub file: String,
    /// The version: SHA-256 of the file's bytes, hex.
    pub version: String,
    /// Position in the log of its `CriteriaSetPublished` event; `None`: compiled into this
    /// binary and not recorded yet.
    pub published_at: Option<i64>,
    /// When that event was recorded.
    pub recorded_at: Option<DateTime<Utc>>,
    /// Whether this binary carries the file (`catalog/`): known since the log began.
    pub shipped: bool,
}

impl CriteriaSet {
    pub fn indicator_count(&self) -> usize {
        self.criteria.iter().map(|c| c.indicators.len()).sum()
    }

    pub fn criterion(&self, code: &CriterionCode) -> Option<&Criterion> {
        self.criteria.iter().find(|c| &c.code == code)
    }

    /// A criterion or a condition, both of which can be assessed.
    pub fn assessable(&self, code: &CriterionCode) -> Option<&Criterion> {
        self.criterion(code).or_else(|| {
            self.conditions
                .iter()
                .map(|c| &c.criterion)
                .find(|c| &c.code == code)
        })
    }

    /// An indicator of a criterion or a condition.
    pub fn indicator(&self, code: &IndicatorCode) -> Option<&Indicator> {
        let conditions = self.conditions.iter().map(|c| &c.criterion);
        self.criteria
            .iter()
            .chain(conditions)
            .flat_map(|c| &c.indicators)
            .find(|i| &i.code == code)
    }

    pub fn is_key(&self, code: &CriterionCode) -> bool {
        self.key_criteria.contains(code)
    }

    pub fn applies_to(&self, kind: LocalityKind) -> bool {
        self.applies_to.contains(&kind)
    }

    /// The day the set takes effect: the later of its act's signing and its entry into force,
    /// or 1 January of its period's first year when the catalogue knows neither.
    pub fn starts_on(&self) -> NaiveDate {
        [self.signed_on, self.effective_from]
            .into_iter()
            .flatten()
            .max()
            .or_else(|| NaiveDate::from_ymd_opt(i32::from(self.period.from), 1, 1))
            .unwrap_or(NaiveDate::MIN)
    }

    /// Whether a recognition at `held` is measured against this set by the revocation rule:
    /// its own level, and kiểu mẫu against nâng cao (QĐ 18/2022/QĐ-TTg, Điều 6).
    pub fn measures(&self, held: RecognitionLevel) -> bool {
        held == self.level
            || (self.level == RecognitionLevel::NtmNangCao && held == RecognitionLevel::NtmKieuMau)
    }

    /// The number of criteria of the official list: the declared count when the catalogue
    /// transcribes only part of it.
    pub fn official_criteria(&self) -> usize {
        let declared = self.declared_criteria.map_or(0, |d| d as usize);
        declared.max(self.criteria.len())
    }

    /// The band `met` criteria fall in.
    pub fn band_of(&self, met: u32) -> Option<&Band> {
        self.bands.iter().find(|b| b.contains(met))
    }
}

/// The loaded catalogue: every version of every criteria set, and the latest of each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Catalog {
    /// The latest version of each set, ordered by code (what lists display).
    pub(super) sets: Vec<CriteriaSet>,
    /// Every version, ordered by code, then start, then position in the log.
    pub(super) versions: Vec<CriteriaSet>,
}

impl Catalog {
    /// The latest version of every set, ordered by code.
    pub fn sets(&self) -> &[CriteriaSet] {
        &self.sets
    }

    /// The latest version of a set (the one with the latest start, then the last published).
    pub fn get(&self, code: &SetCode) -> Option<&CriteriaSet> {
        self.sets.iter().find(|s| &s.code == code)
    }

    /// The set whose code keys standings for facts recorded under `code`: the restated set
    /// for a restatement, the set itself otherwise.
    pub fn standing_set(&self, code: &SetCode) -> Option<&CriteriaSet> {
        let set = self.get(code)?;
        match &set.restates {
            Some(national) => self.get(national),
            None => Some(set),
        }
    }
}

#[cfg(test)]
mod territory_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_sets;
