//! The new provinces: each continues the old province holding its code, absorbing the others
//! whose communes it receives, or is formed new from them.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use uuid::Uuid;

use super::sources::MappingRow;
use super::succession::merge_streams;
use super::ReorganizationRun;
use crate::domain::lineage::{StreamEvents, Successor};
use crate::domain::locality::LocalityId;
use crate::domain::terms::LocalityKind;
use crate::domain::values::LocalityCode;
use crate::import::curated;
use crate::import::localities::UnitRow;

impl ReorganizationRun<'_> {
    /// Each new province, continuing the old one holding its code (absorbing the others whose
    /// communes it receives) or formed new; returns its id by code.
    pub(super) async fn provinces(
        &mut self,
        units: &[UnitRow],
        mapping: &[MappingRow],
    ) -> anyhow::Result<HashMap<LocalityCode, LocalityId>> {
        let before = self.before();
        let mut sources = self.old_provinces(units, mapping);
        let mut ids = HashMap::new();
        for unit in units.iter().filter(|u| u.kind == LocalityKind::Province) {
            let mut from = sources.remove(&unit.code).unwrap_or_default();
            from.retain(|p| !self.ended_on_effective(p));
            let holder = self.register.holder(&unit.code, before).cloned();
            let streams = match holder {
                Some(keeper) => {
                    let streams = self.continued_province(&keeper, unit, from)?;
                    ids.insert(unit.code.clone(), keeper);
                    streams
                }
                None => {
                    self.summary.provinces_merged += 1;
                    let id = LocalityId(Uuid::now_v7());
                    ids.insert(unit.code.clone(), id.clone());
                    self.formed(id, unit, None, from)?
                }
            };
            self.record(merge_streams(streams), None).await?;
        }
        Ok(ids)
    }

    /// For each new province's code, the old provinces of the units the mapping sends to it,
    /// each once, in mapping order.
    fn old_provinces<'u>(
        &self,
        units: &'u [UnitRow],
        mapping: &[MappingRow],
    ) -> BTreeMap<&'u LocalityCode, Vec<LocalityId>> {
        let before = self.before();
        let parent_of: HashMap<&LocalityCode, &LocalityCode> = units
            .iter()
            .filter_map(|u| Some((&u.code, u.parent.as_ref()?)))
            .collect();
        let mut sources: BTreeMap<&LocalityCode, Vec<LocalityId>> = BTreeMap::new();
        for row in mapping {
            let old = self.register.holder(&row.old_code, before).cloned();
            let (Some(old), Some(province)) = (old, parent_of.get(&row.new_code)) else {
                continue;
            };
            if let Some(old_province) = self.province_of(&old, before) {
                let list = sources.entry(*province).or_default();
                if !list.contains(&old_province) {
                    list.push(old_province);
                }
            }
        }
        sources
    }

    /// The province `keeper` carried to its row, absorbing the old provinces `from` (with
    /// their children) if any remain besides it.
    fn continued_province(
        &mut self,
        keeper: &LocalityId,
        unit: &UnitRow,
        mut from: Vec<LocalityId>,
    ) -> anyhow::Result<StreamEvents> {
        from.retain(|p| p != keeper);
        self.summary.provinces_continued += 1;
        let mut streams = self.continuing(keeper, unit, None, false)?;
        if !from.is_empty() {
            self.summary.provinces_merged += 1;
            streams.extend(curated::merge_with_children(
                self.register,
                from,
                Successor::Existing(keeper.clone()),
                self.args.effective,
                &self.args.act,
                self.today,
            )?);
        }
        Ok(streams)
    }

    /// The province of an old unit on `on`, up its parent chain.
    fn province_of(&self, id: &LocalityId, on: NaiveDate) -> Option<LocalityId> {
        let mut current = id.clone();
        for _ in 0..4 {
            let profile = self.register.state(&current)?.profile();
            if profile.kinds.on(on) == Some(&LocalityKind::Province) {
                return Some(current);
            }
            current = profile.parents.on(on).cloned().flatten()?;
        }
        None
    }
}
