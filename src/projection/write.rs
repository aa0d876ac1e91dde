//! Writing derived rows: every row of each touched locality replaced, inside the batch's
//! transaction, with a few multi-row statements per table whatever the number of localities.

use sqlx::QueryBuilder;

use super::derive::Derived;
use super::tx::TableSet;
use super::ProjectionError;
use crate::store::{with_tx, Tx};

/// Rows per multi-row INSERT: below both engines' limits on bound parameters.
const ROWS_PER_STATEMENT: usize = 400;

/// `INSERT INTO table (fields…) VALUES …` for rows whose field names are the column names.
macro_rules! insert_rows {
    ($tx:expr, $table:expr, $rows:expr, [$($field:ident),+ $(,)?]) => {{
        let columns = [$(stringify!($field)),+].join(", ");
        for chunk in $rows.chunks(ROWS_PER_STATEMENT) {
            with_tx!($tx, conn, E => {
                let mut query = QueryBuilder::<E>::new(format!("INSERT INTO {} ({columns}) ", $table));
                query.push_values(chunk, |mut b, row| { $( b.push_bind(&row.$field); )+ });
                query.build().execute(&mut *conn).await?;
            });
        }
    }};
}

/// `DELETE FROM table WHERE column IN (ids…)`.
async fn delete_for(
    tx: &mut Tx,
    table: &str,
    column: &str,
    ids: &[&str],
) -> Result<(), ProjectionError> {
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        with_tx!(tx, conn, E => {
            let mut query = QueryBuilder::<E>::new(format!("DELETE FROM {table} WHERE {column} IN ("));
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            query.push(")");
            query.build().execute(&mut *conn).await?;
        });
    }
    Ok(())
}

/// Replaces the rows of every locality in `derived` (their paths already set).
pub async fn write(tx: &mut Tx, set: TableSet, derived: &[Derived]) -> Result<(), ProjectionError> {
    let ids: Vec<&str> = derived
        .iter()
        .map(|d| d.locality.locality_id.as_str())
        .collect();
    for table in [
        "proj_localities",
        "proj_locality_periods",
        "proj_standings",
        "proj_standing_criteria",
        "proj_standing_indicators",
        "proj_standing_history",
        "proj_criterion_history",
    ] {
        delete_for(tx, &set.table(table), "locality_id", &ids).await?;
    }
    delete_for(tx, &set.table("proj_lineage_edges"), "recorded_on", &ids).await?;
    let localities: Vec<_> = derived.iter().map(|d| &d.locality).collect();
    insert_rows!(
        tx,
        set.table("proj_localities"),
        localities,
        [
            locality_id,
            path,
            name,
            code,
            kind,
            parent_id,
            established_on,
            ended_on,
            end_kind,
            last_position
        ]
    );
    let periods: Vec<_> = derived.iter().flat_map(|d| &d.periods).collect();
    insert_rows!(
        tx,
        set.table("proj_locality_periods"),
        periods,
        [
            locality_id,
            valid_from,
            valid_to,
            name,
            code,
            kind,
            parent_id,
            region,
            commune_group
        ]
    );
    let edges: Vec<_> = derived.iter().flat_map(|d| &d.edges).collect();
    insert_rows!(
        tx,
        set.table("proj_lineage_edges"),
        edges,
        [recorded_on, from_id, to_id, kind, effective_on, legal_act]
    );
    let standings: Vec<_> = derived.iter().flat_map(|d| &d.standings).collect();
    insert_rows!(
        tx,
        set.table("proj_standings"),
        standings,
        [
            locality_id,
            set_code,
            as_of,
            exists_on,
            enrolled,
            criteria_met,
            criteria_total,
            level_reached,
            recognised_level,
            recognition,
            recognised_on,
            standard_year,
            recognition_batch,
            at_risk,
            pending_acknowledgement,
            last_position
        ]
    );
    let criteria: Vec<_> = derived.iter().flat_map(|d| &d.criteria).collect();
    insert_rows!(
        tx,
        set.table("proj_standing_criteria"),
        criteria,
        [
            locality_id,
            set_code,
            criterion,
            is_condition,
            status,
            computed,
            official,
            official_level,
            official_on,
            differs
        ]
    );
    let indicators: Vec<_> = derived.iter().flat_map(|d| &d.indicators).collect();
    insert_rows!(
        tx,
        set.table("proj_standing_indicators"),
        indicators,
        [
            locality_id,
            set_code,
            indicator,
            criterion,
            reading,
            read_on,
            target,
            status
        ]
    );
    let history: Vec<_> = derived
        .iter()
        .flat_map(|d| &d.history)
        .flat_map(|h| &h.rows)
        .collect();
    insert_rows!(
        tx,
        set.table("proj_standing_history"),
        history,
        [
            locality_id,
            set_code,
            valid_from,
            valid_to,
            exists_on,
            criteria_met,
            criteria_total,
            level_reached,
            recognised_level,
            at_risk
        ]
    );
    let criteria: Vec<_> = derived
        .iter()
        .flat_map(|d| &d.history)
        .flat_map(|h| &h.criteria)
        .collect();
    insert_rows!(
        tx,
        set.table("proj_criterion_history"),
        criteria,
        [
            locality_id,
            set_code,
            criterion,
            valid_from,
            valid_to,
            status
        ]
    );
    Ok(())
}
