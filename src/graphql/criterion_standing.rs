//! Criteria and indicators inside a standing, from the read tables or from the domain.

use async_graphql::{ComplexObject, Context, SimpleObject};

use super::enums::{from_spelling, AssessmentLevel, IndicatorKind, Status};
use super::scalars::Date;
use super::scope;
use crate::domain::catalog::CriteriaSet;
use crate::domain::measure::IndicatorValue;
use crate::domain::standing::{CriterionStanding, IndicatorStanding};
use crate::domain::terms::AssessmentLevel as DomainAssessment;
use crate::domain::values::CriterionCode;
use crate::projection::rows::{CriterionRow, IndicatorRow};

/// A typed reading or target.
#[derive(SimpleObject, Clone, Debug)]
pub struct MeasuredValue {
    /// Which of `value` and `flag` holds it.
    pub kind: IndicatorKind,
    /// The number, for percent, number and count indicators.
    pub value: Option<f64>,
    /// The answer, for yes/no indicators.
    pub flag: Option<bool>,
    /// As a coordinator would write it, e.g. `85.5 %`.
    pub text: String,
}

impl From<&IndicatorValue> for MeasuredValue {
    fn from(v: &IndicatorValue) -> Self {
        let (value, flag) = match v {
            IndicatorValue::Percent(p) => (Some(f64::from(*p)), None),
            IndicatorValue::Number(q) => (Some(f64::from(*q)), None),
            IndicatorValue::Count(n) => (Some(*n as f64), None),
            IndicatorValue::Boolean(b) => (None, Some(*b)),
        };
        MeasuredValue {
            kind: v.kind().into(),
            value,
            flag,
            text: v.to_string(),
        }
    }
}

fn measured(json: Option<&str>) -> Option<MeasuredValue> {
    json.and_then(|j| serde_json::from_str::<IndicatorValue>(j).ok())
        .map(|v| MeasuredValue::from(&v))
}

/// One indicator (chỉ tiêu): its latest reading on the date, the target that applies, the grade.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "IndicatorStanding")]
pub struct IndicatorView {
    /// Indicator code in the set, e.g. `17.8`.
    pub code: String,
    /// The reading against the target: `UNKNOWN` without a reading or a target value.
    pub status: Status,
    /// The latest reading effective by the standing's date; null: none recorded.
    pub reading: Option<MeasuredValue>,
    /// The valid date of that reading (its `effectiveOn`).
    pub read_on: Option<Date>,
    /// The target that applies to the locality's region or group in the standing's year; null
    /// when none applies or its figure is unknown.
    pub target: Option<MeasuredValue>,
}

/// One criterion (tiêu chí) or level condition: the official status (from its assessments)
/// beside the status computed from readings.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "CriterionStanding", complex)]
pub struct CriterionView {
    /// Criterion or condition code in the set, e.g. `17`.
    pub code: String,
    /// Name in Vietnamese, as the legal act words it.
    pub name_vi: String,
    /// Name in English (the catalogue's translation).
    pub name_en: String,
    /// Tiêu chí then chốt: counts for the revocation rule.
    pub is_key: bool,
    /// A condition gating a higher level (e.g. kiểu mẫu), not one of the set's criteria.
    pub is_condition: bool,
    /// The official status when there is one, else the computed one.
    pub status: Status,
    /// Computed from readings: `MET` when every indicator is met, `NOT_MET` when one fails,
    /// otherwise `UNKNOWN` (also when the criterion has no indicators).
    pub computed: Status,
    /// From the assessments effective by the date, in valid-time order: a later one replaces
    /// the current one when its level is at least as high or it finds the criterion not met.
    /// Null: no assessment.
    pub official: Option<Status>,
    /// The level of the assessment that gives `official`.
    pub official_level: Option<AssessmentLevel>,
    /// The valid date of that assessment (its `effectiveOn`).
    pub official_on: Option<Date>,
    /// Official and computed statuses are both known and disagree.
    pub differs: bool,
    #[graphql(skip)]
    pub indicators: Indicators,
}

#[derive(Clone, Debug)]
pub enum Indicators {
    Ready(Vec<IndicatorView>),
    /// In the read tables, loaded only when asked for.
    Projected {
        locality: String,
        set: String,
    },
}

