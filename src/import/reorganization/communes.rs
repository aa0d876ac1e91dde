//! The new commune-level units: one source keeping its code continues; anything else is a new
//! unit formed by merger (or established, with no source).

use std::collections::HashMap;

use uuid::Uuid;

use super::sources::MappingRow;
use super::succession::merge_streams;
use super::ReorganizationRun;
use crate::domain::locality::LocalityId;
use crate::domain::terms::LocalityKind;
use crate::domain::values::LocalityCode;
use crate::import::localities::UnitRow;

impl ReorganizationRun<'_> {
    /// Each new commune-level unit: one source keeping its code continues (renamed,
    /// reclassified, moved under its province); anything else is a new unit formed by merger.
    pub(super) async fn communes(
        &mut self,
        units: &[UnitRow],
        mapping: &[MappingRow],
        provinces: &HashMap<LocalityCode, LocalityId>,
    ) -> anyhow::Result<()> {
        let before = self.before();
        let mut sources = self.old_units(mapping);
        let communes: Vec<&UnitRow> = units
            .iter()
            .filter(|u| u.kind != LocalityKind::Province)
            .collect();
        self.progress
            .stage("recording", Some(communes.len() as u64));
        for unit in communes {
            self.progress.inc(1);
            let parent = unit.parent.as_ref().and_then(|p| provinces.get(p)).cloned();
            let mut from = sources.remove(&unit.code).unwrap_or_default();
            // Resuming an interrupted run: units already formed are left alone.
            from.retain(|p| !self.ended_on_effective(p));
            if from.is_empty()
                && self
                    .register
                    .holder(&unit.code, self.args.effective)
                    .is_some()
            {
                continue;
            }
            let keeps_code = from.len() == 1
                && self
                    .register
                    .state(&from[0])
                    .and_then(|s| s.profile().code_on(before))
                    == Some(&unit.code);
            let streams = if keeps_code {
                self.summary.units_continued += 1;
                self.continuing(&from[0], unit, parent.as_ref(), true)?
            } else {
                if !from.is_empty() {
                    self.summary.units_merged += 1;
                }
                self.formed(LocalityId(Uuid::now_v7()), unit, parent, from)?
            };
            self.record(merge_streams(streams), None).await?;
        }
        Ok(())
    }

    /// For each new unit's code, the registered old units the mapping sends to it.
    fn old_units<'m>(
        &self,
        mapping: &'m [MappingRow],
    ) -> HashMap<&'m LocalityCode, Vec<LocalityId>> {
        let before = self.before();
        let mut sources: HashMap<&LocalityCode, Vec<LocalityId>> = HashMap::new();
        for row in mapping {
            if let Some(old) = self.register.holder(&row.old_code, before) {
                sources.entry(&row.new_code).or_default().push(old.clone());
            }
        }
        sources
    }
}
