//! Line charts drawn on the server as SVG: no script, no fetch, readable without colour (each
//! line has its own dash and marker, and the figures are also given as a table).

use chrono::{Datelike, NaiveDate};
use maud::{html, Markup};

use super::format;
use super::words::Lang;

/// One line of a chart: its name and a value per point (none: no figure then).
pub struct Line<'a> {
    pub name: &'a str,
    pub values: Vec<Option<f64>>,
}

/// A chart over labelled points (years), with an optional marked point (the 2025
/// reorganisation) and the top of the y axis.
pub struct Chart<'a> {
    pub title: &'a str,
    pub labels: Vec<String>,
    pub lines: Vec<Line<'a>>,
    pub y_max: f64,
    /// (index of the point, its label): a dashed vertical rule before that point.
    pub marker: Option<(usize, &'a str)>,
    /// How a value is written in the table and the points' titles.
    pub format: &'a dyn Fn(f64) -> String,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 36.0;
/// Dash patterns and marker shapes, one per line, so that lines differ without colour.
const DASHES: [&str; 4] = ["", "6 4", "2 3", "10 3 2 3"];
const CLASSES: [&str; 4] = ["s0", "s1", "s2", "s3"];

/// The chart as a figure: the SVG, its legend and the figures as a table.
pub fn line_chart(chart: &Chart<'_>) -> Markup {
    let n = chart.labels.len().max(1);
    let step = (WIDTH - LEFT - RIGHT) / (n.saturating_sub(1).max(1)) as f64;
    let x = |i: usize| LEFT + step * i as f64;
    let y_max = if chart.y_max > 0.0 { chart.y_max } else { 1.0 };
    let y = |v: f64| TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - (v / y_max).clamp(0.0, 1.0));
    let ticks: Vec<f64> = (0..=4).map(|k| y_max * k as f64 / 4.0).collect();
    let label_every = n.div_ceil(12).max(1);
    html! {
        figure.chart {
            figcaption { (chart.title) }
            svg viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-label=(chart.title) {
                @for t in &ticks {
                    line.grid x1=(LEFT) x2=(WIDTH - RIGHT) y1=(y(*t)) y2=(y(*t)) {}
                    text.axis x=(LEFT - 6.0) y=(y(*t) + 4.0) text-anchor="end" { ((chart.format)(*t)) }
                }
                @for (i, label) in chart.labels.iter().enumerate() {
                    @if i.is_multiple_of(label_every) || i + 1 == n {
                        text.axis x=(x(i)) y=(HEIGHT - 12.0) text-anchor="middle" { (label) }
                    }
                }
                @if let Some((at, name)) = chart.marker {
                    @let mx = x(at) - step / 2.0;
                    line.marker x1=(mx) x2=(mx) y1=(TOP) y2=(HEIGHT - BOTTOM) {}
                    text.marker x=(mx + 4.0) y=(TOP + 10.0) { (name) }
                }
                @for (k, line) in chart.lines.iter().enumerate() {
                    path class=(CLASSES[k % 4]) stroke-dasharray=(DASHES[k % 4]) fill="none"
                        d=(path(&line.values, &x, &y)) {}
                    @for (i, v) in line.values.iter().enumerate() {
                        @if let Some(v) = v {
                            circle class=(CLASSES[k % 4]) cx=(x(i)) cy=(y(*v)) r="3" {
                                title { (line.name) " " (chart.labels[i]) ": " ((chart.format)(*v)) }
                            }
                        }
                    }
                }
            }
            ul.legend {
                @for (k, line) in chart.lines.iter().enumerate() {
                    li {
                        svg width="28" height="10" aria-hidden="true" {
                            line class=(CLASSES[k % 4]) stroke-dasharray=(DASHES[k % 4]) x1="0" x2="28" y1="5" y2="5" {}
                        }
                        " " (line.name)
                    }
                }
            }
            details {
                summary { (chart.title) }
                div.scroll {
                    table {
                        thead { tr { th {} @for l in &chart.labels { th scope="col" { (l) } } } }
                        tbody {
                            @for line in &chart.lines {
                                tr {
                                    th scope="row" { (line.name) }
                                    @for v in &line.values {
                                        td.num { @if let Some(v) = v { ((chart.format)(*v)) } @else { "–" } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A point's label: its year when it is a year's last day, else its date.
pub fn year_label(lang: Lang, on: NaiveDate) -> String {
    if on.month() == 12 && on.day() == 31 {
        on.year().to_string()
    } else {
        format::date(lang, on)
    }
}

/// The marker of the July 2025 reorganisation (1/7/2025) before the first point on or after
/// it, when points come before it too.
pub fn reorganisation(
    dates: impl Iterator<Item = NaiveDate>,
    label: &str,
) -> Option<(usize, &str)> {
    let day = NaiveDate::from_ymd_opt(2025, 7, 1)?;
    let mut dates = dates;
    dates
        .position(|on| on >= day)
        .filter(|i| *i > 0)
        .map(|i| (i, label))
}

/// The SVG path through the points that have a value; a gap starts a new segment.
fn path(values: &[Option<f64>], x: &dyn Fn(usize) -> f64, y: &dyn Fn(f64) -> f64) -> String {
    let mut d = String::new();
    let mut pen_down = false;
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => {
                let command = if pen_down { 'L' } else { 'M' };
                d.push_str(&format!("{command}{:.1},{:.1} ", x(i), y(*v)));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    d.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reorganisation_is_marked_before_the_first_point_after_it() {
        let days = |ds: &[&str]| -> Vec<NaiveDate> {
            ds.iter().map(|d| d.parse().expect("a date")).collect()
        };
        let years = days(&["2024-12-31", "2025-12-31"]);
        assert_eq!(reorganisation(years.into_iter(), "x"), Some((1, "x")));
        let after = days(&["2025-12-31", "2026-12-31"]);
        assert_eq!(reorganisation(after.into_iter(), "x"), None);
        assert_eq!(year_label(Lang::Vi, days(&["2025-06-30"])[0]), "30/06/2025");
        assert_eq!(year_label(Lang::Vi, days(&["2025-12-31"])[0]), "2025");
    }

    #[test]
    fn a_gap_in_the_values_starts_a_new_segment() {
        let x = |i: usize| i as f64 * 10.0;
        let y = |v: f64| v;
        let d = path(&[Some(1.0), Some(2.0), None, Some(4.0)], &x, &y);
        assert_eq!(d, "M0.0,1.0 L10.0,2.0 M30.0,4.0");
    }
}
