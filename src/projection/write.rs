//! Writing derived rows inside the batch's transaction. Each table's stored rows for the batch's
//! localities are read, compared with the derived ones by primary key, and only the difference
//! is written: rows gone are deleted, new and changed rows upserted. Rows known to be new (a
//! rebuild's) are plainly inserted: with multi-row inserts on SQLite, with COPY on PostgreSQL.

use std::collections::HashMap;

use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, QueryBuilder};

use super::copy;
use super::derive::Derived;
use super::rows::*;
use super::table_set::TableSet;
use super::ProjectionError;
use crate::store::{with_tx, Tx};

/// Rows per multi-row statement: below both engines' limits on bound parameters.
const ROWS_PER_STATEMENT: usize = 400;

/// Syncs one table: the rows `$rows(d)` of each derived locality against the stored ones
/// (the previous rows when known, else read by column `$by`), keyed by the `key` fields;
/// `rest` are the other columns.
macro_rules! sync_table {
    ($tx:expr, $set:expr, $batch:expr, $table:literal by $by:literal, $row:ty, |$d:ident| $rows:expr,
     key [$($key:ident),+], rest [$($field:ident),*]) => {{
        let table = $set.table($table);
        let rows: Vec<&$row> = $batch.derived.iter().flat_map(|$d| $rows).collect();
        let read: Vec<$row> = if $batch.fresh {
            Vec::new()
        } else {
            select_for($tx, &table, $by, &$batch.unknown).await?
        };
        let mut stored: HashMap<_, &$row> = read
            .iter()
            .chain($batch.previous.iter().copied().flat_map(|$d| $rows))
            .map(|r| (($(&r.$key,)+), r))
            .collect();
        let changed: Vec<&$row> = rows
            .into_iter()
            .filter(|r| stored.remove(&($(&r.$key,)+)) != Some(*r))
            .collect();
        let gone: Vec<&$row> = stored.into_values().collect();
        let keys = [$(stringify!($key)),+];
        for row in &gone {
            with_tx!(&mut *$tx, conn, E => {
                let mut query = QueryBuilder::<E>::new(format!("DELETE FROM {table} WHERE 1 = 1"));
                $( query.push(concat!(" AND ", stringify!($key), " = ")).push_bind(&row.$key); )+
                query.build().execute(&mut *conn).await?;
            });
        }
        let columns = [$(stringify!($key),)+ $(stringify!($field)),*];
        let on_conflict = upsert_clause(&keys, &columns, $batch.fresh);
        if let (true, Tx::Postgres(t)) = ($batch.fresh, &mut *$tx) {
            let mut text = String::new();
            for row in &changed {
                copy::push_row(&mut text, &[$(&row.$key,)+ $(&row.$field),*]);
            }
            copy::copy_in(t, &table, &columns, text).await?;
        } else {
            for chunk in changed.chunks(ROWS_PER_STATEMENT) {
                with_tx!(&mut *$tx, conn, E => {
                    let sql = format!("INSERT INTO {table} ({}) ", columns.join(", "));
                    let mut query = QueryBuilder::<E>::new(sql);
                    query.push_values(chunk, |mut b, row| {
                        $( b.push_bind(&row.$key); )+
                        $( b.push_bind(&row.$field); )*
                    });
                    query.push(&on_conflict);
                    query.build().execute(&mut *conn).await?;
                });
            }
        }
    }};
}

/// `ON CONFLICT (keys) DO UPDATE SET …` for every other column; nothing for a fresh table.
fn upsert_clause(keys: &[&str], columns: &[&str], fresh: bool) -> String {
    if fresh {
        return String::new();
    }
    let updates: Vec<String> = columns
        .iter()
        .filter(|c| !keys.contains(c))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    if updates.is_empty() {
        format!(" ON CONFLICT ({}) DO NOTHING", keys.join(", "))
    } else {
        format!(
            " ON CONFLICT ({}) DO UPDATE SET {}",
            keys.join(", "),
            updates.join(", ")
        )
    }
}

/// The stored rows of `table` whose `column` is one of `ids`.
async fn select_for<R>(
    tx: &mut Tx,
    table: &str,
    column: &str,
    ids: &[&str],
) -> Result<Vec<R>, ProjectionError>
where
    R: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    let mut rows = Vec::new();
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let found: Vec<R> = with_tx!(&mut *tx, conn, E => {
            let mut query = QueryBuilder::<E>::new(format!("SELECT * FROM {table} WHERE {column} IN ("));
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            query.push(")");
            query.build_query_as().fetch_all(&mut *conn).await?
        });
        rows.extend(found);
    }
    Ok(rows)
}

/// What one flush writes: the derived localities, and what is stored for them now.
pub struct Batch<'a> {
    pub derived: &'a [Derived],
    /// The rows last written for some of them (kept in memory by the applier).
    pub previous: Vec<&'a Derived>,
    /// The others, whose stored rows are read.
    pub unknown: Vec<&'a str>,
    /// The table set holds nothing yet: nothing is read or replaced.
    pub fresh: bool,
}

/// Makes the stored rows of every derived locality (their paths already set) equal to the
/// derived ones.
pub async fn write(tx: &mut Tx, set: TableSet, batch: &Batch<'_>) -> Result<(), ProjectionError> {
    sync_table!(tx, set, batch, "proj_localities" by "locality_id", LocalityRow,
        |d| [&d.locality],
        key [locality_id],
        rest [path, name, code, kind, parent_id, established_on, ended_on, end_kind, last_position]);
    sync_table!(tx, set, batch, "proj_locality_periods" by "locality_id", PeriodRow,
        |d| &d.periods,
        key [locality_id, valid_from],
        rest [valid_to, name, code, kind, parent_id, region, commune_group, special, search_name]);
    sync_table!(tx, set, batch, "proj_lineage_edges" by "recorded_on", EdgeRow,
        |d| &d.edges,
        key [recorded_on, from_id, to_id, kind],
        rest [effective_on, legal_act]);
    sync_table!(tx, set, batch, "proj_standings" by "locality_id", StandingRow,
        |d| &d.standings,
        key [locality_id, set_code],
        rest [set_version, as_of, exists_on, enrolled, criteria_met, criteria_total, level_reached,
            recognised_level, recognition, recognised_set, recognition_override, recognised_on,
            standard_year,
            recognition_batch, at_risk, pending_acknowledgement, last_position, graded_by]);
    sync_table!(tx, set, batch, "proj_standing_criteria" by "locality_id", CriterionRow,
        |d| &d.criteria,
        key [locality_id, set_code, criterion],
        rest [is_condition, status, computed, official, official_level, official_on, differs]);
    sync_table!(tx, set, batch, "proj_standing_indicators" by "locality_id", IndicatorRow,
        |d| &d.indicators,
        key [locality_id, set_code, indicator],
        rest [criterion, reading, read_on, target, status]);
    sync_table!(tx, set, batch, "proj_standing_history" by "locality_id", HistoryRow,
        |d| &d.history,
        key [locality_id, set_code, valid_from],
        rest [set_version, valid_to, exists_on, criteria_met, criteria_total, level_reached,
            recognised_level, at_risk, statuses, graded_by]);
    sync_table!(tx, set, batch, "proj_recognition_history" by "locality_id", RecognitionRow,
        |d| &d.recognition,
        key [locality_id, valid_from],
        rest [valid_to, exists_on, kind, recognised_level, recognition, recognised_set,
            standard_year, recognition_batch, recognition_override, recognised_on,
            pending_acknowledgement, at_risk, revoked]);
    Ok(())
}
