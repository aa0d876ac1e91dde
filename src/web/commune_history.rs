//! A commune page's last sections: what changed between two dates (a GET form, `tu` and
//! `den`, answered by the API's `diff`) and its event history, newest first, a page at a time
//! (`sau`: the cursor of the last event shown).

use chrono::NaiveDate;
use maud::{html, Markup};

use super::commune_enums::{assessment, status};
use super::commune_log_data::{Diff, Events, Logged};
use super::commune_words::Words;
use super::event_names::event_name as event_type;
use super::format;
use super::layout::hidden;
use super::levels::level_name;
use super::page::{parse_date, Page, Params};
use super::words::Lang;

/// The two dates of the comparison form, as given.
pub struct DiffDates {
    from: DateField,
    to: DateField,
}

/// One date field: empty, a date, or text that is not one.
enum DateField {
    Empty,
    Date(String, NaiveDate),
    Bad(String),
}

impl DateField {
    fn from_param(param: Option<&String>) -> Self {
        match param.map(|p| p.trim()).filter(|p| !p.is_empty()) {
            None => DateField::Empty,
            Some(text) => match parse_date(text) {
                Some(date) => DateField::Date(text.to_owned(), date),
                None => DateField::Bad(text.to_owned()),
            },
        }
    }

    fn text(&self) -> &str {
        match self {
            DateField::Empty => "",
            DateField::Date(text, _) | DateField::Bad(text) => text,
        }
    }

    fn date(&self) -> Option<NaiveDate> {
        match self {
            DateField::Date(_, date) => Some(*date),
            _ => None,
        }
    }
}

impl DiffDates {
    /// From `?tu=` and `?den=`.
    pub fn from_params(params: &Params) -> Self {
        DiffDates {
            from: DateField::from_param(params.get("tu")),
            to: DateField::from_param(params.get("den")),
        }
    }

    pub fn earlier_text(&self) -> &str {
        self.from.text()
    }

    pub fn later_text(&self) -> &str {
        self.to.text()
    }

    /// Both dates, when both are dates.
    pub fn valid(&self) -> Option<(NaiveDate, NaiveDate)> {
        self.from.date().zip(self.to.date())
    }

    /// A field holds text that is not a date, or only one of the two is given.
    pub fn has_error(&self) -> bool {
        self.error(&self.from, &self.to).is_some() || self.error(&self.to, &self.from).is_some()
    }

    /// What is wrong with `field` (beside `other`), to show next to it.
    fn error(&self, field: &DateField, other: &DateField) -> Option<Problem> {
        match (field, other) {
            (DateField::Bad(_), _) => Some(Problem::BadDate),
            (DateField::Empty, DateField::Empty) => None,
            (DateField::Empty, _) => Some(Problem::Missing),
            _ => None,
        }
    }
}

enum Problem {
    BadDate,
    Missing,
}

/// The comparison form and, for two dates, the criteria and indicators that changed.
pub fn changes_section(page: &Page, path: &str, dates: &DiffDates, diff: Option<&Diff>) -> Markup {
    let w = Words::of(page.lang);
    html! {
        section aria-labelledby="thay-doi" {
            h2 #thay-doi { (w.changes) }
            form.compare #compare method="get" action=(format!("{path}#thay-doi")) {
                (date_field(w, "tu", w.changes_from, &dates.from, dates.error(&dates.from, &dates.to)))
                (date_field(w, "den", w.changes_to, &dates.to, dates.error(&dates.to, &dates.from)))
                (hidden(page))
                button type="submit" { (w.compare) }
            }
            @if let Some(diff) = diff { (diff_result(page.lang, diff)) }
        }
    }
}

fn date_field(
    w: &Words,
    name: &str,
    label: &str,
    field: &DateField,
    problem: Option<Problem>,
) -> Markup {
    let id = format!("{name}-date");
    let error_id = format!("{name}-error");
    html! {
        p.field {
            label for=(id) { (label) } " "
            @match problem {
                Some(problem) => {
                    input id=(id) type="date" name=(name) value=(field.text()) aria-invalid="true" aria-describedby=(error_id);
                    " " span id=(error_id) .field-error role="alert" {
                        @match problem {
                            Problem::BadDate => { (w.bad_date) " (“" (field.text()) "”)" },
                            Problem::Missing => (w.missing_date),
                        }
                    }
                },
                None => input id=(id) type="date" name=(name) value=(field.text());,
            }
        }
    }
}

