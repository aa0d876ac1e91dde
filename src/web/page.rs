//! What every page is read with: its language and date from the query string, today in
//! Vietnam, and links that keep both.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::visitor::Person;
use super::words::{Common, Lang};
use crate::auth::Actor;

/// The query string of a page, as given.
pub type Params = HashMap<String, String>;

/// A page's language and date.
#[derive(Clone, Debug)]
pub struct Page {
    pub lang: Lang,
    /// The valid date the page shows (`?on=`, default today in Vietnam).
    pub on: NaiveDate,
    /// Today in Vietnam.
    pub today: NaiveDate,
    /// `on` was given (links keep it); else the page follows today.
    pub dated: bool,
    /// The `on` text that was not a date, to show beside the date field.
    pub bad_date: Option<String>,
    /// The signed-in reader, as whom the page's documents run; none: anonymous.
    pub person: Option<Person>,
}

impl Page {
    /// From the query string; a malformed `on` is kept in `bad_date` and the page reads today.
    pub fn from_params(params: &Params, today: NaiveDate) -> Self {
        let lang = Lang::from_param(params.get("lang").map(String::as_str));
        let given = params.get("on").map(|s| s.trim()).filter(|s| !s.is_empty());
        let (on, dated, bad_date) = match given.map(parse_date) {
            None => (today, false, None),
            Some(Some(on)) => (on, true, None),
            Some(None) => (today, false, given.map(str::to_owned)),
        };
        Page {
            lang,
            on,
            today,
            dated,
            bad_date,
            person: None,
        }
    }

    /// The same page read by `person`.
    pub fn read_by(mut self, person: Option<Person>) -> Self {
        self.person = person;
        self
    }

    /// The actor the page's documents run as: the signed-in person, or none (anonymous).
    pub fn actor(&self) -> Option<Actor> {
        self.person.as_ref().map(Person::actor)
    }

    /// The frame's words in the page's language.
    pub fn words(&self) -> &'static Common {
        Common::of(self.lang)
    }

    /// `path` with the page's date and language kept, plus `extra` parameters.
    pub fn href(&self, path: &str, extra: &[(&str, &str)]) -> String {
        self.href_in(path, self.lang, extra)
    }

    /// `path` in another language, the page's date kept.
    pub fn href_in(&self, path: &str, lang: Lang, extra: &[(&str, &str)]) -> String {
        let on = self.on.to_string();
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if self.dated {
            pairs.push(("on", &on));
        }
        if lang == Lang::En {
            pairs.push(("lang", "en"));
        }
        pairs.extend(extra.iter().filter(|(_, v)| !v.is_empty()));
        if pairs.is_empty() {
            return path.to_owned();
        }
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        format!("{path}?{}", query.join("&"))
    }
}

/// `yyyy-mm-dd` (what `<input type="date">` sends) or `dd/mm/yyyy`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .ok()
}

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).expect("a date")
    }

    #[test]
    fn links_keep_the_date_and_language_given() {
        let page = Page::from_params(&params(&[("on", "31/12/2020"), ("lang", "en")]), today());
        assert_eq!(page.on.to_string(), "2020-12-31");
        assert_eq!(
            page.href("/don-vi/42", &[("q", "thạch")]),
            "/don-vi/42?on=2020-12-31&lang=en&q=th%E1%BA%A1ch"
        );
        assert_eq!(
            page.href_in("/", Lang::Vi, &[]),
            "/?on=2020-12-31",
            "Vietnamese is the default"
        );
    }

    #[test]
    fn a_page_without_a_date_follows_today_and_a_bad_one_is_kept_to_show() {
        let page = Page::from_params(&params(&[]), today());
        assert_eq!((page.on, page.dated), (today(), false));
        assert_eq!(page.href("/nhat-ky", &[]), "/nhat-ky");
        let bad = Page::from_params(&params(&[("on", "2020-13-01")]), today());
        assert_eq!(bad.bad_date.as_deref(), Some("2020-13-01"));
        assert_eq!(bad.on, today());
    }
}
