//! Decisions against the [`Register`] folded in memory, so that each later decision sees the
//! earlier ones, and written only when the whole batch holds: all at once through
//! [`Register::record`], or not at all (a dry run, or a batch with errors, is dropped).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::Register;
use crate::domain::lineage::StreamEvents;
use crate::domain::locality::{Locality, LocalityAction, LocalityEvent, LocalityId, LocalityState};
use crate::domain::DomainError;

/// A batch of decided events not yet written, over a register that stays as the log has it.
pub struct Draft<'r> {
    register: &'r Register,
    /// The states of the localities this draft changed, with its events folded in.
    changed: HashMap<LocalityId, LocalityState>,
    /// The events decided, per stream, in the order the streams were first touched.
    streams: StreamEvents,
    /// Where each locality's events are in `streams`.
    index: HashMap<LocalityId, usize>,
    events: usize,
}

impl<'r> Draft<'r> {
    pub fn new(register: &'r Register) -> Self {
        Draft {
            register,
            changed: HashMap::new(),
            streams: Vec::new(),
            index: HashMap::new(),
            events: 0,
        }
    }

    pub fn register(&self) -> &'r Register {
        self.register
    }

    /// The state of `id` with this draft's events folded in.
    pub fn state(&self, id: &LocalityId) -> Option<&LocalityState> {
        self.changed.get(id).or_else(|| self.register.state(id))
    }

    /// What one command would record against the state of `id` as this draft has it.
    pub fn decide(
        &self,
        id: &LocalityId,
        today: NaiveDate,
        action: LocalityAction,
    ) -> Result<Vec<LocalityEvent>, DomainError> {
        self.register.decide_on(id, self.state(id), today, action)
    }

    /// Folds decided `events` of `id` into this draft (nothing is written).
    pub fn apply(
        &mut self,
        id: &LocalityId,
        events: Vec<LocalityEvent>,
    ) -> Result<(), DomainError> {
        if events.is_empty() {
            return Ok(());
        }
        let mut state = match self.changed.remove(id) {
            Some(state) => state,
            None => self.register.state(id).cloned().unwrap_or_default(),
        };
        for event in &events {
            state = Locality::fold_onto(state, event.clone())?;
        }
        self.changed.insert(id.clone(), state);
        self.events += events.len();
        match self.index.get(id) {
            Some(&at) => self.streams[at].1.extend(events),
            None => {
                self.index.insert(id.clone(), self.streams.len());
                self.streams.push((id.clone(), events));
            }
        }
        Ok(())
    }

    /// Events decided so far.
    pub fn event_count(&self) -> usize {
        self.events
    }

    pub fn is_empty(&self) -> bool {
        self.events == 0
    }

    /// The events per stream, for [`Register::record`] (which expects each stream at the
    /// version the register has, the one this draft started from).
    pub fn into_streams(self) -> StreamEvents {
        self.streams
    }
}
