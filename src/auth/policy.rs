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
/// withdraws (`retracted`), so that recorders can correct their own kind of facts only. A
/// recognition with an override reason needs [`Right::Override`].
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
        E::RecognitionGranted(grant)
            if grant
                .override_reason
                .as_deref()
                .is_some_and(|r| !r.trim().is_empty()) =>
        {
            Right::Override
        }
        _ => Right::Approve,
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::{permit, right_to_record};
    use crate::auth::{Actor, Right, Role};
    use crate::domain::locality::{LocalityEvent, RecognitionGranted};
    use crate::domain::terms::RecognitionLevel;

    fn grant(override_reason: Option<&str>) -> LocalityEvent {
        let on = NaiveDate::from_ymd_opt(2024, 6, 1).expect("date");
        LocalityEvent::RecognitionGranted(RecognitionGranted {
            effective_on: on,
            decision: "1/QĐ-UBND".parse().expect("decision"),
            signed_on: on,
            issuer: "UBND tỉnh".into(),
            signer: "Chủ tịch".into(),
            set: "NTM-XA-2021-2025".parse().expect("set"),
            level: RecognitionLevel::Ntm,
            standard_year: 2024,
            batch: None,
            outstanding_field: None,
            override_reason: override_reason.map(str::to_owned),
        })
    }

    #[test]
    fn an_override_needs_the_override_right_held_by_approvers_and_admins_only() {
        assert_eq!(right_to_record(&grant(None), None), Right::Approve);
        assert_eq!(right_to_record(&grant(Some("  ")), None), Right::Approve);
        let overridden = grant(Some("criteria assessed before this register existed"));
        let right = right_to_record(&overridden, None);
        assert_eq!(right, Right::Override);
        for role in Role::ALL {
            let actor = Actor {
                name: role.to_string(),
                role,
                scope: None,
                token_id: uuid::Uuid::nil(),
                user_id: None,
            };
            let allowed = matches!(role, Role::Approver | Role::Admin);
            assert_eq!(
                permit(Some(&actor), right, false).is_ok(),
                allowed,
                "{role}"
            );
        }
    }
}
