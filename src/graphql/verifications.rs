//! The query fields that tell how `ntm verify` went: `lastVerification` and `verifications`.

use async_graphql::{Context, Object, SimpleObject};

use super::access::Needs;
use super::scalars::Instant;
use super::{api, page_size, ApiError};
use crate::app::verifications::{self, Verification, MAX_RECENT};
use crate::auth::Right;

#[derive(Default)]
pub struct VerificationQuery;

/// One completed run of `ntm verify`, as it recorded itself: what it checked and the first
/// thing that did not hold. A convenience, not a proof: the record lives beside the log, not
/// in it, so whoever doubts it runs `ntm verify` again.
#[derive(SimpleObject)]
#[graphql(name = "Verification")]
pub struct VerificationView {
    /// When the run started, by the clock of the machine that ran it.
    pub started_at: Instant,
    /// When the run finished, by the same clock.
    pub finished_at: Instant,
    /// Whether everything held: the hash chains, the global order, the locality tree, the read
    /// tables against a rebuild and the token index.
    pub ok: bool,
    /// Events read in position order (the one that failed included when its columns parse).
    pub events_checked: i64,
    /// Event streams those events belong to.
    pub streams_checked: i64,
    /// The position of the last event, in position order, that held: the log is verified up
    /// to it (0 when none did or the log was empty).
    pub head_position: i64,
    /// That event's SHA-256 hash, in hexadecimal (null when none held or the log was empty).
    pub head_hash: Option<String>,
    /// Whether the read tables were compared with a rebuild from the log (not when the log or
    /// the locality tree failed first).
    pub read_tables_compared: bool,
    /// The log position up to which the read tables were compared (null when they were not).
    pub read_tables_position: Option<i64>,
    /// The first thing that did not hold, as `ntm verify` printed it (at most 2000
    /// characters); null when `ok`.
    pub problem: Option<String>,
}

impl From<Verification> for VerificationView {
    fn from(run: Verification) -> Self {
        VerificationView {
            started_at: Instant(run.started_at),
            finished_at: Instant(run.finished_at),
            ok: run.ok(),
            events_checked: run.events_checked,
            streams_checked: run.streams_checked,
            head_position: run.head_position,
            head_hash: run.head_hash.as_deref().map(hex::encode),
            read_tables_compared: run.read_tables_position.is_some(),
            read_tables_position: run.read_tables_position,
            problem: run.problem,
        }
    }
}

#[Object]
impl VerificationQuery {
    /// The last run of `ntm verify` that completed on this database, passed or failed; null
    /// when it never ran. Readable by whoever may read (it is no secret).
    #[graphql(guard = "Needs(Right::Read)")]
    async fn last_verification(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<VerificationView>> {
        let db = api(ctx)?.store.db();
        let last = verifications::last(db).await.map_err(ApiError::from)?;
        Ok(last.map(Into::into))
    }

    /// The last runs of `ntm verify` that completed, the newest first.
    #[graphql(
        guard = "Needs(Right::Read)",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity"
    )]
    async fn verifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many runs (1 to 100, default 20; VALIDATION otherwise).")]
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<VerificationView>> {
        let limit = page_size(first)?;
        if limit > MAX_RECENT {
            let message = format!("first must be from 1 to {MAX_RECENT}, got {limit}");
            return Err(ApiError::validation("first", message).into());
        }
        let db = api(ctx)?.store.db();
        let runs = verifications::recent(db, limit)
            .await
            .map_err(ApiError::from)?;
        Ok(runs.into_iter().map(Into::into).collect())
    }
}
