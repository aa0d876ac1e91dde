//! `ntm import reorganization`: the July 2025 rearrangement from the ward mapping (old code →
//! new code) and the new units file. Curated lineage is applied first; then what the mapping
//! says of the state just before (names and kinds that differ from the register) is recorded
//! as inferred at `--prior-effective`; units the mapping does not know are ended as absorbed;
//! then each new province and each new commune-level unit is recorded atomically with its
//! sources, and the districts end.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::PathBuf;

use anyhow::Context;
use chrono::{Days, NaiveDate};
use uuid::Uuid;

use super::curated;
use super::localities::{self, UnitRow};
use super::table::{RowErrors, Table};
use crate::app::progress::Progress;
use crate::app::Register;
use crate::domain::lineage::{NewLocality, StreamEvents, Successor};
use crate::domain::locality::*;
use crate::domain::terms::LocalityKind;
use crate::domain::values::{DecisionNumber, LocalityCode};

/// The files of a reorganisation.
#[derive(Debug, Clone)]
pub struct Files {
    /// `old_code,old_name,old_district_name,old_province_name,new_code,new_name`.
    pub mapping: PathBuf,
    /// The units after the reorganisation (`code,name,kind,parent_code`).
    pub units: PathBuf,
    /// Curated lineage applied first, e.g. catalog/lineage/42-ha-tinh-2025-01-01.toml.
    pub curated: Vec<PathBuf>,
}

/// What the reorganisation reads: the new units, the mapping and the curated lineage.
pub struct Sources {
    pub units: Vec<UnitRow>,
    mapping: Vec<MappingRow>,
    /// Named in the events' metadata (`reason`) for what is inferred from it.
    mapping_file: String,
    pub curated: Vec<curated::Lineage>,
}

impl Sources {
    pub fn read(files: &Files) -> anyhow::Result<Self> {
        let units = localities::read(&files.units)?;
        let mapping = mapping_rows(Table::read(&files.mapping, MAPPING_COLUMNS)?, &units)?;
        let curated = files
            .curated
            .iter()
            .map(|path| curated::read(path))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Sources {
            units,
            mapping,
            mapping_file: files.mapping.display().to_string(),
            curated,
        })
    }

    /// From texts (the files compiled into the binary for the demo).
    pub fn parse(
        units: (&str, &str),
        mapping: (&str, &str),
        curated: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        let units_rows = localities::parse(units.0, units.1)?;
        let table = Table::parse(mapping.0, mapping.1.as_bytes(), MAPPING_COLUMNS)?;
        let mapping_rows = mapping_rows(table, &units_rows)?;
        let curated = curated
            .iter()
            .map(|(file, text)| curated::parse(file, text))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Sources {
            units: units_rows,
            mapping: mapping_rows,
            mapping_file: mapping.0.to_owned(),
            curated,
        })
    }

    /// Old codes the mapping places in `province` (by name) just before the change, with
    /// the name they had then.
    pub fn old_units_of(&self, province: &str) -> Vec<(&LocalityCode, &str)> {
        self.mapping
            .iter()
            .filter(|m| m.old_province == province)
            .map(|m| (&m.old_code, m.old_name.as_str()))
            .collect()
    }
}

/// The dates and acts of a reorganisation.
#[derive(Debug, Clone)]
pub struct Terms {
    pub effective: NaiveDate,
    pub act: DecisionNumber,
    pub prior_effective: NaiveDate,
    pub prior_act: DecisionNumber,
}

/// One mapping row: old commune-level unit → new one.
#[derive(Debug, Clone)]
struct MappingRow {
    row: usize,
    old_code: LocalityCode,
    old_name: String,
    old_district: String,
    old_province: String,
    new_code: LocalityCode,
}

const MAPPING_COLUMNS: &[&str] = &[
    "old_code",
    "old_name",
    "old_district_name",
    "old_province_name",
    "new_code",
    "new_name",
];