fn diff_result(lang: Lang, diff: &Diff) -> Markup {
    let w = Words::of(lang);
    let level = |l: &Option<String>| l.as_deref().map_or("–".to_owned(), |l| level_name(lang, l));
    let mark = |s: &str| {
        let (word, sign) = status(lang, s);
        format!("{sign} {word}")
    };
    html! {
        div #diff data-from=(diff.from) data-to=(diff.to) {
            table.diff-summary {
                thead { tr { th {} th scope="col" { (format::date(lang, diff.from)) } th scope="col" { (format::date(lang, diff.to)) } } }
                tbody {
                    tr { th scope="row" { (w.criteria_met) " (" (diff.set) ")" }
                        td.num data-met-from=(diff.criteria_met_from) { (diff.criteria_met_from) }
                        td.num data-met-to=(diff.criteria_met_to) { (diff.criteria_met_to) } }
                    tr { th scope="row" { (w.level_reached) } td { (level(&diff.level_reached_from)) } td { (level(&diff.level_reached_to)) } }
                    tr { th scope="row" { (w.recognition) } td { (level(&diff.recognised_level_from)) } td { (level(&diff.recognised_level_to)) } }
                }
            }
            @if diff.criteria.is_empty() {
                p { (w.no_change) }
            } @else {
                table #changed-criteria {
                    thead { tr { th scope="col" { (w.criterion) } th scope="col" { (format::date(lang, diff.from)) } th scope="col" { (format::date(lang, diff.to)) } } }
                    tbody { @for c in &diff.criteria {
                        tr data-code=(c.code) {
                            th scope="row" { (c.code) ". " (lang.pick(&c.name_vi, &c.name_en)) }
                            td data-status=(c.from) { (mark(&c.from)) } td data-status=(c.to) { (mark(&c.to)) }
                        }
                    } }
                }
            }
            @if !diff.indicators.is_empty() {
                details {
                    summary { (w.indicators_changed) " (" (diff.indicators.len()) ")" }
                    div.scroll { table {
                        thead { tr { th scope="col" { (w.indicator) } th scope="col" { (format::date(lang, diff.from)) } th scope="col" { (format::date(lang, diff.to)) } } }
                        tbody { @for i in &diff.indicators {
                            tr { th scope="row" { (i.code) }
                                td { (mark(&i.from)) " " (i.reading_from.as_ref().map_or(String::new(), |r| r.written(lang))) }
                                td { (mark(&i.to)) " " (i.reading_to.as_ref().map_or(String::new(), |r| r.written(lang))) } }
                        } }
                    } }
                }
            }
        }
    }
}

/// The unit's events, newest first, with a link to the next page.
pub fn history_section(page: &Page, path: &str, keep: &[(&str, &str)], feed: &Events) -> Markup {
    let w = Words::of(page.lang);
    let lang = page.lang;
    let next = feed.page_info.as_ref().and_then(|p| p.next());
    html! {
        section aria-labelledby="lich-su" {
            h2 #lich-su { (w.history) " — " (format::count(lang, feed.total_count)) }
            div.scroll { table #history {
                thead { tr {
                    th scope="col" { (w.position) } th scope="col" { (w.event) } th scope="col" { (w.effective) }
                    th scope="col" { (w.recorded) } th scope="col" { (w.details) } th scope="col" { (w.recorded_by) }
                } }
                tbody { @for edge in &feed.edges {
                    @let e = &edge.node;
                    tr data-position=(e.position) data-type=(e.event_type) {
                        td.num { (format::count(lang, e.position)) }
                        th scope="row" { (event_type(lang, &e.event_type)) }
                        td { @if let Some(on) = e.effective_on { (format::date(lang, on)) } }
                        td { @if let Some(at) = e.recorded_at { time datetime=(at.to_rfc3339()) { (format::instant(lang, at)) } } }
                        td { (summary(lang, e)) }
                        td { @match &e.actor { Some(a) => (a), None => em { (w.identity_hidden) } } }
                    }
                } }
            } }
            p {
                @if let Some(cursor) = next {
                    a rel="next" href=(format!("{}#lich-su", page.href(path, &[keep, &[("sau", cursor)]].concat()))) { (w.next_page) " →" }
                }
            }
        }
    }
}

/// The fields of an event a reader needs to tell it from the others.
fn summary(lang: Lang, event: &Logged) -> String {
    let Some(d) = &event.details else {
        return String::new();
    };
    let mut parts: Vec<String> = Vec::new();
    let push = |parts: &mut Vec<String>, v: Option<&str>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            parts.push(v.to_owned());
        }
    };
    push(&mut parts, d.decision.as_deref());
    push(&mut parts, d.act.as_deref());
    push(&mut parts, d.name.as_deref());
    push(&mut parts, d.new_code.as_deref().or(d.code.as_deref()));
    if let Some(code) = &d.indicator {
        let value = d.value.as_ref().map_or(String::new(), |v| v.written(lang));
        parts.push(format!(
            "{} {code}: {value}",
            lang.pick("chỉ tiêu", "indicator")
        ));
    }
    if let (Some(code), Some(met)) = (&d.criterion, d.met) {
        parts.push(format!(
            "{} {code}: {}",
            lang.pick("tiêu chí", "criterion"),
            status(lang, if met { "MET" } else { "NOT_MET" }).0
        ));
    }
    if let Some(level) = &d.level {
        match d.criterion {
            Some(_) => parts.push(assessment(lang, level).to_owned()),
            None => parts.push(level_name(lang, level)),
        }
    }
    if let Some(share) = d.in_favour {
        parts.push(format::percent(lang, share));
    }
    if let Some(year) = d.target_year {
        parts.push(year.to_string());
    }
    push(&mut parts, d.set.as_deref());
    push(&mut parts, d.revoked.as_deref());
    push(&mut parts, d.reason.as_deref());
    if let Some(version) = d.retracted_version {
        parts.push(format!("#{version}"));
    }
    push(&mut parts, event.reason.as_deref());
    parts.join(" · ")
}
