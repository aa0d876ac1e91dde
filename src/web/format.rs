//! Dates, times and numbers as each language writes them: `31/12/2020`, `1.234,5` in
//! Vietnamese; `2020-12-31`, `1,234.5` in English.

use chrono::{DateTime, NaiveDate, Utc};

use super::words::Lang;
use crate::app::clock::VIETNAM;

/// A date: `dd/mm/yyyy` in Vietnamese, `yyyy-mm-dd` in English.
pub fn date(lang: Lang, on: NaiveDate) -> String {
    match lang {
        Lang::Vi => on.format("%d/%m/%Y").to_string(),
        Lang::En => on.format("%Y-%m-%d").to_string(),
    }
}

/// An instant in Vietnam's time (UTC+7), to the minute.
pub fn instant(lang: Lang, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&VIETNAM);
    match lang {
        Lang::Vi => local.format("%d/%m/%Y %H:%M").to_string(),
        Lang::En => local.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// A whole number with its thousands grouped: `10.034` / `10,034`.
pub fn count(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(separators(lang).0);
        }
        grouped.push(digit);
    }
    if n < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// A number with `places` decimals: `1.234,5` / `1,234.5`.
pub fn decimal(lang: Lang, x: f64, places: usize) -> String {
    let text = format!("{:.*}", places, x.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let whole = count(lang, whole.parse::<i64>().unwrap_or(0));
    let sign = if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}{}{fraction}", separators(lang).1)
    }
}

/// A percentage with one decimal: `87,9 %` / `87.9%`.
pub fn percent(lang: Lang, x: f64) -> String {
    match lang {
        Lang::Vi => format!("{} %", decimal(lang, x, 1)),
        Lang::En => format!("{}%", decimal(lang, x, 1)),
    }
}

/// (thousands, decimal) separators.
fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_as_each_language_writes_them() {
        assert_eq!(count(Lang::Vi, 10_034), "10.034");
        assert_eq!(count(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(count(Lang::Vi, 999), "999");
        assert_eq!(count(Lang::Vi, -3_321), "-3.321");
        assert_eq!(decimal(Lang::Vi, 1234.54, 1), "1.234,5");
        assert_eq!(decimal(Lang::En, 1234.56, 1), "1,234.6");
        assert_eq!(decimal(Lang::Vi, -0.04, 1), "0,0");
        assert_eq!(decimal(Lang::Vi, -2.5, 1), "-2,5");
        assert_eq!(percent(Lang::Vi, 87.94), "87,9 %");
        assert_eq!(percent(Lang::En, 87.94), "87.9%");
    }

    #[test]
    fn dates_and_instants_are_written_in_vietnam_time() {
        let on = NaiveDate::from_ymd_opt(2020, 12, 31).expect("a date");
        assert_eq!(date(Lang::Vi, on), "31/12/2020");
        assert_eq!(date(Lang::En, on), "2020-12-31");
        let at = "2025-06-30T17:30:00Z".parse().expect("an instant");
        assert_eq!(instant(Lang::Vi, at), "01/07/2025 00:30");
    }
}
