//! The inputs of the progress mutations and their translation into domain actions. Values
//! are parsed once here (codes, decision numbers, percentages); the domain checks the rest.

use std::str::FromStr;

use async_graphql::{InputObject, OneofObject, ID};

use super::enums::{AssessmentLevel, RecognitionLevel};
use super::scalars::Date;
use super::ApiError;
use crate::domain::event::*;
use crate::domain::locality::{LocalityAction, LocalityId};
use crate::domain::measure::{IndicatorValue, Percent};
use crate::domain::DomainError;

pub fn parse<T: FromStr<Err = DomainError>>(value: &str) -> Result<T, ApiError> {
    value.parse().map_err(ApiError::from)
}

pub fn locality_id(id: &ID, field: &str) -> Result<LocalityId, ApiError> {
    id.parse().map_err(|_| {
        ApiError::validation(
            field,
            format!("{:?} is not a locality id (UUID)", id.as_str()),
        )
    })
}

pub fn year(value: i32, field: &str) -> Result<u16, ApiError> {
    u16::try_from(value)
        .ok()
        .filter(|y| (1900..=2100).contains(y))
        .ok_or_else(|| ApiError::validation(field, format!("{value} is not a year")))
}

fn percent(value: f64, field: &str) -> Result<Percent, ApiError> {
    Percent::try_from(value).map_err(|_| {
        ApiError::validation(
            field,
            format!("{value} is not a percentage from 0 to 100 with at most two decimals"),
        )
    })
}

/// Where a recorded fact comes from (căn cứ).
#[derive(InputObject, Clone, Debug, Default)]
pub struct EvidenceInput {
    /// Document number, e.g. `45/BC-UBND`.
    pub document: Option<String>,
    pub file_ref: Option<String>,
    pub note: Option<String>,
}

impl From<Option<EvidenceInput>> for Evidence {
    fn from(e: Option<EvidenceInput>) -> Self {
        let e = e.unwrap_or_default();
        Evidence {
            document: e.document,
            file_ref: e.file_ref,
            note: e.note,
        }
    }
}

/// A reading: exactly one of the fields, matching the indicator's kind.
#[derive(OneofObject, Clone, Debug)]
pub enum ReadingInput {
    /// 0 to 100, at most two decimals.
    Percent(f64),
    Number(f64),
    /// 0 to 2147483647.
    Count(i64),
    /// For yes/no indicators (đạt / không đạt).
    Flag(bool),
}

impl ReadingInput {
    fn value(&self) -> Result<IndicatorValue, ApiError> {
        let value = match *self {
            Self::Percent(p) => IndicatorValue::percent(p),
            Self::Number(n) => IndicatorValue::number(n),
            Self::Count(n) => IndicatorValue::count(n),
            Self::Flag(b) => Ok(IndicatorValue::Boolean(b)),
        };
        value.map_err(ApiError::from)
    }
}

/// Fields every progress mutation shares.
#[derive(InputObject, Clone, Debug)]
#[graphql(name = "CommandOptions")]
pub struct Common {
    pub locality: ID,
    /// The stream version the client last saw; a VERSION_CONFLICT error if it moved on.
    pub expected_version: Option<i64>,
    /// A fresh key per command (e.g. a UUID); a retry with the same key returns the first
    /// result and records nothing twice. Namespaced by the token.
    pub idempotency_key: String,
}

#[derive(InputObject)]
pub struct EnrolLocalityInput {
    #[graphql(flatten)]
    pub common: Common,
    pub set: String,
    pub target_year: i32,
    pub effective_on: Date,
    pub legal_act: Option<String>,
}

#[derive(InputObject)]
pub struct RecordIndicatorReadingInput {
    #[graphql(flatten)]
    pub common: Common,
    pub set: String,
    pub indicator: String,
    pub value: ReadingInput,
    pub effective_on: Date,
    pub evidence: Option<EvidenceInput>,
}

#[derive(InputObject)]
pub struct AssessCriterionInput {
    #[graphql(flatten)]
    pub common: Common,
    pub set: String,
    pub criterion: String,
    pub met: bool,
    pub level: AssessmentLevel,
    pub effective_on: Date,
    pub evidence: Option<EvidenceInput>,
}

#[derive(InputObject)]
pub struct RecordAppraisalVoteInput {
    #[graphql(flatten)]
    pub common: Common,
    pub set: String,
    pub level: RecognitionLevel,
    /// Share of the council in favour, 0 to 100.
    pub in_favour: f64,
    pub effective_on: Date,
    pub evidence: Option<EvidenceInput>,
}

