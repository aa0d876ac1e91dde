//! A commune page's criteria: met per year as a chart, and each criterion on the date with its
//! official and computed status, its indicators, the readings in force and their evidence.

use std::collections::HashSet;

use chrono::NaiveDate;
use maud::{html, Markup};

use super::chart::{line_chart, reorganisation, year_label, Chart, Line};
use super::commune_data::{CommuneData, Criterion, Point, SetTitle, Standing, Unit};
use super::commune_enums::{assessment, status};
use super::commune_log_data::{Evidence, Logged};
use super::commune_words::Words;
use super::format;
use super::page::Page;
use super::words::Lang;

/// Criteria met at the end of each year, a line per set, each drawn only where the API says
/// the set graded the unit: it existed, the set was in force, and the unit's kind then is one
/// the set grades.
pub fn year_chart(page: &Page, unit: &Unit, sets: &[SetTitle]) -> Markup {
    let w = Words::of(page.lang);
    let series: Vec<&Vec<Point>> = [&unit.s0, &unit.s1, &unit.s2, &unit.s3]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let Some(first) = series.first() else {
        return html! {};
    };
    let kind_on = |on: NaiveDate| {
        unit.periods
            .iter()
            .find(|p| p.valid_from <= on && p.valid_to.is_none_or(|to| on < to))
            .and_then(|p| p.kind.as_deref())
    };
    let grades = |point: &Point| {
        let applies = sets
            .iter()
            .find(|s| s.code == point.graded_by)
            .zip(kind_on(point.on))
            .is_some_and(|(set, kind)| set.applies_to.iter().any(|k| k == kind));
        point.exists && point.in_force && applies
    };
    let lines: Vec<Line<'_>> = series
        .iter()
        .map(|points| Line {
            name: points.first().map_or("", |p| p.graded_by.as_str()),
            values: points
                .iter()
                .map(|p| grades(p).then_some(p.criteria_met as f64))
                .collect(),
        })
        .filter(|line| line.values.iter().any(Option::is_some))
        .collect();
    let labels: Vec<String> = first.iter().map(|p| year_label(page.lang, p.on)).collect();
    let top = series
        .iter()
        .flat_map(|s| s.iter().map(|p| p.criteria_total))
        .max()
        .unwrap_or(19)
        .max(1) as f64;
    let marker = reorganisation(first.iter().map(|p| p.on), w.reorganisation);
    let whole = |v: f64| format::decimal(page.lang, v, 0);
    html! {
        section aria-labelledby="theo-nam" {
            h2 #theo-nam { (w.per_year) }
            @if lines.is_empty() { p { (w.no_years) } } @else {
            p { (w.per_year_note) }
            (line_chart(&Chart { title: w.per_year, labels, lines, y_max: top, marker, format: &whole }))
            }
        }
    }
}

/// Every criterion of the standing on the date, each with its anchor `tieu-chi-<code>`.
pub fn criteria_section(page: &Page, standing: &Standing, data: &CommuneData) -> Markup {
    let w = Words::of(page.lang);
    let facts = Facts::new(standing, data);
    html! {
        section aria-labelledby="tieu-chi" {
            h2 #tieu-chi { (w.criteria) " (" (standing.graded_by) ")" }
            ul.key {
                @for s in ["MET", "NOT_MET", "UNKNOWN"] {
                    @let (word, sign) = status(page.lang, s);
                    li { span class=(status_class(s)) aria-hidden="true" { (sign) } " " (word) }
                }
                li { "≠ " (w.differs) }
            }
            @for criterion in &standing.criteria { (criterion_block(page, criterion, &facts)) }
        }
    }
}

fn status_class(status: &str) -> &'static str {
    match status {
        "MET" => "status-met",
        "NOT_MET" => "status-not-met",
        _ => "status-unknown",
    }
}

/// A status as its sign and word: never told by colour alone.
fn status_mark(lang: Lang, value: &str) -> Markup {
    let (word, sign) = status(lang, value);
    html! { span class=(status_class(value)) data-status=(value) { span aria-hidden="true" { (sign) } " " (word) } }
}