fn mapping_rows(table: Table, units: &[UnitRow]) -> Result<Vec<MappingRow>, RowErrors> {
    let units_file = "the new units file";
    let new_codes: HashSet<&LocalityCode> = units.iter().map(|u| &u.code).collect();
    let code = "a 5-digit GSO code";
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut seen = HashMap::new();
    for row in table.rows() {
        let old_code = row.parse::<LocalityCode>("old_code", code, &mut errors);
        let new_code = row.parse::<LocalityCode>("new_code", code, &mut errors);
        let old_name = row.name("old_name", &mut errors);
        let old_district = row.name("old_district_name", &mut errors);
        let old_province = row.name("old_province_name", &mut errors);
        let (
            Some(old_code),
            Some(new_code),
            Some(old_name),
            Some(old_district),
            Some(old_province),
        ) = (old_code, new_code, old_name, old_district, old_province)
        else {
            continue;
        };
        if !new_codes.contains(&new_code) {
            errors.push(row.error("new_code", format!("{new_code} is not in {units_file}")));
        }
        if let Some(first) = seen.insert(old_code.clone(), row.row) {
            errors.push(row.error("old_code", format!("{old_code} is already on row {first}")));
        }
        rows.push(MappingRow {
            row: row.row,
            old_code,
            old_name,
            old_district,
            old_province,
            new_code,
        });
    }
    RowErrors::or_value(errors, rows)
}

/// What the reorganisation recorded, and what the data could not explain.
#[derive(Debug, Default)]
pub struct Summary {
    pub curated_changes: usize,
    pub curated_mergers: usize,
    pub inferred_renames: Vec<String>,
    pub inferred_reclassifications: Vec<String>,
    pub inferred_units: Vec<String>,
    pub absorbed: Vec<String>,
    pub provinces_continued: usize,
    pub provinces_merged: usize,
    pub units_continued: usize,
    pub units_merged: usize,
    pub units_without_sources: Vec<String>,
    pub districts_ended: usize,
    pub unchanged: bool,
    pub events: usize,
}

fn list(f: &mut fmt::Formatter<'_>, title: &str, items: &[String]) -> fmt::Result {
    writeln!(f, "{title}: {}", items.len())?;
    for item in items {
        writeln!(f, "  {item}")?;
    }
    Ok(())
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.unchanged {
            return writeln!(f, "already recorded: nothing new (0 events)");
        }
        writeln!(
            f,
            "curated lineage: {} changes, {} mergers",
            self.curated_changes, self.curated_mergers
        )?;
        list(
            f,
            "renamed before the reorganisation (inferred from the mapping's old names)",
            &self.inferred_renames,
        )?;
        list(
            f,
            "reclassified before the reorganisation (inferred from the name's prefix)",
            &self.inferred_reclassifications,
        )?;
        list(
            f,
            "in the mapping but not in the register (established, inferred)",
            &self.inferred_units,
        )?;
        list(
            f,
            "absent from the mapping: ended as absorbed, successor unknown",
            &self.absorbed,
        )?;
        writeln!(
            f,
            "provinces: {} continue, {} of them absorbing others",
            self.provinces_continued, self.provinces_merged
        )?;
        writeln!(
            f,
            "commune-level units: {} continue, {} new ones formed by merger",
            self.units_continued, self.units_merged
        )?;
        list(
            f,
            "new units with no mapping row (established without predecessors)",
            &self.units_without_sources,
        )?;
        writeln!(f, "districts ended: {}", self.districts_ended)?;
        writeln!(f, "{} events recorded", self.events)
    }
}

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

/// Whether every new unit holds its code on `after` and every old unit either ended that day
/// or is the new unit holding the new code: the reorganisation is already recorded.
fn already_applied(register: &Register, sources: &Sources, after: NaiveDate) -> bool {
    let before = after - Days::new(1);
    sources
        .units
        .iter()
        .all(|u| register.holder(&u.code, after).is_some())
        && sources.mapping.iter().all(|m| {
            let old = register.holder(&m.old_code, before);
            let ended = old
                .and_then(|id| register.state(id)?.profile().ended.as_ref())
                .is_some_and(|ended| ended.on == after);
            ended || (old.is_some() && old == register.holder(&m.new_code, after))
        })
}