#[derive(InputObject)]
pub struct GrantRecognitionInput {
    #[graphql(flatten)]
    pub common: Common,
    /// Decision number, e.g. `1763/QĐ-UBND`.
    pub decision: String,
    pub signed_on: Date,
    pub issuer: String,
    pub signer: String,
    pub set: String,
    pub level: RecognitionLevel,
    /// "Đạt chuẩn năm …": differs from the signing date.
    pub standard_year: i32,
    /// Đợt, e.g. "đợt 1 năm 2024".
    pub batch: Option<String>,
    /// Lĩnh vực nổi trội, for kiểu mẫu.
    pub outstanding_field: Option<String>,
    /// Why it is granted although not every criterion is officially met.
    pub override_reason: Option<String>,
    pub effective_on: Date,
}

#[derive(InputObject)]
pub struct RevokeRecognitionInput {
    #[graphql(flatten)]
    pub common: Common,
    /// The revoking decision.
    pub decision: String,
    /// The decision revoked.
    pub revoked: String,
    pub reason: String,
    /// The body that issued the revoking decision (e.g. "UBND tỉnh Hà Tĩnh").
    pub issuer: String,
    pub effective_on: Date,
}

#[derive(InputObject)]
pub struct AcknowledgeAfterMergerInput {
    #[graphql(flatten)]
    pub common: Common,
    pub decision: String,
    pub set: String,
    pub level: RecognitionLevel,
    pub standard_year: i32,
    /// The predecessor decisions this acknowledgement (thừa nhận) covers.
    pub acknowledges: Vec<String>,
    pub effective_on: Date,
}

impl EnrolLocalityInput {
    pub fn action(&self) -> Result<LocalityAction, ApiError> {
        Ok(LocalityAction::Enrol(ProgrammeEnrolled {
            effective_on: self.effective_on.0,
            set: parse(&self.set)?,
            target_year: year(self.target_year, "targetYear")?,
            legal_act: self.legal_act.as_deref().map(parse).transpose()?,
        }))
    }
}

impl RecordIndicatorReadingInput {
    pub fn action(&self) -> Result<LocalityAction, ApiError> {
        Ok(LocalityAction::RecordIndicator(IndicatorRecorded {
            effective_on: self.effective_on.0,
            set: parse(&self.set)?,
            indicator: parse(&self.indicator)?,
            value: self.value.value()?,
            evidence: self.evidence.clone().into(),
        }))
    }
}

impl AssessCriterionInput {
    pub fn action(&self) -> Result<LocalityAction, ApiError> {
        Ok(LocalityAction::AssessCriterion(CriterionAssessed {
            effective_on: self.effective_on.0,
            set: parse(&self.set)?,
            criterion: parse(&self.criterion)?,
            met: self.met,
            level: self.level.into(),
            evidence: self.evidence.clone().into(),
        }))
    }
}

impl RecordAppraisalVoteInput {
    pub fn action(&self) -> Result<LocalityAction, ApiError> {
        Ok(LocalityAction::RecordAppraisalVote(AppraisalVoted {
            effective_on: self.effective_on.0,
            set: parse(&self.set)?,
            level: self.level.into(),
            in_favour: percent(self.in_favour, "inFavour")?,
            evidence: self.evidence.clone().into(),
        }))
    }
}

impl GrantRecognitionInput {
    pub fn action(&self) -> Result<LocalityAction, ApiError> {
        Ok(LocalityAction::GrantRecognition(RecognitionGranted {
            effective_on: self.effective_on.0,
            decision: parse(&self.decision)?,
            signed_on: self.signed_on.0,
            issuer: self.issuer.clone(),
            signer: self.signer.clone(),
            set: parse(&self.set)?,
            level: self.level.into(),
            standard_year: year(self.standard_year, "standardYear")?,
            batch: self.batch.clone(),
            outstanding_field: self.outstanding_field.clone(),
            override_reason: self.override_reason.clone(),
        }))
    }
}

impl RevokeRecognitionInput {
    pub fn action(&self) -> Result<LocalityAction, ApiError> {
        Ok(LocalityAction::RevokeRecognition(RecognitionRevoked {
            effective_on: self.effective_on.0,
            decision: parse(&self.decision)?,
            revoked: parse(&self.revoked)
                .map_err(|_| ApiError::validation("revoked", "not a decision number"))?,
            reason: self.reason.clone(),
            issuer: self.issuer.clone(),
        }))
    }
}

impl AcknowledgeAfterMergerInput {
    pub fn action(&self) -> Result<LocalityAction, ApiError> {
        Ok(LocalityAction::AcknowledgeRecognition(
            RecognitionAcknowledged {
                effective_on: self.effective_on.0,
                decision: parse(&self.decision)?,
                set: parse(&self.set)?,
                level: self.level.into(),
                standard_year: year(self.standard_year, "standardYear")?,
                acknowledges: self
                    .acknowledges
                    .iter()
                    .map(|d| {
                        parse(d).map_err(|_| {
                            ApiError::validation("acknowledges", "not a decision number")
                        })
                    })
                    .collect::<Result<_, _>>()?,
            },
        ))
    }
}
