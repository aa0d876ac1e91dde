//! `ntm import reorganization`: the July 2025 rearrangement from the ward mapping (old code →
//! new code) and the new units file. Curated lineage is applied first; then what the mapping
//! says of the state just before (names and kinds that differ from the register) is recorded
//! as inferred at `--prior-effective`; units the mapping does not know are ended as absorbed;
//! then each new province and each new commune-level unit is recorded atomically with its
//! sources, and the districts end.

mod communes;
mod districts;
mod prior;
mod provinces;
mod sources;
mod succession;
mod summary;

use chrono::{Days, NaiveDate};

use super::curated;
use crate::app::progress::Progress;
use crate::app::Register;
use crate::domain::lineage::StreamEvents;
use crate::domain::locality::LocalityId;
use crate::domain::values::DecisionNumber;

pub use sources::{Files, Sources};
pub use summary::Summary;

/// The dates and acts of a reorganisation.
#[derive(Debug, Clone)]
pub struct Terms {
    pub effective: NaiveDate,
    pub act: DecisionNumber,
    pub prior_effective: NaiveDate,
    pub prior_act: DecisionNumber,
}

/// Whether every new unit holds its code on `after` and every old unit either ended that day
/// or is the new unit holding the new code: the reorganisation is already recorded.
fn already_applied(register: &Register, sources: &Sources, after: NaiveDate) -> bool {
    let before = after - Days::new(1);
    sources
        .units
        .iter()
        .all(|u| register.holder(&u.code, after).is_some())
        && sources.mapping.iter().all(|m| {
            let old = register.holder(&m.old_code, before);
            let ended = old
                .and_then(|id| register.state(id)?.profile().ended.as_ref())
                .is_some_and(|ended| ended.on == after);
            ended || (old.is_some() && old == register.holder(&m.new_code, after))
        })
}

pub async fn run(
    register: &mut Register,
    sources: &Sources,
    args: &Terms,
    today: NaiveDate,
    progress: &dyn Progress,
) -> anyhow::Result<Summary> {
    let (units, mapping) = (&sources.units, &sources.mapping);
    let mut summary = Summary::default();
    for lineage in &sources.curated {
        let applied = curated::apply(register, lineage, today).await?;
        summary.curated_established += applied.established;
        summary.curated_changes += applied.changes;
        summary.curated_mergers += applied.mergers;
        summary.events += applied.events;
    }
    if already_applied(register, sources, args.effective) {
        summary.unchanged = summary.events == 0;
        return Ok(summary);
    }
    let mut reorganization = ReorganizationRun {
        register,
        args,
        mapping_file: &sources.mapping_file,
        today,
        summary,
        progress,
    };
    reorganization.prior_state(mapping).await?;
    reorganization.absorbed(mapping).await?;
    let provinces = reorganization.provinces(units, mapping).await?;
    reorganization.communes(units, mapping, &provinces).await?;
    reorganization.districts().await?;
    Ok(reorganization.summary)
}

/// A reorganisation being recorded: the register it is recorded into, its terms, the mapping
/// file named in the reasons, and the summary so far. Its steps are in the files beside this
/// one: `prior` (and `absorbed`), `provinces`, `communes`, `districts`.
struct ReorganizationRun<'a> {
    register: &'a mut Register,
    args: &'a Terms,
    mapping_file: &'a str,
    today: NaiveDate,
    summary: Summary,
    progress: &'a dyn Progress,
}

impl ReorganizationRun<'_> {
    fn before(&self) -> NaiveDate {
        self.args.effective - Days::new(1)
    }

    fn ended_on_effective(&self, id: &LocalityId) -> bool {
        self.register
            .state(id)
            .and_then(|s| s.profile().ended.as_ref())
            .is_some_and(|ended| ended.on == self.args.effective)
    }

    async fn record(
        &mut self,
        streams: StreamEvents,
        reason: Option<String>,
    ) -> anyhow::Result<()> {
        let streams: StreamEvents = streams.into_iter().filter(|(_, e)| !e.is_empty()).collect();
        if streams.is_empty() {
            return Ok(());
        }
        self.summary.events += streams.iter().map(|(_, e)| e.len()).sum::<usize>();
        self.register.record_because(streams, None, reason).await?;
        Ok(())
    }
}
