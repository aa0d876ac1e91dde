//! Lineage changes that span several localities (merger N → 1, split) decided as one unit, and
//! the register lookup "the locality holding code C on date D".

use std::collections::HashMap;

use chrono::NaiveDate;

use super::command::check_date;
use super::event::*;
use super::locality::{LocalityId, LocalityState};
use super::terms::{CommuneGroup, LocalityKind, ThresholdRegion};
use super::values::{DecisionNumber, LocalityCode};
use super::DomainError;

/// Events to append, per stream, atomically.
pub type StreamEvents = Vec<(LocalityId, Vec<LocalityEvent>)>;

/// A locality created by a lineage change.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLocality {
    pub id: LocalityId,
    pub name: String,
    pub kind: LocalityKind,
    pub code: Option<LocalityCode>,
    pub parent: Option<LocalityId>,
    pub threshold_region: Option<ThresholdRegion>,
    pub commune_group: Option<CommuneGroup>,
}

/// The successor of a merger: a new locality, or an existing one absorbing the sources.
#[derive(Debug, Clone, PartialEq)]
pub enum Successor {
    New(NewLocality),
    Existing(LocalityId),
}

/// Sáp nhập: `sources` end on `effective_on` and `successor` continues them.
#[derive(Debug, Clone, PartialEq)]
pub struct Merger {
    pub today: NaiveDate,
    pub effective_on: NaiveDate,
    pub legal_act: DecisionNumber,
    pub sources: Vec<LocalityId>,
    pub successor: Successor,
}

/// Chia tách: new `parts` are formed from `source`, which ends unless it `continues`.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub today: NaiveDate,
    pub effective_on: NaiveDate,
    pub legal_act: DecisionNumber,
    pub source: LocalityId,
    pub parts: Vec<NewLocality>,
    pub continues: bool,
}

fn loaded<'a>(
    states: &'a HashMap<LocalityId, LocalityState>,
    id: &LocalityId,
) -> Result<&'a LocalityState, DomainError> {
    states
        .get(id)
        .ok_or_else(|| DomainError::LocalityNotLoaded(id.clone()))
}

/// A locality taking part must be established, alive on the date, and the date not in the future.
fn alive(
    state: &LocalityState,
    id: &LocalityId,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<(), DomainError> {
    if state.profile().established_on.is_none() {
        return Err(DomainError::NotEstablished(id.clone()));
    }
    check_date(state.profile(), on, today)
}

fn distinct<'a>(ids: impl IntoIterator<Item = &'a LocalityId>) -> Result<(), DomainError> {
    let mut seen: Vec<&LocalityId> = Vec::new();
    for id in ids {
        if seen.contains(&id) {
            return Err(DomainError::DuplicateLocality(id.clone()));
        }
        seen.push(id);
    }
    Ok(())
}

fn established(
    new: &NewLocality,
    on: NaiveDate,
    act: &DecisionNumber,
    from: Vec<LocalityId>,
) -> LocalityEvent {
    LocalityEvent::LocalityEstablished(LocalityEstablished {
        effective_on: on,
        legal_act: Some(act.clone()),
        name: new.name.clone(),
        kind: new.kind,
        code: new.code.clone(),
        parent: new.parent.clone(),
        threshold_region: new.threshold_region,
        commune_group: new.commune_group,
        formed_from: from,
    })
}

/// Recognitions a source holds on the date, and those it still carries pending acknowledgement:
/// they travel to the successor as pending, never as held (research §4.1 step 9).
fn carried_recognitions(
    id: &LocalityId,
    state: &LocalityState,
    on: NaiveDate,
) -> Vec<PredecessorRecognition> {
    let profile = state.profile();
    let held = profile
        .recognitions_in_force()
        .filter(|r| r.effective_on <= on)
        .map(|r| PredecessorRecognition {
            locality: id.clone(),
            decision: r.decision.clone(),
            set: r.set.clone(),
            level: r.level,
            standard_year: r.standard_year,
        });
    held.chain(profile.pending_acknowledgement().cloned())
        .collect()
}

