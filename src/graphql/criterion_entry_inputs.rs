//! The input of `recordCriterionEntry`: a criterion's indicator readings and, if given, its
//! assessment, for one locality, recorded as one atomic append (the data-entry form's
//! submission, issue 21).

use async_graphql::{InputObject, ID};

use super::attachments::attach;
use super::enums::AssessmentLevel;
use super::inputs::{locality_id, parse, EvidenceInput, ReadingInput};
use super::scalars::Date;
use super::ApiError;
use crate::app::Plan;
use crate::blobs::BlobStore;
use crate::domain::event::*;
use crate::domain::locality::LocalityAction;
use crate::domain::values::SetCode;

/// One indicator's reading within a criterion's entry.
#[derive(InputObject)]
pub struct EntryReadingInput {
    /// Indicator code in the set, e.g. `17.8`.
    pub indicator: String,
    /// The reading, of the indicator's kind (`field: value`).
    pub value: ReadingInput,
    /// The date it holds from; the entry's `effectiveOn` when absent.
    pub effective_on: Option<Date>,
    /// Where it comes from (số văn bản, …).
    pub evidence: Option<EvidenceInput>,
}

/// The criterion's assessment within its entry.
#[derive(InputObject)]
pub struct EntryAssessmentInput {
    /// Đạt (true) or không đạt (false).
    pub met: bool,
    /// Who assessed it.
    pub level: AssessmentLevel,
    /// The date it holds from; the entry's `effectiveOn` when absent.
    pub effective_on: Option<Date>,
    /// Where it comes from (số văn bản, …).
    pub evidence: Option<EvidenceInput>,
}

/// A criterion's entry for one locality: its readings (each checked as
/// `recordIndicatorReading` checks it) and an optional assessment (as `assessCriterion`),
/// all written or none. A refusal names the item at fault in `extensions.item` (its index:
/// the readings in order, then the assessment) besides `field` and `rule`.
#[derive(InputObject)]
pub struct RecordCriterionEntryInput {
    /// Id (UUID) of the locality.
    pub locality: ID,
    /// Criteria set code, e.g. `NTM-XA-2021-2025`: one the locality is enrolled in.
    pub set: String,
    /// The criterion (tiêu chí) assessed, e.g. `17`.
    pub criterion: String,
    /// The date each item holds from unless it gives its own.
    pub effective_on: Date,
    /// The readings, at most 200 (an empty list with an assessment records the assessment).
    pub readings: Vec<EntryReadingInput>,
    /// The criterion's assessment (đánh giá tiêu chí), recorded after the readings; none: the
    /// readings only.
    pub assessment: Option<EntryAssessmentInput>,
    /// A fresh key per submission: a retry with it returns the first result.
    pub idempotency_key: String,
}

/// How many readings one entry may carry.
const MAX_READINGS: usize = 200;

impl RecordCriterionEntryInput {
    /// The locality's commands: the readings in order, then the assessment, each with the
    /// files its evidence attaches (checked in `blobs`).
    pub async fn plan(&self, blobs: &BlobStore) -> Result<Plan, ApiError> {
        let id = locality_id(&self.locality, "locality")?;
        let set: SetCode = parse(&self.set)?;
        let criterion = parse(&self.criterion)?;
        if self.readings.len() > MAX_READINGS {
            return Err(ApiError::validation(
                "readings",
                format!("at most {MAX_READINGS} readings"),
            ));
        }
        if self.readings.is_empty() && self.assessment.is_none() {
            return Err(ApiError::validation(
                "readings",
                "give at least one reading or the assessment",
            ));
        }
        let on = |date: &Option<Date>| date.as_ref().map_or(self.effective_on.0, |d| d.0);
        let mut actions = Vec::with_capacity(self.readings.len() + 1);
        let at = |item: usize| {
            let locality = id.to_string();
            move |inner: ApiError| ApiError::At {
                locality,
                item,
                inner: Box::new(inner),
            }
        };
        for (item, reading) in self.readings.iter().enumerate() {
            let action = LocalityAction::RecordIndicator(IndicatorRecorded {
                effective_on: on(&reading.effective_on),
                set: set.clone(),
                indicator: parse(&reading.indicator).map_err(at(item))?,
                value: reading.value.value().map_err(at(item))?,
                evidence: reading.evidence.clone().into(),
            });
            let files = EvidenceInput::attached(&reading.evidence);
            actions.push(attach(blobs, action, files).await.map_err(at(item))?);
        }
        if let Some(assessment) = &self.assessment {
            let action = LocalityAction::AssessCriterion(CriterionAssessed {
                effective_on: on(&assessment.effective_on),
                set,
                criterion,
                met: assessment.met,
                level: assessment.level.into(),
                evidence: assessment.evidence.clone().into(),
            });
            let files = EvidenceInput::attached(&assessment.evidence);
            let item = self.readings.len();
            actions.push(attach(blobs, action, files).await.map_err(at(item))?);
        }
        Ok(vec![(id, actions)])
    }
}
