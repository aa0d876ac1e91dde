//! The register stays a tree: a batch of decided events that would give a locality a parent
//! below itself, a parent not alive on the date, or a code another live unit holds, is refused.
//!
//! What the check needs about localities outside the batch comes from [`Surroundings`], which
//! the command handler fills before deciding (the domain has no I/O).

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use super::event::LocalityEvent;
use super::lineage::StreamEvents;
use super::locality::{LocalityId, LocalityState};
use super::profile::{Profile, Timeline};
use super::values::LocalityCode;
use super::DomainError;

/// Deepest parent chain followed anywhere (the domain, the scope check, recursive SQL): the
/// deepest real tree is province › district › commune › village, so 16 leaves ample room while
/// bounding the walk over a register that already holds a cycle.
pub const MAX_TREE_DEPTH: usize = 16;

/// The other localities as a decision needs them.
pub trait Surroundings {
    /// The register entry of `id` as the log has it; `None` when never established (or not
    /// loaded: the check then refuses rather than guesses).
    fn profile(&self, id: &LocalityId) -> Option<&Profile>;

    /// Every locality that may hold `code` on some date; a superset is fine, each one is
    /// judged on its profile.
    fn may_hold(&self, code: &LocalityCode) -> Vec<LocalityId>;
}

/// Surroundings loaded by a command handler: profiles by id, and who may hold each code.
#[derive(Debug, Clone, Default)]
pub struct Known {
    profiles: HashMap<LocalityId, Profile>,
    holders: HashMap<LocalityCode, BTreeSet<LocalityId>>,
}

impl Known {
    pub fn insert(&mut self, id: LocalityId, profile: Profile) {
        self.profiles.insert(id, profile);
    }

    pub fn contains(&self, id: &LocalityId) -> bool {
        self.profiles.contains_key(id)
    }

    /// Records `ids` as the localities that may hold `code` (their profiles go in `insert`).
    pub fn may_hold_code(&mut self, code: LocalityCode, ids: impl IntoIterator<Item = LocalityId>) {
        self.holders.entry(code).or_default().extend(ids);
    }
}

impl Surroundings for Known {
    fn profile(&self, id: &LocalityId) -> Option<&Profile> {
        self.profiles.get(id)
    }

    fn may_hold(&self, code: &LocalityCode) -> Vec<LocalityId> {
        self.holders
            .get(code)
            .map_or_else(Vec::new, |ids| ids.iter().cloned().collect())
    }
}

/// Every loaded state is a candidate for every code: for registers small enough to hold whole.
impl Surroundings for HashMap<LocalityId, LocalityState> {
    fn profile(&self, id: &LocalityId) -> Option<&Profile> {
        self.get(id).map(LocalityState::profile)
    }

    fn may_hold(&self, _code: &LocalityCode) -> Vec<LocalityId> {
        self.keys().cloned().collect()
    }
}

/// The parents and codes `decided` gives: what a handler loads before [`check`].
pub fn placements(decided: &StreamEvents) -> (Vec<LocalityId>, Vec<LocalityCode>) {
    let mut parents = Vec::new();
    let mut codes = Vec::new();
    for event in decided.iter().flat_map(|(_, events)| events) {
        let (parent, code) = placed(event);
        parents.extend(parent.cloned());
        codes.extend(code.cloned());
    }
    (parents, codes)
}

/// The parent and the code an event gives its locality from its effective date.
fn placed(event: &LocalityEvent) -> (Option<&LocalityId>, Option<&LocalityCode>) {
    match event {
        LocalityEvent::LocalityEstablished(e) => (e.parent.as_ref(), e.code.as_ref()),
        LocalityEvent::LocalityTransferred(e) => (e.parent.as_ref(), None),
        LocalityEvent::LocalityRecoded(e) => (None, e.code.as_ref()),
        _ => (None, None),
    }
}

/// The register as it would stand once `decided` is appended.
struct After<'a, S> {
    before: &'a S,
    changed: HashMap<LocalityId, Profile>,
    /// The localities of the batch by every code they hold at some date once it is appended.
    batch_codes: HashMap<LocalityCode, BTreeSet<LocalityId>>,
}

impl<S: Surroundings> After<'_, S> {
    fn profile(&self, id: &LocalityId) -> Option<&Profile> {
        self.changed.get(id).or_else(|| self.before.profile(id))
    }

    fn parent_on(&self, id: &LocalityId, on: NaiveDate) -> Option<&LocalityId> {
        self.profile(id)?.parents.on(on)?.as_ref()
    }
}

