//! The `Locality` object: register entry, validity periods, tree, lineage, standings, history.

use std::sync::Arc;

use async_graphql::{Context, Object, ID};
use chrono::NaiveDate;

use super::enums::{from_spelling, CommuneGroup, LocalityKind, ThresholdRegion};
use super::events::{history_page, EventConnection, EventType};
use super::lineage::{LineageLink, Period};
use super::loaders::ChildrenKey;
use super::scalars::{Date, Instant};
use super::series::{standing_series, summary_series, SeriesArgs};
use super::series_dates::{series_length, SeriesInterval};
use super::standing::StandingView;
use super::streams::{standing_code, time_travel};
use super::summary::{Programme, Summary};
use super::summary_reads::{summary_of, SummaryArgs};
use super::{api, page_size, scope, ApiError};
use crate::domain::terms::{
    CommuneGroup as DomainGroup, LocalityKind as DomainKind, ThresholdRegion as DomainRegion,
};
use crate::projection::read::TreeOn;
use crate::projection::rows::{LocalityRow, PeriodRow};

/// Whether the period `p` is valid on `on`.
fn held_on(p: &PeriodRow, on: NaiveDate) -> bool {
    p.valid_from <= on && p.valid_to.is_none_or(|to| on < to)
}

/// An administrative unit (đơn vị hành chính) or village, by its stable id: as it stands, or
/// as it was on the day `on` of a dated read, which its parent, children and lineage follow.
pub struct LocalityNode {
    pub row: LocalityRow,
    pub on: Option<NaiveDate>,
}

pub async fn load_locality(
    ctx: &Context<'_>,
    id: &str,
) -> async_graphql::Result<Option<LocalityNode>> {
    let rows = scope(ctx)?
        .loaders
        .localities
        .load_one(id.to_owned())
        .await
        .map_err(ApiError::internal)?;
    Ok(rows
        .and_then(|r| r.first().cloned())
        .map(|row| LocalityNode { row, on: None }))
}

/// The locality `id` as it stands, or as it was on `on`.
pub async fn load_locality_on(
    ctx: &Context<'_>,
    id: &str,
    on: Option<NaiveDate>,
) -> async_graphql::Result<Option<LocalityNode>> {
    match (load_locality(ctx, id).await?, on) {
        (Some(node), Some(on)) => Ok(Some(node.on_date(ctx, on).await?)),
        (node, _) => Ok(node),
    }
}

impl LocalityNode {
    /// The same locality read on `on`: with the name, code, kind and parent valid that day
    /// (its validity periods) when it existed then, as it is otherwise.
    pub async fn on_date(self, ctx: &Context<'_>, on: NaiveDate) -> async_graphql::Result<Self> {
        let periods = self.period_rows(ctx).await?;
        let Some(period) = periods.iter().find(|p| held_on(p, on)) else {
            return Ok(LocalityNode {
                on: Some(on),
                ..self
            });
        };
        let row = LocalityRow {
            name: period.name.clone(),
            code: period.code.clone(),
            kind: period.kind.clone(),
            parent_id: period.parent_id.clone(),
            ..self.row
        };
        Ok(LocalityNode { row, on: Some(on) })
    }

