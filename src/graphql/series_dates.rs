//! The dates of a series: the end of each year, quarter or month from `from` to `to`, and `to`
//! itself last ([decision](../../docs/decisions/series-dates.md)).

use async_graphql::Enum;
use chrono::{Datelike, Days, NaiveDate};

use super::scalars::Date;
use super::ApiError;

/// Most dates one series may have: ten years month by month.
pub const MAX_SERIES_DATES: usize = 120;

/// How far apart the dates of a series are: each date is the last day of a period.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum SeriesInterval {
    /// The 31 December of each year (the date of the yearly reports).
    #[default]
    Year,
    /// The last day of each quarter: 31/3, 30/6, 30/9, 31/12.
    Quarter,
    /// The last day of each month.
    Month,
}

impl SeriesInterval {
    /// The last day of the period holding `day`.
    fn end_of_period(self, day: NaiveDate) -> NaiveDate {
        let last_month = match self {
            SeriesInterval::Year => 12,
            SeriesInterval::Quarter => (day.month0() / 3 + 1) * 3,
            SeriesInterval::Month => day.month(),
        };
        last_day_of(day.year(), last_month)
    }
}

fn last_day_of(year: i32, month: u32) -> NaiveDate {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)
        .and_then(|first| first.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// The ends of the periods from the one holding `from` up to `to` (excluded), then `to`:
/// ascending, without repeats; at most `limit + 1` of them, so a caller sees a series too long
/// without making all of it.
fn dates_up_to(
    from: NaiveDate,
    to: NaiveDate,
    every: SeriesInterval,
    limit: usize,
) -> Vec<NaiveDate> {
    let mut dates = Vec::new();
    let mut end = every.end_of_period(from);
    while end < to && dates.len() <= limit {
        dates.push(end);
        match end.checked_add_days(Days::new(1)) {
            Some(next) => end = every.end_of_period(next),
            None => break,
        }
    }
    if dates.len() <= limit {
        dates.push(to);
    }
    dates
}

/// The dates of the series from `from` to `to` by `every`; VALIDATION when `from` is after
/// `to` or when the series would have more than [`MAX_SERIES_DATES`] dates.
pub fn series_dates(
    from: Date,
    to: Date,
    every: SeriesInterval,
) -> Result<Vec<NaiveDate>, ApiError> {
    if from.0 > to.0 {
        let message = format!("from ({}) is after to ({})", from.0, to.0);
        return Err(ApiError::validation("from", message));
    }
    let dates = dates_up_to(from.0, to.0, every, MAX_SERIES_DATES);
    if dates.len() > MAX_SERIES_DATES {
        let message = format!(
            "a series has at most {MAX_SERIES_DATES} dates: shorten from..to or choose a longer \
             interval than {every:?}"
        );
        return Err(ApiError::validation("to", message));
    }
    Ok(dates)
}

/// The number of dates a series asks for, for the complexity of the request: 1 for a refused
/// one (its resolver answers the error), at most [`MAX_SERIES_DATES`].
pub fn series_length(from: &Date, to: &Date, every: SeriesInterval) -> usize {
    series_dates(*from, *to, every).map_or(1, |d| d.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn dates(from: &str, to: &str, every: SeriesInterval) -> Vec<String> {
        series_dates(Date(d(from)), Date(d(to)), every)
            .expect("dates")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn years_end_on_31_december_and_to_comes_last() {
        let years = dates("2016-01-01", "2024-12-31", SeriesInterval::Year);
        assert_eq!(years.len(), 9);
        assert_eq!(years[0], "2016-12-31");
        assert_eq!(years[8], "2024-12-31");
        let cut = dates("2016-06-15", "2020-03-01", SeriesInterval::Year);
        assert_eq!(
            cut,
            [
                "2016-12-31",
                "2017-12-31",
                "2018-12-31",
                "2019-12-31",
                "2020-03-01"
            ]
        );
    }

    #[test]
    fn quarters_and_months_end_on_their_last_day() {
        let quarters = dates("2024-02-10", "2024-12-31", SeriesInterval::Quarter);
        assert_eq!(
            quarters,
            ["2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"]
        );
        let months = dates("2024-01-31", "2024-04-15", SeriesInterval::Month);
        assert_eq!(
            months,
            ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-15"]
        );
    }

    #[test]
    fn one_day_is_a_series_of_one_date() {
        assert_eq!(
            dates("2020-05-05", "2020-05-05", SeriesInterval::Year),
            ["2020-05-05"]
        );
    }

    #[test]
    fn backwards_or_too_long_series_are_refused() {
        let backwards = series_dates(
            Date(d("2020-01-02")),
            Date(d("2020-01-01")),
            SeriesInterval::Year,
        );
        assert!(
            matches!(backwards, Err(ApiError::Validation { ref field, .. }) if field == "from")
        );
        // Ten years of months is the most: 120 dates; one month more is refused.
        let ten_years = series_dates(
            Date(d("2015-01-01")),
            Date(d("2024-12-31")),
            SeriesInterval::Month,
        );
        assert_eq!(ten_years.map(|d| d.len()).ok(), Some(MAX_SERIES_DATES));
        let longer = series_dates(
            Date(d("2015-01-01")),
            Date(d("2025-01-31")),
            SeriesInterval::Month,
        );
        assert!(matches!(longer, Err(ApiError::Validation { ref field, .. }) if field == "to"));
        let far = series_dates(
            Date(d("0001-01-01")),
            Date(d("9999-12-31")),
            SeriesInterval::Month,
        );
        assert!(far.is_err());
    }
}
