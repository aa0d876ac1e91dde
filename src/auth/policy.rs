//! The access policy: which right a request or an event needs, and whether an actor has it.
//! Every query, subscription and mutation asks [`permit`]; every appended event [`right_to_record`].

use super::{Actor, Right};
use crate::domain::locality::LocalityEvent;

/// Why a request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No (accepted) token, and the request needs one.
    Unauthenticated,
    /// The token's role or scope does not allow it.
    Forbidden(String),
}

/// Whether `actor` (none: anonymous) holds `right`. Anonymous requests may read, without
/// identities, when `public_read` is on, and nothing else.
pub fn permit(actor: Option<&Actor>, right: Right, public_read: bool) -> Result<(), Refusal> {
    match actor {
        None if right == Right::Read && public_read => Ok(()),
        None => Err(Refusal::Unauthenticated),
        Some(actor) if actor.role.grants(right) => Ok(()),
        Some(actor) => Err(Refusal::Forbidden(format!(
            "the {} role does not allow this",
            actor.role
        ))),
    }
}

/// The right recording `event` needs; a retraction needs the right of the event it
/// withdraws (`retracted`), so that recorders can correct their own kind of facts only.
pub fn right_to_record(event: &LocalityEvent, retracted: Option<&LocalityEvent>) -> Right {
    use LocalityEvent as E;
    match event {
        E::ProgrammeEnrolled(_) | E::IndicatorRecorded(_) | E::CriterionAssessed(_) => {
            Right::Record
        }
        E::EventRetracted(_) => match retracted {
            Some(target) if !matches!(target, E::EventRetracted(_)) => {
                right_to_record(target, None)
            }
            _ => Right::Approve,
        },
        _ => Right::Approve,
    }
}
