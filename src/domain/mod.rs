//! The domain of ntm-tracker: criteria catalogues, localities with their lineage, and the rules
//! that grade them. Pure: no I/O, no clock, no randomness (time and ids are arguments).

pub mod catalog;
mod catalog_check;
mod catalog_gradable;
mod catalog_in_force;
mod catalog_indicator;
mod catalog_load;
mod catalog_raw;
mod catalog_shipped;
mod catalog_territory;
mod catalog_versions;
mod command;
pub mod completion;
pub mod diacritics;
pub mod event;
pub mod law;
pub mod law_dates;
pub mod lineage;
pub mod locality;
pub mod measure;
pub mod profile;
pub mod reading_value;
pub mod recognised;
pub mod rules;
pub mod standing;
pub mod sweep;
pub mod terms;
pub mod territory;
pub mod tree;
pub mod values;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;

use catalog::SetCode;
pub use law::LawRule;
use locality::LocalityId;
use measure::IndicatorKind;
use values::{CriterionCode, DecisionNumber, IndicatorCode};

/// Every way a command, an invariant or a value can be refused by the domain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("invalid {field} {value:?}: expected {expected}")]
    Invalid {
        field: &'static str,
        value: String,
        expected: &'static str,
    },
    #[error("locality {0} has not been established")]
    NotEstablished(LocalityId),
    #[error("locality {0} is already established")]
    AlreadyEstablished(LocalityId),
    #[error("effective date {effective_on} is after today ({today})")]
    EffectiveInFuture {
        effective_on: NaiveDate,
        today: NaiveDate,
    },
    #[error("effective date {effective_on} is before the locality existed ({established_on})")]
    BeforeEstablishment {
        effective_on: NaiveDate,
        established_on: NaiveDate,
    },
    #[error("locality ended on {ended_on}; no fact can take effect on {effective_on}")]
    LocalityEnded {
        effective_on: NaiveDate,
        ended_on: NaiveDate,
    },
    #[error("criteria set {0} is not in the catalogue")]
    UnknownSet(SetCode),
    #[error("criteria set {set} does not apply to a locality of kind {kind}")]
    SetNotApplicable { set: SetCode, kind: String },
    #[error("locality is not enrolled in criteria set {0}")]
    NotEnrolled(SetCode),
    #[error("criteria set {set} has no indicator {indicator}")]
    UnknownIndicator {
        set: SetCode,
        indicator: IndicatorCode,
    },
    #[error("criteria set {set} has no criterion or condition {criterion}")]
    UnknownCriterion {
        set: SetCode,
        criterion: CriterionCode,
    },
    #[error("indicator {indicator} takes a {expected} value, got a {found} value")]
    ValueKindMismatch {
        indicator: IndicatorCode,
        expected: IndicatorKind,
        found: IndicatorKind,
    },
    #[error("refused by rule CRITERIA_NOT_MET: recognition under {set} needs every criterion officially met; not met: {unmet:?}")]
    CriteriaNotMet {
        set: SetCode,
        unmet: Vec<CriterionCode>,
    },
    #[error("no recognition decision {0} is held by this locality")]
    RecognitionNotFound(DecisionNumber),
    #[error("recognition decision {0} is already revoked")]
    RecognitionAlreadyRevoked(DecisionNumber),
    #[error("decision {0} is already recorded on this locality")]
    DuplicateDecision(DecisionNumber),
    #[error("refused by rule ACKNOWLEDGES_PENDING_ONLY: a decision acknowledged is not a predecessor recognition pending acknowledgement")]
    NothingToAcknowledge,
    /// A write the programme's law forbids, naming the rule it breaks.
    #[error("refused by rule {rule} ({}): {detail}", rule.statement())]
    Law { rule: law::LawRule, detail: String },
    #[error("stream has no event at version {0}")]
    UnknownVersion(u64),
    #[error("event at version {version} ({event_type}) cannot be retracted")]
    NotRetractable {
        version: u64,
        event_type: &'static str,
    },
    #[error("event at version {0} is already retracted")]
    AlreadyRetracted(u64),
    #[error("{field} must not be empty")]
    Empty { field: &'static str },
    #[error(
        "a lineage change needs distinct localities; {0} appears twice or as its own successor"
    )]
    DuplicateLocality(LocalityId),
    #[error("locality {0} is not among the loaded localities")]
    LocalityNotLoaded(LocalityId),
    #[error("code {code} is held by locality {holder} on {on}")]
    CodeInUse {
        code: values::LocalityCode,
        holder: LocalityId,
        on: NaiveDate,
    },
    #[error("locality {locality} cannot be placed under {parent} from {on}: {parent} is {locality} or lies below it")]
    ParentCycle {
        locality: LocalityId,
        parent: LocalityId,
        on: NaiveDate,
    },
    #[error("parent {parent} does not exist on {on} (never established, not yet, or ended)")]
    ParentNotAlive { parent: LocalityId, on: NaiveDate },
    #[error(
        "the parent chain above {parent} on {on} is deeper than {} levels",
        tree::MAX_TREE_DEPTH
    )]
    ParentChainTooDeep { parent: LocalityId, on: NaiveDate },
}

