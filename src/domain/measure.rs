//! Measured values: percentages, quantities, counts and yes/no readings, the kinds of indicator
//! they belong to, and the comparators that test them against a target.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::DomainError;

/// A percentage kept as hundredths of a percent (0..=10000) so that comparisons against
/// thresholds such as 30 % or 73.65 % are exact, which a float would not guarantee.
///
/// ```
/// use ntm_tracker::domain::measure::Percent;
///
/// let share = Percent::try_from(73.65)?; // 7364.999… in binary, kept as 7365 hundredths
/// assert_eq!(share.hundredths(), 7365);
/// assert_eq!(share.to_string(), "73.65 %");
/// assert_eq!(Percent::try_from(100.0)?, Percent::FULL);
/// for refused in [85.555, 100.01, -1.0, f64::NAN] {
///     assert!(Percent::try_from(refused).is_err(), "{refused}");
/// }
/// # Ok::<(), ntm_tracker::domain::DomainError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Percent(u32);

impl Percent {
    /// 100 %.
    pub const FULL: Percent = Percent(10_000);

    pub const fn from_hundredths(h: u32) -> Option<Self> {
        if h <= 10_000 {
            Some(Self(h))
        } else {
            None
        }
    }
    pub fn hundredths(self) -> u32 {
        self.0
    }
}

impl TryFrom<f64> for Percent {
    type Error = DomainError;
    fn try_from(v: f64) -> Result<Self, Self::Error> {
        let invalid = || DomainError::Invalid {
            field: "percent",
            value: v.to_string(),
            expected: "a number from 0 to 100 with at most two decimals",
        };
        if !v.is_finite() || !(0.0..=100.0).contains(&v) {
            return Err(invalid());
        }
        // Round to hundredths: a JSON or TOML decimal such as 73.65 is not exact in binary
        // (7364.999…). A third decimal (85.555) is refused, never rounded away.
        let hundredths = (v * 100.0).round();
        if (v * 100.0 - hundredths).abs() > 1e-6 {
            return Err(invalid());
        }
        Self::from_hundredths(hundredths as u32).ok_or_else(invalid)
    }
}

impl From<Percent> for f64 {
    fn from(p: Percent) -> f64 {
        f64::from(p.0) / 100.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} %", f64::from(*self))
    }
}

/// A non-percentage quantity (e.g. income in million VND per person per year) kept as
/// thousandths, so that thresholds like 45 or 41.5 compare exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Quantity(i64);

impl Quantity {
    pub const fn from_thousandths(t: i64) -> Self {
        Self(t)
    }
}

impl TryFrom<f64> for Quantity {
    type Error = DomainError;
    fn try_from(v: f64) -> Result<Self, Self::Error> {
        if !v.is_finite() || v.abs() > 1e12 {
            return Err(DomainError::Invalid {
                field: "quantity",
                value: v.to_string(),
                expected: "a finite number below 10^12",
            });
        }
        Ok(Self((v * 1000.0).round() as i64))
    }
}

impl From<Quantity> for f64 {
    fn from(q: Quantity) -> f64 {
        q.0 as f64 / 1000.0
    }
}

/// What an indicator measures; a reading must be of its indicator's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IndicatorKind {
    Percent,
    Number,
    Boolean,
    Count,
}

impl fmt::Display for IndicatorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Percent => "percent",
            Self::Number => "number",
            Self::Boolean => "boolean",
            Self::Count => "count",
        })
    }
}

/// A typed reading or target value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
pub enum IndicatorValue {
    Percent(Percent),
    Number(Quantity),
    Boolean(bool),
    Count(u64),
}

impl IndicatorValue {
    pub fn kind(&self) -> IndicatorKind {
        match self {
            Self::Percent(_) => IndicatorKind::Percent,
            Self::Number(_) => IndicatorKind::Number,
            Self::Boolean(_) => IndicatorKind::Boolean,
            Self::Count(_) => IndicatorKind::Count,
        }
    }

    fn compare(&self, other: &Self) -> Option<Ordering> {
        match (self, other) {
            (Self::Percent(a), Self::Percent(b)) => Some(a.cmp(b)),
            (Self::Number(a), Self::Number(b)) => Some(a.cmp(b)),
            (Self::Boolean(a), Self::Boolean(b)) => Some(a.cmp(b)),
            (Self::Count(a), Self::Count(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

impl fmt::Display for IndicatorValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Percent(p) => write!(f, "{p}"),
            Self::Number(q) => write!(f, "{}", f64::from(*q)),
            Self::Boolean(true) => f.write_str("đạt (yes)"),
            Self::Boolean(false) => f.write_str("không (no)"),
            Self::Count(n) => write!(f, "{n}"),
        }
    }
}

/// How a reading is tested against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Comparator {
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = "<=")]
    AtMost,
    #[serde(rename = "=")]
    Equal,
}

impl Comparator {
    pub fn symbol(self) -> &'static str {
        match self {
            Self::AtLeast => ">=",
            Self::AtMost => "<=",
            Self::Equal => "=",
        }
    }

    /// Parses the catalogue spelling; `None` for anything else.
    pub fn from_symbol(s: &str) -> Option<Self> {
        [Self::AtLeast, Self::AtMost, Self::Equal]
            .into_iter()
            .find(|c| c.symbol() == s)
    }

    /// Whether `reading` satisfies `target`; `None` when their kinds differ.
    pub fn holds(self, reading: &IndicatorValue, target: &IndicatorValue) -> Option<bool> {
        let ord = reading.compare(target)?;
        Some(match self {
            Self::AtLeast => ord != Ordering::Less,
            Self::AtMost => ord != Ordering::Greater,
            Self::Equal => ord == Ordering::Equal,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pct(v: f64) -> IndicatorValue {
        IndicatorValue::Percent(Percent::try_from(v).expect("valid percent"))
    }

    #[test]
    fn comparators_hold_at_the_boundary_and_not_beyond() {
        use Comparator::*;
        let table = [
            (AtLeast, pct(80.0), pct(80.0), true),
            (AtLeast, pct(79.99), pct(80.0), false),
            (AtMost, pct(5.0), pct(5.0), true),
            (AtMost, pct(5.01), pct(5.0), false),
            (
                Equal,
                IndicatorValue::Boolean(true),
                IndicatorValue::Boolean(true),
                true,
            ),
            (
                Equal,
                IndicatorValue::Boolean(false),
                IndicatorValue::Boolean(true),
                false,
            ),
            (
                AtLeast,
                IndicatorValue::Count(1),
                IndicatorValue::Count(1),
                true,
            ),
            (
                AtLeast,
                IndicatorValue::Count(0),
                IndicatorValue::Count(1),
                false,
            ),
        ];
        for (cmp, reading, target, expected) in table {
            assert_eq!(
                cmp.holds(&reading, &target),
                Some(expected),
                "{reading} {cmp:?} {target}"
            );
        }
        assert_eq!(AtLeast.holds(&pct(1.0), &IndicatorValue::Count(1)), None);
    }

    #[test]
    fn percent_rejects_out_of_range_and_rounds_to_hundredths() {
        assert!(Percent::try_from(100.01).is_err());
        assert!(Percent::try_from(-0.5).is_err());
        assert!(Percent::try_from(f64::NAN).is_err());
        assert_eq!(Percent::try_from(73.65).map(Percent::hundredths), Ok(7365));
    }

    #[test]
    fn values_serialize_with_their_kind() {
        let json = serde_json::to_string(&pct(85.5)).expect("serialize");
        assert_eq!(json, r#"{"kind":"percent","value":85.5}"#);
        let back: IndicatorValue = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, pct(85.5));
    }
}
