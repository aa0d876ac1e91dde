//! The typed values of the forms' text fields, read once at the edge: dates (dd/mm/yyyy or
//! yyyy-mm-dd), years, percentages and indicator readings by kind (a decimal comma allowed);
//! a value that is not one is refused beside its field before anything is sent.

use serde_json::{json, Value};

use super::form_gate::{field, Values};
use super::form_refusal::Refused;
use super::form_words::FormWords;
use super::page::{parse_date, Page};

/// The date in field `name` as `yyyy-mm-dd`; refused when empty or not a date.
pub fn date(
    values: &Values,
    name: &str,
    page: &Page,
    refused: &mut Vec<Refused>,
) -> Option<String> {
    let f = FormWords::of(page.lang);
    match field(values, name) {
        "" => {
            refused.push(Refused::form(name, None, f.required));
            None
        }
        text => match parse_date(text) {
            Some(on) => Some(on.to_string()),
            None => {
                refused.push(Refused::form(name, None, f.not_a_date));
                None
            }
        },
    }
}

/// A year from 1900 to 2100.
pub fn year(text: &str, name: &str, f: &FormWords, refused: &mut Vec<Refused>) -> Option<i32> {
    match text.parse::<i32>() {
        Ok(year) if (1900..=2100).contains(&year) => Some(year),
        _ => {
            refused.push(Refused::form(name, None, f.not_a_year));
            None
        }
    }
}

/// A number, with a decimal comma or point.
pub fn number(text: &str) -> Option<f64> {
    text.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

/// A percentage as typed (its range is the API's to check, and to word).
pub fn percent(text: &str, name: &str, f: &FormWords, refused: &mut Vec<Refused>) -> Option<f64> {
    let value = number(text.trim_end_matches('%').trim());
    if value.is_none() {
        refused.push(Refused::form(name, None, f.not_a_number));
    }
    value
}

/// An indicator's reading of `kind` (`PERCENT`, `NUMBER`, `COUNT`, `BOOLEAN`) as the API's
/// `ReadingInput`; null and refused beside `name` when the text is not one.
pub fn reading(
    kind: &str,
    text: &str,
    name: &str,
    f: &FormWords,
    refused: &mut Vec<Refused>,
) -> Value {
    let value = match kind {
        "PERCENT" => number(text.trim_end_matches('%').trim()).map(|x| json!({ "percent": x })),
        "NUMBER" => number(text).map(|x| json!({ "number": x })),
        "COUNT" => text.parse::<i64>().ok().map(|n| json!({ "count": n })),
        "BOOLEAN" => match text {
            "co" => Some(json!({ "flag": true })),
            "khong" => Some(json!({ "flag": false })),
            _ => None,
        },
        _ => None,
    };
    value.unwrap_or_else(|| {
        refused.push(Refused::form(name, None, f.not_a_number));
        Value::Null
    })
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn a_decimal_comma_is_a_decimal_point() {
        assert_eq!(number("85,5"), Some(85.5));
        assert_eq!(number("85.5"), Some(85.5));
        assert_eq!(number("tám"), None);
        assert_eq!(number("inf"), None);
    }
}
