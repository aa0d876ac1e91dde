//! The parts of a criteria set as GraphQL: criteria and conditions, indicators, targets and the
//! provenance of each figure.

use async_graphql::SimpleObject;

use super::enums::{CommuneGroup, IndicatorKind, RecognitionLevel, ThresholdRegion};
use super::standing::MeasuredValue;
use crate::domain::catalog::{
    Condition, CriteriaSet, Criterion, Indicator, Provenance, ProvenanceCount, Target, TargetScope,
};

/// Where a figure comes from: `verified` (with its source), `recalled`, `inferred` or `unknown`.
/// A recalled figure is never official.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Provenance")]
pub struct ProvenanceView {
    /// `verified` (a cited source states it), `recalled` (from memory, unconfirmed), `inferred`
    /// (deduced from verified facts) or `unknown` (searched for, not found, nothing guessed).
    pub label: String,
    /// The cited source (a document or an address), for `verified` only; else null.
    pub source: Option<String>,
}

impl From<&Provenance> for ProvenanceView {
    fn from(p: &Provenance) -> Self {
        ProvenanceView {
            label: p.label().to_owned(),
            source: match p {
                Provenance::Verified { source } => Some(source.clone()),
                _ => None,
            },
        }
    }
}

/// A threshold: its value for a region, a commune group or everyone, and some years.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Target")]
pub struct TargetView {
    /// Null with `group` null: applies to every locality without a more specific target.
    pub region: Option<ThresholdRegion>,
    /// The commune group it applies to (sets graded by group); null with `region` null: every
    /// locality without a more specific target.
    pub group: Option<CommuneGroup>,
    /// First year it applies to (inclusive); null with `toYear` null: every year of the set.
    pub from_year: Option<i32>,
    /// Last year it applies to (inclusive); a year-bounded target beats an open one.
    pub to_year: Option<i32>,
    /// Null when the figure is unknown: the indicator is then graded by assessment only.
    pub value: Option<MeasuredValue>,
    /// Where the figure comes from.
    pub provenance: ProvenanceView,
    /// The catalogue's remark on the figure, e.g. what was not found.
    pub note: Option<String>,
}

/// An indicator (chỉ tiêu) of a criterion.
#[derive(SimpleObject, Clone)]
#[graphql(name = "IndicatorDefinition")]
pub struct IndicatorDef {
    /// e.g. `17.8`.
    pub code: String,
    /// Name in Vietnamese, as the legal act words it.
    pub name_vi: String,
    /// Name in English (the catalogue's translation).
    pub name_en: String,
    /// What it measures: a reading must be of this kind.
    pub kind: IndicatorKind,
    /// Unit of its readings and targets, e.g. `%` or `triệu đồng/người/năm (million VND per
    /// person per year)`.
    pub unit: String,
    /// `>=`, `<=` or `=`.
    pub comparator: String,
    /// Its thresholds, by region or commune group and years; the most specific one that applies
    /// grades a locality.
    pub targets: Vec<TargetView>,
    /// Where the indicator's definition (its existence and wording) comes from, not its targets.
    pub provenance: ProvenanceView,
    /// The catalogue's remark.
    pub note: Option<String>,
}

/// A criterion (tiêu chí) of a set, or a condition gating a level.
#[derive(SimpleObject, Clone)]
#[graphql(name = "CriterionDefinition")]
pub struct CriterionDef {
    /// E.g. `17`, or a condition's code such as `KM-THON-THONG-MINH`.
    pub code: String,
    /// Name in Vietnamese, as the legal act words it.
    pub name_vi: String,
    /// Name in English (the catalogue's translation).
    pub name_en: String,
    /// Tiêu chí then chốt (key criterion of the revocation rule).
    pub is_key: bool,
    /// For a condition: the level it gates.
    pub gates_level: Option<RecognitionLevel>,
    /// Its indicators (chỉ tiêu) in catalogue order; empty: graded by official assessment only.
    pub indicators: Vec<IndicatorDef>,
    /// Where the criterion's definition comes from.
    pub provenance: ProvenanceView,
    /// The catalogue's remark.
    pub note: Option<String>,
}

/// How many targets of a set carry each provenance.
#[derive(SimpleObject, Clone, Copy)]
#[graphql(name = "ProvenanceCount")]
pub struct ProvenanceCountView {
    /// Targets a cited source states.
    pub verified: i32,
    /// Targets recalled from memory, unconfirmed: never official.
    pub recalled: i32,
    /// Targets deduced from verified facts.
    pub inferred: i32,
    /// Targets searched for and not found (no value: graded by assessment only).
    pub unknown: i32,
}

impl From<ProvenanceCount> for ProvenanceCountView {
    fn from(c: ProvenanceCount) -> Self {
        let n = |v: usize| i32::try_from(v).unwrap_or(i32::MAX);
        ProvenanceCountView {
            verified: n(c.verified),
            recalled: n(c.recalled),
            inferred: n(c.inferred),
            unknown: n(c.unknown),
        }
    }
}

fn target(t: &Target) -> TargetView {
    let (region, group) = match t.scope {
        TargetScope::All => (None, None),
        TargetScope::Region(r) => (Some(r.into()), None),
        TargetScope::Group(g) => (None, Some(g.into())),
    };
    TargetView {
        region,
        group,
        from_year: t.years.map(|y| i32::from(y.from)),
        to_year: t.years.map(|y| i32::from(y.to)),
        value: t.value.as_ref().map(MeasuredValue::from),
        provenance: (&t.provenance).into(),
        note: t.note.clone(),
    }
}

fn indicator(i: &Indicator) -> IndicatorDef {
    IndicatorDef {
        code: i.code.to_string(),
        name_vi: i.name_vi.clone(),
        name_en: i.name_en.clone(),
        kind: i.kind.into(),
        unit: i.unit.clone(),
        comparator: i.comparator.symbol().to_owned(),
        targets: i.targets.iter().map(target).collect(),
        provenance: (&i.provenance).into(),
        note: i.note.clone(),
    }
}

pub(super) fn criterion(
    set: &CriteriaSet,
    c: &Criterion,
    gates: Option<&Condition>,
) -> CriterionDef {
    CriterionDef {
        code: c.code.to_string(),
        name_vi: c.name_vi.clone(),
        name_en: c.name_en.clone(),
        is_key: set.is_key(&c.code),
        gates_level: gates.map(|g| g.level.into()),
        indicators: c.indicators.iter().map(indicator).collect(),
        provenance: (&c.provenance).into(),
        note: c.note.clone(),
    }
}
