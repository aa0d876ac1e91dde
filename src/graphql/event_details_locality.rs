//! The typed details of lineage events: a unit established, renamed, reclassified, re-coded,
//! transferred, re-thresholded, merged, split or dissolved.

use async_graphql::ID;

use super::enums::{CommuneGroup, LocalityKind, RecognitionLevel, SpecialStatus, ThresholdRegion};
use super::event_details::{details, id, text};
use super::scalars::Date;
use crate::domain::event::{
    LocalitiesMerged, LocalityDissolved, LocalityEstablished, LocalityReclassified,
    LocalityRecoded, LocalityRenamed, LocalitySplit, LocalityTransferred, MergedInto,
    PredecessorRecognition as DomainPredecessor, ThresholdAssigned,
};

details!(
    /// The unit comes into the register (`LOCALITY_ESTABLISHED`).
    LocalityEstablished as e => LocalityEstablishedDetails {
        /// The day it exists from.
        effective_on: Date = Date(e.effective_on),
        /// The legal act that established it; null for a unit registered from a baseline.
        legal_act: Option<String> = e.legal_act.as_ref().map(text),
        /// Its name.
        name: String = e.name.clone(),
        /// Its kind.
        kind: LocalityKind = e.kind.into(),
        /// Its official code, if it has one.
        code: Option<String> = e.code.as_ref().map(text),
        /// Its parent, if it has one.
        parent: Option<ID> = e.parent.as_ref().map(id),
        /// The threshold region it is graded against.
        threshold_region: Option<ThresholdRegion> = e.threshold_region.map(Into::into),
        /// The commune group it is graded against (QĐ 51/2025/QĐ-TTg).
        commune_group: Option<CommuneGroup> = e.commune_group.map(Into::into),
        /// The units it was formed from by a merger or a split.
        formed_from: Vec<ID> = e.formed_from.iter().map(id).collect(),
    }
);

details!(
    /// Đổi tên (`LOCALITY_RENAMED`).
    LocalityRenamed as e => LocalityRenamedDetails {
        /// The day the name holds from.
        effective_on: Date = Date(e.effective_on),
        /// The legal act.
        legal_act: String = text(&e.legal_act),
        /// The new name.
        name: String = e.name.clone(),
    }
);

details!(
    /// Chuyển loại đơn vị (`LOCALITY_RECLASSIFIED`).
    LocalityReclassified as e => LocalityReclassifiedDetails {
        /// The day the kind holds from.
        effective_on: Date = Date(e.effective_on),
        /// The legal act.
        legal_act: String = text(&e.legal_act),
        /// The new kind.
        kind: LocalityKind = e.kind.into(),
    }
);

details!(
    /// A new official code, or the code retired (`LOCALITY_RECODED`).
    LocalityRecoded as e => LocalityRecodedDetails {
        /// The day the code holds from.
        effective_on: Date = Date(e.effective_on),
        /// The legal act.
        legal_act: String = text(&e.legal_act),
        /// The new code; null: the code is retired.
        code: Option<String> = e.code.as_ref().map(text),
    }
);

details!(
    /// Moved under another parent (`LOCALITY_TRANSFERRED`).
    LocalityTransferred as e => LocalityTransferredDetails {
        /// The day the parent holds from.
        effective_on: Date = Date(e.effective_on),
        /// The legal act.
        legal_act: String = text(&e.legal_act),
        /// The new parent; null: none (a commune after 1/7/2025).
        parent: Option<ID> = e.parent.as_ref().map(id),
    }
);

details!(
    /// The thresholds the unit is graded against from a date (`THRESHOLD_ASSIGNED`).
    ThresholdAssigned as e => ThresholdAssignedDetails {
        /// The day they hold from.
        effective_on: Date = Date(e.effective_on),
        /// The threshold region.
        region: Option<ThresholdRegion> = e.region.map(Into::into),
        /// The commune group.
        group: Option<CommuneGroup> = e.group.map(Into::into),
        /// Why, when recorded.
        reason: Option<String> = e.reason.clone(),
        /// The special-commune status; null: not special.
        special: Option<SpecialStatus> = e.special.map(Into::into),
    }
);

details!(
    /// The unit ends, merged into a successor (`MERGED_INTO`).
    MergedInto as e => MergedIntoDetails {
        /// The day of the merger.
        effective_on: Date = Date(e.effective_on),
        /// The legal act.
        legal_act: String = text(&e.legal_act),
        /// The unit it merged into.
        successor: ID = id(&e.successor),
    }
);

details!(
    /// A recognition a predecessor held at a merger, pending acknowledgement.
    DomainPredecessor as e => PredecessorRecognition {
        /// The predecessor that held it.
        locality: ID = id(&e.locality),
        /// The recognition decision.
        decision: String = text(&e.decision),
        /// The criteria set it was granted under.
        set: String = text(&e.set),
        /// The level.
        level: RecognitionLevel = e.level.into(),
        /// The standard year.
        standard_year: i32 = i32::from(e.standard_year),
    }
);

details!(
    /// The unit is the successor of a merger (`LOCALITIES_MERGED`).
    LocalitiesMerged as e => LocalitiesMergedDetails {
        /// The day of the merger.
        effective_on: Date = Date(e.effective_on),
        /// The legal act.
        legal_act: String = text(&e.legal_act),
        /// The units merged.
        sources: Vec<ID> = e.sources.iter().map(id).collect(),
        /// The recognitions the sources held, pending acknowledgement.
        predecessor_recognitions: Vec<PredecessorRecognition> =
            e.predecessor_recognitions.iter().map(Into::into).collect(),
    }
);

details!(
    /// Chia tách (`LOCALITY_SPLIT`).
    LocalitySplit as e => LocalitySplitDetails {
        /// The day of the split.
        effective_on: Date = Date(e.effective_on),
        /// The legal act.
        legal_act: String = text(&e.legal_act),
        /// The units formed.
        parts: Vec<ID> = e.parts.iter().map(id).collect(),
        /// Whether the unit continues after the split.
        continues: bool = e.continues,
    }
);

details!(
    /// Giải thể (`LOCALITY_DISSOLVED`).
    LocalityDissolved as e => LocalityDissolvedDetails {
        /// The day it ends.
        effective_on: Date = Date(e.effective_on),
        /// The legal act.
        legal_act: String = text(&e.legal_act),
        /// Why.
        reason: String = e.reason.clone(),
    }
);
