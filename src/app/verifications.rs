//! The record of each `ntm verify` run (table `verifications`): written after the run, read by
//! the API's `lastVerification`. A convenience for the dashboard, not a proof: the proof is
//! running `ntm verify` again (docs/decisions/verification-record.md).

use chrono::{DateTime, SubsecRound, Utc};

use super::verify::Report;
use crate::store::{with_db, Db, StoreError};

/// Longest problem text kept, in characters; a longer one is cut and ends with `…`.
pub const PROBLEM_MAX_CHARS: usize = 2000;

/// Most runs [`recent`] reads at once.
pub const MAX_RECENT: usize = 100;

/// One run of `ntm verify` that completed: when, what it checked, and the first problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    /// When the run started and finished, by the clock of the process that ran it.
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// Events read in position order (the one that failed included when its columns parse).
    pub events_checked: i64,
    /// Streams those events belong to.
    pub streams_checked: i64,
    /// The last event, in position order, that held: the log is verified up to it (0: none).
    pub head_position: i64,
    /// That event's hash (`None`: no event held, or the log is empty).
    pub head_hash: Option<Vec<u8>>,
    /// The position up to which the read tables were compared with a rebuild from the log;
    /// `None` when the comparison did not run (the log or the locality tree failed first).
    pub read_tables_position: Option<i64>,
    /// The first thing that did not hold, at most [`PROBLEM_MAX_CHARS`] characters; `None`: ok.
    pub problem: Option<String>,
}

impl Verification {
    /// The record of `report`, a run between `started_at` and `finished_at`.
    pub fn of(report: &Report, started_at: DateTime<Utc>, finished_at: DateTime<Utc>) -> Self {
        let (head_position, head_hash) = match &report.head {
            Some((position, hash)) => (*position, Some(hash.clone())),
            None => (0, None),
        };
        Verification {
            // Microseconds: what PostgreSQL keeps, so both engines read back the same instant.
            started_at: started_at.trunc_subsecs(6),
            finished_at: finished_at.trunc_subsecs(6),
            events_checked: i64::try_from(report.events).unwrap_or(i64::MAX),
            streams_checked: i64::try_from(report.streams).unwrap_or(i64::MAX),
            head_position,
            head_hash,
            read_tables_position: report.read_tables_compared().then_some(report.checkpoint),
            problem: report
                .finding
                .as_ref()
                .map(|finding| bounded(&finding.to_string())),
        }
    }

    /// Whether everything held.
    pub fn ok(&self) -> bool {
        self.problem.is_none()
    }
}

/// `text` cut to [`PROBLEM_MAX_CHARS`] characters, the last one `…` when it was longer.
fn bounded(text: &str) -> String {
    if text.chars().count() <= PROBLEM_MAX_CHARS {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(PROBLEM_MAX_CHARS - 1).collect();
    cut.push('…');
    cut
}

const COLUMNS: &str = "started_at, finished_at, events_checked, streams_checked, \
    head_position, head_hash, read_tables_position, problem";

type Row = (
    DateTime<Utc>,
    DateTime<Utc>,
    i64,
    i64,
    i64,
    Option<Vec<u8>>,
    Option<i64>,
    Option<String>,
);

/// Records `run`; its number (runs are numbered in the order they are recorded).
pub async fn record(db: &Db, run: &Verification) -> Result<i64, StoreError> {
    let sql = format!(
        "INSERT INTO verifications ({COLUMNS}, ok) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         RETURNING id"
    );
    let (id,): (i64,) = with_db!(db, pool => {
        sqlx::query_as(&sql)
            .bind(run.started_at)
            .bind(run.finished_at)
            .bind(run.events_checked)
            .bind(run.streams_checked)
            .bind(run.head_position)
            .bind(run.head_hash.clone())
            .bind(run.read_tables_position)
            .bind(run.problem.clone())
            .bind(run.ok())
            .fetch_one(pool)
            .await?
    });
    Ok(id)
}

/// The last `limit` runs recorded (at most [`MAX_RECENT`]), the newest first.
pub async fn recent(db: &Db, limit: usize) -> Result<Vec<Verification>, StoreError> {
    let limit = i64::try_from(limit.min(MAX_RECENT)).unwrap_or(0);
    let sql = format!("SELECT {COLUMNS} FROM verifications ORDER BY id DESC LIMIT $1");
    let rows: Vec<Row> = with_db!(db, pool => {
        sqlx::query_as(&sql).bind(limit).fetch_all(pool).await?
    });
    Ok(rows.into_iter().map(from_row).collect())
}

/// The last run recorded; `None` when `ntm verify` never completed on this database.
pub async fn last(db: &Db) -> Result<Option<Verification>, StoreError> {
    Ok(recent(db, 1).await?.into_iter().next())
}

fn from_row(row: Row) -> Verification {
    let (started_at, finished_at, events_checked, streams_checked, head_position, head_hash) =
        (row.0, row.1, row.2, row.3, row.4, row.5);
    Verification {
        started_at,
        finished_at,
        events_checked,
        streams_checked,
        head_position,
        head_hash,
        read_tables_position: row.6,
        problem: row.7,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_problem_is_cut_to_its_bound() {
        let long = "é".repeat(PROBLEM_MAX_CHARS + 5);
        let cut = bounded(&long);
        assert_eq!(cut.chars().count(), PROBLEM_MAX_CHARS);
        assert!(cut.ends_with('…'));
        let exact = "x".repeat(PROBLEM_MAX_CHARS);
        assert_eq!(bounded(&exact), exact);
    }
}
