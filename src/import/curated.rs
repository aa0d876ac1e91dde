//! Curated lineage (a TOML file under `catalog/lineage/`): changes read in a legal act that a
//! dataset cannot show, applied by code on the day before they take effect. Units the act ends
//! that a later list does not show are established first (`[[establish]]`), then changes, then
//! mergers, each atomically; children of a merged unit follow its successor.

mod establish;

pub use establish::{Establish, EstablishConflict};

use std::path::Path;

use anyhow::{bail, Context};
use chrono::{Days, NaiveDate};
use serde::Deserialize;
use uuid::Uuid;

use crate::app::Register;
use crate::domain::lineage::{decide_merger, Merger, NewLocality, StreamEvents, Successor};
use crate::domain::locality::*;
use crate::domain::terms::LocalityKind;
use crate::domain::values::{DecisionNumber, LocalityCode};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lineage {
    pub effective: NaiveDate,
    pub act: DecisionNumber,
    /// From when the `[[establish]]` units are registered: the start of the history kept, not
    /// their legal founding. Required with `[[establish]]`.
    pub known_from: Option<NaiveDate>,
    #[serde(default)]
    pub establish: Vec<Establish>,
    #[serde(default)]
    pub change: Vec<Change>,
    #[serde(default)]
    pub merge: Vec<Merge>,
}

/// New name, kind or parent for units that otherwise continue.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub codes: Vec<LocalityCode>,
    pub name: Option<String>,
    pub kind: Option<LocalityKind>,
    pub parent: Option<LocalityCode>,
}

/// Units merged `into` an existing one, or into a new unit described by the other fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Merge {
    pub from: Vec<LocalityCode>,
    pub into: Option<LocalityCode>,
    pub code: Option<LocalityCode>,
    pub name: Option<String>,
    pub kind: Option<LocalityKind>,
    pub parent: Option<LocalityCode>,
}

pub fn read(path: &Path) -> anyhow::Result<Lineage> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse(&path.display().to_string(), &text)
}

pub fn parse(file: &str, text: &str) -> anyhow::Result<Lineage> {
    toml::from_str(text).with_context(|| format!("{file} is not a curated lineage"))
}

/// What applying a curated file recorded.
#[derive(Debug, Default)]
pub struct Applied {
    pub established: usize,
    pub changes: usize,
    pub mergers: usize,
    pub events: usize,
}

/// Applies the file; a unit already changed or merged as described is left alone, so applying
/// it twice records nothing the second time.
pub async fn apply(
    register: &mut Register,
    lineage: &Lineage,
    today: NaiveDate,
) -> anyhow::Result<Applied> {
    let on = lineage.effective;
    let before = on - Days::new(1);
    let mut applied = Applied::default();
    let established = establish::apply(register, lineage, today).await?;
    applied.established = established.units;
    applied.events += established.events;
    for change in &lineage.change {
        for code in &change.codes {
            let id = holder(register, code, before)?;
            let actions = change_actions(register, &id, change, lineage, before)?;
            let mut events = Vec::new();
            for action in actions {
                events.extend(register.decide(&id, today, action)?);
            }
            if !events.is_empty() {
                applied.changes += 1;
                applied.events += events.len();
                register.record(vec![(id, events)], None).await?;
            }
        }
    }
    for merge in &lineage.merge {
        let sources = merge
            .from
            .iter()
            .map(|code| holder(register, code, before))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let merged_already = sources.iter().all(|id| {
            register
                .state(id)
                .and_then(|s| s.profile().ended.as_ref())
                .is_some_and(|ended| ended.on == on)
        });
        if merged_already {
            continue;
        }
        let streams = merger_streams(register, merge, sources, lineage, today)?;
        applied.mergers += 1;
        applied.events += streams.iter().map(|(_, e)| e.len()).sum::<usize>();
        register.record(streams, None).await?;
    }
    Ok(applied)
}

fn holder(register: &Register, code: &LocalityCode, on: NaiveDate) -> anyhow::Result<LocalityId> {
    register
        .holder(code, on)
        .cloned()
        .with_context(|| format!("no unit holds code {code} on {on}"))
}

fn change_actions(
    register: &Register,
    id: &LocalityId,
    change: &Change,
    lineage: &Lineage,
    before: NaiveDate,
) -> anyhow::Result<Vec<LocalityAction>> {
    let profile = register
        .state(id)
        .map(LocalityState::profile)
        .cloned()
        .unwrap_or_default();
    let (on, act) = (lineage.effective, lineage.act.clone());
    let mut actions = Vec::new();
    if let Some(name) = change
        .name
        .as_ref()
        .filter(|n| profile.names.on(on) != Some(*n))
    {
        actions.push(LocalityAction::Rename(LocalityRenamed {
            effective_on: on,
            legal_act: act.clone(),
            name: name.clone(),
        }));
    }
    if let Some(kind) = change.kind.filter(|k| profile.kinds.on(on) != Some(k)) {
        actions.push(LocalityAction::Reclassify(LocalityReclassified {
            effective_on: on,
            legal_act: act.clone(),
            kind,
        }));
    }
    if let Some(parent) = &change.parent {
        let parent = holder(register, parent, before)?;
        if profile.parents.on(on).cloned().flatten() != Some(parent.clone()) {
            actions.push(LocalityAction::Transfer(LocalityTransferred {
                effective_on: on,
                legal_act: act,
                parent: Some(parent),
            }));
        }
    }
    Ok(actions)
}

fn merger_streams(
    register: &Register,
    merge: &Merge,
    sources: Vec<LocalityId>,
    lineage: &Lineage,
    today: NaiveDate,
) -> anyhow::Result<StreamEvents> {
    let before = lineage.effective - Days::new(1);
    let successor = match (&merge.into, &merge.code, &merge.name, merge.kind) {
        (Some(into), None, None, None) => Successor::Existing(holder(register, into, before)?),
        (None, code, Some(name), Some(kind)) => {
            let parent = merge.parent.as_ref().map(|p| holder(register, p, before));
            Successor::New(NewLocality {
                id: LocalityId(Uuid::now_v7()),
                name: name.clone(),
                kind,
                code: code.clone(),
                parent: parent.transpose()?,
                threshold_region: None,
                commune_group: None,
            })
        }
        _ => bail!(
            "curated merger from {:?}: give either `into` or `name` and `kind`",
            merge.from
        ),
    };
    merge_with_children(
        register,
        sources,
        successor,
        lineage.effective,
        &lineage.act,
        today,
    )
}

/// A merger with the sources' living children transferred to the successor in the same append.
pub fn merge_with_children(
    register: &Register,
    sources: Vec<LocalityId>,
    successor: Successor,
    on: NaiveDate,
    act: &DecisionNumber,
    today: NaiveDate,
) -> anyhow::Result<StreamEvents> {
    let successor_id = match &successor {
        Successor::New(new) => new.id.clone(),
        Successor::Existing(id) => id.clone(),
    };
    let children = register.children_of(&sources, on);
    let mut involved = sources.clone();
    involved.push(successor_id.clone());
    let merger = Merger {
        today,
        effective_on: on,
        legal_act: act.clone(),
        sources,
        successor,
    };
    let mut streams = decide_merger(&merger, &register.states_of(&involved))?;
    for child in children {
        let transfer = LocalityAction::Transfer(LocalityTransferred {
            effective_on: on,
            legal_act: act.clone(),
            parent: Some(successor_id.clone()),
        });
        let events = register.decide(&child, today, transfer)?;
        streams.push((child, events));
    }
    Ok(streams)
}
