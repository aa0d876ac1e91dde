//! Series over dates of one locality: its standing on each date, graded from its stream read
//! and folded once, and the summary of its units on each date, a roll-up per date.

use async_graphql::Context;
use chrono::{DateTime, NaiveDate, Utc};

use super::api;
use super::scalars::Date;
use super::series_dates::{series_dates, SeriesInterval};
use super::standing::StandingView;
use super::streams::{recorded_events, standing_code, with_grading_known_at};
use super::summary::{Programme, Summary};
use super::summary_reads::Asked;
use crate::domain::standing::standings_within;

/// The dates of a series and when it is known: the arguments every series takes.
pub struct SeriesArgs {
    pub from: Date,
    pub to: Date,
    pub every: SeriesInterval,
}

impl SeriesArgs {
    fn dates(&self) -> async_graphql::Result<Vec<NaiveDate>> {
        Ok(series_dates(self.from, self.to, self.every)?)
    }
}

/// The standing of `locality` for the set named `set` on each date of the series, as known at
/// `known_at` (default now): one read of the stream, one fold over the dates in order.
pub async fn standing_series(
    ctx: &Context<'_>,
    locality: &str,
    set: &str,
    series: SeriesArgs,
    known_at: Option<DateTime<Utc>>,
) -> async_graphql::Result<Vec<StandingView>> {
    let dates = series.dates()?;
    let catalog = api(ctx)?.catalog.current();
    let code = standing_code(&catalog, set)?;
    let events = recorded_events(ctx, locality).await?;
    let known_at = known_at.unwrap_or_else(|| super::clock(ctx).now());
    let territory = super::grading_set::territory(ctx, locality).await?;
    let views = with_grading_known_at(&catalog, &code, known_at, |grading| {
        let graded = standings_within(&events, grading, &territory, &dates, known_at);
        graded
            .iter()
            .map(|standing| StandingView {
                set_version: grading.set_on(standing.on, &territory).version.clone(),
                ..StandingView::from_domain(locality, standing, known_at)
            })
            .collect()
    })?;
    Ok(views)
}

/// The summary of the units of `programme` under `parent` on each date of the series, graded
/// by `set` or the set in force on each date; each date one roll-up statement, run side by
/// side on the read connections.
pub async fn summary_series(
    ctx: &Context<'_>,
    parent: &str,
    programme: Programme,
    set_and_below: (Option<&str>, Option<i32>),
    series: SeriesArgs,
) -> async_graphql::Result<Vec<Summary>> {
    let dates = series.dates()?;
    let catalog = &api(ctx)?.catalog.current();
    let asked = Asked::new(ctx, catalog, parent, programme, set_and_below).await?;
    Ok(asked.series(&dates).await?)
}
