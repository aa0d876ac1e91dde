//! Several commands over one or several localities, decided in order and appended as one
//! atomic request: a decision recognising, revoking or acknowledging many communes at once
//! (one `QĐ` for seven communes), or a criterion's readings with its assessment, entered in one
//! form. All are written, or none.

use std::collections::HashSet;

use super::error::CommandError;
use super::service::{answered, Call, CommandService, Loaded};
use crate::domain::locality::{Locality, LocalityAction, LocalityCommand, LocalityId};
use crate::domain::DomainError;
use crate::store::Appended;

/// The commands of one request, per locality, each list decided in its order (a later command
/// sees the events of the earlier ones).
pub type Plan = Vec<(LocalityId, Vec<LocalityAction>)>;

impl CommandService {
    /// Load → decide every command of `plan` → authorise → check tree → one append. A refused
    /// command is [`CommandError::RefusedAt`] naming its locality and its index in that
    /// locality's list; a locality named twice is refused before anything is read.
    pub async fn plan(&self, call: &Call<'_>, plan: &Plan) -> Result<Appended, CommandError> {
        let mut seen = HashSet::new();
        for (id, _) in plan {
            if !seen.insert(id) {
                return Err(DomainError::DuplicateLocality(id.clone()).into());
            }
        }
        let involved: Vec<LocalityId> = plan.iter().map(|(id, _)| id.clone()).collect();
        let aggregate = Locality::new(self.catalog());
        let today = self.today();
        let decide = |loaded: &Loaded| {
            let mut decided = Vec::with_capacity(plan.len());
            for (id, actions) in plan {
                let mut state = loaded.state(id);
                let mut events = Vec::new();
                for (item, action) in actions.iter().enumerate() {
                    let command = LocalityCommand {
                        today,
                        action: action.clone(),
                    };
                    let refused = |error| CommandError::RefusedAt {
                        locality: id.clone(),
                        item,
                        error,
                    };
                    let new = aggregate.decide(id, &state, command).map_err(refused)?;
                    for event in &new {
                        state = Locality::fold_onto(state, event.clone()).map_err(refused)?;
                    }
                    events.extend(new);
                }
                decided.push((id.clone(), events));
            }
            // One acknowledgement answers its locality's last merger, as `one` records it.
            let answers = match plan.as_slice() {
                [(id, actions)] if actions.len() == 1 => answered(
                    &actions[0],
                    loaded.stored.get(id).map_or(&[], Vec::as_slice),
                ),
                _ => None,
            };
            Ok((decided, answers))
        };
        self.run(call, &involved, false, decide).await
    }
}
