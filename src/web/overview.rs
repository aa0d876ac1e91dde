//! The overview of a province or district on a date: its units by recognised level, the
//! programme's bands, averages, risks, a row per child unit (sortable) and the same figures
//! per year since 2016, across the 2025 reorganisation.

use maud::{html, Markup};

use super::chart::{line_chart, reorganisation, year_label, Chart, Line};
use super::format;
use super::levels::level_name;
use super::overview_data::{Figures, Named, Unit, SHOWN_LEVELS};
use super::page::Page;

struct Words {
    units: &'static str,
    share: &'static str,
    average: &'static str,
    at_risk: &'static str,
    pending: &'static str,
    with_data: &'static str,
    set: &'static str,
    bands: &'static str,
    band: &'static str,
    criteria: &'static str,
    below: &'static str,
    children: &'static str,
    unit: &'static str,
    per_year: &'static str,
    average_per_year: &'static str,
    reorganisation: &'static str,
    heat_map: &'static str,
    reports: &'static str,
    parent: &'static str,
    sort_by: &'static str,
}

const VI: Words = Words {
    units: "Số đơn vị",
    share: "Tỷ lệ",
    average: "Bình quân tiêu chí đạt/xã",
    at_risk: "Có nguy cơ bị thu hồi",
    pending: "Sáp nhập, chờ thừa nhận",
    with_data: "Có số liệu",
    set: "Bộ tiêu chí",
    bands: "Số xã theo số tiêu chí đạt",
    band: "Nhóm",
    criteria: "tiêu chí",
    below: "Dưới",
    children: "Các đơn vị trực thuộc",
    unit: "Đơn vị",
    per_year: "Tỷ lệ đơn vị đạt chuẩn cuối mỗi năm (%)",
    average_per_year: "Bình quân tiêu chí đạt/xã cuối mỗi năm",
    reorganisation: "Sắp xếp ĐVHC 01/07/2025",
    heat_map: "Bảng tiêu chí của từng xã",
    reports: "Báo cáo gửi cấp trên",
    parent: "Trực thuộc",
    sort_by: "Sắp xếp theo",
};

const EN: Words = Words {
    units: "Units",
    share: "Share",
    average: "Average criteria met per commune",
    at_risk: "At risk of revocation",
    pending: "Merged, awaiting acknowledgement",
    with_data: "With data",
    set: "Criteria set",
    bands: "Communes by criteria met",
    band: "Band",
    criteria: "criteria",
    below: "Under",
    children: "Units under it",
    unit: "Unit",
    per_year: "Share of units recognised at the end of each year (%)",
    average_per_year: "Average criteria met per commune at the end of each year",
    reorganisation: "Reorganisation 1 Jul 2025",
    heat_map: "Criteria of each commune",
    reports: "Reports to send upward",
    parent: "Part of",
    sort_by: "Sort by",
};

/// The overview's content (inside the frame).
pub fn overview(page: &Page, unit: &Unit, order: &str, descending: bool) -> Markup {
    let w = page.lang.pick(&VI, &EN);
    let lang = page.lang;
    let s = &unit.summary;
    html! {
        @if let Some(parent) = &unit.parent {
            p { (w.parent) ": " (unit_link(page, parent)) }
        }
        p {
            (w.set) ": " strong { (s.set.as_deref().unwrap_or("–")) }
            " · " a href=(page.href(&format!("/don-vi/{}/bang-tieu-chi", unit.id), &[])) { (w.heat_map) }
            @if let Some(code) = &unit.code {
                " · " a href=(page.href("/bao-cao", &[("don-vi", code)])) { (w.reports) }
            }
        }
        section aria-labelledby="so-lieu" {
            h2 #so-lieu .visually-hidden { (w.units) }
            dl.cards {
                (card("units", w.units, format::count(lang, s.units), None))
                (card("with-data", w.with_data, format::count(lang, s.units_with_data), None))
                @for level in SHOWN_LEVELS {
                    @let (units, percent) = s.level(level);
                    (card(level, &level_name(lang, level), format::count(lang, units), Some(format::percent(lang, percent))))
                }
                (card("unrecognised", page.words().unrecognised, format::count(lang, s.unrecognised), None))
                (card("average", w.average, format::decimal(lang, s.average_criteria_met, 1), None))
                (card("at-risk", w.at_risk, format::count(lang, s.at_risk), None))
                (card("pending", w.pending, format::count(lang, s.pending_acknowledgement), None))
            }
        }
        @if !s.bands.is_empty() { (bands(page, w, s)) }
        (children(page, w, s, order, descending))
        (series_charts(page, w, &unit.summary_series))
    }
}

fn card(key: &str, label: &str, value: String, share: Option<String>) -> Markup {
    html! {
        div.card data-figure=(key) {
            dt { (label) }
            dd { span.value { (value) } @if let Some(share) = share { " " span.share { (share) } } }
        }
    }
}