#[ComplexObject]
impl CriterionView {
    /// Its indicators (chỉ tiêu) with readings, targets and grades, in catalogue order.
    async fn indicators(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<IndicatorView>> {
        match &self.indicators {
            Indicators::Ready(list) => Ok(list.clone()),
            Indicators::Projected { locality, set } => {
                let rows = scope(ctx)?
                    .loaders
                    .indicators
                    .load_one(locality.clone())
                    .await
                    .map_err(super::ApiError::internal)?
                    .unwrap_or_default();
                let mut list: Vec<IndicatorView> = rows
                    .iter()
                    .filter(|r| &r.set_code == set && r.criterion == self.code)
                    .map(indicator_from_row)
                    .collect();
                // The catalogue's order (the rows have none: an engine returns them as stored).
                let catalog = super::api(ctx)?.catalog.current();
                let criterion = super::streams::criteria_set(&catalog, set)
                    .ok()
                    .zip(self.code.parse::<CriterionCode>().ok())
                    .and_then(|(s, code)| s.assessable(&code));
                let order = |code: &str| {
                    criterion
                        .iter()
                        .flat_map(|c| &c.indicators)
                        .position(|i| i.code.as_str() == code)
                        .unwrap_or(usize::MAX)
                };
                list.sort_by_cached_key(|i| order(&i.code));
                Ok(list)
            }
        }
    }
}

fn indicator_from_row(row: &IndicatorRow) -> IndicatorView {
    IndicatorView {
        code: row.indicator.clone(),
        status: Status::from_spelling(&row.status),
        reading: measured(row.reading.as_deref()),
        read_on: row.read_on.map(Date),
        target: measured(row.target.as_deref()),
    }
}

fn indicator_from_domain(i: &IndicatorStanding) -> IndicatorView {
    IndicatorView {
        code: i.code.to_string(),
        status: i.status.into(),
        reading: i.reading.as_ref().map(|r| MeasuredValue::from(&r.value)),
        read_on: i.reading.as_ref().map(|r| Date(r.effective_on)),
        target: i.target.as_ref().map(MeasuredValue::from),
    }
}

pub fn criterion_from_domain(c: &CriterionStanding, is_condition: bool) -> CriterionView {
    CriterionView {
        code: c.code.to_string(),
        name_vi: c.name_vi.clone(),
        name_en: c.name_en.clone(),
        is_key: c.is_key,
        is_condition,
        status: c.status.into(),
        computed: c.computed.into(),
        official: c
            .official
            .as_ref()
            .map(|a| crate::domain::rules::Status::from_met(a.met).into()),
        official_level: c.official.as_ref().map(|a| a.level.into()),
        official_on: c.official.as_ref().map(|a| Date(a.effective_on)),
        differs: c.differs,
        indicators: Indicators::Ready(c.indicators.iter().map(indicator_from_domain).collect()),
    }
}

/// A criterion of the read tables, named from `set`, the catalogue's set of the row.
pub fn criterion_from_row(row: &CriterionRow, set: Option<&CriteriaSet>) -> CriterionView {
    let code: Option<CriterionCode> = row.criterion.parse().ok();
    let in_set = set.zip(code.as_ref());
    let criterion = in_set.and_then(|(s, c)| s.assessable(c));
    CriterionView {
        code: row.criterion.clone(),
        name_vi: criterion.map(|c| c.name_vi.clone()).unwrap_or_default(),
        name_en: criterion.map(|c| c.name_en.clone()).unwrap_or_default(),
        is_key: in_set.is_some_and(|(s, c)| s.is_key(c)),
        is_condition: row.is_condition,
        status: Status::from_spelling(&row.status),
        computed: Status::from_spelling(&row.computed),
        official: row.official.as_deref().map(Status::from_spelling),
        official_level: from_spelling(
            row.official_level.as_deref(),
            DomainAssessment::from_spelling,
        ),
        official_on: row.official_on.map(Date),
        differs: row.differs,
        indicators: Indicators::Projected {
            locality: row.locality_id.clone(),
            set: row.set_code.clone(),
        },
    }
}
