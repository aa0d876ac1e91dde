//! Command decisions for one locality: each action is checked against the invariants and turned
//! into the event it records.

use chrono::NaiveDate;

use super::catalog::{Catalog, CriteriaSet};
use super::event::*;
use super::law;
use super::locality::{LocalityAction, LocalityCommand, LocalityId, LocalityState};
use super::profile::Profile;
use super::rules::Status;
use super::standing::evaluate;
use super::values::{CriterionCode, SetCode};
use super::DomainError;

pub(super) fn decide(
    catalog: &Catalog,
    id: &LocalityId,
    state: &LocalityState,
    command: LocalityCommand,
) -> Result<Vec<LocalityEvent>, DomainError> {
    match command.action {
        LocalityAction::Establish(e) => establish(id, state, command.today, e),
        action => decide_existing(catalog, id, state, command.today, action),
    }
}

fn decide_existing(
    catalog: &Catalog,
    id: &LocalityId,
    state: &LocalityState,
    today: NaiveDate,
    action: LocalityAction,
) -> Result<Vec<LocalityEvent>, DomainError> {
    use LocalityAction as A;
    use LocalityEvent as E;
    let profile = state.profile();
    if profile.established_on.is_none() {
        return Err(DomainError::NotEstablished(id.clone()));
    }
    let event = match action {
        A::Establish(_) => return Err(DomainError::AlreadyEstablished(id.clone())),
        A::Rename(e) => E::LocalityRenamed(not_empty("name", &e.name).map(|()| e)?),
        A::Reclassify(e) => E::LocalityReclassified(e),
        A::Recode(e) => E::LocalityRecoded(e),
        A::Transfer(e) if e.parent.as_ref() == Some(id) => {
            return Err(own_parent(id, e.effective_on))
        }
        A::Transfer(e) => E::LocalityTransferred(e),
        A::AssignThreshold(e) => E::ThresholdAssigned(e),
        A::Dissolve(e) => E::LocalityDissolved(not_empty("reason", &e.reason).map(|()| e)?),
        A::Enrol(e) => E::ProgrammeEnrolled(enrol(catalog, profile, e)?),
        A::RecordIndicator(e) => E::IndicatorRecorded(record_indicator(catalog, profile, e)?),
        A::AssessCriterion(e) => E::CriterionAssessed(assess(catalog, profile, e)?),
        A::RecordAppraisalVote(e) => {
            enrolled_set(catalog, profile, &e.set)?;
            E::AppraisalVoted(e)
        }
        A::GrantRecognition(e) => E::RecognitionGranted(grant(catalog, state, e)?),
        A::RevokeRecognition(e) => E::RecognitionRevoked(revoke(profile, e)?),
        A::AcknowledgeRecognition(e) => E::RecognitionAcknowledged(acknowledge(profile, e)?),
        A::Retract(e) => return retract(state, e).map(|e| vec![E::EventRetracted(e)]),
    };
    if let Some(date) = event.effective_on() {
        check_date(profile, date, today)?;
    }
    for attachment in event.evidence().map_or(&[][..], |e| &e.attachments) {
        attachment.check()?;
    }
    Ok(vec![event])
}

fn establish(
    id: &LocalityId,
    state: &LocalityState,
    today: NaiveDate,
    e: LocalityEstablished,
) -> Result<Vec<LocalityEvent>, DomainError> {
    if state.version() > 0 {
        return Err(DomainError::AlreadyEstablished(id.clone()));
    }
    not_empty("name", &e.name)?;
    not_in_future(e.effective_on, today)?;
    if e.parent.as_ref() == Some(id) {
        return Err(own_parent(id, e.effective_on));
    }
    Ok(vec![LocalityEvent::LocalityEstablished(e)])
}

/// A locality named as its own parent; the rest of the tree is judged by [`super::tree::check`].
fn own_parent(id: &LocalityId, on: NaiveDate) -> DomainError {
    DomainError::ParentCycle {
        locality: id.clone(),
        parent: id.clone(),
        on,
    }
}

fn not_empty(field: &'static str, value: &str) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        Err(DomainError::Empty { field })
    } else {
        Ok(())
    }
}

fn not_in_future(effective_on: NaiveDate, today: NaiveDate) -> Result<(), DomainError> {
    if effective_on > today {
        Err(DomainError::EffectiveInFuture {
            effective_on,
            today,
        })
    } else {
        Ok(())
    }
}

/// A fact must not be in the future, before the locality existed, or on/after its end.
pub(super) fn check_date(
    profile: &Profile,
    effective_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), DomainError> {
    not_in_future(effective_on, today)?;
    if let Some(established_on) = profile.established_on.filter(|d| effective_on < *d) {
        return Err(DomainError::BeforeEstablishment {
            effective_on,
            established_on,
        });
    }
    if let Some(end) = profile.ended.as_ref().filter(|end| effective_on >= end.on) {
        return Err(DomainError::LocalityEnded {
            effective_on,
            ended_on: end.on,
        });
    }
    Ok(())
}

fn known_set<'c>(catalog: &'c Catalog, set: &SetCode) -> Result<&'c CriteriaSet, DomainError> {
    catalog
        .get(set)
        .ok_or_else(|| DomainError::UnknownSet(set.clone()))
}

