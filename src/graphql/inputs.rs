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
    /// Reference of the supporting file in the office's records (hồ sơ), as the office files it.
    pub file_ref: Option<String>,
    /// Free text, e.g. how the figure was measured.
    pub note: Option<String>,
    /// Files uploaded first with `POST /tep`, named by the SHA-256 it answered.
    pub attachments: Option<Vec<super::attachments::AttachmentInput>>,
}

impl EvidenceInput {
    /// The files the input attaches (none when absent).
    pub fn attached(evidence: &Option<EvidenceInput>) -> &[super::attachments::AttachmentInput] {
        evidence
            .as_ref()
            .and_then(|e| e.attachments.as_deref())
            .unwrap_or_default()
    }
}

impl From<Option<EvidenceInput>> for Evidence {
    fn from(e: Option<EvidenceInput>) -> Self {
        let e = e.unwrap_or_default();
        Evidence {
            document: e.document,
            file_ref: e.file_ref,
            note: e.note,
            attachments: Vec::new(),
        }
    }
}

/// A reading: exactly one of the fields, matching the indicator's kind.
#[derive(OneofObject, Clone, Debug)]
pub enum ReadingInput {
    /// 0 to 100, at most two decimals.
    Percent(f64),
    /// A quantity in the indicator's `unit` (e.g. million VND per person per year), kept to
    /// three decimals; finite and below 10^12 in size.
    Number(f64),
    /// 0 to 2147483647.
    Count(i64),
    /// For yes/no indicators (đạt / không đạt).
    Flag(bool),
}

impl ReadingInput {
    pub(super) fn value(&self) -> Result<IndicatorValue, ApiError> {
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
    /// Id (UUID) of the locality the fact is about: malformed is `VALIDATION` (`field:
    /// locality`), unknown `NOT_FOUND`, outside the token's scope on the fact's date `FORBIDDEN`.
    pub locality: ID,
    /// The stream version the client last saw; a VERSION_CONFLICT error if it moved on.
    pub expected_version: Option<i64>,
    /// A fresh key per command (e.g. a UUID); a retry with the same key returns the first
    /// result and records nothing twice. Namespaced by the token.
    pub idempotency_key: String,
}

/// Đăng ký về đích: the locality registers to reach a criteria set's standard in a target year.
#[derive(InputObject)]
pub struct EnrolLocalityInput {
    #[graphql(flatten)]
    pub common: Common,
    /// Criteria set code, e.g. `NTM-XA-2021-2025`; unknown, or not for the locality's kind on
    /// `effectiveOn`: `VALIDATION` (`field: set`).
    pub set: String,
    /// The year it plans to reach the standard (năm về đích), 1900 to 2100 (`VALIDATION`,
    /// `field: targetYear`).
    pub target_year: i32,
    /// Valid date the fact holds from: not after today (Vietnam's date), not before the
    /// locality was established, before its end (`VALIDATION`, `field: effectiveOn`).
    pub effective_on: Date,
    /// Number of the act registering it, e.g. `45/QĐ-UBND`; optional.
    pub legal_act: Option<String>,
}

/// A reading of one indicator (chỉ tiêu) of a set the locality is enrolled in; the latest
/// reading effective by a date grades the indicator on that date.
#[derive(InputObject)]
pub struct RecordIndicatorReadingInput {
    #[graphql(flatten)]
    pub common: Common,
    /// Criteria set code, e.g. `NTM-XA-2021-2025`; unknown, or a set the locality is not
    /// enrolled in: `VALIDATION` (`field: set`).
    pub set: String,
    /// Indicator code in the set, e.g. `17.8`; not in the set: `VALIDATION` (`field: indicator`).
    pub indicator: String,
    /// The reading, of the indicator's `kind` (`IndicatorDefinition.kind`); another kind, or a
    /// value out of range, is `VALIDATION` (`field: value`).
    pub value: ReadingInput,
    /// The date the reading holds from (valid time): not after today (Vietnam's date), not
    /// before the locality was established, before its end (`VALIDATION`, `field: effectiveOn`).
    pub effective_on: Date,
    /// Where the fact comes from (căn cứ); optional.
    pub evidence: Option<EvidenceInput>,
}

/// Đánh giá tiêu chí: an assessment of one criterion (or level condition) as met or not. It sets
/// the official status when its level is at least as high as the current one's, or when it finds
/// the criterion not met (monitoring at any level can lower a status).
#[derive(InputObject)]
pub struct AssessCriterionInput {
    #[graphql(flatten)]
    pub common: Common,
    /// Criteria set code, e.g. `NTM-XA-2021-2025`; unknown, or a set the locality is not
    /// enrolled in: `VALIDATION` (`field: set`).
    pub set: String,
    /// Code of a criterion or a level condition of the set, e.g. `17`; not in the set:
    /// `VALIDATION` (`field: criterion`).
    pub criterion: String,
    /// True: đạt (met); false: không đạt (not met).
    pub met: bool,
    /// Who assessed it.
    pub level: AssessmentLevel,
    /// Valid date the fact holds from: not after today (Vietnam's date), not before the
    /// locality was established, before its end (`VALIDATION`, `field: effectiveOn`).
    pub effective_on: Date,
    /// Where the fact comes from (căn cứ); optional.
    pub evidence: Option<EvidenceInput>,
}

/// Bỏ phiếu thẩm định: the appraisal council's vote on recognising the locality at a level.
/// A grant of that set and level needs the latest vote by its date above 50 % in favour (rule
/// `COUNCIL_VOTE_BELOW_MAJORITY`) unless it gives an override reason.
#[derive(InputObject)]
pub struct RecordAppraisalVoteInput {
    #[graphql(flatten)]
    pub common: Common,
    /// Criteria set code, e.g. `NTM-XA-2021-2025`; unknown, or a set the locality is not
    /// enrolled in: `VALIDATION` (`field: set`).
    pub set: String,
    /// The level voted on.
    pub level: RecognitionLevel,
    /// Share of the council in favour, in percent: 0 to 100 with at most two decimals
    /// (`VALIDATION`, `field: inFavour`).
    pub in_favour: f64,
    /// The day of the vote: not after today (Vietnam's date), not before the locality was
    /// established, before its end (`VALIDATION`, `field: effectiveOn`).
    pub effective_on: Date,
    /// Where the fact comes from (căn cứ); optional.
    pub evidence: Option<EvidenceInput>,
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
