//! The criteria catalogue as GraphQL: sets (bộ tiêu chí), criteria, indicators and targets,
//! each with the provenance of its figures.

use async_graphql::{ComplexObject, Context, SimpleObject};

use super::api;
use super::catalog_parts::{criterion, CriterionDef, ProvenanceCountView, ProvenanceView};
use super::enums::{CommuneGroup, LocalityKind, RecognitionLevel, ThresholdRegion};
use super::publish::CriteriaSetVersionView;
use super::scalars::Date;
use crate::domain::catalog::{CriteriaSet, Gradability};

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
    /// Title in Vietnamese, as the legal act words it.
    pub title_vi: String,
    /// Title in English (the catalogue's translation).
    pub title_en: String,
    /// The legal act that issued it, e.g. `318/QĐ-TTg`.
    pub legal_act: Option<String>,
    /// The day the act was signed; null when not found.
    pub signed_on: Option<Date>,
    /// The day the act took effect; null when not found. The set grades from the later of the
    /// two (else 1 January of `periodFrom`).
    pub effective_from: Option<Date>,
    /// First year of the programme period it is for (giai đoạn), e.g. 2021.
    pub period_from: i32,
    /// Last year of that period, e.g. 2025.
    pub period_to: i32,
    /// The kinds of locality it grades.
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
    /// Its criteria (tiêu chí), in catalogue order.
    pub criteria: Vec<CriterionDef>,
    /// Conditions on top of the criteria gating a higher level (e.g. kiểu mẫu, QĐ 319/QĐ-TTg).
    pub conditions: Vec<CriterionDef>,
    /// The act whose revocation rule applies (QĐ 18/2022/QĐ-TTg), if any.
    pub revocation_act: Option<String>,
    /// False when the research transcribes only part of the official list.
    pub criteria_complete: bool,
    /// False when the research transcribes only part of the official indicators.
    pub indicators_complete: bool,
    /// How many of its targets are verified, recalled, inferred or unknown.
    pub target_provenance: ProvenanceCountView,
    /// Where the set's definition comes from.
    pub provenance: ProvenanceView,
    /// The catalogue's remark.
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
        #[graphql(desc = "Threshold region (vùng); null: none.")] region: Option<ThresholdRegion>,
        #[graphql(desc = "Commune group; null: none.")] group: Option<CommuneGroup>,
        #[graphql(desc = "Default: the period's last year.")] year: Option<i32>,
    ) -> GradableCount {
        let year = year.unwrap_or(i32::from(self.set.period.to));
        self.set
            .gradability(region.map(Into::into), group.map(Into::into), year)
            .into()
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
