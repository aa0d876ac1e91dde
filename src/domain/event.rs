//! The events of a locality's stream: lineage changes and criteria progress, each with a stable
//! name, a schema version and the date it takes effect.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::locality::LocalityId;
use super::measure::{IndicatorValue, Percent};
use super::terms::{
    AssessmentLevel, CommuneGroup, LocalityKind, RecognitionLevel, SpecialStatus, ThresholdRegion,
};
use super::values::{CriterionCode, DecisionNumber, IndicatorCode, LocalityCode, SetCode};
use super::DomainError;

/// Where a recorded fact comes from (căn cứ): a document number, a file reference, a note,
/// and the files behind it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Evidence {
    pub document: Option<String>,
    pub file_ref: Option<String>,
    pub note: Option<String>,
    /// Absent from events recorded before attachments existed, and from those without any:
    /// their bytes, and so their hashes, are unchanged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

/// A file attached to a fact (tệp đính kèm), kept in the blob store under the SHA-256 of its
/// bytes: the event names the content, so a file changed later no longer matches it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Attachment {
    /// The SHA-256 of the file's bytes, 64 lowercase hexadecimal digits.
    pub sha256: String,
    /// The file's name as the office gave it, e.g. `bien-ban-tham-dinh.pdf`.
    pub name: String,
    /// Its media type, e.g. `application/pdf`.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
}

impl Attachment {
    /// Longest file name kept, in characters.
    pub const NAME_LIMIT: usize = 200;

    /// Whether the attachment is well formed; the blob's presence is the application's check.
    pub fn check(&self) -> Result<(), DomainError> {
        let invalid = |field, value: &str, expected| DomainError::Invalid {
            field,
            value: value.to_owned(),
            expected,
        };
        let digits = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
        if self.sha256.len() != 64 || !self.sha256.chars().all(digits) {
            return Err(invalid(
                "attachment hash",
                &self.sha256,
                "64 lowercase hexadecimal digits (SHA-256)",
            ));
        }
        let name = self.name.trim();
        if name.is_empty()
            || name.chars().count() > Self::NAME_LIMIT
            || name.contains(['/', '\\'])
            || name.chars().any(char::is_control)
        {
            return Err(invalid(
                "attachment name",
                &self.name,
                "a file name of 1 to 200 characters without / or \\",
            ));
        }
        if self.media_type.trim().is_empty() || self.size == 0 {
            return Err(invalid(
                "attachment",
                &self.name,
                "a media type and a size above zero",
            ));
        }
        Ok(())
    }
}

/// The unit comes into the register (thành lập), or is registered from a baseline dataset, in
/// which case `legal_act` may be unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalityEstablished {
    pub effective_on: NaiveDate,
    pub legal_act: Option<DecisionNumber>,
    pub name: String,
    pub kind: LocalityKind,
    pub code: Option<LocalityCode>,
    pub parent: Option<LocalityId>,
    pub threshold_region: Option<ThresholdRegion>,
    pub commune_group: Option<CommuneGroup>,
    /// Predecessors when formed by a merger or a split.
    pub formed_from: Vec<LocalityId>,
}

/// Đổi tên.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalityRenamed {
    pub effective_on: NaiveDate,
    pub legal_act: DecisionNumber,
    pub name: String,
}

/// Chuyển loại đơn vị, e.g. xã → phường.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalityReclassified {
    pub effective_on: NaiveDate,
    pub legal_act: DecisionNumber,
    pub kind: LocalityKind,
}

/// A new official code, or `None` when the code is retired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalityRecoded {
    pub effective_on: NaiveDate,
    pub legal_act: DecisionNumber,
    pub code: Option<LocalityCode>,
}

/// Moved under another parent (điều chỉnh địa giới sang đơn vị khác); `None` after 1/7/2025
/// for a commune whose district was abolished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalityTransferred {
    pub effective_on: NaiveDate,
    pub legal_act: DecisionNumber,
    pub parent: Option<LocalityId>,
}

/// The threshold region or commune group the locality is graded against from a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdAssigned {
    pub effective_on: NaiveDate,
    pub region: Option<ThresholdRegion>,
    pub group: Option<CommuneGroup>,
    pub reason: Option<String>,
    /// The special-commune status from that date (none: not special); absent in events
    /// recorded before it existed, which decode as none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special: Option<SpecialStatus>,
}

/// This locality ends, merged (sáp nhập) into `successor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedInto {
    pub effective_on: NaiveDate,
    pub legal_act: DecisionNumber,
    pub successor: LocalityId,
}

/// A recognition held by a predecessor at a merger, carried over pending acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PredecessorRecognition {
    pub locality: LocalityId,
    pub decision: DecisionNumber,
    pub set: SetCode,
    pub level: RecognitionLevel,
    pub standard_year: u16,
}

/// This locality is the successor of a merger of `sources`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalitiesMerged {
    pub effective_on: NaiveDate,
    pub legal_act: DecisionNumber,
    pub sources: Vec<LocalityId>,
    pub predecessor_recognitions: Vec<PredecessorRecognition>,
}

/// Chia tách: parts were formed from this locality, which ends unless it `continues`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalitySplit {
    pub effective_on: NaiveDate,
    pub legal_act: DecisionNumber,
    pub parts: Vec<LocalityId>,
    pub continues: bool,
}

/// Giải thể.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalityDissolved {
    pub effective_on: NaiveDate,
    pub legal_act: DecisionNumber,
    pub reason: String,
}

