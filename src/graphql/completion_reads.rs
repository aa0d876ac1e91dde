//! The reads behind `completion`: the parent's own standing (one point read) and the roll-up
//! with its census, turned into the completion of a summary or a locality.

use chrono::NaiveDate;

use super::completion::{district, province, CompletionSets, CompletionView, DistrictTally};
use super::summary::Summary;
use super::ApiError;
use crate::domain::catalog::{Catalog, SetCode};
use crate::domain::completion::UnitCounts;
use crate::domain::terms::LocalityKind;
use crate::projection::read::{own_standing, rollup_on_reader, OwnStanding};
use crate::projection::read::{Reads, Rollup, RollupQuery};

/// What a summary's parent needs for its completion on a date: the sets, and its own standing
/// when it is a district or a province. One point read (counted) when the sets are in force.
pub async fn parent_on<'a>(
    reads: &Reads,
    catalog: &'a Catalog,
    parent: &str,
    on: NaiveDate,
) -> Result<Option<(CompletionSets<'a>, OwnStanding)>, ApiError> {
    let Some(sets) = CompletionSets::in_force(catalog, on) else {
        return Ok(None);
    };
    let codes = [&sets.huyen.code, &sets.town_city.code, &sets.province.code].map(SetCode::as_str);
    reads.count(1);
    let own = own_standing(reads.readers(), parent, on, codes).await?;
    Ok(own
        .filter(|o| {
            matches!(
                o.kind,
                Some(LocalityKind::District | LocalityKind::Province)
            )
        })
        .map(|o| (sets, o)))
}

/// The completion of a district or province (and, for a province, its districts' tally) from
/// its own standing and its roll-up's census.
fn parent_completion(
    parent: &(CompletionSets<'_>, OwnStanding),
    rollup: &Rollup,
) -> Option<(CompletionView, Option<DistrictTally>)> {
    let (sets, own) = parent;
    match own.kind {
        Some(LocalityKind::Province) => {
            let units_of = |id: &str| child_units(rollup, id);
            let (view, tally) = province(sets, own, &rollup.census, units_of);
            Some((view, Some(tally)))
        }
        Some(LocalityKind::District) => {
            let grades = (
                own.statuses_in(sets.huyen.code.as_str()),
                own.statuses_in(sets.town_city.code.as_str()),
            );
            let name = own.name.as_deref().unwrap_or_default();
            let view = district(sets, name, own.level, grades, &rollup.census.units)?;
            Some((view, None))
        }
        _ => None,
    }
}

fn child_units(rollup: &Rollup, id: &str) -> UnitCounts {
    rollup
        .child_census
        .get(id)
        .map(|c| c.units)
        .unwrap_or_default()
}

/// Sets the completion of a summary's parent (a district or a province) and, in a province, of
/// each district among its children, from the roll-up's census.
pub fn attach(summary: &mut Summary, parent: &(CompletionSets<'_>, OwnStanding), rollup: &Rollup) {
    let Some((view, tally)) = parent_completion(parent, rollup) else {
        return;
    };
    summary.completion = Some(view);
    summary.districts = tally;
    let sets = &parent.0;
    for child in &mut summary.children {
        let Some(d) = rollup
            .census
            .districts
            .iter()
            .find(|d| d.id == child.locality_id)
        else {
            continue;
        };
        let grades = (d.huyen_statuses.as_deref(), d.town_statuses.as_deref());
        let units = child_units(rollup, &d.id);
        child.completion = district(sets, &d.name, d.level, grades, &units);
    }
}

/// `Locality.completion`: the level of a district or province on `on`, from one point read and
/// one roll-up statement with its census; `None` for other kinds or outside the sets' dates.
pub async fn of_locality(
    reads: &Reads,
    catalog: &Catalog,
    id: &str,
    on: NaiveDate,
) -> Result<Option<CompletionView>, ApiError> {
    let Some(parent) = parent_on(reads, catalog, id, on).await? else {
        return Ok(None);
    };
    let query = RollupQuery {
        parent: id,
        on,
        kinds: &[LocalityKind::Commune],
        set: None,
        below: 0,
        census: Some(parent.0.census()),
    };
    reads.count(1);
    let rollup = rollup_on_reader(reads.readers(), query).await?;
    Ok(parent_completion(&parent, &rollup).map(|(view, _)| view))
}