    pub(super) async fn period_rows(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Arc<[PeriodRow]>> {
        Ok(scope(ctx)?
            .loaders
            .periods
            .load_one(self.row.locality_id.clone())
            .await
            .map_err(ApiError::internal)?
            .unwrap_or_default())
    }

    /// The period of the day it is read on, or its latest (as it stands, or on a day it did
    /// not exist).
    async fn period(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PeriodRow>> {
        let periods = self.period_rows(ctx).await?;
        let on_day = self
            .on
            .and_then(|on| periods.iter().find(|p| held_on(p, on)));
        let period: Option<&PeriodRow> = on_day.or(periods.last());
        Ok(period.cloned())
    }
}

/// An administrative unit (đơn vị hành chính) or village, by its stable id: as it stands, or as
/// it was on the date of a dated read, which its parent, children and lineage follow.
#[Object(name = "Locality")]
impl LocalityNode {
    /// Stable internal id (UUID); names and codes change, this does not.
    pub(super) async fn id(&self) -> ID {
        ID(self.row.locality_id.clone())
    }
    /// Latest name, e.g. "Thạch Trung" (read on a date: the name on that date).
    async fn name(&self) -> Option<&str> {
        self.row.name.as_deref()
    }
    /// Latest official code (mã đơn vị hành chính); codes are reused, see `periods` (read on a
    /// date: the code on that date).
    async fn code(&self) -> Option<&str> {
        self.row.code.as_deref()
    }
    /// Latest kind (read on a date: the kind on that date).
    async fn kind(&self) -> Option<LocalityKind> {
        from_spelling(self.row.kind.as_deref(), DomainKind::from_spelling)
    }
    /// The day it came into existence (valid time: the `effectiveOn` of its registration, or of
    /// the merger or split that formed it).
    async fn established_on(&self) -> Option<Date> {
        self.row.established_on.map(Date)
    }
    /// First day it no longer exists (merged, split or dissolved).
    async fn ended_on(&self) -> Option<Date> {
        self.row.ended_on.map(Date)
    }
    /// `merged`, `split` or `dissolved`.
    async fn end_kind(&self) -> Option<&str> {
        self.row.end_kind.as_deref()
    }
    /// Position of the last event the read tables include for it.
    async fn last_position(&self) -> i64 {
        self.row.last_position
    }
    /// The stream version, to pass as `expectedVersion`.
    async fn version(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let rows = scope(ctx)?
            .loaders
            .versions
            .load_one(self.row.locality_id.clone())
            .await
            .map_err(ApiError::internal)?;
        Ok(rows
            .iter()
            .flat_map(|r| r.iter())
            .map(|r| r.version)
            .max()
            .unwrap_or(0))
    }
    /// Threshold region (vùng) for indicator targets: the latest (read on a date: the one on
    /// that date).
    async fn threshold_region(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<ThresholdRegion>> {
        let period = self.period(ctx).await?;
        let spelling = period.and_then(|p| p.region);
        Ok(from_spelling(
            spelling.as_deref(),
            DomainRegion::from_spelling,
        ))
    }
    /// Commune group (nhóm xã) of the 2026–2030 set: the latest (read on a date: the one on
    /// that date).
    async fn commune_group(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<CommuneGroup>> {
        let period = self.period(ctx).await?;
        let spelling = period.and_then(|p| p.commune_group);
        Ok(from_spelling(
            spelling.as_deref(),
            DomainGroup::from_spelling,
        ))
    }
    /// Parent today (read on a date: the parent on that date, read on that date).
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<LocalityNode>> {
        match &self.row.parent_id {
            Some(parent) => load_locality_on(ctx, parent, self.on).await,
            None => Ok(None),
        }
    }
    /// Units whose parent is this one today (read on a date: on that date, each read on that
    /// date), by name; those that had ended by then only with `includeEnded`, where they stood
    /// when they ended.
    async fn children(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default,
            desc = "Also the children that had ended by the date, where they stood then (default \
                false)."
        )]
        include_ended: bool,
    ) -> async_graphql::Result<Vec<LocalityNode>> {
        let on = self.on.unwrap_or_else(|| super::clock(ctx).today());
        let tree = TreeOn { on, include_ended };
        let loaders = &scope(ctx)?.loaders;
        let key = ChildrenKey {
            parent: self.row.locality_id.clone(),
            tree,
        };
        let rows = loaders
            .children
            .load_one(key)
            .await
            .map_err(ApiError::internal)?
            .unwrap_or_default();
        // Like a page: what the children's selection asks for is loaded once for all of them,
        // or their loads would split into many batches.
        loaders
            .prime_page(&ctx.look_ahead(), &rows, tree, self.on.is_some())
            .await
            .map_err(ApiError::internal)?;
        let node = |row: &LocalityRow| LocalityNode {
            row: row.clone(),
            on: self.on,
        };
        Ok(rows.iter().map(node).collect())
    }
    /// Names, codes, kinds, parents and thresholds with their validity periods, oldest first.
    async fn periods(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Period>> {
        let rows = self.period_rows(ctx).await?;
        Ok(rows.iter().map(Period::from).collect())
    }
    /// Localities this one continues (merged into it, or it was formed from).
    async fn predecessors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LineageLink>> {
        self.lineage(ctx, true).await
    }
    /// Localities that continue this one (it merged or split into them).
    async fn successors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LineageLink>> {
        self.lineage(ctx, false).await
    }
    /// Standing for one criteria set. Without `on` and `knownAt`: the present standing from the
    /// read tables. With either: graded from the event stream on date `on` (default today) as
    /// known at `knownAt` (default now): bitemporal time travel.
    #[graphql(complexity = "standing_cost(on.is_some() || known_at.is_some()) + child_complexity")]
    async fn standing(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Code of the criteria set, e.g. `NTM-XA-2021-2025` (a restatement's code \
                stands for the set it restates); unknown: NOT_FOUND."
        )]
        set: String,
        #[graphql(
            desc = "The valid date graded (default today, when `knownAt` is given); without `on` \
                and `knownAt`: the present standing."
        )]
        on: Option<Date>,
        #[graphql(
            desc = "Transaction time: grade only what was recorded by this instant (default now, \
                when `on` is given)."
        )]
        known_at: Option<Instant>,
    ) -> async_graphql::Result<Option<StandingView>> {
        let known_at = known_at.map(|k| k.0);
        let catalog = api(ctx)?.catalog.current();
        let code = standing_code(&catalog, &set)?;
        let set = code.to_string();
        if on.is_none() && known_at.is_none() {
            let rows = scope(ctx)?
                .loaders
                .standings
                .load_one(self.row.locality_id.clone())
                .await
                .map_err(ApiError::internal)?
                .unwrap_or_default();
            return Ok(rows
                .iter()
                .find(|r| r.set_code == set)
                .map(StandingView::from_row));
        }
        let known_at = known_at.unwrap_or_else(|| super::clock(ctx).now());
        let on = on.map_or_else(|| super::clock(ctx).today(), |d| d.0);
        let id = &self.row.locality_id;
        let view = time_travel(ctx, id, &set, on, known_at).await?;
        Ok(Some(
            view.ok_or_else(|| ApiError::not_found("locality", id))?,
        ))
    }
    /// Its recognised status on `on` (default: the day it is read on, else today), whatever
    /// set granted it, with the set in force that grades it then.
    async fn recognised(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The valid date (default: the day the locality is read on, else today).")]
        on: Option<Date>,
    ) -> async_graphql::Result<Option<super::recognised::Recognised>> {
        let on = on.map(|d| d.0).or(self.on);
        let on = on.unwrap_or_else(|| super::clock(ctx).today());
        super::recognised::recognised(ctx, &self.row.locality_id, on).await
    }
    /// For a district or a province: its level computed from its units on `on` (default: the
    /// day it is read on, else today) under QĐ 320 / QĐ 321; null for other kinds, or on a
    /// date those sets do not grade (before 8/3/2022, after 2025).
    #[graphql(complexity = "super::SUMMARY_COST + child_complexity")]
    async fn completion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The valid date (default: the day the locality is read on, else today).")]
        on: Option<Date>,
    ) -> async_graphql::Result<Option<super::completion::CompletionView>> {
        let on = on.map(|d| d.0).or(self.on);
        let on = on.unwrap_or_else(|| super::clock(ctx).today());
        let reads = &scope(ctx)?.reads;
        let catalog = &api(ctx)?.catalog.current();
        let id = &self.row.locality_id;
        Ok(super::completion_reads::of_locality(reads, catalog, id, on).await?)
    }
    /// The criteria set that grades it on `on` (default: the day it is read on, else today)
    /// at `level` (default: the base level of `programme`, else of its kind then), and why:
    /// a national set, or a province's set for the territory it is in then.
    async fn grading_set(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The valid date (default: the day the locality is read on, else today).")]
        on: Option<Date>,
        #[graphql(
            desc = "Grade at the base level of this programme (ignored with `level`); null: of \
                its kind on the date."
        )]
        programme: Option<Programme>,
        #[graphql(
            desc = "Grade at this level (default: see `programme`); null answer when no set for \
                it is in force."
        )]
        level: Option<super::enums::RecognitionLevel>,
    ) -> async_graphql::Result<Option<super::grading_set::GradingSet>> {
        let on = on.map(|d| d.0).or(self.on);
        let on = on.unwrap_or_else(|| super::clock(ctx).today());
        super::grading_set::grading_set(ctx, self, on, programme, level).await
    }
    /// Present standing for every set it has events for.
    async fn standings(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<StandingView>> {
        let rows = scope(ctx)?
            .loaders
            .standings
            .load_one(self.row.locality_id.clone())
            .await
            .map_err(ApiError::internal)?;
        Ok(rows
            .unwrap_or_default()
            .iter()
            .map(StandingView::from_row)
            .collect())
    }
    /// Its events in stream order; `from`/`to` bound the effective date (a retraction, which
    /// has none, by its recording date).
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity")]
    async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The page size (1 to 500, default 20; VALIDATION otherwise).")]
        first: Option<i32>,
        #[graphql(
            desc = "The cursor of the edge the page starts after (VALIDATION if not one of this \
                list)."
        )]
        after: Option<String>,
        #[graphql(desc = "Only events of one of these types; null: events of every type.")]
        types: Option<Vec<EventType>>,
        #[graphql(
            desc = "Only events true from this date or later (valid time; a retraction: its UTC \
                recording date)."
        )]
        from: Option<Date>,
        #[graphql(
            desc = "Only events true from this date or earlier (valid time; a retraction: its UTC \
                recording date)."
        )]
        to: Option<Date>,
    ) -> async_graphql::Result<EventConnection> {
        let first = page_size(first)?;
        let events = super::streams::stream_envelopes(ctx, &self.row.locality_id).await?;
        Ok(history_page(
            events,
            first,
            after.as_deref(),
            types,
            from,
            to,
        )?)
    }
    /// The roll-up of its units, as `Query.summary(parent: <this id>)` gives it: on `on`
    /// (default: the day it is read on, else today), with its children and, with `compareTo`,
    /// the change since then.
    #[graphql(
        complexity = "super::SUMMARY_COST * (1 + usize::from(compare_to.is_some())) + child_complexity"
    )]
    async fn summary(
        &self,
        ctx: &Context<'_>,
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
        #[graphql(desc = "The valid date (default: the day the locality is read on, else today).")]
        on: Option<Date>,
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
    ) -> async_graphql::Result<Summary> {
        let args = SummaryArgs {
            programme,
            set,
            on,
            compare_to,
            below_criteria,
        };
        let default_on = self.on.unwrap_or_else(|| super::clock(ctx).today());
        summary_of(ctx, &self.row.locality_id, default_on, args).await
    }
    /// Its standing for `set` on each date of a series: the end of each period (`every`) from
    /// the one holding `from`, then `to` itself (at most 120 dates), as known at `knownAt`
    /// (default now); each the same as `standing(set, on: <date>, knownAt)`, graded from one
    /// read of its stream.
    #[graphql(
        complexity = "super::TIME_TRAVEL_COST + series_length(&from, &to, every) * child_complexity"
    )]
    async fn standing_series(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Code of the criteria set, e.g. `NTM-XA-2021-2025` (a restatement's code \
                stands for the set it restates); unknown: NOT_FOUND."
        )]
        set: String,
        #[graphql(
            desc = "The first valid date: the series starts with the end of the period holding \
                it; after `to`: VALIDATION."
        )]
        from: Date,
        #[graphql(
            desc = "The last valid date, the series' last; more than 120 dates in all: VALIDATION."
        )]
        to: Date,
        #[graphql(
            default,
            desc = "The periods whose last days make the series (default `YEAR`)."
        )]
        every: SeriesInterval,
        #[graphql(
            desc = "Transaction time: grade only what was recorded by this instant (default now)."
        )]
        known_at: Option<Instant>,
    ) -> async_graphql::Result<Vec<StandingView>> {
        let known_at = known_at.map(|k| k.0);
        let series = SeriesArgs { from, to, every };
        let id = &self.row.locality_id;
        standing_series(ctx, id, &set, series, known_at).await
    }
    /// The roll-up of its units on each date of a series (dates as in `standingSeries`), each
    /// the same as `summary(programme, set, on: <date>, belowCriteria)`: one roll-up statement
    /// per date, run side by side.
    #[graphql(
        complexity = "series_length(&from, &to, every) * (super::SUMMARY_COST + child_complexity)"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn summary_series(
        &self,
        ctx: &Context<'_>,
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
        #[graphql(
            desc = "The first valid date: the series starts with the end of the period holding \
                it; after `to`: VALIDATION."
        )]
        from: Date,
        #[graphql(
            desc = "The last valid date, the series' last; more than 120 dates in all: VALIDATION."
        )]
        to: Date,
        #[graphql(
            default,
            desc = "The periods whose last days make the series (default `YEAR`)."
        )]
        every: SeriesInterval,
        #[graphql(
            desc = "Count in `below` the units meeting fewer criteria than this (default: the \
                grading set's number of criteria)."
        )]
        below_criteria: Option<i32>,
    ) -> async_graphql::Result<Vec<Summary>> {
        let series = SeriesArgs { from, to, every };
        let terms = (set.as_deref(), below_criteria);
        summary_series(ctx, &self.row.locality_id, programme, terms, series).await
    }
}

/// A present standing is a row of the read tables; a past one is graded from the stream.
fn standing_cost(time_travel: bool) -> usize {
    if time_travel {
        super::TIME_TRAVEL_COST
    } else {
        1
    }
}