/// Registration to reach a set's standard in a target year (đăng ký về đích).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeEnrolled {
    pub effective_on: NaiveDate,
    pub set: SetCode,
    pub target_year: u16,
    pub legal_act: Option<DecisionNumber>,
}

/// A reading of one indicator, true from `effective_on`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IndicatorRecorded {
    pub effective_on: NaiveDate,
    pub set: SetCode,
    pub indicator: IndicatorCode,
    pub value: IndicatorValue,
    pub evidence: Evidence,
}

/// An assessment of a criterion (or condition) as met or not, by a level of authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionAssessed {
    pub effective_on: NaiveDate,
    pub set: SetCode,
    pub criterion: CriterionCode,
    pub met: bool,
    pub level: AssessmentLevel,
    pub evidence: Evidence,
}

/// The appraisal council's vote (bỏ phiếu của hội đồng thẩm định).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppraisalVoted {
    pub effective_on: NaiveDate,
    pub set: SetCode,
    pub level: RecognitionLevel,
    pub in_favour: Percent,
    pub evidence: Evidence,
}

/// A recognition decision (quyết định công nhận). The standard year ("đạt chuẩn năm 2020")
/// differs from the signing date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecognitionGranted {
    pub effective_on: NaiveDate,
    pub decision: DecisionNumber,
    pub signed_on: NaiveDate,
    pub issuer: String,
    pub signer: String,
    pub set: SetCode,
    pub level: RecognitionLevel,
    pub standard_year: u16,
    /// Đợt, e.g. "đợt 1 năm 2024".
    pub batch: Option<String>,
    /// Lĩnh vực nổi trội, for kiểu mẫu.
    pub outstanding_field: Option<String>,
    /// Why it was granted although not every criterion was officially met.
    pub override_reason: Option<String>,
}

/// Thu hồi quyết định công nhận.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecognitionRevoked {
    pub effective_on: NaiveDate,
    pub decision: DecisionNumber,
    pub revoked: DecisionNumber,
    pub reason: String,
    /// The body that issued the revoking decision; empty only in events stored before it was
    /// asked for.
    #[serde(default)]
    pub issuer: String,
}

/// Thừa nhận đạt chuẩn after a merger: the successor now holds the predecessors' status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecognitionAcknowledged {
    pub effective_on: NaiveDate,
    pub decision: DecisionNumber,
    pub set: SetCode,
    pub level: RecognitionLevel,
    pub standard_year: u16,
    /// The predecessor decisions this acknowledgement covers.
    pub acknowledges: Vec<DecisionNumber>,
}

/// An erroneous event withdrawn; the original stays in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRetracted {
    /// Stream version (1-based) of the retracted event.
    pub retracted_version: u64,
    pub reason: String,
}

/// Declares the event enum with its stable type names and effective dates.
macro_rules! locality_events {
    ($($variant:ident),+ $(,)?) => {
        /// Everything that can happen to a locality; one stream per locality, serialized as JSON
        /// with a `type` tag equal to [`LocalityEvent::event_type`].
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(tag = "type")]
        pub enum LocalityEvent {
            $($variant($variant),)+
            EventRetracted(EventRetracted),
        }

        impl LocalityEvent {
            /// Every stored type name, in declaration order.
            pub const TYPES: &'static [&'static str] = &[$(stringify!($variant),)+ "EventRetracted"];

            /// Stable name stored beside the payload.
            pub fn event_type(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => stringify!($variant),)+
                    Self::EventRetracted(_) => "EventRetracted",
                }
            }

            /// The date the fact is true from; `None` for a retraction (a fact about the log).
            pub fn effective_on(&self) -> Option<NaiveDate> {
                match self {
                    $(Self::$variant(e) => Some(e.effective_on),)+
                    Self::EventRetracted(_) => None,
                }
            }
        }
    };
}

locality_events!(
    LocalityEstablished,
    LocalityRenamed,
    LocalityReclassified,
    LocalityRecoded,
    LocalityTransferred,
    ThresholdAssigned,
    MergedInto,
    LocalitiesMerged,
    LocalitySplit,
    LocalityDissolved,
    ProgrammeEnrolled,
    IndicatorRecorded,
    CriterionAssessed,
    AppraisalVoted,
    RecognitionGranted,
    RecognitionRevoked,
    RecognitionAcknowledged,
);

impl LocalityEvent {
    /// Version of the payload schema; bump it (and add an upcaster) when a payload changes.
    pub fn schema_version(&self) -> u16 {
        1
    }

    /// The evidence the fact carries: readings, assessments and council votes have one.
    pub fn evidence(&self) -> Option<&Evidence> {
        match self {
            Self::IndicatorRecorded(e) => Some(&e.evidence),
            Self::CriterionAssessed(e) => Some(&e.evidence),
            Self::AppraisalVoted(e) => Some(&e.evidence),
            _ => None,
        }
    }

    /// Lineage events change the register across streams and are never retracted; a wrong
    /// lineage entry is corrected by a new lineage event.
    pub fn is_lineage(&self) -> bool {
        matches!(
            self,
            Self::LocalityEstablished(_)
                | Self::LocalityRenamed(_)
                | Self::LocalityReclassified(_)
                | Self::LocalityRecoded(_)
                | Self::LocalityTransferred(_)
                | Self::ThresholdAssigned(_)
                | Self::MergedInto(_)
                | Self::LocalitiesMerged(_)
                | Self::LocalitySplit(_)
                | Self::LocalityDissolved(_)
        )
    }
}
