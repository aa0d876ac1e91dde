//! The criteria catalogue as GraphQL: sets (bộ tiêu chí), criteria, indicators and targets,
//! each with the provenance of its figures.

use async_graphql::{ComplexObject, Context, SimpleObject};

use super::api;
use super::enums::{CommuneGroup, IndicatorKind, LocalityKind, RecognitionLevel, ThresholdRegion};
use super::publish::CriteriaSetVersionView;
use super::scalars::Date;
use super::standing::MeasuredValue;
use crate::domain::catalog::{
    Condition, CriteriaSet, Criterion, Gradability, Indicator, Provenance, ProvenanceCount, Target,
    TargetScope,
};

/// Where a figure comes from: `verified` (with its source), `recalled`, `inferred` or `unknown`.
/// A recalled figure is never official.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Provenance")]
pub struct ProvenanceView {
    pub label: String,
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
    pub group: Option<CommuneGroup>,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
    /// Null when the figure is unknown: the indicator is then graded by assessment only.
    pub value: Option<MeasuredValue>,
    pub provenance: ProvenanceView,
    pub note: Option<String>,
}

/// An indicator (chỉ tiêu) of a criterion.
#[derive(SimpleObject, Clone)]
#[graphql(name = "IndicatorDefinition")]
pub struct IndicatorDef {
    /// e.g. `17.8`.
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub kind: IndicatorKind,
    pub unit: String,
    /// `>=`, `<=` or `=`.
    pub comparator: String,
    pub targets: Vec<TargetView>,
    pub provenance: ProvenanceView,
    pub note: Option<String>,
}

/// A criterion (tiêu chí) of a set, or a condition gating a level.
#[derive(SimpleObject, Clone)]
#[graphql(name = "CriterionDefinition")]
pub struct CriterionDef {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// Tiêu chí then chốt (key criterion of the revocation rule).
    pub is_key: bool,
    /// For a condition: the level it gates.
    pub gates_level: Option<RecognitionLevel>,
    pub indicators: Vec<IndicatorDef>,
    pub provenance: ProvenanceView,
    pub note: Option<String>,
}

