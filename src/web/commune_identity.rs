//! A commune page's first sections: its names, kinds, codes and parents over time, its
//! lineage with the legal acts, its recognised status on the date, and its decisions.

use chrono::NaiveDate;
use maud::{html, Markup};

use super::commune::last_day;
use super::commune_data::{Held, Link, SetTitle, Unit};
use super::commune_enums::{relation, risk};
use super::commune_log_data::{Events, Logged};
use super::commune_words::Words;
use super::event_names::event_name as event_type;
use super::format;
use super::levels::level_name;
use super::overview::unit_path;
use super::overview_data::Named;
use super::page::Page;

/// A link to `unit`'s page as it was on `on`.
pub fn dated_link(page: &Page, unit: &Named, on: NaiveDate) -> Markup {
    let dated = Page {
        on,
        dated: true,
        ..page.clone()
    };
    let href = dated.href(&unit_path(&unit.id, unit.kind.as_deref()), &[]);
    html! {
        a href=(href) { (unit.name.as_deref().unwrap_or("–")) }
        @if let Some(code) = &unit.code { " " span.code { "(" (code) ")" } }
    }
}

/// Names, kinds, codes and parents with their periods, and the lineage.
pub fn identity_section(page: &Page, unit: &Unit, parents: &[Option<Named>]) -> Markup {
    let w = Words::of(page.lang);
    let lang = page.lang;
    let common = page.words();
    let parent_named = |id: &str| parents.iter().flatten().find(|p| p.id == id);
    html! {
        dl.facts #don-vi {
            dt { (w.kind) } dd { (common.kind(unit.kind.as_deref().unwrap_or(""))) }
            dt { (w.code) } dd { (unit.code.as_deref().unwrap_or("–")) }
            @if let Some(parent) = &unit.parent {
                dt { (w.parent) } dd { (dated_link(page, parent, page.on)) }
            }
            @if let Some(on) = unit.established_on { dt { (w.established) } dd { (format::date(lang, on)) } }
            @if let Some(on) = unit.ended_on { dt { (w.ended) } dd { (format::date(lang, on)) } }
        }
        section aria-labelledby="thoi-ky" {
            h2 #thoi-ky { (w.identity) }
            div.scroll { table #periods {
                thead { tr {
                    th scope="col" { (w.from) } th scope="col" { (w.until) } th scope="col" { (w.name) }
                    th scope="col" { (w.code) } th scope="col" { (w.kind) } th scope="col" { (w.parent) }
                } }
                tbody { @for period in &unit.periods {
                    @let last = period.valid_to.map(last_day).unwrap_or(page.today).min(page.today);
                    @let current = period.valid_from <= page.on && period.valid_to.is_none_or(|to| page.on < to);
                    tr aria-current=[current.then_some("date")] {
                        th scope="row" { (format::date(lang, period.valid_from)) }
                        td { @if let Some(to) = period.valid_to { (format::date(lang, to)) } @else { (w.lasting) } }
                        td { (period.name.as_deref().unwrap_or("–")) }
                        td { (period.code.as_deref().unwrap_or("–")) }
                        td { (common.kind(period.kind.as_deref().unwrap_or(""))) }
                        td { @if let Some(parent) = period.parent_id.as_deref().and_then(parent_named) {
                            (dated_link(page, parent, last))
                        } @else { "–" } }
                    }
                } }
            } }
        }
        section aria-labelledby="sap-nhap" {
            h2 #sap-nhap { (w.lineage) }
            @if unit.predecessors.is_empty() && unit.successors.is_empty() {
                p { (w.no_lineage) }
            } @else {
                div.scroll { table #lineage {
                    thead { tr {
                        th scope="col" { (w.relation) } th scope="col" { (w.unit) }
                        th scope="col" { (w.effective) } th scope="col" { (w.legal_act) }
                    } }
                    tbody {
                        @for link in &unit.predecessors { (lineage_row(page, link, false)) }
                        @for link in &unit.successors { (lineage_row(page, link, true)) }
                    }
                } }
            }
        }
    }
}

/// One edge: a successor is shown on the day it took over, a predecessor on its last day.
fn lineage_row(page: &Page, link: &Link, successor: bool) -> Markup {
    let on = if successor {
        link.effective_on
    } else {
        last_day(link.effective_on)
    };
    html! {
        tr data-relation=(link.kind) {
            th scope="row" { (relation(page.lang, &link.kind, successor)) }
            td { @if let Some(other) = &link.locality { (dated_link(page, other, on)) } @else { "–" } }
            td { (format::date(page.lang, link.effective_on)) }
            td { (link.legal_act.as_deref().unwrap_or("–")) }
        }
    }
}

