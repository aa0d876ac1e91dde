//! The locality directory: validity periods of a locality's attributes and its lineage edges.

use chrono::NaiveDate;

use crate::domain::diacritics::search_key;
use crate::domain::locality::LocalityEvent;
use crate::domain::profile::Profile;

use super::rows::{EdgeRow, PeriodRow};

/// One row per stretch of valid time in which no attribute changes, from establishment to end.
pub fn periods(locality_id: &str, profile: &Profile) -> Vec<PeriodRow> {
    let Some(established) = profile.established_on else {
        return Vec::new();
    };
    let ended = profile.ended.as_ref().map(|e| e.on);
    let mut dates: Vec<NaiveDate> = profile.names.entries().iter().map(|(d, _)| *d).collect();
    dates.extend(profile.codes.entries().iter().map(|(d, _)| *d));
    dates.extend(profile.kinds.entries().iter().map(|(d, _)| *d));
    dates.extend(profile.parents.entries().iter().map(|(d, _)| *d));
    dates.extend(profile.regions.entries().iter().map(|(d, _)| *d));
    dates.extend(profile.groups.entries().iter().map(|(d, _)| *d));
    dates.extend(profile.specials.entries().iter().map(|(d, _)| *d));
    dates.push(established);
    dates.retain(|d| *d >= established && ended.is_none_or(|e| *d < e));
    dates.sort_unstable();
    dates.dedup();
    let mut rows: Vec<PeriodRow> = Vec::new();
    for on in dates {
        let name = profile.names.on(on).cloned();
        let row = PeriodRow {
            locality_id: locality_id.to_owned(),
            valid_from: on,
            valid_to: ended,
            search_name: name.as_deref().map(search_key),
            name,
            code: profile.codes.on(on).cloned().flatten().map(String::from),
            kind: profile.kinds.on(on).map(|k| k.spelling().to_owned()),
            parent_id: profile
                .parents
                .on(on)
                .cloned()
                .flatten()
                .map(|p| p.to_string()),
            region: profile
                .regions
                .on(on)
                .copied()
                .flatten()
                .map(|r| r.spelling().to_owned()),
            commune_group: profile
                .groups
                .on(on)
                .copied()
                .flatten()
                .map(|g| g.spelling().to_owned()),
            special: profile
                .specials
                .on(on)
                .copied()
                .flatten()
                .map(|s| s.spelling().to_owned()),
        };
        match rows.last_mut() {
            Some(last) if same_attributes(last, &row) => {}
            Some(last) => {
                last.valid_to = Some(on);
                rows.push(row);
            }
            None => rows.push(row),
        }
    }
    rows
}

fn same_attributes(a: &PeriodRow, b: &PeriodRow) -> bool {
    (
        &a.name,
        &a.code,
        &a.kind,
        &a.parent_id,
        &a.region,
        &a.commune_group,
        &a.special,
    ) == (
        &b.name,
        &b.code,
        &b.kind,
        &b.parent_id,
        &b.region,
        &b.commune_group,
        &b.special,
    )
}

/// Lineage edges this stream records: merged into, split into, formed from.
pub fn edges(locality_id: &str, facts: &[(u64, &LocalityEvent)]) -> Vec<EdgeRow> {
    use LocalityEvent as E;
    let edge = |from: String, to: String, kind: &str, on: NaiveDate, act: Option<String>| EdgeRow {
        recorded_on: locality_id.to_owned(),
        from_id: from,
        to_id: to,
        kind: kind.to_owned(),
        effective_on: on,
        legal_act: act,
    };
    let me = || locality_id.to_owned();
    let mut edges = Vec::new();
    for (_, event) in facts {
        match event {
            E::MergedInto(e) => edges.push(edge(
                me(),
                e.successor.to_string(),
                "merged-into",
                e.effective_on,
                Some(e.legal_act.to_string()),
            )),
            E::LocalitiesMerged(e) => edges.extend(e.sources.iter().map(|s| {
                edge(
                    s.to_string(),
                    me(),
                    "merged-into",
                    e.effective_on,
                    Some(e.legal_act.to_string()),
                )
            })),
            E::LocalitySplit(e) => edges.extend(e.parts.iter().map(|p| {
                edge(
                    me(),
                    p.to_string(),
                    "split-into",
                    e.effective_on,
                    Some(e.legal_act.to_string()),
                )
            })),
            E::LocalityEstablished(e) => edges.extend(e.formed_from.iter().map(|s| {
                edge(
                    s.to_string(),
                    me(),
                    "formed-from",
                    e.effective_on,
                    e.legal_act.as_ref().map(ToString::to_string),
                )
            })),
            _ => {}
        }
    }
    edges.sort_by(|a, b| (&a.from_id, &a.to_id, &a.kind).cmp(&(&b.from_id, &b.to_id, &b.kind)));
    edges.dedup_by(|a, b| (&a.from_id, &a.to_id, &a.kind) == (&b.from_id, &b.to_id, &b.kind));
    edges
}
