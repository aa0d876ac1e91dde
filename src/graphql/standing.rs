//! A locality's standing against one criteria set, served the same way whether it comes from
//! the read tables (present) or from the domain's bitemporal `standing` over the stream.

use async_graphql::{ComplexObject, Context, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::enums::{
    from_spelling, AssessmentLevel, IndicatorKind, RecognitionLevel, RevocationRisk, Status,
};
use super::scalars::Date;
use super::{api, scope};
use crate::domain::catalog::Catalog;
use crate::domain::measure::IndicatorValue;
use crate::domain::standing::{CriterionStanding, IndicatorStanding, Standing};
use crate::domain::terms::{AssessmentLevel as DomainAssessment, RecognitionLevel as DomainLevel};
use crate::projection::rows::{CriterionRow, IndicatorRow, StandingRow};

/// A typed reading or target.
#[derive(SimpleObject, Clone, Debug)]
pub struct MeasuredValue {
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
    pub code: String,
    pub status: Status,
    pub reading: Option<MeasuredValue>,
    pub read_on: Option<Date>,
    pub target: Option<MeasuredValue>,
}

/// One criterion (tiêu chí) or level condition: the official status (latest assessment of the
/// highest level) beside the status computed from readings.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "CriterionStanding", complex)]
pub struct CriterionView {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// Tiêu chí then chốt: counts for the revocation rule.
    pub is_key: bool,
    /// A condition gating a higher level (e.g. kiểu mẫu), not one of the set's criteria.
    pub is_condition: bool,
    /// The official status when there is one, else the computed one.
    pub status: Status,
    pub computed: Status,
    pub official: Option<Status>,
    pub official_level: Option<AssessmentLevel>,
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
                Ok(rows
                    .iter()
                    .filter(|r| &r.set_code == set && r.criterion == self.code)
                    .map(indicator_from_row)
                    .collect())
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

fn criterion_from_domain(c: &CriterionStanding, is_condition: bool) -> CriterionView {
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

fn criterion_from_row(row: &CriterionRow, catalog: &Catalog) -> CriterionView {
    let set = row.set_code.parse().ok().and_then(|s| catalog.get(&s));
    let criterion = set.and_then(|s| row.criterion.parse().ok().and_then(|c| s.assessable(&c)));
    CriterionView {
        code: row.criterion.clone(),
        name_vi: criterion.map(|c| c.name_vi.clone()).unwrap_or_default(),
        name_en: criterion.map(|c| c.name_en.clone()).unwrap_or_default(),
        is_key: set
            .zip(row.criterion.parse().ok())
            .is_some_and(|(s, c)| s.is_key(&c)),
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

/// The recognition (công nhận) in force for the set's highest recognised level.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "Recognition")]
pub struct RecognitionView {
    pub level: RecognitionLevel,
    pub decision: String,
    pub recognised_on: Date,
    /// The standard year ("đạt chuẩn năm 2019"), which differs from the signing date.
    pub standard_year: i32,
    /// Đợt, e.g. "đợt 1 năm 2024" (kept in the read tables only).
    pub batch: Option<String>,
}

/// Standing of a locality for one criteria set on a date, as known at a time.
pub struct StandingView {
    pub locality: String,
    pub set: String,
    pub on: Date,
    pub known_at: Option<DateTime<Utc>>,
    pub exists: bool,
    pub enrolled: bool,
    pub criteria_met: i32,
    pub criteria_total: i32,
    pub level_reached: Option<RecognitionLevel>,
    pub recognition: Option<RecognitionView>,
    pub at_risk: Option<RevocationRisk>,
    pub pending_acknowledgement: i32,
    /// `None` when projected: loaded only when asked for.
    pub criteria: Option<Vec<CriterionView>>,
}

impl StandingView {
    pub fn from_row(row: &StandingRow) -> Self {
        let level = from_spelling(row.recognised_level.as_deref(), DomainLevel::from_spelling);
        StandingView {
            locality: row.locality_id.clone(),
            set: row.set_code.clone(),
            on: Date(row.as_of),
            known_at: None,
            exists: row.exists_on,
            enrolled: row.enrolled,
            criteria_met: row.criteria_met,
            criteria_total: row.criteria_total,
            level_reached: from_spelling(row.level_reached.as_deref(), DomainLevel::from_spelling),
            recognition: level
                .zip(row.recognition.clone())
                .zip(row.recognised_on)
                .map(|((level, decision), on)| RecognitionView {
                    level,
                    decision,
                    recognised_on: Date(on),
                    standard_year: row.standard_year.unwrap_or_default(),
                    batch: row.recognition_batch.clone(),
                }),
            at_risk: row
                .at_risk
                .as_deref()
                .and_then(RevocationRisk::from_spelling),
            pending_acknowledgement: row.pending_acknowledgement,
            criteria: None,
        }
    }

    pub fn from_domain(locality: &str, s: &Standing, known_at: DateTime<Utc>) -> Self {
        let held = s
            .recognitions
            .iter()
            .filter(|r| r.set == s.set)
            .max_by_key(|r| (r.level, r.effective_on, r.version));
        let criteria = s.criteria.iter().map(|c| criterion_from_domain(c, false));
        let conditions = s.conditions.iter().map(|c| criterion_from_domain(c, true));
        StandingView {
            locality: locality.to_owned(),
            set: s.set.to_string(),
            on: Date(s.on),
            known_at: Some(known_at),
            exists: s.exists,
            enrolled: s.enrolled,
            criteria_met: i32::try_from(s.criteria_met).unwrap_or(i32::MAX),
            criteria_total: i32::try_from(s.criteria_total).unwrap_or(i32::MAX),
            level_reached: s.level_reached.map(Into::into),
            recognition: held.map(|r| RecognitionView {
                level: r.level.into(),
                decision: r.decision.to_string(),
                recognised_on: Date(r.effective_on),
                standard_year: i32::from(r.standard_year),
                batch: None,
            }),
            at_risk: s.at_risk.map(Into::into),
            pending_acknowledgement: i32::try_from(s.pending_acknowledgement.len()).unwrap_or(0),
            criteria: Some(criteria.chain(conditions).collect()),
        }
    }
}

/// Standing of a locality against one criteria set (bộ tiêu chí) on a date, as known at a time.
#[Object(name = "Standing")]
impl StandingView {
    async fn locality_id(&self) -> &str {
        &self.locality
    }
    /// Code of the criteria set, e.g. `NTM-XA-2021-2025`.
    async fn set(&self) -> &str {
        &self.set
    }
    /// The valid date graded (for the present standing: the day it was last projected).
    async fn on(&self) -> Date {
        self.on
    }
    /// The transaction time it is known at; null for the present standing of the read tables.
    async fn known_at(&self) -> Option<DateTime<Utc>> {
        self.known_at
    }
    /// The locality existed on the date.
    async fn exists(&self) -> bool {
        self.exists
    }
    /// Registered to reach this set's standard (đăng ký).
    async fn enrolled(&self) -> bool {
        self.enrolled
    }
    async fn criteria_met(&self) -> i32 {
        self.criteria_met
    }
    async fn criteria_total(&self) -> i32 {
        self.criteria_total
    }
    /// The level its criteria reach (null when not all are met or the set is transcribed in part).
    async fn level_reached(&self) -> Option<RecognitionLevel> {
        self.level_reached
    }
    /// The recognition decision held for this set, if any.
    async fn recognition(&self) -> Option<&RecognitionView> {
        self.recognition.as_ref()
    }
    /// Null when the revocation rule does not apply (not recognised at the set's level).
    async fn at_risk(&self) -> Option<RevocationRisk> {
        self.at_risk
    }
    /// Recognitions carried over by a merger and not yet acknowledged (thừa nhận): not held.
    async fn pending_acknowledgement(&self) -> i32 {
        self.pending_acknowledgement
    }
    /// Every criterion, then every level condition.
    async fn criteria(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CriterionView>> {
        if let Some(list) = &self.criteria {
            return Ok(list.clone());
        }
        let catalog = &api(ctx)?.catalog;
        let rows = scope(ctx)?
            .loaders
            .criteria
            .load_one(self.locality.clone())
            .await
            .map_err(super::ApiError::internal)?
            .unwrap_or_default();
        let mut list: Vec<CriterionView> = rows
            .iter()
            .filter(|r| r.set_code == self.set)
            .map(|r| criterion_from_row(r, catalog))
            .collect();
        list.sort_by_key(|c| c.is_condition);
        Ok(list)
    }
}
