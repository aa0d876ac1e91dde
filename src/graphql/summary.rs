//! `summary`: the roll-up of a parent's units as offices report them, with the denominator
//! stated, broken down by child, and compared with a second date.

use async_graphql::{ComplexObject, Context, Enum, SimpleObject};
use chrono::NaiveDate;

use super::completion::{CompletionView, DistrictTally};
use super::criterion_count::CriterionCount;
use super::enums::RecognitionLevel;
use super::locality::{load_locality_on, LocalityNode};
use super::scalars::Date;
use super::summary_order::order_children;
pub use super::summary_order::SummaryOrder;
use crate::domain::catalog::{Catalog, CriteriaSet};
use crate::domain::terms::{LocalityKind, RecognitionLevel as DomainLevel};
use crate::domain::territory::Territory;

/// Which programme's units a roll-up counts.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum Programme {
    /// Nông thôn mới: communes (xã), graded by the commune set in force.
    NongThonMoi,
    /// Văn minh đô thị: wards (phường) and towns (thị trấn), graded by the urban set in force.
    VanMinhDoThi,
    /// Khu dân cư kiểu mẫu: villages (thôn, tổ dân phố, khu dân cư), graded by the model-area
    /// set in force.
    KhuDanCu,
    /// Chỉ tiêu địa phương: every commune-level unit (xã, phường, thị trấn, đặc khu), graded by
    /// a local target list a province or city publishes (`set`, or the list in force).
    ChiTieuDiaPhuong,
}

impl Programme {
    pub fn kinds(self) -> &'static [LocalityKind] {
        match self {
            Programme::NongThonMoi => &[LocalityKind::Commune],
            Programme::VanMinhDoThi => &[LocalityKind::Ward, LocalityKind::Township],
            Programme::KhuDanCu => &[LocalityKind::Village],
            Programme::ChiTieuDiaPhuong => &[
                LocalityKind::Commune,
                LocalityKind::Ward,
                LocalityKind::Township,
                LocalityKind::SpecialZone,
            ],
        }
    }

    /// The levels reported, lowest first.
    pub(super) fn levels(self) -> &'static [DomainLevel] {
        match self {
            Programme::NongThonMoi => &[
                DomainLevel::Ntm,
                DomainLevel::NtmNangCao,
                DomainLevel::NtmKieuMau,
                DomainLevel::NtmHienDai,
            ],
            Programme::VanMinhDoThi => &[
                DomainLevel::DoThiVanMinh,
                DomainLevel::VanMinhDoThi,
                DomainLevel::VanMinhDoThiKieuMau,
            ],
            Programme::KhuDanCu => &[DomainLevel::KhuDanCuKieuMau],
            Programme::ChiTieuDiaPhuong => &[DomainLevel::ChiTieuDiaPhuong],
        }
    }

    /// The set that grades on `on` the programme's first kind inside `territory` (a parent's:
    /// the province's own sets grade the units under it): [`Catalog::programme_set`], or for
    /// local target lists the list in force there that took effect last.
    pub fn set_in_force<'c>(
        self,
        catalog: &'c Catalog,
        on: NaiveDate,
        territory: &Territory,
    ) -> Option<&'c CriteriaSet> {
        let kind = self.kinds()[0];
        match self {
            Programme::ChiTieuDiaPhuong => {
                catalog.grading_set(kind, DomainLevel::ChiTieuDiaPhuong, on, territory)
            }
            _ => catalog.programme_set(kind, on, territory),
        }
    }
}

/// Units holding a level (or one above it) under one parent.
#[derive(SimpleObject)]
pub struct LevelCount {
    /// The recognition level counted, one of the programme's.
    pub level: RecognitionLevel,
    /// Units holding this level or one that includes it (a kiểu mẫu commune is also nâng cao
    /// and NTM), as reports count them.
    pub units: i64,
    /// `units` as a percentage of the summary's `units` (0–100; 0 when it has none).
    pub percent: f64,
    /// Units whose highest level is this one.
    pub exactly: i64,
    /// `units` minus the same count on `compareTo`; null without it.
    pub change: Option<i64>,
}

