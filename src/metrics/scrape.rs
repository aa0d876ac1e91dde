//! What a scrape reads when asked: the log's head, the projection checkpoint, the age of the
//! oldest event not yet projected, and the pools' connections.

use chrono::{DateTime, Utc};

use super::{Metrics, PoolLabels};
use crate::app::clock::Clock;
use crate::projection::read::{Connections, Readers};
use crate::projection::table_set::{checkpoint, TableSet};
use crate::store::{with_db, Db, EventStore};

/// Where a scrape reads from.
#[derive(Clone)]
pub struct Sources {
    pub store: EventStore,
    pub readers: Readers,
    pub clock: Clock,
}

impl Metrics {
    /// The metrics in Prometheus' (OpenMetrics) text format, with the log and pool figures read
    /// now: three indexed one-row statements.
    pub async fn scrape(&self, sources: &Sources) -> Result<String, String> {
        let _one_at_a_time = self.0.scraping.lock().await;
        self.read_log(sources).await?;
        self.read_pools(&sources.readers);
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.0.registry)
            .map_err(|e| e.to_string())?;
        Ok(text)
    }

    async fn read_log(&self, sources: &Sources) -> Result<(), String> {
        let db = sources.store.db();
        let head = sources
            .store
            .last_position()
            .await
            .map_err(|e| e.to_string())?;
        let projected = checkpoint(db, TableSet::Live)
            .await
            .map_err(|e| e.to_string())?;
        let appended = u64::try_from(head).unwrap_or(0);
        let counted = self.0.events_appended.get();
        self.0
            .events_appended
            .inc_by(appended.saturating_sub(counted));
        self.0
            .projection_lag_events
            .set(head.saturating_sub(projected).max(0));
        let lag = match oldest_unprojected(db, projected).await? {
            Some(recorded_at) => (sources.clock.now() - recorded_at).num_milliseconds(),
            None => 0,
        };
        self.0
            .projection_lag_seconds
            .set(lag.max(0) as f64 / 1000.0);
        Ok(())
    }

    fn read_pools(&self, readers: &Readers) {
        let (main_open, main_idle) =
            with_db!(readers.db(), pool => (pool.size() as i64, pool.num_idle() as i64));
        let status = match readers.connections() {
            Connections::Sqlite(pool) => pool.status(),
            Connections::Postgres(pool) => pool.status(),
        };
        for (pool, state, count) in [
            ("main", "open", main_open),
            ("main", "idle", main_idle),
            ("read", "open", status.size as i64),
            ("read", "idle", status.available as i64),
        ] {
            self.0
                .pool_connections
                .get_or_create(&PoolLabels { pool, state })
                .set(count);
        }
    }
}

/// When the first event after `projected` was recorded; `None` when there is none.
async fn oldest_unprojected(db: &Db, projected: i64) -> Result<Option<DateTime<Utc>>, String> {
    const SQL: &str = "SELECT recorded_at FROM events WHERE position = $1";
    let row: Option<(DateTime<Utc>,)> = with_db!(db, pool => {
        sqlx::query_as(SQL).bind(projected + 1).fetch_optional(pool).await
    })
    .map_err(|e| e.to_string())?;
    Ok(row.map(|(recorded_at,)| recorded_at))
}