fn criterion_block(page: &Page, c: &Criterion, facts: &Facts<'_>) -> Markup {
    let lang = page.lang;
    let w = Words::of(lang);
    let anchor = format!("tieu-chi-{}", c.code);
    let heading = format!("{anchor}-ten");
    let assessed = c
        .official_on
        .and_then(|on| facts.assessment(&c.code, on, c.official_level.as_deref()));
    html! {
        section.criterion id=(anchor) aria-labelledby=(heading) data-code=(c.code) data-status=(c.status) {
            h3 id=(heading) {
                @if c.is_condition { (w.condition) } @else { (w.criterion) } " " (c.code) ". " (lang.pick(&c.name_vi, &c.name_en))
                @if c.is_key { " " small { "(" (w.key_criterion) ")" } }
                " — " (status_mark(lang, &c.status))
                @if c.differs { " " span.differs title=(w.differs) { "≠ " (w.differs) } }
            }
            p.statuses {
                (w.official) ": "
                @match &c.official {
                    Some(official) => {
                        (status_mark(lang, official))
                        @if let Some(level) = &c.official_level { " (" (assessment(lang, level)) }
                        @if let Some(on) = c.official_on { ", " (format::date(lang, on)) ")" }
                        @if let Some(event) = assessed { " — " (w.evidence) ": " (evidence_text(event)) " · " (w.recorded_by) ": " (actor(lang, event)) }
                    },
                    None => (w.no_assessment),
                }
                " · " (w.computed) ": " (status_mark(lang, &c.computed))
            }
            @if c.indicators.is_empty() {
                p { (w.no_indicators) }
            } @else {
                div.scroll { table.indicators {
                    thead { tr {
                        th scope="col" { (w.indicator) } th scope="col" { (w.status) } th scope="col" { (w.reading) }
                        th scope="col" { (w.read_on) } th scope="col" { (w.target) } th scope="col" { (w.evidence) }
                        th scope="col" { (w.recorded_by) }
                    } }
                    tbody { @for i in &c.indicators {
                        @let event = i.read_on.and_then(|on| facts.reading(&i.code, on));
                        tr data-code=(i.code) {
                            th scope="row" { (i.code) }
                            td { (status_mark(lang, &i.status)) }
                            td.num { (i.reading.as_ref().map_or("–".to_owned(), |r| r.written(lang))) }
                            td { @if let Some(on) = i.read_on { (format::date(lang, on)) } }
                            td.num { (i.target.as_ref().map_or("–".to_owned(), |t| t.written(lang))) }
                            td { @match (event, i.read_on) {
                                (Some(e), _) => (evidence_text(e)),
                                (None, Some(_)) => em { (w.evidence_not_found) },
                                (None, None) => "–",
                            } }
                            td { @if let Some(e) = event { (actor(lang, e)) } }
                        }
                    } }
                } }
            }
        }
    }
}

fn evidence_text(event: &Logged) -> Markup {
    let evidence = event.details.as_ref().and_then(|d| d.evidence.as_ref());
    let parts: Vec<&str> = evidence
        .map(|e: &Evidence| [&e.document, &e.file_ref, &e.note])
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_deref())
        .filter(|p| !p.is_empty())
        .collect();
    let files = evidence.map_or(&[][..], |e| e.attachments.as_slice());
    html! {
        @if parts.is_empty() && files.is_empty() { "–" } @else { (parts.join(" · ")) }
        @for file in files {
            " " a.attachment href=(file.url) download=(file.name) { "📎 " (file.name) }
        }
    }
}

/// Who recorded an event: the API names them to auditors only.
fn actor(lang: Lang, event: &Logged) -> Markup {
    let w = Words::of(lang);
    html! { @match &event.actor { Some(name) => (name), None => em.hidden-identity { (w.identity_hidden) } } }
}

/// The readings and assessments the page read, to find the one a standing names: of the
/// same set (or the set it restates), code and effective date, the latest recorded that was
/// not retracted.
struct Facts<'a> {
    sets: [&'a str; 2],
    events: Vec<&'a Logged>,
    retracted: HashSet<i64>,
}

impl<'a> Facts<'a> {
    fn new(standing: &'a Standing, data: &'a CommuneData) -> Self {
        let retracted = data
            .retracted
            .edges
            .iter()
            .filter_map(|e| e.node.details.as_ref()?.retracted_version)
            .collect();
        Facts {
            sets: [standing.set.as_str(), standing.graded_by.as_str()],
            events: data.evidence.edges.iter().map(|e| &e.node).collect(),
            retracted,
        }
    }

    /// Newest first: the first match is the latest recorded.
    fn find(
        &self,
        on: NaiveDate,
        matches: impl Fn(&super::commune_log_data::Details) -> bool,
    ) -> Option<&'a Logged> {
        self.events.iter().copied().find(|e| {
            e.effective_on == Some(on)
                && !self.retracted.contains(&e.version)
                && e.details.as_ref().is_some_and(|d| {
                    d.set.as_deref().is_some_and(|s| self.sets.contains(&s)) && matches(d)
                })
        })
    }

    fn reading(&self, indicator: &str, on: NaiveDate) -> Option<&'a Logged> {
        self.find(on, |d| d.indicator.as_deref() == Some(indicator))
    }

    fn assessment(
        &self,
        criterion: &str,
        on: NaiveDate,
        level: Option<&str>,
    ) -> Option<&'a Logged> {
        self.find(on, |d| {
            d.criterion.as_deref() == Some(criterion) && d.level.as_deref() == level
        })
    }
}
