//! Where the applier's localities are, for the sets of a territory: the links of a batch and of
//! its ancestors, and the stored descendants a locality whose code or parent changed carries.

use super::Applier;
use crate::domain::territory::Ancestry;
use crate::projection::ancestry::{self, period_links, stream_links};
use crate::projection::ProjectionError;

impl Applier {
    /// The links of the touched localities as their streams now stand, and of their other
    /// ancestors as stored. Empty when no set of the catalogue grades a territory.
    pub(super) async fn touched_ancestry(&self) -> Result<Ancestry, ProjectionError> {
        if !self.catalog.has_territorial_sets() {
            return Ok(Ancestry::new());
        }
        let batch: Ancestry = self
            .touched
            .iter()
            .filter_map(|id| Some((id.clone(), stream_links(&self.streams.get(id)?.events))))
            .collect();
        ancestry::complete(self.db(), self.set, batch).await
    }

    /// The links of `ids` (streams just loaded, as at the checkpoint) and of their ancestors as
    /// stored: where they were when their rows were written.
    pub(super) async fn stored_ancestry_of(
        &self,
        ids: &[&str],
    ) -> Result<Ancestry, ProjectionError> {
        if !self.catalog.has_territorial_sets() {
            return Ok(Ancestry::new());
        }
        let own: Ancestry = ids
            .iter()
            .filter_map(|id| {
                Some((
                    (*id).to_owned(),
                    stream_links(&self.streams.get(*id)?.events),
                ))
            })
            .collect();
        ancestry::complete(self.db(), self.set, own).await
    }

    /// Adds to the batch the stored descendants of every touched locality whose code or parent
    /// changed (or that is new): they may have moved into or out of a territory.
    pub(super) async fn touch_descendants(&mut self) -> Result<(), ProjectionError> {
        let moved: Vec<String> = self
            .touched
            .iter()
            .filter(|id| {
                let Some(stream) = self.streams.get(*id) else {
                    return false;
                };
                let before = stream.written.as_ref().map(|w| period_links(&w.periods));
                before.is_none_or(|before| before != stream_links(&stream.events))
            })
            .cloned()
            .collect();
        if moved.is_empty() || self.position == 0 {
            return Ok(());
        }
        let descendants = ancestry::stored_descendants(self.db(), self.set, &moved).await?;
        let missing: Vec<&str> = descendants
            .iter()
            .map(String::as_str)
            .filter(|id| !self.streams.contains_key(*id))
            .collect();
        self.load_streams(&missing).await?;
        self.touched.extend(descendants);
        Ok(())
    }
}
