//! Writing derived rows: each touched locality's rows replaced, history re-closed from the
//! first changed date, and subtree paths kept consistent, all inside the batch's transaction.

use sqlx::QueryBuilder;

use super::derive::Derived;
use super::history::SetHistory;
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
    write_history(tx, set, derived).await
}

/// History is rewritten only from the first date a batch can have changed.
async fn write_history(
    tx: &mut Tx,
    set: TableSet,
    derived: &[Derived],
) -> Result<(), ProjectionError> {
    let history_table = set.table("proj_standing_history");
    let criteria_table = set.table("proj_criterion_history");
    let mut rows = Vec::new();
    let mut criteria = Vec::new();
    for d in derived {
        let id = d.locality.locality_id.as_str();
        for h in &d.history {
            trim(tx, &history_table, id, h).await?;
            trim(tx, &criteria_table, id, h).await?;
            let keep = usize::from(h.after.is_some());
            rows.extend(h.rows.iter().skip(keep));
            if let Some(after) = h.after {
                reclose_criteria(tx, &criteria_table, id, h, after).await?;
                criteria.extend(h.criteria.iter().filter(|c| c.valid_from > after));
                reclose_summary(tx, &history_table, id, h, after).await?;
            } else {
                criteria.extend(&h.criteria);
            }
        }
    }
    insert_rows!(
        tx,
        history_table,
        rows,
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
    insert_rows!(
        tx,
        criteria_table,
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

/// Deletes the periods of (locality, set) that start after `h.after` (all when it is `None`).
async fn trim(tx: &mut Tx, table: &str, id: &str, h: &SetHistory) -> Result<(), ProjectionError> {
    // A NULL bound deletes every period (no sentinel date: PostgreSQL's range is narrower).
    let sql = format!(
        "DELETE FROM {table} WHERE locality_id = $1 AND set_code = $2 \
         AND ($3 IS NULL OR valid_from > $3)"
    );
    with_tx!(tx, conn, _E => sqlx::query(&sql).bind(id).bind(&h.set_code).bind(h.after).execute(conn).await.map(|_| ())?);
    Ok(())
}

/// The kept summary period containing `after` now ends where the first re-derived one says.
async fn reclose_summary(
    tx: &mut Tx,
    table: &str,
    id: &str,
    h: &SetHistory,
    after: chrono::NaiveDate,
) -> Result<(), ProjectionError> {
    let sql = format!(
        "UPDATE {table} SET valid_to = $1 WHERE locality_id = $2 AND set_code = $3 \
         AND valid_from <= $4 AND (valid_to IS NULL OR valid_to > $4)"
    );
    let to = h.rows.first().and_then(|r| r.valid_to);
    with_tx!(tx, conn, _E => sqlx::query(&sql).bind(to).bind(id).bind(&h.set_code).bind(after).execute(conn).await.map(|_| ())?);
    Ok(())
}

/// Same for each criterion, one statement per distinct new end date.
async fn reclose_criteria(
    tx: &mut Tx,
    table: &str,
    id: &str,
    h: &SetHistory,
    after: chrono::NaiveDate,
) -> Result<(), ProjectionError> {
    let mut by_end: std::collections::BTreeMap<Option<chrono::NaiveDate>, Vec<&str>> =
        Default::default();
    for c in h.criteria.iter().filter(|c| c.valid_from == after) {
        by_end.entry(c.valid_to).or_default().push(&c.criterion);
    }
    for (to, codes) in by_end {
        with_tx!(tx, conn, E => {
            let mut query = QueryBuilder::<E>::new(format!("UPDATE {table} SET valid_to = "));
            query.push_bind(to).push(" WHERE locality_id = ").push_bind(id);
            query.push(" AND set_code = ").push_bind(&h.set_code);
            query.push(" AND valid_from <= ").push_bind(after);
            query.push(" AND (valid_to IS NULL OR valid_to > ").push_bind(after).push(") AND criterion IN (");
            let mut list = query.separated(", ");
            for code in codes {
                list.push_bind(code);
            }
            query.push(")");
            query.build().execute(&mut *conn).await?;
        });
    }
    Ok(())
}