impl DomainError {
    /// What is wrong, as a stable name a front end can word in its language
    /// (`extensions.problem`); the law's refusals name their rule as well.
    pub fn problem(&self) -> &'static str {
        match self {
            Self::Invalid { .. } => "INVALID",
            Self::NotEstablished(_) => "NOT_ESTABLISHED",
            Self::AlreadyEstablished(_) => "ALREADY_ESTABLISHED",
            Self::EffectiveInFuture { .. } => "EFFECTIVE_IN_FUTURE",
            Self::BeforeEstablishment { .. } => "BEFORE_ESTABLISHMENT",
            Self::LocalityEnded { .. } => "LOCALITY_ENDED",
            Self::UnknownSet(_) => "UNKNOWN_SET",
            Self::SetNotApplicable { .. } => "SET_NOT_APPLICABLE",
            Self::NotEnrolled(_) => "NOT_ENROLLED",
            Self::UnknownIndicator { .. } => "UNKNOWN_INDICATOR",
            Self::UnknownCriterion { .. } => "UNKNOWN_CRITERION",
            Self::ValueKindMismatch { .. } => "VALUE_KIND_MISMATCH",
            Self::CriteriaNotMet { .. } => "CRITERIA_NOT_MET",
            Self::RecognitionNotFound(_) => "RECOGNITION_NOT_FOUND",
            Self::RecognitionAlreadyRevoked(_) => "RECOGNITION_ALREADY_REVOKED",
            Self::DuplicateDecision(_) => "DUPLICATE_DECISION",
            Self::NothingToAcknowledge => "NOTHING_TO_ACKNOWLEDGE",
            Self::Law { .. } => "LAW",
            Self::UnknownVersion(_) => "UNKNOWN_VERSION",
            Self::NotRetractable { .. } => "NOT_RETRACTABLE",
            Self::AlreadyRetracted(_) => "ALREADY_RETRACTED",
            Self::Empty { .. } => "EMPTY",
            Self::DuplicateLocality(_) => "DUPLICATE_LOCALITY",
            Self::LocalityNotLoaded(_) => "LOCALITY_NOT_LOADED",
            Self::CodeInUse { .. } => "CODE_IN_USE",
            Self::ParentCycle { .. } => "PARENT_CYCLE",
            Self::ParentNotAlive { .. } => "PARENT_NOT_ALIVE",
            Self::ParentChainTooDeep { .. } => "PARENT_CHAIN_TOO_DEEP",
        }
    }

    /// The rule of the programme's law the refusal names, if it is one.
    pub fn law_rule(&self) -> Option<LawRule> {
        match self {
            Self::Law { rule, .. } => Some(*rule),
            Self::CriteriaNotMet { .. } => Some(LawRule::CriteriaNotMet),
            Self::NothingToAcknowledge => Some(LawRule::AcknowledgesPendingOnly),
            _ => None,
        }
    }
}
