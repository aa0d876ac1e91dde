//! `Event.details`: an event's fields typed by its kind, one object per kind, read from the
//! payload through the same decoding as every reader of the log (views over the domain's
//! events; the domain itself has no GraphQL in it).

use std::fmt::Display;

use async_graphql::{Enum, Union, ID};

use super::event_details_accounts::*;
use super::event_details_locality::*;
use super::event_details_progress::*;
use super::scalars::Date;
use crate::app::catalog::{CriteriaSetPublished, CRITERIA_SET_PUBLISHED};
use crate::app::codec;
use crate::app::reports::ReportIssued;
use crate::auth::session::{SessionEnded, SessionStarted, SESSION_ENDED, SESSION_STARTED};
use crate::auth::token::{TokenCreated, TokenRevoked, TOKEN_CREATED, TOKEN_REVOKED};
use crate::auth::user::{
    UserCreated, UserDisabled, UserPasswordReset, USER_CREATED, USER_DISABLED, USER_PASSWORD_RESET,
};
use crate::auth::Role as DomainRole;
use crate::domain::event::EventRetracted;
use crate::domain::locality::{LocalityEvent, LocalityId};
use crate::store::RecordedEvent;

/// Declares the GraphQL object of one event kind and its conversion from the domain's event
/// (`$e` names the event in each field's expression).
macro_rules! details {
    ($(#[$doc:meta])* $domain:ty as $e:ident => $name:ident {
        $($(#[$fdoc:meta])* $field:ident: $ty:ty = $conv:expr,)+
    }) => {
        $(#[$doc])*
        #[derive(async_graphql::SimpleObject)]
        pub struct $name { $($(#[$fdoc])* pub $field: $ty,)+ }

        impl From<&$domain> for $name {
            fn from($e: &$domain) -> Self {
                $name { $($field: $conv,)+ }
            }
        }
    };
}
pub(super) use details;

/// A value as text (decision numbers, codes, set codes).
pub(super) fn text(value: &impl Display) -> String {
    value.to_string()
}

/// A locality's id.
pub(super) fn id(locality: &LocalityId) -> ID {
    ID(locality.to_string())
}

/// An event's fields, typed by its kind.
#[derive(Union)]
pub enum EventDetails {
    LocalityEstablished(LocalityEstablishedDetails),
    LocalityRenamed(LocalityRenamedDetails),
    LocalityReclassified(LocalityReclassifiedDetails),
    LocalityRecoded(LocalityRecodedDetails),
    LocalityTransferred(LocalityTransferredDetails),
    ThresholdAssigned(ThresholdAssignedDetails),
    MergedInto(MergedIntoDetails),
    LocalitiesMerged(LocalitiesMergedDetails),
    LocalitySplit(LocalitySplitDetails),
    LocalityDissolved(LocalityDissolvedDetails),
    ProgrammeEnrolled(ProgrammeEnrolledDetails),
    IndicatorRecorded(IndicatorRecordedDetails),
    CriterionAssessed(CriterionAssessedDetails),
    AppraisalVoted(AppraisalVotedDetails),
    RecognitionGranted(RecognitionGrantedDetails),
    RecognitionRevoked(RecognitionRevokedDetails),
    RecognitionAcknowledged(RecognitionAcknowledgedDetails),
    EventRetracted(EventRetractedDetails),
    TokenCreated(TokenCreatedDetails),
    TokenRevoked(TokenRevokedDetails),
    UserCreated(UserCreatedDetails),
    UserDisabled(UserDisabledDetails),
    UserPasswordReset(UserPasswordResetDetails),
    SessionStarted(SessionStartedDetails),
    SessionEnded(SessionEndedDetails),
    CriteriaSetPublished(CriteriaSetPublishedDetails),
    ReportIssued(ReportIssuedDetails),
}

impl EventDetails {
    /// The details of a stored event; none when this build cannot decode it.
    pub fn of(event: &RecordedEvent) -> Option<Self> {
        if event.stream_id.starts_with(crate::auth::token::CATEGORY) {
            return match event.event_type.as_str() {
                TOKEN_CREATED => Some(Self::TokenCreated(
                    (&decoded::<TokenCreated>(event)?).into(),
                )),
                TOKEN_REVOKED => Some(Self::TokenRevoked(
                    (&decoded::<TokenRevoked>(event)?).into(),
                )),
                _ => None,
            };
        }
        if crate::auth::is_identity_stream(&event.stream_id) {
            return Self::of_account(event);
        }
        if event.stream_id.starts_with(crate::app::reports::CATEGORY) {
            return (event.event_type == crate::app::reports::REPORT_ISSUED)
                .then(|| decoded::<ReportIssued>(event))
                .flatten()
                .map(|e| Self::ReportIssued((&e).into()));
        }
        if event.stream_id.starts_with(crate::app::catalog::CATEGORY) {
            return (event.event_type == CRITERIA_SET_PUBLISHED)
                .then(|| decoded::<CriteriaSetPublished>(event))
                .flatten()
                .map(|e| Self::CriteriaSetPublished((&e).into()));
        }
        codec::decode(event).ok().map(|r| Self::from(&r.event))
    }
}

impl EventDetails {
    /// The details of an account's or a session's event.
    fn of_account(event: &RecordedEvent) -> Option<Self> {
        Some(match event.event_type.as_str() {
            USER_CREATED => Self::UserCreated((&decoded::<UserCreated>(event)?).into()),
            USER_DISABLED => Self::UserDisabled((&decoded::<UserDisabled>(event)?).into()),
            USER_PASSWORD_RESET => {
                Self::UserPasswordReset((&decoded::<UserPasswordReset>(event)?).into())
            }
            SESSION_STARTED => Self::SessionStarted((&decoded::<SessionStarted>(event)?).into()),
            SESSION_ENDED => Self::SessionEnded((&decoded::<SessionEnded>(event)?).into()),
            _ => return None,
        })
    }
}

/// The payload of a token, account, session or catalogue event (schema version 1, the only one they have).
fn decoded<T: serde::de::DeserializeOwned>(event: &RecordedEvent) -> Option<T> {
    (event.schema_version == 1)
        .then(|| serde_json::from_str(&event.payload).ok())
        .flatten()
}

impl From<&LocalityEvent> for EventDetails {
    fn from(event: &LocalityEvent) -> Self {
        use LocalityEvent as E;
        match event {
            E::LocalityEstablished(e) => Self::LocalityEstablished(e.into()),
            E::LocalityRenamed(e) => Self::LocalityRenamed(e.into()),
            E::LocalityReclassified(e) => Self::LocalityReclassified(e.into()),
            E::LocalityRecoded(e) => Self::LocalityRecoded(e.into()),
            E::LocalityTransferred(e) => Self::LocalityTransferred(e.into()),
            E::ThresholdAssigned(e) => Self::ThresholdAssigned(e.into()),
            E::MergedInto(e) => Self::MergedInto(e.into()),
            E::LocalitiesMerged(e) => Self::LocalitiesMerged(e.into()),
            E::LocalitySplit(e) => Self::LocalitySplit(e.into()),
            E::LocalityDissolved(e) => Self::LocalityDissolved(e.into()),
            E::ProgrammeEnrolled(e) => Self::ProgrammeEnrolled(e.into()),
            E::IndicatorRecorded(e) => Self::IndicatorRecorded(e.into()),
            E::CriterionAssessed(e) => Self::CriterionAssessed(e.into()),
            E::AppraisalVoted(e) => Self::AppraisalVoted(e.into()),
            E::RecognitionGranted(e) => Self::RecognitionGranted(e.into()),
            E::RecognitionRevoked(e) => Self::RecognitionRevoked(e.into()),
            E::RecognitionAcknowledged(e) => Self::RecognitionAcknowledged(e.into()),
            E::EventRetracted(e) => Self::EventRetracted(e.into()),
        }
    }
}

details!(
    /// An erroneous event withdrawn (`EVENT_RETRACTED`); the original stays in the log.
    EventRetracted as e => EventRetractedDetails {
        /// Stream version (1-based) of the withdrawn event.
        retracted_version: i64 = i64::try_from(e.retracted_version).unwrap_or(i64::MAX),
        /// Why it was withdrawn.
        reason: String = e.reason.clone(),
    }
);

/// A token's role (vai trò): what it may read and record.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainRole")]
pub enum Role {
    /// Reads everything except actor identities.
    Viewer,
    /// Viewer rights plus readings, assessments and enrolments inside its scope.
    Recorder,
    /// Recorder rights plus registrations, lineage changes, votes, recognitions, revocations
    /// and acknowledgements inside its scope.
    Approver,
    /// Reads everything, including actor identities and token events.
    Auditor,
    /// Everything.
    Admin,
}

details!(
    /// An access token created (`TOKEN_CREATED`); the digest of its secret is not shown.
    TokenCreated as e => TokenCreatedDetails {
        /// The token's id.
        token_id: ID = ID(e.token_id.to_string()),
        /// Its name, recorded as the actor of what it writes.
        name: String = e.name.clone(),
        /// Its role.
        role: Role = e.role.into(),
        /// The root of the subtree it may write in; null: the whole register.
        scope: Option<ID> = e.scope.as_ref().map(id),
        /// The last day it is accepted; null: no end.
        expires_on: Option<Date> = e.expires_on.map(Date),
    }
);

details!(
    /// An access token revoked (`TOKEN_REVOKED`).
    TokenRevoked as e => TokenRevokedDetails {
        /// The revoked token's id.
        token_id: ID = ID(e.token_id.to_string()),
    }
);

details!(
    /// A criteria set version published (`CRITERIA_SET_PUBLISHED`); its file is in `payload`.
    CriteriaSetPublished as e => CriteriaSetPublishedDetails {
        /// The set's code, e.g. `NTM-XA-2021-2025`.
        code: String = e.code.clone(),
        /// The version: SHA-256 (hex) of the file.
        version: String = e.version.clone(),
        /// The file's name.
        file: String = e.file.clone(),
        /// The legal act that issued the set.
        legal_act: Option<String> = e.legal_act.clone(),
        /// The day the version takes effect.
        effective_on: Date = Date(e.effective_on),
        /// The version it supersedes, if any.
        supersedes: Option<String> = e.supersedes.clone(),
    }
);

details!(
    /// A report file issued (`REPORT_ISSUED`): what was asked and the SHA-256 of the exact
    /// bytes handed out, so that a file can be proven later to be the one sent.
    ReportIssued as e => ReportIssuedDetails {
        /// The report's id (its stream is `report/<id>`).
        report_id: ID = ID(e.report_id.to_string()),
        /// `summary`, `criteria` or `decisions`.
        kind: String = e.kind.clone(),
        /// What was asked, as JSON text: the parent's code, `on`, `compare`, `from`.
        parameters: String = e.parameters.to_string(),
        /// `xlsx` or `csv`.
        format: String = e.format.clone(),
        /// The file's name as it was handed out.
        file_name: String = e.file_name.clone(),
        /// SHA-256 of the file's bytes, lowercase hex.
        sha256: String = e.sha256.clone(),
        /// The file's size in bytes.
        size: i64 = i64::try_from(e.size).unwrap_or(i64::MAX),
        /// The log's head when the figures were read.
        data_position: i64 = e.data_position,
    }
);