fn enrolled_set<'c>(
    catalog: &'c Catalog,
    profile: &Profile,
    set: &SetCode,
) -> Result<&'c CriteriaSet, DomainError> {
    let found = known_set(catalog, set)?;
    if profile.is_enrolled(set) {
        Ok(found)
    } else {
        Err(DomainError::NotEnrolled(set.clone()))
    }
}

fn enrol(
    catalog: &Catalog,
    profile: &Profile,
    e: ProgrammeEnrolled,
) -> Result<ProgrammeEnrolled, DomainError> {
    let set = known_set(catalog, &e.set)?;
    let kind = profile.kinds.on(e.effective_on).copied();
    match kind {
        Some(kind) if set.applies_to(kind) => Ok(e),
        _ => Err(DomainError::SetNotApplicable {
            set: e.set.clone(),
            kind: kind.map_or_else(|| "none".into(), |k| k.to_string()),
        }),
    }
}

fn record_indicator(
    catalog: &Catalog,
    profile: &Profile,
    e: IndicatorRecorded,
) -> Result<IndicatorRecorded, DomainError> {
    let set = enrolled_set(catalog, profile, &e.set)?;
    let indicator = set
        .indicator(&e.indicator)
        .ok_or_else(|| DomainError::UnknownIndicator {
            set: e.set.clone(),
            indicator: e.indicator.clone(),
        })?;
    if indicator.kind != e.value.kind() {
        return Err(DomainError::ValueKindMismatch {
            indicator: e.indicator.clone(),
            expected: indicator.kind,
            found: e.value.kind(),
        });
    }
    Ok(e)
}

fn assess(
    catalog: &Catalog,
    profile: &Profile,
    e: CriterionAssessed,
) -> Result<CriterionAssessed, DomainError> {
    let set = enrolled_set(catalog, profile, &e.set)?;
    match set.assessable(&e.criterion) {
        Some(_) => Ok(e),
        None => Err(DomainError::UnknownCriterion {
            set: e.set.clone(),
            criterion: e.criterion.clone(),
        }),
    }
}

/// A recognition must be lawful ([`law::grant_lawful`]), and needs every criterion and every
/// condition gating its level officially met on its effective date and the council's majority,
/// unless it records a real reason why it was granted anyway.
fn grant(
    catalog: &Catalog,
    state: &LocalityState,
    e: RecognitionGranted,
) -> Result<RecognitionGranted, DomainError> {
    let set = enrolled_set(catalog, state.profile(), &e.set)?;
    not_empty("issuer", &e.issuer)?;
    if state
        .profile()
        .recognitions
        .iter()
        .any(|r| r.decision == e.decision)
    {
        return Err(DomainError::DuplicateDecision(e.decision.clone()));
    }
    law::grant_lawful(set, state, &e)?;
    if law::overridden(&e)? {
        return Ok(e);
    }
    law::council_voted_for(state, &e)?;
    let standing = evaluate(&state.facts(), set, e.effective_on);
    let gating = set
        .conditions
        .iter()
        .zip(&standing.conditions)
        .filter(|(c, _)| c.level == set.level || c.level == e.level)
        .map(|(_, s)| s);
    let unmet: Vec<CriterionCode> = standing
        .criteria
        .iter()
        .chain(gating)
        .filter(|c| {
            c.official
                .as_ref()
                .is_none_or(|a| Status::from_met(a.met) != Status::Met)
        })
        .map(|c| c.code.clone())
        .collect();
    if unmet.is_empty() {
        Ok(e)
    } else {
        Err(DomainError::CriteriaNotMet {
            set: e.set.clone(),
            unmet,
        })
    }
}

fn revoke(profile: &Profile, e: RecognitionRevoked) -> Result<RecognitionRevoked, DomainError> {
    not_empty("reason", &e.reason)?;
    law::revocation_names_itself(&e)?;
    let held = profile
        .recognitions
        .iter()
        .find(|r| r.decision == e.revoked)
        .ok_or_else(|| DomainError::RecognitionNotFound(e.revoked.clone()))?;
    if held.revoked_by.is_some() {
        return Err(DomainError::RecognitionAlreadyRevoked(e.revoked.clone()));
    }
    law::revocation_after_grant(held, &e)?;
    if profile
        .recognitions
        .iter()
        .any(|r| r.decision == e.decision)
    {
        return Err(DomainError::DuplicateDecision(e.decision.clone()));
    }
    Ok(e)
}

fn acknowledge(
    profile: &Profile,
    e: RecognitionAcknowledged,
) -> Result<RecognitionAcknowledged, DomainError> {
    law::acknowledges_pending(profile, &e)?;
    if profile
        .recognitions
        .iter()
        .any(|r| r.decision == e.decision)
    {
        return Err(DomainError::DuplicateDecision(e.decision.clone()));
    }
    Ok(e)
}

fn retract(state: &LocalityState, e: EventRetracted) -> Result<EventRetracted, DomainError> {
    not_empty("reason", &e.reason)?;
    let version = e.retracted_version;
    let target = state
        .event(version)
        .ok_or(DomainError::UnknownVersion(version))?;
    if target.is_lineage() || matches!(target, LocalityEvent::EventRetracted(_)) {
        return Err(DomainError::NotRetractable {
            version,
            event_type: target.event_type(),
        });
    }
    if state.is_retracted(version) {
        return Err(DomainError::AlreadyRetracted(version));
    }
    Ok(e)
}
