//! How a new unit succeeds the old ones, for provinces and commune-level units alike: an old
//! unit continues (carried to its row), or a new one is formed from its sources.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::ReorganizationRun;
use crate::app::Register;
use crate::domain::lineage::{NewLocality, StreamEvents, Successor};
use crate::domain::locality::{
    LocalityAction, LocalityId, LocalityReclassified, LocalityRecoded, LocalityRenamed,
    LocalityState, LocalityTransferred,
};
use crate::domain::terms::ThresholdRegion;
use crate::import::curated;
use crate::import::localities::UnitRow;

impl ReorganizationRun<'_> {
    /// Events that carry a continuing unit to its row: name, kind and (if asked) parent.
    pub(super) fn continuing(
        &self,
        id: &LocalityId,
        unit: &UnitRow,
        parent: Option<&LocalityId>,
        move_parent: bool,
    ) -> anyhow::Result<StreamEvents> {
        let (on, act) = (self.args.effective, self.args.act.clone());
        let profile = self
            .register
            .state(id)
            .map(LocalityState::profile)
            .cloned()
            .unwrap_or_default();
        let mut actions = Vec::new();
        if profile.names.on(on) != Some(&unit.name) {
            actions.push(LocalityAction::Rename(LocalityRenamed {
                effective_on: on,
                legal_act: act.clone(),
                name: unit.name.clone(),
            }));
        }
        if profile.kinds.on(on) != Some(&unit.kind) {
            actions.push(LocalityAction::Reclassify(LocalityReclassified {
                effective_on: on,
                legal_act: act.clone(),
                kind: unit.kind,
            }));
        }
        if profile.codes.on(on).cloned().flatten().as_ref() != Some(&unit.code) {
            actions.push(LocalityAction::Recode(LocalityRecoded {
                effective_on: on,
                legal_act: act.clone(),
                code: Some(unit.code.clone()),
            }));
        }
        if move_parent && profile.parents.on(on).cloned().flatten().as_ref() != parent {
            actions.push(LocalityAction::Transfer(LocalityTransferred {
                effective_on: on,
                legal_act: act,
                parent: parent.cloned(),
            }));
        }
        let mut events = Vec::new();
        for action in actions {
            events.extend(self.register.decide(id, self.today, action)?);
        }
        Ok(vec![(id.clone(), events)])
    }

    /// A new unit formed from `sources` (a merger), or from none (established).
    pub(super) fn formed(
        &mut self,
        id: LocalityId,
        unit: &UnitRow,
        parent: Option<LocalityId>,
        sources: Vec<LocalityId>,
    ) -> anyhow::Result<StreamEvents> {
        let (on, act) = (self.args.effective, self.args.act.clone());
        let region = common_region(self.register, &sources, self.before());
        if sources.is_empty() {
            self.summary
                .units_without_sources
                .push(format!("{} {}", unit.code, unit.name));
            let established = unit.established(on, Some(act), parent);
            let events =
                self.register
                    .decide(&id, self.today, LocalityAction::Establish(established))?;
            return Ok(vec![(id, events)]);
        }
        let new = NewLocality {
            id,
            name: unit.name.clone(),
            kind: unit.kind,
            code: Some(unit.code.clone()),
            parent,
            threshold_region: region,
            commune_group: None,
        };
        curated::merge_with_children(
            self.register,
            sources,
            Successor::New(new),
            on,
            &act,
            self.today,
        )
    }
}

/// The threshold region all sources share, if they share one.
fn common_region(
    register: &Register,
    sources: &[LocalityId],
    on: NaiveDate,
) -> Option<ThresholdRegion> {
    let regions: HashSet<_> = sources
        .iter()
        .map(|id| {
            register
                .state(id)
                .and_then(|s| s.profile().regions.on(on).copied().flatten())
        })
        .collect();
    match regions.into_iter().collect::<Vec<_>>().as_slice() {
        [Some(region)] => Some(*region),
        _ => None,
    }
}

/// One entry per stream (events of the same stream in one append must be consecutive).
pub(super) fn merge_streams(streams: StreamEvents) -> StreamEvents {
    let mut merged: StreamEvents = Vec::new();
    for (id, mut events) in streams {
        match merged.iter_mut().find(|(m, _)| *m == id) {
            Some((_, existing)) => existing.append(&mut events),
            None => merged.push((id, events)),
        }
    }
    merged
}