/// Refuses `decided` unless, once appended, every parent and code it gives holds: the parent is
/// alive on the date and not the locality or below it (on any day the new parent is in force),
/// and no other live unit holds the code while it is in force.
pub fn check(decided: &StreamEvents, before: &impl Surroundings) -> Result<(), DomainError> {
    let (parents, codes) = placements(decided);
    if parents.is_empty() && codes.is_empty() {
        return Ok(());
    }
    let mut changed: HashMap<LocalityId, Profile> = HashMap::new();
    for (id, events) in decided {
        let profile = changed
            .entry(id.clone())
            .or_insert_with(|| before.profile(id).cloned().unwrap_or_default());
        for (version, event) in (1..).zip(events) {
            profile.apply(version, event);
        }
    }
    let mut batch_codes: HashMap<LocalityCode, BTreeSet<LocalityId>> = HashMap::new();
    for (id, profile) in &changed {
        for code in profile
            .codes
            .entries()
            .iter()
            .filter_map(|(_, c)| c.as_ref())
        {
            batch_codes
                .entry(code.clone())
                .or_default()
                .insert(id.clone());
        }
    }
    let after = After {
        before,
        changed,
        batch_codes,
    };
    for (id, events) in decided {
        for event in events {
            let (Some(on), (parent, code)) = (event.effective_on(), placed(event)) else {
                continue;
            };
            if let Some(parent) = parent {
                parent_holds(&after, id, parent, on)?;
            }
            if let Some(code) = code {
                code_free(&after, id, code, on)?;
            }
        }
    }
    Ok(())
}

/// `parent` is alive on `on`, and on no day of the new parent's period does the chain above it
/// reach `id` (or run deeper than [`MAX_TREE_DEPTH`]).
fn parent_holds<S: Surroundings>(
    after: &After<'_, S>,
    id: &LocalityId,
    parent: &LocalityId,
    on: NaiveDate,
) -> Result<(), DomainError> {
    let cycle = || DomainError::ParentCycle {
        locality: id.clone(),
        parent: parent.clone(),
        on,
    };
    if parent == id {
        return Err(cycle());
    }
    if !after.profile(parent).is_some_and(|p| p.exists_on(on)) {
        return Err(DomainError::ParentNotAlive {
            parent: parent.clone(),
            on,
        });
    }
    let until = after.profile(id).and_then(|p| next_change(&p.parents, on));
    for day in days_to_walk(after, parent, on, until) {
        let mut current = parent;
        let mut depth = 0;
        while let Some(next) = after.parent_on(current, day) {
            if next == id {
                return Err(cycle());
            }
            depth += 1;
            if depth >= MAX_TREE_DEPTH {
                return Err(DomainError::ParentChainTooDeep {
                    parent: parent.clone(),
                    on: day,
                });
            }
            current = next;
        }
    }
    Ok(())
}

/// `on`, and each later day before `until` on which a parent changes somewhere above `parent`
/// (over every parent it ever had, up to [`MAX_TREE_DEPTH`] levels): the chain is the same between.
fn days_to_walk<S: Surroundings>(
    after: &After<'_, S>,
    parent: &LocalityId,
    on: NaiveDate,
    until: Option<NaiveDate>,
) -> BTreeSet<NaiveDate> {
    let mut days = BTreeSet::from([on]);
    let mut seen = BTreeSet::new();
    let mut level = vec![parent.clone()];
    for _ in 0..MAX_TREE_DEPTH {
        let mut above = Vec::new();
        for id in level.into_iter().filter(|id| seen.insert(id.clone())) {
            let Some(profile) = after.profile(&id) else {
                continue;
            };
            for (day, parent) in profile.parents.entries() {
                if *day > on && until.is_none_or(|u| *day < u) {
                    days.insert(*day);
                }
                above.extend(parent.clone());
            }
        }
        if above.is_empty() {
            break;
        }
        level = above;
    }
    days
}

/// The first day after `on` on which `timeline` takes another value, if any.
fn next_change<T>(timeline: &Timeline<T>, on: NaiveDate) -> Option<NaiveDate> {
    timeline
        .entries()
        .iter()
        .map(|(day, _)| *day)
        .find(|day| *day > on)
}

/// No locality but `id` holds `code` on any day from `on` until `id`'s code or existence ends.
fn code_free<S: Surroundings>(
    after: &After<'_, S>,
    id: &LocalityId,
    code: &LocalityCode,
    on: NaiveDate,
) -> Result<(), DomainError> {
    let own = after.profile(id);
    let until = own.and_then(|p| {
        let ended = p.ended.as_ref().map(|e| e.on);
        let recoded = next_change(&p.codes, on);
        recoded.into_iter().chain(ended).min()
    });
    let within = |day: &NaiveDate| *day > on && until.is_none_or(|u| *day < u);
    let mut others: BTreeSet<LocalityId> = after.before.may_hold(code).into_iter().collect();
    others.extend(after.batch_codes.get(code).into_iter().flatten().cloned());
    for other in others.iter().filter(|other| *other != id) {
        let Some(profile) = after.profile(other) else {
            continue;
        };
        let starts = profile.codes.entries().iter().map(|(day, _)| *day);
        let days = std::iter::once(on)
            .chain(starts.chain(profile.established_on).filter(within))
            .collect::<BTreeSet<_>>();
        if let Some(day) = days.into_iter().find(|d| profile.code_on(*d) == Some(code)) {
            return Err(DomainError::CodeInUse {
                code: code.clone(),
                holder: other.clone(),
                on: day,
            });
        }
    }
    Ok(())
}