/// How many targets of a set carry each provenance.
#[derive(SimpleObject, Clone, Copy)]
#[graphql(name = "ProvenanceCount")]
pub struct ProvenanceCountView {
    pub verified: i32,
    pub recalled: i32,
    pub inferred: i32,
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

/// The criteria of a set that readings can grade for one threshold region or commune group in
/// one year: a criterion is gradable when each of its indicators has a target with a value.
#[derive(SimpleObject, Clone)]
pub struct GradableCount {
    /// The official number of criteria (the declared count when the list is partial).
    pub criteria: i32,
    /// Criteria readings can grade (on verified or recalled targets).
    pub gradable: i32,
    /// Of those, the criteria whose applicable targets are all verified.
    pub gradable_on_verified: i32,
    /// Codes of the transcribed criteria readings cannot grade (official assessment only).
    pub not_gradable: Vec<String>,
    /// Criteria of the official list the catalogue does not transcribe.
    pub untranscribed: i32,
}

impl From<Gradability> for GradableCount {
    fn from(g: Gradability) -> Self {
        let n = |v: usize| i32::try_from(v).unwrap_or(i32::MAX);
        GradableCount {
            criteria: n(g.criteria),
            gradable: n(g.gradable.len()),
            gradable_on_verified: n(g.gradable_on_verified.len()),
            not_gradable: g.not_gradable.iter().map(ToString::to_string).collect(),
            untranscribed: n(g.untranscribed),
        }
    }
}

/// A criteria set (bộ tiêu chí) in its latest version; each version is immutable, a change is a
/// new version (`versions`).
#[derive(SimpleObject, Clone)]
#[graphql(name = "CriteriaSet", complex)]
pub struct CriteriaSetView {
    /// e.g. `NTM-XA-2021-2025`.
    pub code: String,
    /// This version: the SHA-256 of its file, hex.
    pub version: String,
    pub title_vi: String,
    pub title_en: String,
    /// The legal act that issued it, e.g. `318/QĐ-TTg`.
    pub legal_act: Option<String>,
    pub signed_on: Option<Date>,
    pub effective_from: Option<Date>,
    pub period_from: i32,
    pub period_to: i32,
    pub applies_to: Vec<LocalityKind>,
    /// The level its criteria lead to.
    pub level: RecognitionLevel,
    /// The GSO code of the province whose territory it grades; null: national.
    pub territory: Option<String>,
    /// The national set it restates for that territory (its criteria, its own targets laid
    /// over them: each target's provenance and source say whose it is).
    pub restates: Option<String>,
    /// The region a special commune (QĐ 318, Điều 1) is graded against, e.g. TDMNPB.
    pub special_region: Option<ThresholdRegion>,
    pub criteria: Vec<CriterionDef>,
    pub conditions: Vec<CriterionDef>,
    /// The act whose revocation rule applies (QĐ 18/2022/QĐ-TTg), if any.
    pub revocation_act: Option<String>,
    /// False when the research transcribes only part of the official list.
    pub criteria_complete: bool,
    pub indicators_complete: bool,
    /// How many of its targets are verified, recalled, inferred or unknown.
    pub target_provenance: ProvenanceCountView,
    pub provenance: ProvenanceView,
    pub note: Option<String>,
    #[graphql(skip)]
    set: CriteriaSet,
}

#[ComplexObject]
impl CriteriaSetView {
    /// Every version of the set, oldest first: the one in force on a date grades it.
    async fn versions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<CriteriaSetVersionView>> {
        let catalog = api(ctx)?.catalog.current();
        Ok(catalog
            .versions_of(&self.set.code)
            .iter()
            .map(Into::into)
            .collect())
    }

    /// How many criteria readings can grade for a locality of `region` (a commune under QĐ 318's
    /// special rule uses TDMNPB) or commune `group` in `year` (default: the period's last year).
    async fn gradable(
        &self,
        region: Option<ThresholdRegion>,
        group: Option<CommuneGroup>,
        year: Option<i32>,
    ) -> GradableCount {
        let year = year.unwrap_or(i32::from(self.set.period.to));
        self.set
            .gradability(region.map(Into::into), group.map(Into::into), year)
            .into()
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

fn criterion(set: &CriteriaSet, c: &Criterion, gates: Option<&Condition>) -> CriterionDef {
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

impl From<&CriteriaSet> for CriteriaSetView {
    fn from(s: &CriteriaSet) -> Self {
        CriteriaSetView {
            code: s.code.to_string(),
            version: s.version.clone(),
            title_vi: s.title_vi.clone(),
            title_en: s.title_en.clone(),
            legal_act: s.legal_act.as_ref().map(ToString::to_string),
            signed_on: s.signed_on.map(Date),
            effective_from: s.effective_from.map(Date),
            period_from: i32::from(s.period.from),
            period_to: i32::from(s.period.to),
            applies_to: s.applies_to.iter().map(|k| (*k).into()).collect(),
            level: s.level.into(),
            territory: s.territory.as_ref().map(ToString::to_string),
            restates: s.restates.as_ref().map(ToString::to_string),
            special_region: s.special_region.map(Into::into),
            criteria: s.criteria.iter().map(|c| criterion(s, c, None)).collect(),
            conditions: s
                .conditions
                .iter()
                .map(|c| criterion(s, &c.criterion, Some(c)))
                .collect(),
            revocation_act: s.revocation_act.as_ref().map(ToString::to_string),
            criteria_complete: s.criteria_complete,
            indicators_complete: s.indicators_complete,
            target_provenance: s.target_provenance().into(),
            provenance: (&s.provenance).into(),
            note: s.note.clone(),
            set: s.clone(),
        }
    }
}
