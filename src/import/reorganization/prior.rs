//! The state just before the reorganisation, as the mapping tells it, recorded as inferred at
//! `--prior-effective`: names and kinds where the register differs, old units the register
//! lacks, and commune-level units the mapping does not know (ended as absorbed).

use std::collections::HashSet;

use anyhow::Context;
use chrono::NaiveDate;
use uuid::Uuid;

use super::sources::MappingRow;
use super::ReorganizationRun;
use crate::app::Register;
use crate::domain::lineage::StreamEvents;
use crate::domain::locality::{
    LocalityAction, LocalityDissolved, LocalityEstablished, LocalityEvent, LocalityId,
    LocalityReclassified, LocalityRenamed, LocalityState,
};
use crate::domain::terms::LocalityKind;
use crate::domain::values::LocalityCode;

impl ReorganizationRun<'_> {
    /// Names and kinds the mapping gives for the day before, where the register differs; old
    /// units missing from the register are established under their district.
    pub(super) async fn prior_state(&mut self, mapping: &[MappingRow]) -> anyhow::Result<()> {
        let before = self.before();
        let mut streams = StreamEvents::new();
        for row in mapping {
            let stream = match self.register.holder(&row.old_code, before).cloned() {
                Some(id) => self.prior_name_and_kind(id, row)?,
                None => self.inferred_unit(row)?,
            };
            streams.push(stream);
        }
        let reason = format!(
            "inferred from {}: the name (and the kind its prefix announces) just before {}",
            self.mapping_file, self.args.effective
        );
        self.record(streams, Some(reason)).await
    }

    /// An old unit the register lacks, established under its district at `--prior-effective`.
    fn inferred_unit(
        &mut self,
        row: &MappingRow,
    ) -> anyhow::Result<(LocalityId, Vec<LocalityEvent>)> {
        let before = self.before();
        let parent = self.district_named(&row.old_district, &row.old_province, before);
        let id = LocalityId(Uuid::now_v7());
        let established = LocalityEstablished {
            effective_on: self.args.prior_effective,
            legal_act: Some(self.args.prior_act.clone()),
            name: row.old_name.clone(),
            kind: kind_of_name(&row.old_name).unwrap_or(LocalityKind::Commune),
            code: Some(row.old_code.clone()),
            parent,
            threshold_region: None,
            commune_group: None,
            formed_from: vec![],
        };
        let events =
            self.register
                .decide(&id, self.today, LocalityAction::Establish(established))?;
        self.summary.inferred_units.push(format!(
            "{} {} ({} row {})",
            row.old_code, row.old_name, self.mapping_file, row.row
        ));
        Ok((id, events))
    }

    /// The rename and reclassification that bring a registered old unit to the name the
    /// mapping gives it (and the kind that name's prefix announces) at `--prior-effective`.
    fn prior_name_and_kind(
        &mut self,
        id: LocalityId,
        row: &MappingRow,
    ) -> anyhow::Result<(LocalityId, Vec<LocalityEvent>)> {
        let (before, on, act) = (
            self.before(),
            self.args.prior_effective,
            self.args.prior_act.clone(),
        );
        let profile = self
            .register
            .state(&id)
            .map(LocalityState::profile)
            .cloned()
            .unwrap_or_default();
        let mut actions = Vec::new();
        let old = label(self.register, &id, before);
        if profile.names.on(before) != Some(&row.old_name) {
            self.summary
                .inferred_renames
                .push(format!("{old} → {}", row.old_name));
            actions.push(LocalityAction::Rename(LocalityRenamed {
                effective_on: on,
                legal_act: act.clone(),
                name: row.old_name.clone(),
            }));
        }
        let kind = kind_of_name(&row.old_name);
        if let Some(kind) = kind.filter(|k| profile.kinds.on(before) != Some(k)) {
            self.summary
                .inferred_reclassifications
                .push(format!("{old} → {kind}"));
            actions.push(LocalityAction::Reclassify(LocalityReclassified {
                effective_on: on,
                legal_act: act,
                kind,
            }));
        }
        let mut events = Vec::new();
        for action in actions {
            events.extend(
                self.register
                    .decide(&id, self.today, action)
                    .with_context(|| format!("{} row {}", self.mapping_file, row.row))?,
            );
        }
        Ok((id, events))
    }

    fn district_named(&self, district: &str, province: &str, on: NaiveDate) -> Option<LocalityId> {
        let name_of = |id: &LocalityId| {
            self.register
                .state(id)
                .and_then(|s| s.profile().names.on(on).cloned())
        };
        self.register
            .alive_on(on)
            .into_iter()
            .find(|id| {
                let Some(profile) = self.register.state(id).map(LocalityState::profile) else {
                    return false;
                };
                profile.kinds.on(on) == Some(&LocalityKind::District)
                    && name_of(id).as_deref() == Some(district)
                    && profile
                        .parents
                        .on(on)
                        .cloned()
                        .flatten()
                        .and_then(|p| name_of(&p))
                        .as_deref()
                        == Some(province)
            })
            .cloned()
    }

    /// Commune-level units alive the day before that no mapping row names.
    pub(super) async fn absorbed(&mut self, mapping: &[MappingRow]) -> anyhow::Result<()> {
        let before = self.before();
        let mapped: HashSet<&LocalityCode> = mapping.iter().map(|m| &m.old_code).collect();
        let mut streams = StreamEvents::new();
        for id in self.register.alive_on(before) {
            let Some(profile) = self.register.state(id).map(LocalityState::profile) else {
                continue;
            };
            let commune_level = profile.kinds.on(before).is_some_and(|k| {
                matches!(
                    k,
                    LocalityKind::Commune | LocalityKind::Ward | LocalityKind::Township
                )
            });
            if !commune_level || profile.code_on(before).is_some_and(|c| mapped.contains(c)) {
                continue;
            }
            let dissolved = LocalityAction::Dissolve(LocalityDissolved {
                effective_on: self.args.prior_effective,
                legal_act: self.args.prior_act.clone(),
                reason: format!(
                    "absent from the {} mapping: absorbed before {}, successor unknown",
                    self.args.effective.format("%-m/%Y"),
                    self.args.effective
                ),
            });
            let events = self.register.decide(id, self.today, dissolved)?;
            self.summary.absorbed.push(label(self.register, id, before));
            streams.push((id.clone(), events));
        }
        let reason = format!("inferred: not in {}", self.mapping_file);
        self.record(streams, Some(reason)).await
    }
}

/// `code name` of a unit on `on`, `-` for a missing code.
fn label(register: &Register, id: &LocalityId, on: NaiveDate) -> String {
    let profile = register.state(id).map(LocalityState::profile);
    let code = profile.and_then(|p| p.codes.on(on).cloned().flatten());
    let name = profile.and_then(|p| p.names.on(on).cloned());
    format!(
        "{} {}",
        code.map_or("-".to_string(), |c| c.to_string()),
        name.unwrap_or_default()
    )
}

/// The kind a Vietnamese unit name announces by its prefix.
fn kind_of_name(name: &str) -> Option<LocalityKind> {
    [
        ("Xã ", LocalityKind::Commune),
        ("Phường ", LocalityKind::Ward),
        ("Thị trấn ", LocalityKind::Township),
        ("Đặc khu ", LocalityKind::SpecialZone),
    ]
    .into_iter()
    .find(|(prefix, _)| name.starts_with(prefix))
    .map(|(_, kind)| kind)
}
