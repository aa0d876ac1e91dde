//! Grading every locality again when a criteria set version is published in the log.

use std::sync::Arc;

use chrono::NaiveDate;

use super::{Applier, REGRADE_CHUNK};
use crate::app::catalog;
use crate::app::codec::{locality_id_text, LOCALITY_CATEGORY};
use crate::projection::ProjectionError;

impl Applier {
    /// A version was published: every locality is graded again with the catalogue as the log
    /// knows it at the ingested position, and written with the checkpoint in one transaction,
    /// so that the tables at any checkpoint are graded by the catalogue known there.
    pub(super) async fn write_all_with_published(
        &mut self,
        today: NaiveDate,
    ) -> Result<(), ProjectionError> {
        let prefix = format!("{LOCALITY_CATEGORY}/");
        let streams = self
            .store
            .stream_ids_by_start(&prefix, self.ingested)
            .await?;
        let ids: Vec<&str> = streams.iter().filter_map(|s| locality_id_text(s)).collect();
        let missing: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| !self.streams.contains_key(*id))
            .collect();
        // Recalled with the catalogue they were written with, before it is replaced.
        for chunk in missing.chunks(REGRADE_CHUNK * 16) {
            self.load_streams(chunk).await?;
        }
        let loaded = catalog::load_at(&self.store, &self.base, self.ingested).await?;
        self.catalog = Arc::new(loaded);
        self.catalog_published = false;
        self.touched.extend(ids.iter().map(|id| (*id).to_owned()));
        let started = std::time::Instant::now();
        self.write_touched(today).await?;
        let (localities, ms) = (ids.len(), started.elapsed().as_millis());
        tracing::info!(
            localities,
            ms,
            "graded again with a newly published criteria set"
        );
        Ok(())
    }
}