/// Units whose criteria met fall in one band of the grading set (e.g. 15–18 of 19).
#[derive(SimpleObject)]
pub struct BandCount {
    /// The fewest criteria met in the band (inclusive).
    pub from: i32,
    /// The most criteria met in the band (inclusive).
    pub to: i32,
    /// Units whose criteria met, against the grading set, fall in the band.
    pub units: i64,
    /// `units` as a percentage of the summary's `units` (0–100; 0 when it has none).
    pub percent: f64,
}

/// Roll-up of the units of a programme's kinds under one locality on a date: every unit that
/// exists there then counts, with or without data (`units`, the denominator of every %).
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Summary {
    #[graphql(skip)]
    pub locality_id: String,
    /// The valid date (Vietnam's calendar day) the figures are of: the `on` asked for, a date
    /// of a series, or `compareTo` in `previous`.
    pub on: Date,
    /// The programme whose units and levels are counted.
    pub programme: Programme,
    /// The set in force that graded the criteria (`criteria*`, `bands`, `below`); null when
    /// none is in force on the date.
    pub set: Option<String>,
    /// Criteria in the grading set, conditions not counted; 0 when no set is in force.
    pub criteria_total: i32,
    /// Units of the programme's kinds existing under the locality on the date.
    pub units: i64,
    /// Units with at least one criterion met or not met in the grading set.
    pub units_with_data: i64,
    /// Per level of the programme, lowest first.
    pub levels: Vec<LevelCount>,
    /// Units holding no level of the programme.
    pub unrecognised: i64,
    /// Criteria met per unit against the grading set, over every unit (no data counts 0).
    pub average_criteria_met: f64,
    /// `averageCriteriaMet` minus the same on `compareTo`; null without it.
    pub average_criteria_met_change: Option<f64>,
    /// Units per report band of the grading set (criteria met), in the set's order; empty when
    /// the set has no bands or no set is in force.
    pub bands: Vec<BandCount>,
    /// Units meeting fewer than `belowCriteria` criteria.
    pub below: i64,
    /// Units holding a recognition the revocation rule (QĐ 18/2022) finds at risk.
    pub at_risk: i64,
    /// Units holding a recognition whose risk cannot be assessed for criteria without data.
    pub cannot_be_assessed: i64,
    /// Units formed by a merger whose predecessors' recognitions await acknowledgement.
    pub pending_acknowledgement: i64,
    /// Units meeting each criterion, then each condition, in the order the set lists them.
    pub criteria_passed: Vec<CriterionCount>,
    /// Each child's figures: see the field `children`.
    #[graphql(skip)]
    pub children: Vec<Summary>,
    /// The same figures on `compareTo`; null without it.
    pub previous: Option<Box<Summary>>,
    /// For a district or province on a date when QĐ 320 / QĐ 321 are in force: its level
    /// computed from its units and its own grades; in a province, each district child's too.
    pub completion: Option<CompletionView>,
    /// For a province: its huyện, thị xã and thành phố by recognised level and by computed
    /// completion.
    pub districts: Option<DistrictTally>,
}

#[ComplexObject]
impl Summary {
    /// The locality summed up, as it was on the date (its name, code and kind then): the
    /// localities of a page of summaries are read together, in one batch.
    async fn locality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<LocalityNode>> {
        load_locality_on(ctx, &self.locality_id, Some(self.on.0)).await
    }

    /// The same figures for each child of the locality on the date with at least one unit
    /// (each district of a province, or each commune-level unit), without their own children,
    /// ordered by `orderBy` (default: by the child's code on the date, the order of the
    /// official lists), ties by id.
    async fn children(
        &self,
        ctx: &Context<'_>,
        #[graphql(default, desc = "What the children are ordered by (default `CODE`).")]
        order_by: SummaryOrder,
        #[graphql(
            default,
            desc = "Reverse the order (default false); a child without a code or name stays last."
        )]
        descending: bool,
    ) -> async_graphql::Result<Vec<&Summary>> {
        order_children(ctx, &self.children, order_by, descending).await
    }
}