fn bands(page: &Page, w: &Words, s: &Figures) -> Markup {
    let lang = page.lang;
    html! {
        section aria-labelledby="nhom" {
            h2 #nhom { (w.bands) }
            table.bands {
                thead { tr { th scope="col" { (w.band) } th scope="col" { (w.units) } th scope="col" { (w.share) } } }
                tbody {
                    @for band in &s.bands {
                        tr data-band=(format!("{}-{}", band.from, band.to)) {
                            th scope="row" { (band_name(w, band.from, band.to)) }
                            td.num { (format::count(lang, band.units)) }
                            td.num { (format::percent(lang, band.percent)) }
                        }
                    }
                }
            }
        }
    }
}

fn band_name(w: &Words, from: i64, to: i64) -> String {
    if from == to {
        format!("{from} {}", w.criteria)
    } else if from == 0 {
        format!("{} {} {}", w.below, to + 1, w.criteria)
    } else {
        format!("{from}–{to} {}", w.criteria)
    }
}

fn children(page: &Page, w: &Words, s: &Figures, order: &str, descending: bool) -> Markup {
    let lang = page.lang;
    let sortable = |key: &str, label: &str| -> Markup {
        let active = key == order;
        let next_descending = if active {
            !descending
        } else {
            key != "NAME" && key != "CODE"
        };
        let href = page.href(
            "",
            &[
                ("xep", key),
                ("giam", if next_descending { "1" } else { "" }),
            ],
        );
        let sort = match (active, descending) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        };
        html! { th scope="col" aria-sort=(sort) { a href=(href) title=(format!("{} {label}", w.sort_by)) { (label) } } }
    };
    html! {
        section aria-labelledby="truc-thuoc" {
            h2 #truc-thuoc { (w.children) }
            div.scroll {
                table.children #children {
                    thead { tr {
                        (sortable("NAME", w.unit))
                        (sortable("UNITS", w.units))
                        (sortable("RECOGNISED_PERCENT", &level_name(lang, "NTM")))
                        th scope="col" { (level_name(lang, "NTM_NANG_CAO")) }
                        th scope="col" { (level_name(lang, "NTM_KIEU_MAU")) }
                        (sortable("AVERAGE_CRITERIA_MET", w.average))
                        (sortable("AT_RISK", w.at_risk))
                        th scope="col" { (w.pending) }
                    } }
                    tbody {
                        @for child in &s.children {
                            tr data-id=(child.locality.as_ref().map(|l| l.id.as_str()).unwrap_or("")) {
                                th scope="row" { @if let Some(l) = &child.locality { (unit_link(page, l)) } }
                                td.num { (format::count(lang, child.units)) }
                                @for level in SHOWN_LEVELS {
                                    @let (units, percent) = child.level(level);
                                    td.num data-level=(level) { (format::count(lang, units)) " (" (format::percent(lang, percent)) ")" }
                                }
                                td.num { (format::decimal(lang, child.average_criteria_met, 1)) }
                                td.num { (format::count(lang, child.at_risk)) }
                                td.num { (format::count(lang, child.pending_acknowledgement)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A link to a unit's page: the overview of a province or district, else the commune page.
pub fn unit_link(page: &Page, unit: &Named) -> Markup {
    let name = unit.name.as_deref().unwrap_or("–");
    html! {
        a href=(page.href(&unit_path(&unit.id, unit.kind.as_deref()), &[])) { (name) }
        @if let Some(code) = &unit.code { " " span.code { "(" (code) ")" } }
    }
}

/// The path of a unit's page by its kind.
pub fn unit_path(id: &str, kind: Option<&str>) -> String {
    match kind {
        Some("PROVINCE") | Some("DISTRICT") | None => format!("/don-vi/{id}"),
        Some(_) => format!("/xa/{id}"),
    }
}

fn series_charts(page: &Page, w: &Words, series: &[Figures]) -> Markup {
    let lang = page.lang;
    let labels: Vec<String> = series.iter().map(|f| year_label(lang, f.on)).collect();
    let marker = reorganisation(series.iter().map(|f| f.on), w.reorganisation);
    let names: Vec<String> = SHOWN_LEVELS.iter().map(|l| level_name(lang, l)).collect();
    let lines: Vec<Line<'_>> = SHOWN_LEVELS
        .iter()
        .zip(&names)
        .map(|(level, name)| Line {
            name,
            values: series.iter().map(|f| Some(f.level(level).1)).collect(),
        })
        .collect();
    let percent = |v: f64| format::decimal(lang, v, 1);
    let one = |v: f64| format::decimal(lang, v, 1);
    let top = series
        .iter()
        .map(|f| f.criteria_total)
        .max()
        .unwrap_or(19)
        .max(1) as f64;
    html! {
        section aria-labelledby="theo-nam" {
            h2 #theo-nam { (w.per_year) }
            (line_chart(&Chart { title: w.per_year, labels: labels.clone(), lines, y_max: 100.0, marker, format: &percent }))
            (line_chart(&Chart {
                title: w.average_per_year,
                labels,
                lines: vec![Line { name: w.average, values: series.iter().map(|f| Some(f.average_criteria_met)).collect() }],
                y_max: top,
                marker,
                format: &one,
            }))
        }
    }
}
