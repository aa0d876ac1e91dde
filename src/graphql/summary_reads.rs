//! The reads behind `Query.summary`, `Locality.summary` and `Locality.summarySeries`: one
//! roll-up statement per date on the read connections, and the completion's point read when
//! it is asked for.

use async_graphql::{Context, Lookahead};
use chrono::NaiveDate;
use futures::future::try_join_all;

use super::completion::CompletionSets;
use super::completion_reads as completion;
use super::scalars::Date;
use super::streams::criteria_set;
use super::summary::{Programme, Summary};
use super::summary_figures::Question;
use super::{api, scope, ApiError};
use crate::domain::catalog::{Catalog, CriteriaSet};
use crate::domain::territory::Territory;
use crate::projection::read::{rollup_on_reader, OwnStanding, Reads, Rollup, RollupQuery};

/// The arguments of a summary, whichever field asks.
pub struct SummaryArgs {
    pub programme: Programme,
    pub set: Option<String>,
    pub on: Option<Date>,
    pub compare_to: Option<Date>,
    pub below_criteria: Option<i32>,
}

/// One parent's question, to be asked on one date or several.
pub struct Asked<'a> {
    reads: &'a Reads,
    catalog: &'a Catalog,
    parent: &'a str,
    programme: Programme,
    /// The set named by the client, else the set in force on each date.
    chosen: Option<&'a CriteriaSet>,
    below_criteria: Option<i32>,
    territory: Territory,
    /// The selection asks for a completion: the census costs a point read and wider groups.
    completing: bool,
}

/// The answer on one date: the roll-up, the set that graded it, the parent's completion inputs.
pub struct Answer<'a> {
    rollup: Rollup,
    set: Option<&'a CriteriaSet>,
    completing: Option<(CompletionSets<'a>, OwnStanding)>,
}

/// Whether `summary` (the selection of one summary) asks for a completion.
fn asks_completion(summary: &Lookahead<'_>) -> bool {
    let asks = |s: &Lookahead<'_>| {
        s.field("completion").exists()
            || s.field("districts").exists()
            || s.field("children").field("completion").exists()
    };
    asks(summary) || asks(&summary.field("previous"))
}

impl<'a> Asked<'a> {
    /// The question of `parent` with the set named `set` (NOT_FOUND if unknown), for the
    /// summaries selected by the current field.
    pub async fn new(
        ctx: &Context<'a>,
        catalog: &'a Catalog,
        parent: &'a str,
        programme: Programme,
        (set, below_criteria): (Option<&str>, Option<i32>),
    ) -> async_graphql::Result<Self> {
        let chosen = set.map(|s| criteria_set(catalog, s)).transpose()?;
        let territory = super::grading_set::territory(ctx, parent).await?;
        Ok(Asked {
            reads: &scope(ctx)?.reads,
            catalog,
            parent,
            programme,
            chosen,
            below_criteria,
            territory,
            completing: asks_completion(&ctx.look_ahead()),
        })
    }

    /// The roll-up on `on`, graded by the chosen set or the one in force then.
    pub async fn on(&self, on: NaiveDate) -> Result<Answer<'a>, ApiError> {
        let catalog = self.catalog;
        let set =
            (self.chosen).or_else(|| self.programme.set_in_force(catalog, on, &self.territory));
        // Standings are kept under the set a restatement restates.
        let keyed = set.and_then(|s| catalog.standing_set(&s.code));
        let below = self
            .below_criteria
            .unwrap_or_else(|| set.map_or(0, |s| i32::try_from(s.criteria.len()).unwrap_or(0)));
        let completing = match self.completing {
            true => completion::parent_on(self.reads, catalog, self.parent, on).await?,
            false => None,
        };
        let query = RollupQuery {
            parent: self.parent,
            on,
            kinds: self.programme.kinds(),
            set: keyed,
            below,
            census: completing.as_ref().map(|(sets, _)| sets.census()),
        };
        self.reads.count(1);
        let rollup = rollup_on_reader(self.reads.readers(), query).await?;
        Ok(Answer {
            rollup,
            set,
            completing,
        })
    }

    /// The summary of `now`, compared with `previous` when given.
    pub fn summary(&self, now: &Answer<'a>, previous: Option<&Answer<'a>>) -> Summary {
        let question = |answer: &Answer<'a>| Question {
            programme: self.programme,
            set: answer.set,
        };
        let earlier = previous.map(|p| (question(p), &p.rollup));
        let earlier = earlier.as_ref().map(|(q, rollup)| (q, *rollup));
        let mut summary = Summary::of(&question(now), self.parent, &now.rollup, earlier);
        if let Some(parent) = &now.completing {
            completion::attach(&mut summary, parent, &now.rollup);
        }
        if let (
            Some(before),
            Some(Answer {
                rollup,
                completing: Some(parent),
                ..
            }),
        ) = (summary.previous.as_mut(), previous)
        {
            completion::attach(before, parent, rollup);
        }
        summary
    }

    /// The summary on each of `dates`, the roll-ups run side by side on the read connections.
    pub async fn series(&self, dates: &[NaiveDate]) -> Result<Vec<Summary>, ApiError> {
        let answers = try_join_all(dates.iter().map(|on| self.on(*on))).await?;
        Ok(answers.iter().map(|a| self.summary(a, None)).collect())
    }
}

/// The summary of `parent` as `args` ask: on `args.on` (default `default_on`), compared with
/// `compareTo` when given.
pub async fn summary_of(
    ctx: &Context<'_>,
    parent: &str,
    default_on: NaiveDate,
    args: SummaryArgs,
) -> async_graphql::Result<Summary> {
    let catalog = &api(ctx)?.catalog.current();
    let on = args.on.map_or(default_on, |d| d.0);
    let terms = (args.set.as_deref(), args.below_criteria);
    let asked = Asked::new(ctx, catalog, parent, args.programme, terms).await?;
    let now = asked.on(on).await?;
    let previous = match args.compare_to {
        Some(date) => Some(asked.on(date.0).await?),
        None => None,
    };
    Ok(asked.summary(&now, previous.as_ref()))
}
