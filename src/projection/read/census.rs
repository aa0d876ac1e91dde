//! What a district's or a province's level is computed from, read with its roll-up: the units
//! under each child by kind, recognised level and revocation, the district-kind units' own
//! grades, and the parent's own standing (docs/decisions/district-province-completion.md).

use chrono::NaiveDate;
use sqlx::Row;

use super::{with_reader, Readers};
use crate::domain::completion::UnitCounts;
use crate::domain::terms::{LocalityKind, RecognitionLevel};
use crate::projection::ProjectionError;

/// The sets whose standings the census reads for district-kind units: huyện NTM and thị xã /
/// thành phố hoàn thành nhiệm vụ.
#[derive(Debug, Clone, Copy)]
pub struct CensusSets<'a> {
    pub huyen: &'a str,
    pub town_city: &'a str,
}

/// A district-kind unit under the parent (in a province: each child district itself).
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictUnit {
    pub id: String,
    pub name: String,
    pub level: Option<RecognitionLevel>,
    /// Its standing's statuses (one letter per criterion, then condition) on the date.
    pub huyen_statuses: Option<String>,
    pub town_statuses: Option<String>,
}

/// The units under one child (or the whole parent) that completion counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Census {
    pub units: UnitCounts,
    pub districts: Vec<DistrictUnit>,
}

/// One group of the roll-up's statement, as the census reads it.
pub(super) struct CensusRow<'a> {
    pub child: &'a str,
    pub kind: Option<LocalityKind>,
    pub level: Option<RecognitionLevel>,
    pub revoked: bool,
    pub units: i64,
    pub name: Option<String>,
    pub huyen_statuses: Option<String>,
    pub town_statuses: Option<String>,
}

impl Census {
    /// Counts one group of units of the same kind, level and revocation.
    pub(super) fn count(&mut self, row: CensusRow<'_>) {
        let n = u32::try_from(row.units).unwrap_or(u32::MAX);
        let holds = |l: RecognitionLevel| row.level.is_some_and(|h| h.includes(l));
        let u = &mut self.units;
        match row.kind {
            Some(LocalityKind::Commune) => {
                u.communes += n;
                u.communes_ntm += if holds(RecognitionLevel::Ntm) { n } else { 0 };
                u.communes_nang_cao += if holds(RecognitionLevel::NtmNangCao) {
                    n
                } else {
                    0
                };
                u.communes_revoked += if row.revoked { n } else { 0 };
            }
            Some(LocalityKind::Township) => {
                u.townships += n;
                u.townships_civilised += if holds(RecognitionLevel::DoThiVanMinh) {
                    n
                } else {
                    0
                };
            }
            // In a province each district is its own child, so its group is the district alone.
            Some(LocalityKind::District) => self.districts.push(DistrictUnit {
                id: row.child.to_owned(),
                name: row.name.unwrap_or_default(),
                level: row.level,
                huyen_statuses: row.huyen_statuses,
                town_statuses: row.town_statuses,
            }),
            _ => {}
        }
    }

    /// Adds `other`'s units and districts to these.
    pub(super) fn add(&mut self, other: &Census) {
        let (a, b) = (&mut self.units, &other.units);
        a.communes += b.communes;
        a.communes_ntm += b.communes_ntm;
        a.communes_nang_cao += b.communes_nang_cao;
        a.communes_revoked += b.communes_revoked;
        a.townships += b.townships;
        a.townships_civilised += b.townships_civilised;
        self.districts.extend(other.districts.iter().cloned());
    }
}

/// The kinds the census counts besides the programme's.
pub(super) const CENSUS_KINDS: [LocalityKind; 3] = [
    LocalityKind::Commune,
    LocalityKind::Township,
    LocalityKind::District,
];

/// The census's columns (a district's name and its huyện / thị xã standings' statuses; each
/// district is its own group, so `MAX` is its value) and the joins to those standings, on `$5`
/// and `$6`; without a census, NULLs and no join.
pub(super) fn census_sql(census: bool, postgres: bool) -> (String, String) {
    if !census {
        return (", NULL, NULL, NULL".to_owned(), String::new());
    }
    let huyen = super::rollups::period_join(
        "proj_standing_history",
        "hh",
        " AND hh.set_code = $5 AND r.kind = 'district'",
        postgres,
    );
    let town = super::rollups::period_join(
        "proj_standing_history",
        "ht",
        " AND ht.set_code = $6 AND r.kind = 'district'",
        postgres,
    );
    (
        ", MAX(tree.name), MAX(hh.statuses), MAX(ht.statuses)".to_owned(),
        format!(" LEFT JOIN {huyen} LEFT JOIN {town}"),
    )
}

/// A locality's own kind, name, recognised level and standings on a date.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OwnStanding {
    pub kind: Option<LocalityKind>,
    pub name: Option<String>,
    pub level: Option<RecognitionLevel>,
    /// (set code, statuses) of its standings on the date in the sets asked for.
    pub statuses: Vec<(String, String)>,
}

impl OwnStanding {
    pub fn statuses_in(&self, set: &str) -> Option<&str> {
        self.statuses
            .iter()
            .find(|(code, _)| code == set)
            .map(|(_, s)| s.as_str())
    }
}

const OWN_SQL: &str = "SELECT p.kind, p.name, r.recognised_level, h.set_code, h.statuses \
     FROM proj_locality_periods p \
     LEFT JOIN proj_recognition_history r ON r.locality_id = p.locality_id \
     AND r.valid_from <= $2 AND (r.valid_to IS NULL OR r.valid_to > $2) \
     LEFT JOIN proj_standing_history h ON h.locality_id = p.locality_id \
     AND h.set_code IN ($3, $4, $5) AND h.valid_from <= $2 AND (h.valid_to IS NULL OR h.valid_to > $2) \
     WHERE p.locality_id = $1 AND p.valid_from <= $2 AND (p.valid_to IS NULL OR p.valid_to > $2)";

/// The own standing of `id` on `on` in up to three sets: one point read by primary keys.
/// `None` when the locality does not exist on the date.
pub async fn own_standing(
    readers: &Readers,
    id: &str,
    on: NaiveDate,
    sets: [&str; 3],
) -> Result<Option<OwnStanding>, ProjectionError> {
    let rows: Result<Vec<_>, ProjectionError> = with_reader!(readers, conn => {
        let rows = sqlx::query(OWN_SQL)
            .bind(id)
            .bind(on)
            .bind(sets[0])
            .bind(sets[1])
            .bind(sets[2])
            .fetch_all(&mut *conn)
            .await?;
        rows.iter()
            .map(|row| -> Result<_, sqlx::Error> {
                Ok((
                    row.try_get::<Option<String>, _>(0)?,
                    row.try_get::<Option<String>, _>(1)?,
                    row.try_get::<Option<String>, _>(2)?,
                    row.try_get::<Option<String>, _>(3)?,
                    row.try_get::<Option<String>, _>(4)?,
                ))
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(ProjectionError::from)
    });
    let rows = rows?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let mut own = OwnStanding {
        kind: first.0.as_deref().and_then(LocalityKind::from_spelling),
        name: first.1.clone(),
        level: first.2.as_deref().and_then(RecognitionLevel::from_spelling),
        statuses: Vec::new(),
    };
    for (_, _, _, set, statuses) in rows {
        if let (Some(set), Some(statuses)) = (set, statuses) {
            own.statuses.push((set, statuses));
        }
    }
    Ok(Some(own))
}
