//! The typed details of progress events: enrolments, readings, assessments, council votes,
//! recognitions, revocations and acknowledgements.

use async_graphql::SimpleObject;

use super::attachments::Attachment;
use super::criterion_standing::MeasuredValue;
use super::enums::{AssessmentLevel, RecognitionLevel};
use super::event_details::{details, text};
use super::scalars::Date;
use crate::domain::event::{
    AppraisalVoted, CriterionAssessed, Evidence as DomainEvidence, IndicatorRecorded,
    ProgrammeEnrolled, RecognitionAcknowledged, RecognitionGranted, RecognitionRevoked,
};

/// Where a recorded fact comes from (căn cứ).
#[derive(SimpleObject)]
pub struct Evidence {
    /// A document number.
    pub document: Option<String>,
    /// A file reference.
    pub file_ref: Option<String>,
    /// A note.
    pub note: Option<String>,
    /// The files behind the fact, each checked against its SHA-256 when downloaded.
    pub attachments: Vec<Attachment>,
}

impl From<&DomainEvidence> for Evidence {
    fn from(e: &DomainEvidence) -> Self {
        Evidence {
            document: e.document.clone(),
            file_ref: e.file_ref.clone(),
            note: e.note.clone(),
            attachments: e.attachments.iter().map(Attachment::from).collect(),
        }
    }
}

details!(
    /// Đăng ký về đích (`PROGRAMME_ENROLLED`).
    ProgrammeEnrolled as e => ProgrammeEnrolledDetails {
        /// The day it holds from.
        effective_on: Date = Date(e.effective_on),
        /// The criteria set.
        set: String = text(&e.set),
        /// The year the unit aims to reach the standard.
        target_year: i32 = i32::from(e.target_year),
        /// The legal act, if any.
        legal_act: Option<String> = e.legal_act.as_ref().map(text),
    }
);

details!(
    /// A reading of one indicator (`INDICATOR_RECORDED`).
    IndicatorRecorded as e => IndicatorRecordedDetails {
        /// The day the reading is true from.
        effective_on: Date = Date(e.effective_on),
        /// The criteria set.
        set: String = text(&e.set),
        /// The indicator's code, e.g. `17.8`.
        indicator: String = text(&e.indicator),
        /// The reading, typed by the indicator's kind.
        value: MeasuredValue = MeasuredValue::from(&e.value),
        /// Its evidence.
        evidence: Evidence = (&e.evidence).into(),
    }
);

details!(
    /// An assessment of a criterion (`CRITERION_ASSESSED`).
    CriterionAssessed as e => CriterionAssessedDetails {
        /// The day the assessment holds from.
        effective_on: Date = Date(e.effective_on),
        /// The criteria set.
        set: String = text(&e.set),
        /// The criterion's (or condition's) code.
        criterion: String = text(&e.criterion),
        /// Met or not.
        met: bool = e.met,
        /// Who assessed it.
        level: AssessmentLevel = e.level.into(),
        /// Its evidence.
        evidence: Evidence = (&e.evidence).into(),
    }
);

details!(
    /// The appraisal council's vote (`APPRAISAL_VOTED`).
    AppraisalVoted as e => AppraisalVotedDetails {
        /// The day of the vote.
        effective_on: Date = Date(e.effective_on),
        /// The criteria set.
        set: String = text(&e.set),
        /// The level voted on.
        level: RecognitionLevel = e.level.into(),
        /// Percentage of members in favour.
        in_favour: f64 = f64::from(e.in_favour),
        /// Its evidence.
        evidence: Evidence = (&e.evidence).into(),
    }
);

details!(
    /// A recognition decision (`RECOGNITION_GRANTED`).
    RecognitionGranted as e => RecognitionGrantedDetails {
        /// The day it holds from.
        effective_on: Date = Date(e.effective_on),
        /// The decision's number, e.g. `1763/QĐ-UBND`.
        decision: String = text(&e.decision),
        /// The day it was signed.
        signed_on: Date = Date(e.signed_on),
        /// The issuing body.
        issuer: String = e.issuer.clone(),
        /// Who signed it.
        signer: String = e.signer.clone(),
        /// The criteria set it was granted under.
        set: String = text(&e.set),
        /// The level granted.
        level: RecognitionLevel = e.level.into(),
        /// The standard year ("đạt chuẩn năm …"), which differs from the signing date.
        standard_year: i32 = i32::from(e.standard_year),
        /// Đợt, e.g. "đợt 1 năm 2024".
        batch: Option<String> = e.batch.clone(),
        /// Lĩnh vực nổi trội, for kiểu mẫu.
        outstanding_field: Option<String> = e.outstanding_field.clone(),
        /// Why it was granted although its criteria did not support it.
        override_reason: Option<String> = e.override_reason.clone(),
    }
);

details!(
    /// Thu hồi quyết định công nhận (`RECOGNITION_REVOKED`).
    RecognitionRevoked as e => RecognitionRevokedDetails {
        /// The day it holds from.
        effective_on: Date = Date(e.effective_on),
        /// The revoking decision.
        decision: String = text(&e.decision),
        /// The decision revoked.
        revoked: String = text(&e.revoked),
        /// Why.
        reason: String = e.reason.clone(),
        /// The body that issued the revoking decision (empty in old events).
        issuer: String = e.issuer.clone(),
    }
);

details!(
    /// Thừa nhận đạt chuẩn after a merger (`RECOGNITION_ACKNOWLEDGED`).
    RecognitionAcknowledged as e => RecognitionAcknowledgedDetails {
        /// The day it holds from.
        effective_on: Date = Date(e.effective_on),
        /// The acknowledging decision.
        decision: String = text(&e.decision),
        /// The criteria set.
        set: String = text(&e.set),
        /// The level acknowledged.
        level: RecognitionLevel = e.level.into(),
        /// The standard year.
        standard_year: i32 = i32::from(e.standard_year),
        /// The predecessors' decisions it covers.
        acknowledges: Vec<String> = e.acknowledges.iter().map(text).collect(),
    }
);
