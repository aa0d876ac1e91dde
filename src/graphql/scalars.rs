//! The `Date` scalar (a calendar date, `YYYY-MM-DD`) used for every valid-time argument, and
//! `DateTime` (an instant, RFC 3339) for transaction time.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{DateTime, NaiveDate, Utc};

/// A calendar date in ISO 8601 form, `YYYY-MM-DD` (valid time: the day a fact is true from).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

/// A calendar date, `YYYY-MM-DD` (ISO 8601 / RFC 3339 full-date, no time, no zone), read on
/// Vietnam's calendar (Asia/Ho_Chi_Minh): a valid-time date, the day a fact is true from or the
/// day a standing is read on. Any other text is refused with `VALIDATION`.
#[Scalar(
    name = "Date",
    specified_by_url = "https://scalars.graphql.org/andimarek/local-date"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| InputValueError::custom(format!("{s:?} is not a date (YYYY-MM-DD)"))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Self {
        Date(d)
    }
}

/// An instant of transaction time (see the scalar `DateTime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant(pub DateTime<Utc>);

/// An instant on the UTC time line, as RFC 3339 text with its offset (`2025-07-01T01:00:00Z`;
/// `2025-07-01T08:00:00+07:00` names the same instant). It is the transaction time of the log:
/// when an event was recorded (`Event.recordedAt`), and what `knownAt` selects (everything
/// recorded at or before it). Answers are in UTC.
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://scalars.graphql.org/andimarek/date-time"
)]
impl ScalarType for Instant {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => DateTime::parse_from_rfc3339(s)
                .map(|t| Instant(t.with_timezone(&Utc)))
                .map_err(|_| {
                    InputValueError::custom(format!(
                        "{s:?} is not a date-time (RFC 3339, e.g. 2025-07-01T08:00:00+07:00)"
                    ))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339())
    }
}
