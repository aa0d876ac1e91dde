//! The clock: the one place that reads the time of day (`clippy.toml` forbids `Utc::now`
//! elsewhere), so that every "today" a decision is checked against comes from here.

use chrono::{DateTime, NaiveDate, Utc};

/// Now, in UTC (the store's `recorded_at`).
#[allow(clippy::disallowed_methods, reason = "the one reading of the clock")]
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// Today's date in UTC: the date a command's "effective in the future" check compares with.
pub fn today() -> NaiveDate {
    now().date_naive()
}
