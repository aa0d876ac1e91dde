//! `Locality.gradingSet(on)`: which criteria set grades a locality on a date and why (national,
//! or a province's set for the territory it is in then), with the attributes that pick its targets.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Enum, SimpleObject};
use chrono::NaiveDate;

use super::catalog::CriteriaSetView;
use super::enums::{from_spelling, CommuneGroup, RecognitionLevel, SpecialStatus, ThresholdRegion};
use super::locality::LocalityNode;
use super::summary::Programme;
use super::{api, scope, ApiError};
use crate::domain::catalog::Reason;
use crate::domain::terms::{
    CommuneGroup as DomainGroup, LocalityKind as DomainKind, SpecialStatus as DomainSpecial,
    ThresholdRegion as DomainRegion,
};
use crate::domain::territory::Territory;
use crate::projection::ancestry::territories_of;
use crate::store::Db;

/// Why a set grades a locality.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum GradingReason {
    /// A national set: no set for the locality's territory applies.
    National,
    /// A province's set for its territory (its own, or a restatement of a national set).
    Territory,
}

/// The set that grades a locality on a date, why, and what picks its targets.
#[derive(SimpleObject)]
pub struct GradingSet {
    /// The valid date asked for.
    pub on: super::scalars::Date,
    /// The set in force that grades the locality on `on`, in its version in force then.
    pub set: CriteriaSetView,
    /// Why this set: national, or its province's own for the territory.
    pub reason: GradingReason,
    /// The province code whose territory the set grades, when `reason` is `TERRITORY`.
    pub territory: Option<String>,
    /// When the set restates another: the set whose standings it grades (facts recorded under
    /// either code count).
    pub restates: Option<String>,
    /// The locality's threshold region (vùng) on the date.
    pub threshold_region: Option<ThresholdRegion>,
    /// The locality's commune group (nhóm xã, 2026–2030) on the date.
    pub commune_group: Option<CommuneGroup>,
    /// The locality's special-commune status (QĐ 318, Điều 1) on the date.
    pub special: Option<SpecialStatus>,
    /// The region whose targets apply: the set's special region for a special commune, the
    /// locality's own otherwise.
    pub target_region: Option<ThresholdRegion>,
}

/// Where `locality` is as the live directory places it; nowhere in particular (no read) when
/// no set of the catalogue grades a territory.
pub async fn territory(ctx: &Context<'_>, locality: &str) -> async_graphql::Result<Territory> {
    let api = api(ctx)?;
    if !api.catalog.current().has_territorial_sets() {
        return Ok(Territory::default());
    }
    let loaded = scope(ctx)?
        .loaders
        .territories
        .load_one(locality.to_owned());
    Ok(loaded
        .await
        .map_err(ApiError::internal)?
        .unwrap_or_default())
}

/// Where localities are, loaded in batches: the links of a batch's localities and of all their
/// ancestors in one statement per tree level, not one walk per locality (a list of children
/// asking each for its grading set).
pub struct TerritoriesOf {
    db: Db,
}

impl TerritoriesOf {
    pub fn new(db: Db) -> Self {
        TerritoriesOf { db }
    }
}

impl Loader<String> for TerritoriesOf {
    type Value = Territory;
    type Error = String;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Territory>, Self::Error> {
        territories_of(&self.db, keys)
            .await
            .map_err(|e| e.to_string())
    }
}

/// The grading set of `node` on `on` for `level` (default: the base level of `programme`, or
/// of the locality's kind on the date); `None` when the locality has no kind then or no set is
/// in force.
pub async fn grading_set(
    ctx: &Context<'_>,
    node: &LocalityNode,
    on: NaiveDate,
    programme: Option<Programme>,
    level: Option<RecognitionLevel>,
) -> async_graphql::Result<Option<GradingSet>> {
    let catalog = &api(ctx)?.catalog.current();
    let periods = node.period_rows(ctx).await?;
    let held = |p: &&crate::projection::rows::PeriodRow| {
        p.valid_from <= on && p.valid_to.is_none_or(|to| on < to)
    };
    let Some(period) = periods.iter().find(held) else {
        return Ok(None);
    };
    let Some(kind) = period.kind.as_deref().and_then(DomainKind::from_spelling) else {
        return Ok(None);
    };
    let territory = territory(ctx, &node.row.locality_id).await?;
    let set = match (level, programme) {
        (Some(level), _) => catalog.grading_set(kind, level.into(), on, &territory),
        (None, Some(programme)) => programme.set_in_force(catalog, on, &territory),
        (None, None) => catalog.programme_set(kind, on, &territory),
    };
    let Some(set) = set else {
        return Ok(None);
    };
    let region = from_spelling(period.region.as_deref(), DomainRegion::from_spelling);
    let special = period
        .special
        .as_deref()
        .and_then(DomainSpecial::from_spelling);
    let target_region = set.special_region.filter(|_| special.is_some());
    let (reason, territory) = match set.reason() {
        Reason::National => (GradingReason::National, None),
        Reason::Territory(code) => (GradingReason::Territory, Some(code.to_string())),
    };
    Ok(Some(GradingSet {
        on: super::scalars::Date(on),
        set: set.into(),
        reason,
        territory,
        restates: set.restates.as_ref().map(ToString::to_string),
        threshold_region: region,
        commune_group: from_spelling(period.commune_group.as_deref(), DomainGroup::from_spelling),
        special: special.map(Into::into),
        target_region: target_region.map(Into::into).or(region),
    }))
}