pub async fn run(
    register: &mut Register,
    sources: &Sources,
    args: &Terms,
    today: NaiveDate,
    progress: &dyn Progress,
) -> anyhow::Result<Summary> {
    let (units, mapping) = (&sources.units, &sources.mapping);
    let mut summary = Summary::default();
    for lineage in &sources.curated {
        let applied = curated::apply(register, lineage, today).await?;
        summary.curated_changes += applied.changes;
        summary.curated_mergers += applied.mergers;
        summary.events += applied.events;
    }
    if already_applied(register, sources, args.effective) {
        summary.unchanged = summary.events == 0;
        return Ok(summary);
    }
    let mut plan = Plan {
        register,
        args,
        mapping_file: &sources.mapping_file,
        today,
        summary,
        progress,
    };
    plan.prior_state(mapping).await?;
    plan.absorbed(mapping).await?;
    let provinces = plan.provinces(units, mapping).await?;
    plan.communes(units, mapping, &provinces).await?;
    plan.districts().await?;
    Ok(plan.summary)
}

struct Plan<'a> {
    register: &'a mut Register,
    args: &'a Terms,
    mapping_file: &'a str,
    today: NaiveDate,
    summary: Summary,
    progress: &'a dyn Progress,
}

impl Plan<'_> {
    fn before(&self) -> NaiveDate {
        self.args.effective - Days::new(1)
    }

    fn ended_on_effective(&self, id: &LocalityId) -> bool {
        self.register
            .state(id)
            .and_then(|s| s.profile().ended.as_ref())
            .is_some_and(|ended| ended.on == self.args.effective)
    }

    async fn record(
        &mut self,
        streams: StreamEvents,
        reason: Option<String>,
    ) -> anyhow::Result<()> {
        let streams: StreamEvents = streams.into_iter().filter(|(_, e)| !e.is_empty()).collect();
        if streams.is_empty() {
            return Ok(());
        }
        self.summary.events += streams.iter().map(|(_, e)| e.len()).sum::<usize>();
        self.register.record_because(streams, None, reason).await?;
        Ok(())
    }

    /// Names and kinds the mapping gives for the day before, where the register differs; old
    /// units missing from the register are established under their district.
    async fn prior_state(&mut self, mapping: &[MappingRow]) -> anyhow::Result<()> {
        let (before, on, act) = (
            self.before(),
            self.args.prior_effective,
            self.args.prior_act.clone(),
        );
        let file = self.mapping_file.to_owned();
        let mut streams = StreamEvents::new();
        for row in mapping {
            let kind = kind_of_name(&row.old_name);
            let Some(id) = self.register.holder(&row.old_code, before).cloned() else {
                let parent = self.district_named(&row.old_district, &row.old_province, before);
                let id = LocalityId(Uuid::now_v7());
                let established = LocalityEstablished {
                    effective_on: on,
                    legal_act: Some(act.clone()),
                    name: row.old_name.clone(),
                    kind: kind.unwrap_or(LocalityKind::Commune),
                    code: Some(row.old_code.clone()),
                    parent,
                    threshold_region: None,
                    commune_group: None,
                    formed_from: vec![],
                };
                let events = self.register.decide(
                    &id,
                    self.today,
                    LocalityAction::Establish(established),
                )?;
                self.summary.inferred_units.push(format!(
                    "{} {} ({file} row {})",
                    row.old_code, row.old_name, row.row
                ));
                streams.push((id, events));
                continue;
            };
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
            if let Some(kind) = kind.filter(|k| profile.kinds.on(before) != Some(k)) {
                self.summary
                    .inferred_reclassifications
                    .push(format!("{old} → {kind}"));
                actions.push(LocalityAction::Reclassify(LocalityReclassified {
                    effective_on: on,
                    legal_act: act.clone(),
                    kind,
                }));
            }
            let mut events = Vec::new();
            for action in actions {
                events.extend(
                    self.register
                        .decide(&id, self.today, action)
                        .with_context(|| format!("{file} row {}", row.row))?,
                );
            }
            streams.push((id, events));
        }
        let reason = format!(
            "inferred from {}: the name (and the kind its prefix announces) just before {}",
            file, self.args.effective
        );
        self.record(streams, Some(reason)).await
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
    async fn absorbed(&mut self, mapping: &[MappingRow]) -> anyhow::Result<()> {
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

    /// Each new province, continuing the old one holding its code (absorbing the others whose
    /// communes it receives) or formed new; returns its id by code.
    async fn provinces(
        &mut self,
        units: &[UnitRow],
        mapping: &[MappingRow],
    ) -> anyhow::Result<HashMap<LocalityCode, LocalityId>> {
        let (before, on, act) = (self.before(), self.args.effective, self.args.act.clone());
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
        let mut ids = HashMap::new();
        for unit in units.iter().filter(|u| u.kind == LocalityKind::Province) {
            let mut from = sources.remove(&unit.code).unwrap_or_default();
            from.retain(|p| !self.ended_on_effective(p));
            let holder = self.register.holder(&unit.code, before).cloned();
            let streams = match holder {
                Some(keeper) => {
                    from.retain(|p| p != &keeper);
                    self.summary.provinces_continued += 1;
                    let mut streams = self.continuing(&keeper, unit, None, false)?;
                    if !from.is_empty() {
                        self.summary.provinces_merged += 1;
                        streams.extend(curated::merge_with_children(
                            self.register,
                            from,
                            Successor::Existing(keeper.clone()),
                            on,
                            &act,
                            self.today,
                        )?);
                    }
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

    /// Events that carry a continuing unit to its row: name, kind and (if asked) parent.
    fn continuing(
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
    fn formed(
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

    /// Each new commune-level unit: one source keeping its code continues (renamed,
    /// reclassified, moved under its province); anything else is a new unit formed by merger.
    async fn communes(
        &mut self,
        units: &[UnitRow],
        mapping: &[MappingRow],
        provinces: &HashMap<LocalityCode, LocalityId>,
    ) -> anyhow::Result<()> {
        let before = self.before();
        let mut sources: HashMap<&LocalityCode, Vec<LocalityId>> = HashMap::new();
        for row in mapping {
            if let Some(old) = self.register.holder(&row.old_code, before) {
                sources.entry(&row.new_code).or_default().push(old.clone());
            }
        }
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

    /// Every district alive the day before ends: the district level is abolished.
    async fn districts(&mut self) -> anyhow::Result<()> {
        let before = self.before();
        let mut streams = StreamEvents::new();
        for id in self.register.alive_on(before) {
            let is_district = self.register.state(id).is_some_and(|s| {
                s.profile().kinds.on(before) == Some(&LocalityKind::District)
                    && s.profile().exists_on(self.args.effective)
            });
            if !is_district {
                continue;
            }
            let dissolved = LocalityAction::Dissolve(LocalityDissolved {
                effective_on: self.args.effective,
                legal_act: self.args.act.clone(),
                reason: "the district level is abolished (two-tier local government)".into(),
            });
            streams.push((id.clone(), self.register.decide(id, self.today, dissolved)?));
        }
        self.summary.districts_ended = streams.len();
        self.record(streams, None).await
    }
}

/// The threshold region all sources share, if they share one.
fn common_region(
    register: &Register,
    sources: &[LocalityId],
    on: NaiveDate,
) -> Option<crate::domain::terms::ThresholdRegion> {
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
fn merge_streams(streams: StreamEvents) -> StreamEvents {
    let mut merged: StreamEvents = Vec::new();
    for (id, mut events) in streams {
        match merged.iter_mut().find(|(m, _)| *m == id) {
            Some((_, existing)) => existing.append(&mut events),
            None => merged.push((id, events)),
        }
    }
    merged
}
