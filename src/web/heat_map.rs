//! `/don-vi/{key}/bang-tieu-chi`: the communes of a district or province × the criteria of
//! the set grading them on the date; each cell a letter and a colour (met, not met, no data;
//! `≠` where the official assessment differs from the readings), a link to the commune's
//! criterion, with the units meeting each criterion below.

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup};
use serde_json::json;

use super::failure::{failure_page, Failure};
use super::format;
use super::heat_map_data::{
    Cell, Row, Rows, RowsData, Totals, UnitData, ROWS, ROWS_PER_PAGE, UNIT,
};
use super::layout::{frame, Frame};
use super::overview::unit_link;
use super::page::{Page, Params};
use super::visitor::Visitor;
use super::words::Lang;
use super::{unit_key, with, Dashboard};

/// A status as a letter, a word and a class: never by colour alone.
fn status(lang: Lang, status: &str) -> (&'static str, &'static str, &'static str) {
    match status {
        "MET" => (lang.pick("Đ", "M"), lang.pick("Đạt", "Met"), "met"),
        "NOT_MET" => (
            lang.pick("C", "N"),
            lang.pick("Chưa đạt", "Not met"),
            "not-met",
        ),
        _ => ("?", lang.pick("Chưa có số liệu", "No data"), "unknown"),
    }
}

/// The heat map page.
pub async fn heat_map(
    State(dashboard): State<Dashboard>,
    Path(key): Path<String>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Response {
    let page = dashboard.page(&params, &visitor);
    let path = format!("/don-vi/{key}/bang-tieu-chi");
    if page.bad_date.is_some() {
        return failure_page(&page, &path, Failure::BadDate);
    }
    let on = page.on.to_string();
    let unit: UnitData = match dashboard
        .api
        .query(
            UNIT,
            with(unit_key(&key), json!({ "on": on })),
            page.actor(),
        )
        .await
    {
        Ok(data) => data,
        Err(error) => return failure_page(&page, &path, error.into()),
    };
    let Some(locality) = unit.locality else {
        return failure_page(&page, &path, Failure::NotFound);
    };
    let after = params.get("sau").cloned().unwrap_or_default();
    let rows = match &locality.summary.set {
        None => None,
        Some(set) => {
            let variables = json!({
                "within": locality.named.id, "on": on, "set": set, "first": ROWS_PER_PAGE,
                "standingOn": if page.dated { Some(&on) } else { None },
                "after": if after.is_empty() { None } else { Some(&after) },
            });
            match dashboard
                .api
                .query::<RowsData>(ROWS, variables, page.actor())
                .await
            {
                Ok(data) => Some(data.localities),
                Err(error) => return failure_page(&page, &path, error.into()),
            }
        }
    };
    let name = locality.named.name.clone().unwrap_or_else(|| key.clone());
    let title = format!(
        "{} · {name}",
        page.lang.pick("Bảng tiêu chí", "Criteria heat map")
    );
    let keep = [("sau", after.as_str())];
    let content = html! {
        p { (unit_link(&page, &locality.named)) " · "
            (page.lang.pick("Bộ tiêu chí", "Criteria set")) ": " strong { (locality.summary.set.as_deref().unwrap_or("–")) } }
        (key_to_cells(page.lang))
        @match &rows {
            Some(rows) => (table(&page, &locality.summary, rows)),
            None => p { (page.lang.pick("Không có bộ tiêu chí nào có hiệu lực vào ngày này.", "No criteria set is in force on this date.")) },
        }
    };
    let frame_of = Frame {
        page: &page,
        path: &path,
        keep: &keep,
        title: &title,
        head: Some(&unit.head),
    };
    Html(frame(&frame_of, content).into_string()).into_response()
}

fn key_to_cells(lang: Lang) -> Markup {
    html! {
        ul.key aria-label=(lang.pick("Chú giải", "Key")) {
            @for s in ["MET", "NOT_MET", "UNKNOWN"] {
                @let (letter, word, class) = status(lang, s);
                li { span class=(format!("status-{class}")) { strong { (letter) } } " = " (word) }
            }
            li { strong { "≠" } " = " (lang.pick("kết quả thẩm định khác kết quả tính từ số liệu", "official assessment differs from the readings")) }
        }
    }
}

fn table(page: &Page, totals: &Totals, rows: &Rows) -> Markup {
    let lang = page.lang;
    let criteria = &totals.criteria_passed;
    html! {
        p #row-count { (lang.pick("Số đơn vị", "Units")) ": " (format::count(lang, rows.total_count)) }
        div.scroll {
            table.heat #heat-map {
                thead { tr {
                    th scope="col" { (lang.pick("Đơn vị", "Unit")) }
                    @for c in criteria {
                        th scope="col" title=(lang.pick(&c.name_vi, &c.name_en)) { (c.criterion) }
                    }
                    th scope="col" { (lang.pick("Số tiêu chí đạt", "Criteria met")) }
                } }
                tbody {
                    @for edge in &rows.edges {
                        (row(page, criteria.iter().map(|c| c.criterion.as_str()), &edge.node))
                    }
                }
                tfoot { tr #totals {
                    th scope="row" { (lang.pick("Số đơn vị đạt", "Units meeting it")) }
                    @for c in criteria {
                        td.num data-criterion=(c.criterion) title=(format::percent(lang, c.percent)) { (format::count(lang, c.units)) }
                    }
                    td {}
                } }
            }
        }
        @if let Some(cursor) = rows.page_info.next() {
            p { a rel="next" href=(page.href("", &[("sau", cursor)])) { (lang.pick("Trang sau", "Next page")) " →" } }
        }
    }
}

fn row<'a>(page: &Page, codes: impl Iterator<Item = &'a str>, unit: &Row) -> Markup {
    let lang = page.lang;
    let commune = page.href(&format!("/xa/{}", unit.named.id), &[]);
    html! {
        tr data-id=(unit.named.id) {
            th scope="row" { (unit_link(page, &unit.named)) }
            @for code in codes {
                @match unit.standing.as_ref().and_then(|s| s.criteria.iter().find(|c| c.code == code)) {
                    Some(c) => (cell(lang, &commune, c)),
                    None => td.cell.unknown { "–" },
                }
            }
            td.num { @if let Some(s) = &unit.standing { (s.criteria_met) } }
        }
    }
}

fn cell(lang: Lang, commune: &str, c: &Cell) -> Markup {
    let (letter, word, class) = status(lang, &c.status);
    let class = if c.differs {
        format!("cell {class} differs")
    } else {
        format!("cell {class}")
    };
    let title = if c.differs {
        let official = c
            .official
            .as_deref()
            .map(|o| status(lang, o).1)
            .unwrap_or("");
        let computed = status(lang, &c.computed).1;
        format!(
            "{} {}: {word} ({official} ≠ {computed})",
            lang.pick("Tiêu chí", "Criterion"),
            c.code
        )
    } else {
        format!("{} {}: {word}", lang.pick("Tiêu chí", "Criterion"), c.code)
    };
    html! {
        td class=(class) data-status=(c.status) {
            a href=(format!("{commune}#tieu-chi-{}", c.code)) aria-label=(title) { (letter) }
        }
    }
}