/// Decides a merger across all streams involved: `MergedInto` on each source, and on the
/// successor `LocalityEstablished` (when new) then `LocalitiesMerged`. The new successor's
/// parent and code are judged with the rest of the register by [`super::tree::check`].
pub fn decide_merger(
    merger: &Merger,
    states: &HashMap<LocalityId, LocalityState>,
) -> Result<StreamEvents, DomainError> {
    let on = merger.effective_on;
    if merger.sources.is_empty() {
        return Err(DomainError::Empty { field: "sources" });
    }
    let successor_id = match &merger.successor {
        Successor::New(new) => &new.id,
        Successor::Existing(id) => id,
    };
    distinct(merger.sources.iter().chain([successor_id]))?;
    let mut out = Vec::new();
    let mut carried = Vec::new();
    for id in &merger.sources {
        let state = loaded(states, id)?;
        alive(state, id, on, merger.today)?;
        carried.extend(carried_recognitions(id, state, on));
        let ended = MergedInto {
            effective_on: on,
            legal_act: merger.legal_act.clone(),
            successor: successor_id.clone(),
        };
        out.push((id.clone(), vec![LocalityEvent::MergedInto(ended)]));
    }
    let mut successor_events = Vec::new();
    match &merger.successor {
        Successor::New(new) => {
            if states.get(&new.id).is_some_and(|s| s.version() > 0) {
                return Err(DomainError::AlreadyEstablished(new.id.clone()));
            }
            not_in_future_or_empty(new, on, merger.today)?;
            successor_events.push(established(
                new,
                on,
                &merger.legal_act,
                merger.sources.clone(),
            ));
        }
        Successor::Existing(id) => alive(loaded(states, id)?, id, on, merger.today)?,
    }
    successor_events.push(LocalityEvent::LocalitiesMerged(LocalitiesMerged {
        effective_on: on,
        legal_act: merger.legal_act.clone(),
        sources: merger.sources.clone(),
        predecessor_recognitions: carried,
    }));
    out.push((successor_id.clone(), successor_events));
    Ok(out)
}

fn not_in_future_or_empty(
    new: &NewLocality,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<(), DomainError> {
    if new.name.trim().is_empty() {
        return Err(DomainError::Empty { field: "name" });
    }
    if on > today {
        return Err(DomainError::EffectiveInFuture {
            effective_on: on,
            today,
        });
    }
    Ok(())
}

/// Decides a split: `LocalitySplit` on the source and `LocalityEstablished` on each new part.
/// Recognitions stay with the source; parts start without any.
pub fn decide_split(
    split: &Split,
    states: &HashMap<LocalityId, LocalityState>,
) -> Result<StreamEvents, DomainError> {
    let on = split.effective_on;
    if split.parts.is_empty() {
        return Err(DomainError::Empty { field: "parts" });
    }
    distinct(split.parts.iter().map(|p| &p.id).chain([&split.source]))?;
    let source = loaded(states, &split.source)?;
    alive(source, &split.source, on, split.today)?;
    let mut out = vec![(
        split.source.clone(),
        vec![LocalityEvent::LocalitySplit(LocalitySplit {
            effective_on: on,
            legal_act: split.legal_act.clone(),
            parts: split.parts.iter().map(|p| p.id.clone()).collect(),
            continues: split.continues,
        })],
    )];
    for part in &split.parts {
        if states.get(&part.id).is_some_and(|s| s.version() > 0) {
            return Err(DomainError::AlreadyEstablished(part.id.clone()));
        }
        not_in_future_or_empty(part, on, split.today)?;
        let from = vec![split.source.clone()];
        out.push((
            part.id.clone(),
            vec![established(part, on, &split.legal_act, from)],
        ));
    }
    Ok(out)
}

/// The locality holding official code `code` on `on`, if any. Codes are reused over time
/// (18094 was Thạch Linh until 2024 and Trần Phú in 2025), so a lookup always needs a date.
pub fn holding_code<'a>(
    states: impl IntoIterator<Item = (&'a LocalityId, &'a LocalityState)>,
    code: &LocalityCode,
    on: NaiveDate,
) -> Option<LocalityId> {
    let mut holders: Vec<&LocalityId> = states
        .into_iter()
        .filter(|(_, s)| s.profile().code_on(on) == Some(code))
        .map(|(id, _)| id)
        .collect();
    // Deterministic even if the register were inconsistent: the smallest id wins.
    holders.sort();
    holders.first().map(|id| (*id).clone())
}