/// The recognised status on the date and the set grading it.
pub fn status_section(
    page: &Page,
    unit: &Unit,
    graded: bool,
    exists: bool,
    sets: &[SetTitle],
) -> Markup {
    let w = Words::of(page.lang);
    let lang = page.lang;
    let recognised = unit.recognised.as_ref();
    let set = unit.standing.as_ref().map(|s| s.graded_by.as_str());
    let title = set.and_then(|code| sets.iter().find(|s| s.code == code));
    html! {
        section aria-labelledby="tinh-trang" {
            h2 #tinh-trang { (w.status_on) " " (format::date(lang, page.on)) }
            @if !exists {
                p #not-existing role="note" { (w.not_existing) " "
                    @if let Some(ended) = unit.ended_on.filter(|e| page.on >= *e) {
                        a href=(Page { on: last_day(ended), dated: true, ..page.clone() }.href(&format!("/xa/{}", unit.id), &[])) { (w.last_day) }
                    }
                }
            }
            dl.facts #status {
                dt { (w.graded_by) }
                dd #graded-by data-set=(set.unwrap_or("")) {
                    @if let (true, Some(code)) = (graded, set) {
                        strong { (code) }
                        @if let Some(t) = title { " — " (lang.pick(&t.title_vi, &t.title_en)) @if let Some(act) = &t.legal_act { " (" (act) ")" } }
                    } @else { (w.no_set) }
                }
                dt { (w.recognition) }
                dd #recognition { @match recognised.and_then(|r| r.recognition.as_ref()) {
                    Some(held) => (held_text(page, held)),
                    None => (w.not_recognised),
                } }
                @if let Some(at_risk) = recognised.and_then(|r| r.at_risk.as_deref()) {
                    dt { (w.at_risk) } dd #at-risk data-risk=(at_risk) { (risk(lang, at_risk)) }
                }
                @if let Some(pending) = recognised.map(|r| r.pending_acknowledgement).filter(|p| *p > 0) {
                    dt { (w.pending) } dd #pending { (format::count(lang, pending)) }
                }
                @if let (true, Some(s)) = (exists, &unit.standing) {
                    dt { (w.criteria_met) }
                    dd #criteria-met data-met=(s.criteria_met) data-total=(s.criteria_total) {
                        (s.criteria_met) " / " (s.criteria_total)
                    }
                    @if let Some(level) = &s.level_reached { dt { (w.level_reached) } dd { (level_name(lang, level)) } }
                    dt { (w.enrolled) } dd { (page.lang.pick(if s.enrolled { "Có" } else { "Không" }, if s.enrolled { "Yes" } else { "No" })) }
                }
            }
        }
    }
}

fn held_text(page: &Page, held: &Held) -> Markup {
    let lang = page.lang;
    let w = Words::of(lang);
    html! {
        strong { (level_name(lang, &held.level)) } " — "
        span.decision data-decision=(held.decision) { (held.decision) }
        " (" (format::date(lang, held.recognised_on)) ", " (w.standard_year) " " (held.standard_year)
        @if let Some(batch) = &held.batch { ", " (batch) } ", " (held.set) ")"
        @if let Some(why) = &held.override_reason { " — " em { (why) } }
    }
}

/// Recognitions, revocations and acknowledgements effective by the date.
pub fn decisions_section(page: &Page, decisions: &Events) -> Markup {
    let w = Words::of(page.lang);
    let lang = page.lang;
    html! {
        section aria-labelledby="quyet-dinh" {
            h2 #quyet-dinh { (w.decisions) }
            @if decisions.edges.is_empty() {
                p { (w.no_decisions) }
            } @else {
                div.scroll { table #decisions {
                    thead { tr {
                        th scope="col" { (w.decision) } th scope="col" { (w.event) } th scope="col" { (w.effective) }
                        th scope="col" { (w.level) } th scope="col" { (w.set) } th scope="col" { (w.details) }
                    } }
                    tbody { @for edge in &decisions.edges {
                        @let event = &edge.node;
                        @if let Some(d) = event.details.as_ref().filter(|d| !d.pending.is_empty()) {
                            @for held in &d.pending {
                                tr data-type="PENDING" {
                                    th scope="row" .decision { (held.decision) }
                                    td { (w.pending_from) " (" (event_type(lang, &event.event_type)) ", " (d.act.as_deref().unwrap_or("")) ")" }
                                    td { @if let Some(on) = event.effective_on { (format::date(lang, on)) } }
                                    td { (level_name(lang, &held.level)) }
                                    td { (held.set) }
                                    td { (w.standard_year) " " (held.standard_year) }
                                }
                            }
                        } @else if event.event_type != "LOCALITIES_MERGED" { (decision_row(page, event)) }
                    } }
                } }
            }
        }
    }
}

fn decision_row(page: &Page, event: &Logged) -> Markup {
    let lang = page.lang;
    let w = Words::of(lang);
    let d = event.details.as_ref();
    html! {
        tr data-type=(event.event_type) {
            th scope="row" .decision { (d.and_then(|d| d.decision.as_deref()).unwrap_or("–")) }
            td { (event_type(lang, &event.event_type)) }
            td { @if let Some(on) = event.effective_on { (format::date(lang, on)) } }
            td { @if let Some(level) = d.and_then(|d| d.level.as_deref()) { (level_name(lang, level)) } }
            td { (d.and_then(|d| d.set.as_deref()).unwrap_or("")) }
            td { @if let Some(d) = d {
                @if let Some(year) = d.standard_year { (w.standard_year) " " (year) }
                @if let Some(revoked) = &d.revoked { (lang.pick("thu hồi ", "revokes ")) (revoked) }
                @if let Some(reason) = &d.reason { " — " (reason) }
                @if !d.acknowledges.is_empty() { (lang.pick("thừa nhận ", "acknowledges ")) (d.acknowledges.join(", ")) }
            } }
        }
    }
}
