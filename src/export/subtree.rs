//! Which localities lie under another on a date, by the parents in force then.

use chrono::NaiveDate;

use crate::app::Register;
use crate::domain::locality::LocalityId;
use crate::domain::tree::MAX_TREE_DEPTH;
use crate::domain::values::LocalityCode;

/// Whether `ancestor` is above `id` on `on` (a locality is not in its own subtree).
pub fn is_under(
    register: &Register,
    id: &LocalityId,
    ancestor: &LocalityId,
    on: NaiveDate,
) -> bool {
    let mut current = id.clone();
    for _ in 0..MAX_TREE_DEPTH {
        let parent = register
            .state(&current)
            .and_then(|s| s.profile().parents.on(on).cloned().flatten());
        match parent {
            Some(parent) if &parent == ancestor => return true,
            Some(parent) => current = parent,
            None => return false,
        }
    }
    false
}

/// The locality holding `code` on `on`, or an error saying none does.
pub fn holder(
    register: &Register,
    code: &LocalityCode,
    on: NaiveDate,
) -> anyhow::Result<LocalityId> {
    register
        .holder(code, on)
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no locality holds code {code} on {on}"))
}

/// The code of the parent of `id` on `on`, if it has one then.
pub fn parent_code(register: &Register, id: &LocalityId, on: NaiveDate) -> Option<LocalityCode> {
    let parent = register
        .state(id)?
        .profile()
        .parents
        .on(on)
        .cloned()
        .flatten()?;
    register.state(&parent)?.profile().code_on(on).cloned()
}
