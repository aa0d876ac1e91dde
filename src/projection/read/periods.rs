//! Reads of the period tables on the main pool: the standings of a subtree on a date, and
//! every locality that ever held a code.

use chrono::NaiveDate;

use crate::projection::rows::HistoryRow;
use crate::projection::ProjectionError;
use crate::store::{with_db, Db};

/// The standing on `on` of every locality in the subtree of `ancestor` (by today's tree).
pub async fn standings_in_subtree(
    db: &Db,
    ancestor: &str,
    set: &str,
    on: NaiveDate,
) -> Result<Vec<HistoryRow>, ProjectionError> {
    const SQL: &str = "SELECT h.* FROM proj_standing_history h JOIN proj_localities l \
         ON l.locality_id = h.locality_id \
         WHERE l.path LIKE $1 AND l.locality_id <> $2 AND h.set_code = $3 \
         AND h.valid_from <= $4 AND (h.valid_to IS NULL OR h.valid_to > $4) ORDER BY h.locality_id";
    let pattern = format!("%/{ancestor}/%");
    let rows = with_db!(db, pool => {
        sqlx::query_as(SQL).bind(pattern).bind(ancestor).bind(set).bind(on).fetch_all(pool).await?
    });
    Ok(rows)
}

/// Every locality the directory has seen holding `code` on some date (as far as the live
/// tables have projected: see [`checkpoint`](crate::projection::checkpoint)).
pub async fn ever_coded(db: &Db, code: &str) -> Result<Vec<String>, ProjectionError> {
    const SQL: &str = "SELECT DISTINCT locality_id FROM proj_locality_periods WHERE code = $1";
    let rows: Vec<(String,)> = with_db!(db, pool => {
        sqlx::query_as(SQL).bind(code).fetch_all(pool).await?
    });
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
