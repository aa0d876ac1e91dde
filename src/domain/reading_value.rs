//! A reading's value as people write it: a number from an API client, or text from a spreadsheet
//! cell read by the kind of its indicator. One parser for every way in, and the plain text that
//! reads back to the same value.

use super::measure::{IndicatorKind, IndicatorValue, Percent, Quantity};
use super::DomainError;

pub const PERCENT_EXPECTED: &str = "a percentage 0–100 (at most two decimals, '.' as separator)";
pub const NUMBER_EXPECTED: &str = "a number ('.' as decimal separator)";
pub const COUNT_EXPECTED: &str = "a whole number from 0 to 2147483647";

/// The largest count: GraphQL's `Int` is 32 bits, and a count the API could not give back
/// is no count of households or villages.
pub const MAX_COUNT: u64 = i32::MAX as u64;
pub const BOOLEAN_EXPECTED: &str = "yes or no (also true/false, 1/0, đạt/không đạt)";

fn invalid(value: impl ToString, expected: &'static str) -> DomainError {
    DomainError::Invalid {
        field: "value",
        value: value.to_string(),
        expected,
    }
}

impl IndicatorValue {
    pub fn percent(v: f64) -> Result<Self, DomainError> {
        Percent::try_from(v)
            .map(Self::Percent)
            .map_err(|_| invalid(v, PERCENT_EXPECTED))
    }

    pub fn number(v: f64) -> Result<Self, DomainError> {
        Quantity::try_from(v)
            .map(Self::Number)
            .map_err(|_| invalid(v, NUMBER_EXPECTED))
    }

    pub fn count(n: i64) -> Result<Self, DomainError> {
        u64::try_from(n)
            .ok()
            .filter(|n| *n <= MAX_COUNT)
            .map(Self::Count)
            .ok_or_else(|| invalid(n, COUNT_EXPECTED))
    }

