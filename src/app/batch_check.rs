//! A batch checked as the command service would check it before an append, without appending:
//! the dry run of an upload is refused for the same reasons its commit would be.

use std::collections::HashMap;

use super::authorise::authorize_append;
use super::error::CommandError;
use super::service::CommandService;
use super::surroundings::check_tree;
use crate::auth::Actor;
use crate::domain::lineage::StreamEvents;
use crate::domain::locality::{LocalityId, LocalityState};

impl CommandService {
    /// Whether `actor` may append `decided` (its role and scope, every event) and the tree
    /// stays a tree; nothing is written.
    pub async fn authorise_only(
        &self,
        actor: &Actor,
        decided: &StreamEvents,
    ) -> Result<(), CommandError> {
        let mut before: HashMap<LocalityId, LocalityState> = HashMap::new();
        for (id, _) in decided {
            before.insert(id.clone(), self.load(id).await?.0);
        }
        let load = |id: LocalityId| async move { Ok(self.load(&id).await?.0) };
        authorize_append(actor, &before, decided, load).await?;
        check_tree(self.store(), &before, decided, load).await
    }
}
