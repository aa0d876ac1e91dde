//! The districts end: the reorganisation abolishes the district level.

use super::ReorganizationRun;
use crate::domain::lineage::StreamEvents;
use crate::domain::locality::{LocalityAction, LocalityDissolved};
use crate::domain::terms::LocalityKind;

impl ReorganizationRun<'_> {
    /// Every district alive the day before ends: the district level is abolished.
    pub(super) async fn districts(&mut self) -> anyhow::Result<()> {
        let before = self.before();
        let mut streams = StreamEvents::new();
        for id in self.register.alive_on(before) {
            let is_district = self.register.state(id).is_some_and(|s| {
                s.profile().kinds.on(before) == Some(&LocalityKind::District)
                    && s.profile().exists_on(self.args.effective)
            });
            if !is_district {
                continue;
            }
            let dissolved = LocalityAction::Dissolve(LocalityDissolved {
                effective_on: self.args.effective,
                legal_act: self.args.act.clone(),
                reason: "the district level is abolished (two-tier local government)".into(),
            });
            streams.push((id.clone(), self.register.decide(id, self.today, dissolved)?));
        }
        self.summary.districts_ended = streams.len();
        self.record(streams, None).await
    }
}