    /// Reads `text` as a value of `kind`: `85.5` or `85.5%` for a percentage, `45.2` for a
    /// number, `3` for a count, `yes`/`no` (or `true`/`false`, `1`/`0`, `đạt`/`không đạt`)
    /// for a yes/no indicator. Surrounding spaces are ignored.
    ///
    /// ```
    /// use ntm_tracker::domain::measure::{IndicatorKind, IndicatorValue};
    ///
    /// let read = |kind, text| IndicatorValue::parse(kind, text);
    /// assert_eq!(read(IndicatorKind::Percent, " 85.5% ")?, IndicatorValue::percent(85.5)?);
    /// assert_eq!(read(IndicatorKind::Count, "3")?, IndicatorValue::Count(3));
    /// assert_eq!(read(IndicatorKind::Boolean, "Không đạt")?, IndicatorValue::Boolean(false));
    /// // A comma decimal, a third decimal, more than 100 %, a fraction of a count, a count
    /// // beyond GraphQL's Int: refused, never rounded or guessed.
    /// for (kind, refused) in [
    ///     (IndicatorKind::Percent, "85,5"),
    ///     (IndicatorKind::Percent, "85.555"),
    ///     (IndicatorKind::Percent, "130"),
    ///     (IndicatorKind::Count, "2.5"),
    ///     (IndicatorKind::Count, "2147483648"),
    ///     (IndicatorKind::Boolean, "maybe"),
    /// ] {
    ///     assert!(read(kind, refused).is_err(), "{refused}");
    /// }
    /// let error = read(IndicatorKind::Percent, "85,5").unwrap_err();
    /// assert_eq!(
    ///     error.to_string(),
    ///     r#"invalid value "85,5": expected a percentage 0–100 (at most two decimals, '.' as separator)"#
    /// );
    /// # Ok::<(), ntm_tracker::domain::DomainError>(())
    /// ```
    pub fn parse(kind: IndicatorKind, text: &str) -> Result<Self, DomainError> {
        let text = text.trim();
        let decimal = |s: &str, expected| {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| invalid(text, expected))
        };
        match kind {
            IndicatorKind::Percent => {
                let number = text.strip_suffix('%').unwrap_or(text);
                Self::percent(decimal(number, PERCENT_EXPECTED)?)
                    .map_err(|_| invalid(text, PERCENT_EXPECTED))
            }
            IndicatorKind::Number => Self::number(decimal(text, NUMBER_EXPECTED)?)
                .map_err(|_| invalid(text, NUMBER_EXPECTED)),
            IndicatorKind::Count => text
                .parse::<i64>()
                .map_err(|_| invalid(text, COUNT_EXPECTED))
                .and_then(|n| Self::count(n).map_err(|_| invalid(text, COUNT_EXPECTED))),
            IndicatorKind::Boolean => match text.to_lowercase().as_str() {
                "yes" | "true" | "1" | "đạt" | "có" => Ok(Self::Boolean(true)),
                "no" | "false" | "0" | "không đạt" | "không" => Ok(Self::Boolean(false)),
                _ => Err(invalid(text, BOOLEAN_EXPECTED)),
            },
        }
    }

    /// The text [`IndicatorValue::parse`] reads back to this value (`85.5`, `3`, `yes`).
    ///
    /// ```
    /// use ntm_tracker::domain::measure::{IndicatorKind, IndicatorValue};
    ///
    /// let value = IndicatorValue::parse(IndicatorKind::Percent, "73.65 %")?;
    /// assert_eq!(value.plain_text(), "73.65");
    /// assert_eq!(IndicatorValue::Boolean(true).plain_text(), "yes");
    /// # Ok::<(), ntm_tracker::domain::DomainError>(())
    /// ```
    pub fn plain_text(&self) -> String {
        match self {
            Self::Percent(p) => f64::from(*p).to_string(),
            Self::Number(q) => f64::from(*q).to_string(),
            Self::Count(n) => n.to_string(),
            Self::Boolean(true) => "yes".into(),
            Self::Boolean(false) => "no".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use IndicatorKind::*;

    #[test]
    fn text_is_read_by_the_indicator_kind() {
        let table = [
            (Percent, "85.5", IndicatorValue::percent(85.5)),
            (Percent, " 100% ", IndicatorValue::percent(100.0)),
            (Number, "45.25", IndicatorValue::number(45.25)),
            (Count, "3", IndicatorValue::count(3)),
            (Count, "2147483647", IndicatorValue::count(2_147_483_647)),
            (Percent, "73.65", IndicatorValue::percent(73.65)),
            (Boolean, "Đạt", Ok(IndicatorValue::Boolean(true))),
            (Boolean, "không đạt", Ok(IndicatorValue::Boolean(false))),
            (Boolean, "0", Ok(IndicatorValue::Boolean(false))),
        ];
        for (kind, text, expected) in table {
            assert_eq!(IndicatorValue::parse(kind, text), expected, "{text}");
        }
    }

    #[test]
    fn what_is_refused_says_what_was_expected() {
        let table = [
            (Percent, "130", PERCENT_EXPECTED),
            (Percent, "85,5", PERCENT_EXPECTED),
            (Percent, "-1", PERCENT_EXPECTED),
            (Number, "NaN", NUMBER_EXPECTED),
            (Number, "", NUMBER_EXPECTED),
            (Count, "2.5", COUNT_EXPECTED),
            (Count, "-3", COUNT_EXPECTED),
            (Count, "2147483648", COUNT_EXPECTED),
            (Percent, "85.555", PERCENT_EXPECTED),
            (Boolean, "maybe", BOOLEAN_EXPECTED),
        ];
        for (kind, text, expected) in table {
            let refused = IndicatorValue::parse(kind, text);
            let wanted = DomainError::Invalid {
                field: "value",
                value: text.trim().to_owned(),
                expected,
            };
            assert_eq!(refused, Err(wanted), "{text}");
        }
    }

    #[test]
    fn plain_text_reads_back_to_the_same_value() {
        let values = [
            IndicatorValue::percent(73.65),
            IndicatorValue::number(41.5),
            IndicatorValue::count(12),
            Ok(IndicatorValue::Boolean(true)),
            Ok(IndicatorValue::Boolean(false)),
        ];
        for value in values.into_iter().map(|v| v.expect("valid")) {
            let text = value.plain_text();
            assert_eq!(
                IndicatorValue::parse(value.kind(), &text),
                Ok(value),
                "{text}"
            );
        }
    }
}
