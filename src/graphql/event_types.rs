//! `EventType`: every kind of event the log holds, for `Event.type` and the feed's filters.

use async_graphql::Enum;

/// Declares the event-type enum with the stored names of the events, each variant documented.
macro_rules! event_types {
    ($($(#[$doc:meta])* $variant:ident,)+) => {
        /// Kind of an event (`Event.type`); `Event.eventType` is its stored name
        /// (`IndicatorRecorded`, …). Each kind has its typed fields in `Event.details`.
        #[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum EventType { $($(#[$doc])* $variant,)+ }

        impl EventType {
            pub const ALL: &'static [EventType] = &[$(Self::$variant,)+];

            /// Every kind's name in the schema (`LOCALITY_ESTABLISHED`, …), in its order.
            pub fn schema_names() -> impl Iterator<Item = &'static str> {
                <Self as async_graphql::EnumType>::items().iter().map(|item| item.name)
            }

            /// The name stored beside the payload.
            pub fn stored_name(self) -> &'static str {
                match self { $(Self::$variant => stringify!($variant),)+ }
            }

            /// The kind of a stored name; none for a name this build does not know.
            pub fn from_stored(name: &str) -> Option<Self> {
                match name {
                    $(stringify!($variant) => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

event_types!(
    /// The unit comes into the register (thành lập), or is registered from a baseline.
    LocalityEstablished,
    /// Đổi tên: the unit takes a new name.
    LocalityRenamed,
    /// Chuyển loại đơn vị: the unit changes kind, e.g. xã → phường.
    LocalityReclassified,
    /// The unit takes a new official code, or its code is retired.
    LocalityRecoded,
    /// The unit moves under another parent (or under none, after 1/7/2025).
    LocalityTransferred,
    /// The threshold region, commune group or special status the unit is graded against.
    ThresholdAssigned,
    /// Sáp nhập: the unit ends, merged into a successor.
    MergedInto,
    /// The unit is the successor of a merger of other units.
    LocalitiesMerged,
    /// Chia tách: parts are formed from the unit.
    LocalitySplit,
    /// Giải thể: the unit is dissolved.
    LocalityDissolved,
    /// Đăng ký về đích: registration to reach a set's standard in a target year.
    ProgrammeEnrolled,
    /// A reading of one indicator (chỉ tiêu).
    IndicatorRecorded,
    /// An assessment of a criterion (tiêu chí) as met or not, by a level of authority.
    CriterionAssessed,
    /// The appraisal council's vote (bỏ phiếu của hội đồng thẩm định).
    AppraisalVoted,
    /// A recognition decision (quyết định công nhận).
    RecognitionGranted,
    /// Thu hồi quyết định công nhận: a recognition revoked.
    RecognitionRevoked,
    /// Thừa nhận đạt chuẩn after a merger.
    RecognitionAcknowledged,
    /// An erroneous event withdrawn; the original stays in the log.
    EventRetracted,
    /// An access token created (auditors and admins only).
    TokenCreated,
    /// An access token revoked (auditors and admins only).
    TokenRevoked,
    /// A person's account created (auditors and admins only).
    UserCreated,
    /// A person's account disabled (auditors and admins only).
    UserDisabled,
    /// A person's password replaced (auditors and admins only).
    UserPasswordReset,
    /// A person signed in (auditors and admins only).
    SessionStarted,
    /// A person signed out (auditors and admins only).
    SessionEnded,
    /// A criteria set, or a new version of one, published.
    CriteriaSetPublished,
    /// A report file issued (báo cáo): the SHA-256 of its bytes recorded.
    ReportIssued,
);

#[cfg(test)]
mod tests {
    use super::EventType;
    use crate::app::catalog::CRITERIA_SET_PUBLISHED;
    use crate::auth::session::{SESSION_ENDED, SESSION_STARTED};
    use crate::auth::token::{TOKEN_CREATED, TOKEN_REVOKED};
    use crate::auth::user::{USER_CREATED, USER_DISABLED, USER_PASSWORD_RESET};
    use crate::domain::locality::LocalityEvent;

    #[test]
    fn every_stored_event_type_has_its_kind() {
        let others = [
            TOKEN_CREATED,
            TOKEN_REVOKED,
            USER_CREATED,
            USER_DISABLED,
            USER_PASSWORD_RESET,
            SESSION_STARTED,
            SESSION_ENDED,
            CRITERIA_SET_PUBLISHED,
            crate::app::reports::REPORT_ISSUED,
        ];
        for name in LocalityEvent::TYPES.iter().chain(&others) {
            let kind = EventType::from_stored(name);
            assert_eq!(kind.map(EventType::stored_name), Some(*name));
        }
        assert_eq!(EventType::from_stored("Counted"), None);
    }
}
