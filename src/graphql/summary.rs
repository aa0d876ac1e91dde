//! `summary`: the roll-up of a parent's units as offices report them, with the denominator
//! stated, broken down by child, and compared with a second date.

use async_graphql::{ComplexObject, Context, Enum, SimpleObject};
use chrono::NaiveDate;

use super::completion::{CompletionView, DistrictTally};
use super::criterion_count::CriterionCount;
use super::enums::RecognitionLevel;
use super::locality::{load_locality_on, LocalityNode};
use super::scalars::Date;
use crate::domain::catalog::{Catalog, CriteriaSet};
use crate::domain::terms::{LocalityKind, RecognitionLevel as DomainLevel};
use crate::domain::territory::Territory;
use crate::projection::read::{Figures, Rollup};

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
    fn levels(self) -> &'static [DomainLevel] {
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
    pub level: RecognitionLevel,
    /// Units holding this level or one that includes it (a kiểu mẫu commune is also nâng cao
    /// and NTM), as reports count them.
    pub units: i64,
    pub percent: f64,
    /// Units whose highest level is this one.
    pub exactly: i64,
    /// `units` minus the same count on `compareTo`; null without it.
    pub change: Option<i64>,
}

/// Units whose criteria met fall in one band of the grading set (e.g. 15–18 of 19).
#[derive(SimpleObject)]
pub struct BandCount {
    pub from: i32,
    pub to: i32,
    pub units: i64,
    pub percent: f64,
}

/// Roll-up of the units of a programme's kinds under one locality on a date: every unit that
/// exists there then counts, with or without data (`units`, the denominator of every %).
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Summary {
    #[graphql(skip)]
    pub locality_id: String,
    pub on: Date,
    pub programme: Programme,
    /// The set in force that graded the criteria (`criteria*`, `bands`, `below`); null when
    /// none is in force on the date.
    pub set: Option<String>,
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
    /// The same figures for each child of the locality on the date with at least one unit
    /// (each district of a province, or each commune-level unit), without their own children.
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
    /// The locality summed up, as it was on the date.
    async fn locality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<LocalityNode>> {
        load_locality_on(ctx, &self.locality_id, Some(self.on.0)).await
    }
}

/// What the figures are of.
pub struct Question<'a> {
    pub programme: Programme,
    pub set: Option<&'a CriteriaSet>,
}

impl Summary {
    /// The summary of a roll-up, its children's, and the comparison with `previous`.
    /// The summary of `now`, and with `previous` (the roll-up of another date and the question
    /// it answers: that date may be graded by another set) the change since then.
    pub fn of(
        question: &Question<'_>,
        parent: &str,
        now: &Rollup,
        previous: Option<(&Question<'_>, &Rollup)>,
    ) -> Self {
        let earlier = previous.map(|(_, rollup)| rollup);
        let mut summary = Self::figures(
            question,
            parent,
            now.on,
            &now.total,
            earlier.map(|p| &p.total),
        );
        summary.children = now
            .children
            .iter()
            .map(|(child, figures)| {
                let before = earlier.and_then(|p| p.children.iter().find(|(c, _)| c == child));
                Self::figures(question, child, now.on, figures, before.map(|(_, f)| f))
            })
            .collect();
        summary.previous =
            previous.map(|(question, rollup)| Box::new(Self::of(question, parent, rollup, None)));
        summary
    }

    fn figures(
        question: &Question<'_>,
        locality: &str,
        on: NaiveDate,
        f: &Figures,
        before: Option<&Figures>,
    ) -> Self {
        let holding = |figures: &Figures, level: DomainLevel, exactly: bool| -> i64 {
            figures
                .levels
                .iter()
                .filter_map(|(spelled, units)| {
                    let held = spelled.as_deref().and_then(DomainLevel::from_spelling)?;
                    let counts = if exactly {
                        held == level
                    } else {
                        held.includes(level)
                    };
                    counts.then_some(*units)
                })
                .sum()
        };
        let levels: Vec<LevelCount> = question
            .programme
            .levels()
            .iter()
            .map(|level| {
                let units = holding(f, *level, false);
                LevelCount {
                    level: (*level).into(),
                    units,
                    percent: f.percent(units),
                    exactly: holding(f, *level, true),
                    change: before.map(|b| units - holding(b, *level, false)),
                }
            })
            .collect();
        let recognised: i64 = levels.iter().map(|l| l.exactly).sum();
        let set = question.set;
        let bands = set.map(|s| s.bands.as_slice()).unwrap_or_default();
        Summary {
            locality_id: locality.to_owned(),
            on: Date(on),
            programme: question.programme,
            set: set.map(|s| s.code.to_string()),
            criteria_total: set.map_or(0, |s| i32::try_from(s.criteria.len()).unwrap_or(i32::MAX)),
            units: f.units,
            units_with_data: f.with_data,
            unrecognised: f.units - recognised,
            average_criteria_met: f.average_criteria_met(),
            average_criteria_met_change: before
                .map(|b| f.average_criteria_met() - b.average_criteria_met()),
            bands: bands
                .iter()
                .zip(&f.bands)
                .map(|(band, units)| BandCount {
                    from: i32::try_from(band.from).unwrap_or(i32::MAX),
                    to: i32::try_from(band.to).unwrap_or(i32::MAX),
                    units: *units,
                    percent: f.percent(*units),
                })
                .collect(),
            below: f.below,
            at_risk: f.at_risk,
            cannot_be_assessed: f.cannot_be_assessed,
            pending_acknowledgement: f.pending_acknowledgement,
            criteria_passed: f
                .criteria_passed
                .iter()
                .map(|(criterion, units)| {
                    CriterionCount::of(set, criterion, *units, f.percent(*units))
                })
                .collect(),
            levels,
            children: Vec::new(),
            previous: None,
            completion: None,
            districts: None,
        }
    }
}
