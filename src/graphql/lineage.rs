//! What a `Locality` shows of its validity periods and its lineage edges.

use async_graphql::{Context, Object, SimpleObject, ID};
use chrono::NaiveDate;

use super::enums::{from_spelling, CommuneGroup, LocalityKind, ThresholdRegion};
use super::locality::{load_locality_on, LocalityNode};
use super::scalars::Date;
use super::{scope, ApiError};
use crate::domain::terms::{
    CommuneGroup as DomainGroup, LocalityKind as DomainKind, ThresholdRegion as DomainRegion,
};
use crate::projection::rows::{EdgeRow, PeriodRow};

/// A stretch of valid time `[validFrom, validTo)` in which name, code, kind, parent and
/// thresholds hold still; `validTo` is null while it lasts.
#[derive(SimpleObject)]
pub struct Period {
    /// First day of the period (valid time), included.
    pub valid_from: Date,
    /// Day the period ends, excluded; null while it lasts.
    pub valid_to: Option<Date>,
    /// Official name in the period; null when none is recorded.
    pub name: Option<String>,
    /// Official code (mã đơn vị hành chính) in the period; null: none held (e.g. retired).
    pub code: Option<String>,
    /// Kind of unit in the period; null when none is recorded.
    pub kind: Option<LocalityKind>,
    /// Id of the parent unit in the period; null: a root (e.g. a commune after 1/7/2025).
    pub parent_id: Option<ID>,
    /// Threshold region (vùng) graded against in the period; null: none.
    pub threshold_region: Option<ThresholdRegion>,
    /// Commune group (nhóm xã) graded against in the period; null: none.
    pub commune_group: Option<CommuneGroup>,
}

impl From<&PeriodRow> for Period {
    fn from(p: &PeriodRow) -> Self {
        Period {
            valid_from: Date(p.valid_from),
            valid_to: p.valid_to.map(Date),
            name: p.name.clone(),
            code: p.code.clone(),
            kind: from_spelling(p.kind.as_deref(), DomainKind::from_spelling),
            parent_id: p.parent_id.clone().map(ID),
            threshold_region: from_spelling(p.region.as_deref(), DomainRegion::from_spelling),
            commune_group: from_spelling(p.commune_group.as_deref(), DomainGroup::from_spelling),
        }
    }
}

/// A lineage edge seen from one locality: a merger, split or formation and the other side,
/// read on the day of the locality it was read from, if any.
pub struct LineageLink {
    other: String,
    edge: EdgeRow,
    on: Option<NaiveDate>,
}

/// A lineage edge seen from one locality: a merger (sáp nhập), split (chia tách) or formation,
/// and the locality on the other side.
#[Object]
impl LineageLink {
    /// `merged-into`, `split-into` or `formed-from`, read from the predecessor to the successor.
    async fn kind(&self) -> &str {
        &self.edge.kind
    }
    /// The day the change took effect (valid time).
    async fn effective_on(&self) -> Date {
        Date(self.edge.effective_on)
    }
    /// The legal act, e.g. `1283/NQ-UBTVQH15`.
    async fn legal_act(&self) -> Option<&str> {
        self.edge.legal_act.as_deref()
    }
    /// The locality on the other side, read on the same day as the one this edge was read
    /// from (as it stands when that one was read without a date); null when not in the directory.
    async fn locality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<LocalityNode>> {
        load_locality_on(ctx, &self.other, self.on).await
    }
}

impl LocalityNode {
    /// Its predecessors (the localities it continues) or its successors, each once.
    pub(super) async fn lineage(
        &self,
        ctx: &Context<'_>,
        predecessors: bool,
    ) -> async_graphql::Result<Vec<LineageLink>> {
        let me = &self.row.locality_id;
        let edges = scope(ctx)?
            .loaders
            .edges
            .load_one(me.clone())
            .await
            .map_err(ApiError::internal)?
            .unwrap_or_default();
        let mut links: Vec<LineageLink> = edges
            .iter()
            .cloned()
            .filter_map(|edge| match predecessors {
                true if &edge.to_id == me => Some((edge.from_id.clone(), edge)),
                false if &edge.from_id == me => Some((edge.to_id.clone(), edge)),
                _ => None,
            })
            .map(|(other, edge)| LineageLink {
                other,
                edge,
                on: self.on,
            })
            .collect();
        // A merger is recorded on both streams, and a successor formed by it also says
        // "formed-from": show each other locality once, by the edge that names the change.
        links.sort_by_key(|l| (l.other.clone(), l.edge.kind == "formed-from"));
        links.dedup_by(|a, b| a.other == b.other);
        Ok(links)
    }
}
