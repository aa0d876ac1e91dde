//! The query root: every read the API offers, each accepting a read-your-writes `minPosition`.

use async_graphql::{Context, Object, ID};

use super::access::Needs;
use super::catalog::CriteriaSetView;
use super::connection::Window;
use super::diff::{diff, StandingDiff};
use super::localities::{localities_page, LocalityConnection, LocalityFilter, LocalityOrdering};
use super::locality::{load_locality_on, LocalityNode};
use super::scalars::{Date, Instant};
use super::standing::StandingView;
use super::streams::{criteria_set, recorded_events, time_travel};
use super::summary::{Programme, Summary};
use super::summary_reads::{summary_of, SummaryArgs};
use super::{api, reach, scope, ApiError};
use crate::auth::Right;
use crate::projection::read::TreeOn;

#[derive(Default)]
pub struct QueryRoot;

#[Object]
impl QueryRoot {
    /// One locality, by `id` or by the official `code` it held on `on` (default today; codes
    /// are reused over time). With `on`, its `name`, `code`, `kind`, `thresholdRegion`,
    /// `communeGroup` and `parent` are those valid on that date (on a date it did not exist,
    /// its latest ones), and its parent, children and lineage are read on that date too; its
    /// standings are today's unless asked with their own `on`.
    #[graphql(guard = "Needs(Right::Read)")]
    async fn locality(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Its id, a UUID (malformed: VALIDATION); give exactly one of `id` and `code` \
                (VALIDATION otherwise)."
        )]
        id: Option<ID>,
        #[graphql(
            desc = "The official code it held on `on`; null answer when no locality held it then."
        )]
        code: Option<String>,
        #[graphql(
            desc = "Read it as it was on this valid date (Vietnam calendar day); null: as it \
                stands, `code` as held today."
        )]
        on: Option<Date>,
        #[graphql(
            desc = "Wait (at most 5 s) until the read tables include this log position (NOT_READY \
                otherwise)."
        )]
        min_position: Option<i64>,
    ) -> async_graphql::Result<Option<LocalityNode>> {
        reach(ctx, min_position).await?;
        let id = match (id, code) {
            (Some(id), None) => {
                // A malformed id is the client's mistake, not an unknown locality.
                if id.parse::<crate::domain::locality::LocalityId>().is_err() {
                    let message = format!("{:?} is not a locality id (a UUID)", id.as_str());
                    return Err(ApiError::validation("id", message).into());
                }
                id.to_string()
            }
            (None, Some(code)) => {
                let on = on.map_or_else(|| super::clock(ctx).today(), |d| d.0);
                let holder = scope(ctx)?.reads.holder_of_code(&code, on).await;
                match holder.map_err(ApiError::from)? {
                    Some(id) => id,
                    None => return Ok(None),
                }
            }
            _ => return Err(ApiError::validation("id", "give exactly one of id and code").into()),
        };
        let loaders = &scope(ctx)?.loaders;
        let tree = TreeOn::existing(on.map_or_else(|| super::clock(ctx).today(), |d| d.0));
        loaders
            .prime_locality(&ctx.look_ahead(), &id, tree, on.is_some())
            .await
            .map_err(ApiError::internal)?;
        load_locality_on(ctx, &id, on.map(|d| d.0)).await
    }

    /// Localities matching `filter` on its day (default today), in the order of `orderBy`
    /// (default by name), a page at a time: `first` (at most 500, default 20) after the cursor
    /// `after`, or `last` before the cursor `before` (not both `first` and `last`).
    #[graphql(
        guard = "Needs(Right::Read)",
        complexity = "first.or(last).unwrap_or(20).max(1) as usize * child_complexity"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn localities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which localities to list (default: every locality existing today).")]
        filter: Option<LocalityFilter>,
        #[graphql(desc = "The order of the list (default: by name, ascending).")] order_by: Option<
            LocalityOrdering,
        >,
        #[graphql(desc = "The page's size, counted from its start (at most 500, default 20).")]
        first: Option<i32>,
        #[graphql(desc = "The cursor of the edge the page starts after.")] after: Option<String>,
        #[graphql(desc = "The page's size, counted from its end (at most 500).")] last: Option<i32>,
        #[graphql(desc = "The cursor of the edge the page ends before.")] before: Option<String>,
        #[graphql(desc = "Wait (at most 5 s) until the read tables include this position.")]
        min_position: Option<i64>,
    ) -> async_graphql::Result<LocalityConnection> {
        let window = Window::new(first, after, last, before)?;
        reach(ctx, min_position).await?;
        let reads = &scope(ctx)?.reads;
        let filter = filter.unwrap_or_default();
        let ordering = order_by.unwrap_or_default();
        let tree = filter.tree(super::clock(ctx).today());
        let dated = filter.on.is_some();
        let count = ctx.look_ahead().field("totalCount").exists();
        let page = localities_page(reads, filter, tree, ordering, &window, count).await?;
        let rows: Vec<_> = page.edges.iter().map(|e| e.node.row.clone()).collect();
        let node = ctx.look_ahead().field("edges").field("node");
        let loaders = &scope(ctx)?.loaders;
        loaders
            .prime_page(&node, &rows, tree, dated)
            .await
            .map_err(ApiError::internal)?;
        Ok(page)
    }

    /// Every criteria set this build ships.
    #[graphql(guard = "Needs(Right::Read)")]
    async fn criteria_sets(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<CriteriaSetView>> {
        Ok(api(ctx)?
            .catalog
            .current()
            .sets()
            .iter()
            .map(Into::into)
            .collect())
    }

    /// One criteria set by code, e.g. `NTM-XA-2016-2020`.
    #[graphql(guard = "Needs(Right::Read)")]
    async fn criteria_set(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The set code; null answer when no set has it.")] code: String,
    ) -> async_graphql::Result<Option<CriteriaSetView>> {
        let catalog = &api(ctx)?.catalog.current();
        Ok(criteria_set(catalog, &code).ok().map(Into::into))
    }

    /// A locality's standing for a set on `on` as known at `knownAt` (see `Locality.standing`).
    #[graphql(
        guard = "Needs(Right::Read)",
        complexity = "super::TIME_TRAVEL_COST + child_complexity"
    )]
    async fn standing(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The locality id; NOT_FOUND when it has no events.")] locality: ID,
        #[graphql(
            desc = "Code of the criteria set, e.g. `NTM-XA-2021-2025` (a restatement's code \
                stands for the set it restates); unknown: NOT_FOUND."
        )]
        set: String,
        #[graphql(desc = "The valid date graded (default today).")] on: Option<Date>,
        #[graphql(
            desc = "Transaction time: grade only what was recorded by this instant (default now)."
        )]
        known_at: Option<Instant>,
        #[graphql(
            desc = "Wait (at most 5 s) until the read tables include this log position (NOT_READY \
                otherwise)."
        )]
        min_position: Option<i64>,
    ) -> async_graphql::Result<Option<StandingView>> {
        let known_at = known_at.map(|k| k.0);
        reach(ctx, min_position).await?;
        let now = super::clock(ctx).now();
        super::caching::standing_is_final(ctx, on.map(|d| d.0), known_at, now);
        let known_at = known_at.unwrap_or(now);
        let on = on.map_or_else(|| super::clock(ctx).today(), |d| d.0);
        let id = locality.as_str();
        let view = time_travel(ctx, id, &set, on, known_at).await?;
        Ok(Some(
            view.ok_or_else(|| ApiError::not_found("locality", id))?,
        ))
    }

    /// Roll-up of the units of a programme's kinds (communes for NTM, wards and towns for văn
    /// minh đô thị, villages for khu dân cư, every commune-level unit for a local target list)
    /// existing under `parent` on `on` (default today, on that date's tree), with
    /// or without data: the denominator, units per level held whatever set granted it, criteria
    /// graded by the set in force (or `set`), the report bands, units at risk or pending
    /// acknowledgement, the same for each child, and with `compareTo` the change since then.
    #[graphql(
        guard = "Needs(Right::Read)",
        complexity = "super::SUMMARY_COST * (1 + usize::from(compare_to.is_some())) + child_complexity"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the locality whose units are summed up.")] parent: ID,
        #[graphql(
            default_with = "Programme::NongThonMoi",
            desc = "The programme whose units and levels are counted (default `NONG_THON_MOI`)."
        )]
        programme: Programme,
        #[graphql(
            desc = "Code of the criteria set grading the criteria, instead of the set in force on \
                each date; unknown: NOT_FOUND."
        )]
        set: Option<String>,
        #[graphql(desc = "The valid date summed up (default today).")] on: Option<Date>,
        #[graphql(
            desc = "A second valid date: its figures in `previous`, the changes in `change` and \
                `averageCriteriaMetChange`."
        )]
        compare_to: Option<Date>,
        #[graphql(
            desc = "Count in `below` the units meeting fewer criteria than this (default: the \
                grading set's number of criteria)."
        )]
        below_criteria: Option<i32>,
        #[graphql(
            desc = "Wait (at most 5 s) until the read tables include this log position (NOT_READY \
                otherwise)."
        )]
        min_position: Option<i64>,
    ) -> async_graphql::Result<Summary> {
        reach(ctx, min_position).await?;
        let args = SummaryArgs {
            programme,
            set,
            on,
            compare_to,
            below_criteria,
        };
        let today = super::clock(ctx).today();
        summary_of(ctx, parent.as_str(), today, args).await
    }

    /// What changed in a locality's standing for a set between two dates.
    #[graphql(
        guard = "Needs(Right::Read)",
        complexity = "super::TIME_TRAVEL_COST + child_complexity"
    )]
    async fn diff(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The locality id; NOT_FOUND when it has no events.")] locality: ID,
        #[graphql(
            desc = "Code of the criteria set (each date graded by the set grading the locality \
                then); unknown: NOT_FOUND."
        )]
        set: String,
        #[graphql(desc = "The first valid date compared.")] from: Date,
        #[graphql(desc = "The second valid date compared.")] to: Date,
        #[graphql(
            desc = "Wait (at most 5 s) until the read tables include this log position (NOT_READY \
                otherwise)."
        )]
        min_position: Option<i64>,
    ) -> async_graphql::Result<StandingDiff> {
        reach(ctx, min_position).await?;
        let catalog = api(ctx)?.catalog.current();
        let criteria = criteria_set(&catalog, &set)?;
        let criteria = catalog.standing_set(&criteria.code).unwrap_or(criteria);
        let events = recorded_events(ctx, locality.as_str()).await?;
        let now = super::clock(ctx).now();
        let territory = super::grading_set::territory(ctx, locality.as_str()).await?;
        let grading = (&catalog.grading(criteria), &territory);
        Ok(diff(locality.as_str(), &events, grading, from, to, now))
    }
}
