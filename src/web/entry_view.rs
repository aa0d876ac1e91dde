//! The data-entry page as HTML: the set chosen, the enrolment form, one form per criterion
//! (its indicators typed by kind with unit, target and latest reading; its assessment) and
//! the council's vote; a refused form keeps what was typed, each refusal beside its field.

use maud::{html, Markup};

use super::entry::{entry_path, Shown};
use super::entry_data::{
    Commune, CriterionDefinition, EntryData, IndicatorDefinition, SetDefinition,
};
use super::form_files::FILES;
use super::form_gate::{form_alerts, hidden, select_field, text_field, Values};
use super::form_refusal::{alert, beside, Refused};
use super::form_words::FormWords;
use super::format;
use super::levels::level_name;
use super::page::Page;
use super::words::Lang;
use crate::auth::Right;

/// A form as it was posted, to show again with its refusals.
pub struct Posted {
    /// Which form: `enrol`, `criterion:<code>` or `vote`.
    pub form: String,
    pub values: Values,
}

impl Posted {
    pub fn new(form: &str, values: Values) -> Self {
        Posted {
            form: form.to_owned(),
            values,
        }
    }
}

/// One form's view: what was posted to it and its refusals, if it is the one posted.
struct Filled<'a> {
    values: Option<&'a Values>,
    refusals: &'a [Refused],
    today: String,
}

impl<'a> Filled<'a> {
    fn of(shown: &'a Shown<'a>, form: &str, page: &Page) -> Self {
        let mine = shown.posted.filter(|p| p.form == form);
        Filled {
            values: mine.map(|p| &p.values),
            refusals: if mine.is_some() { shown.refusals } else { &[] },
            today: format::date(page.lang, page.today),
        }
    }

    /// The posted value of `name`, else `default`.
    fn value(&self, name: &str, default: &str) -> String {
        self.values
            .and_then(|v| v.get(name))
            .map_or_else(|| default.to_owned(), Clone::clone)
    }
}

/// An id for `text` (codes hold dots and dashes).
fn id_of(prefix: &str, text: &str) -> String {
    let safe: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{prefix}-{safe}")
}

pub fn entry_page(page: &Page, key: &str, data: &EntryData, shown: &Shown<'_>) -> Markup {
    let f = FormWords::of(page.lang);
    let Some(commune) = &data.locality else {
        return html! {};
    };
    let enrolled = commune.enrolled();
    html! {
        @if let Some(position) = shown.saved {
            p.saved #da-luu role="status" data-position=(position) { (f.saved_at) " #" (position) }
        }
        p { a href=(page.href(&format!("/xa/{key}"), &[])) { "← " (commune.name.as_deref().unwrap_or(&commune.id)) } }
        @if enrolled.is_empty() {
            p.notice { (f.not_enrolled) }
        } @else {
            form.choose-set method="get" action=(entry_path(key)) {
                label for="chon-bo" { (f.set) }
                select #chon-bo name="bo" {
                    @for set in &enrolled {
                        option value=(set) selected[data.criteria_set.as_ref().is_some_and(|s| s.code == *set)] { (set) }
                    }
                }
                @if page.lang == Lang::En { input type="hidden" name="lang" value="en"; }
                button type="submit" { (f.choose_set) }
            }
        }
        @if let Some(set) = &data.criteria_set {
            @for criterion in set.criteria.iter().chain(&set.conditions) {
                (criterion_form(page, key, commune, set, criterion, shown))
            }
            @if page.person.as_ref().is_some_and(|p| p.role().grants(Right::Approve)) {
                (vote_form(page, key, commune, set, shown))
            }
        }
        (enrol_form(page, key, data, commune, shown))
    }
}

fn criterion_form(
    page: &Page,
    key: &str,
    commune: &Commune,
    set: &SetDefinition,
    criterion: &CriterionDefinition,
    shown: &Shown<'_>,
) -> Markup {
    let f = FormWords::of(page.lang);
    let filled = Filled::of(shown, &format!("criterion:{}", criterion.code), page);
    let form_id = id_of("tc", &criterion.code);
    let listed: Vec<String> = criterion
        .indicators
        .iter()
        .map(|i| format!("{}:{}", i.code, i.kind))
        .collect();
    let mut fields: Vec<String> = vec!["ngay".into(), "ket-qua".into(), "cap".into()];
    for i in &criterion.indicators {
        for prefix in ["gt", "ngay", "vb", "gc"] {
            fields.push(format!("{prefix}:{}", i.code));
        }
    }
    let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
    let levels = [
        (
            "COMMUNE_SELF_ASSESSMENT",
            page.lang.pick("Xã tự đánh giá", "Commune self-assessment"),
        ),
        (
            "DISTRICT_APPRAISAL",
            page.lang.pick("Thẩm định cấp huyện", "District appraisal"),
        ),
        (
            "PROVINCIAL_COUNCIL",
            page.lang
                .pick("Hội đồng thẩm định cấp tỉnh", "Provincial council"),
        ),
    ]
    .map(|(v, t)| (v, t.to_owned()));
    let outcomes = [
        ("", f.no_assessment),
        ("dat", f.met),
        ("khong-dat", f.not_met),
    ]
    .map(|(v, t)| (v, t.to_owned()));
    html! {
        section.criterion-entry {
            h2 { (criterion.code) ". " (page.lang.pick(&criterion.name_vi, &criterion.name_en)) }
            form.entry id=(form_id) method="post" enctype="multipart/form-data" action=(format!("{}/tieu-chi", entry_path(key))) {
                (hidden(page))
                input type="hidden" name="don-vi" value=(commune.id);
                input type="hidden" name="bo" value=(set.code);
                input type="hidden" name="tieu-chi" value=(criterion.code);
                input type="hidden" name="chi-tieu" value=(listed.join(","));
                (form_alerts(filled.refusals, &fields))
                (text_field(&format!("{form_id}-ngay"), "ngay", f.effective_on, &filled.value("ngay", &filled.today), filled.refusals, html! {}))
                @if !criterion.indicators.is_empty() {
                    table.indicators {
                        thead { tr {
                            th { (f.indicator) } th { (f.target) } th { (f.latest) } th { (f.value) }
                            th { (f.effective_on) } th { (f.document) } th { (f.note) }
                        } }
                        tbody {
                            @for indicator in &criterion.indicators {
                                (indicator_row(page, commune, indicator, &filled))
                            }
                        }
                    }
                }
                fieldset.assessment {
                    legend { (f.assessment) }
                    (select_field(&format!("{form_id}-ket-qua"), "ket-qua", f.assessment, &outcomes, &filled.value("ket-qua", ""), filled.refusals))
                    (select_field(&format!("{form_id}-cap"), "cap", f.assessment_level, &levels, &filled.value("cap", "COMMUNE_SELF_ASSESSMENT"), filled.refusals))
                    (text_field(&format!("{form_id}-vb"), "vb-danh-gia", f.document, &filled.value("vb-danh-gia", ""), filled.refusals, html! {}))
                    (text_field(&format!("{form_id}-gc"), "gc-danh-gia", f.note, &filled.value("gc-danh-gia", ""), filled.refusals, html! {}))
                }
                (files_field(&format!("{form_id}-tep"), f, filled.refusals))
                button type="submit" { (f.save_criterion) }
            }
        }
    }
}

/// The files to attach; a browser cannot keep them in a refused form, so they are chosen again.
fn files_field(id: &str, f: &FormWords, refusals: &[Refused]) -> Markup {
    let error = beside(refusals, FILES, None);
    html! {
        div.field {
            label for=(id) { (f.attachments) }
            input type="file" id=(id) name=(FILES) multiple
                aria-describedby=[error.map(|_| format!("{id}-error"))];
            small.hint { (f.attachments_hint) }
            (alert(id, error))
        }
    }
}

fn indicator_row(
    page: &Page,
    commune: &Commune,
    indicator: &IndicatorDefinition,
    filled: &Filled<'_>,
) -> Markup {
    let f = FormWords::of(page.lang);
    let standing = commune.indicator(&indicator.code);
    let target = standing
        .and_then(|s| s.target.as_ref())
        .map(|t| t.text.as_str());
    let cell = |prefix: &str, label: &str, hint: Option<&str>| {
        let name = format!("{prefix}:{}", indicator.code);
        let id = id_of(prefix, &indicator.code);
        let error = beside(filled.refusals, &name, None);
        html! {
            td {
                label.visually-hidden for=(id) { (label) " " (indicator.code) }
                input id=(id) type="text" name=(name) value=(filled.value(&name, ""))
                    placeholder=[hint] size="10"
                    inputmode=[(prefix == "gt").then_some("decimal")]
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=[error.map(|_| format!("{id}-error"))];
                (alert(&id, error))
            }
        }
    };
    let value_name = format!("gt:{}", indicator.code);
    let value_id = id_of("gt", &indicator.code);
    let value_error = beside(filled.refusals, &value_name, None);
    let chosen = filled.value(&value_name, "");
    html! {
        tr data-indicator=(indicator.code) data-kind=(indicator.kind) {
            th scope="row" { (indicator.code) " " (page.lang.pick(&indicator.name_vi, &indicator.name_en)) }
            td { (indicator.comparator) " " (target.unwrap_or("?")) " " (indicator.unit) }
            td.latest {
                @if let Some(s) = standing {
                    @if let Some(reading) = &s.reading { (reading.text) }
                    @if let Some(on) = s.read_on { " (" (format::date(page.lang, on)) ")" }
                }
            }
            @if indicator.kind == "BOOLEAN" {
                td {
                    label.visually-hidden for=(value_id) { (f.value) " " (indicator.code) }
                    select id=(value_id) name=(value_name) aria-invalid=[value_error.map(|_| "true")] {
                        option value="" selected[chosen.is_empty()] { "—" }
                        option value="co" selected[chosen == "co"] { (f.yes) }
                        option value="khong" selected[chosen == "khong"] { (f.no) }
                    }
                    (alert(&value_id, value_error))
                }
            } @else {
                (cell("gt", f.value, Some(&indicator.unit)))
            }
            (cell("ngay", f.effective_on, Some(f.effective_hint)))
            (cell("vb", f.document, None))
            (cell("gc", f.note, None))
        }
    }
}

fn vote_form(
    page: &Page,
    key: &str,
    commune: &Commune,
    set: &SetDefinition,
    shown: &Shown<'_>,
) -> Markup {
    let f = FormWords::of(page.lang);
    let filled = Filled::of(shown, "vote", page);
    let levels: Vec<(&str, String)> = super::decision_view::LEVELS
        .iter()
        .map(|l| (*l, level_name(page.lang, l)))
        .collect();
    let fields = [
        "ngay-bo-phieu",
        "tan-thanh",
        "muc",
        "vb-bo-phieu",
        "gc-bo-phieu",
    ];
    html! {
        section.vote-entry {
            h2 { (f.vote) }
            form.entry #bo-phieu method="post" action=(format!("{}/bo-phieu", entry_path(key))) {
                (hidden(page))
                input type="hidden" name="don-vi" value=(commune.id);
                input type="hidden" name="bo" value=(set.code);
                (form_alerts(filled.refusals, &fields))
                (select_field("bo-phieu-muc", "muc", f.level, &levels, &filled.value("muc", &set.level), filled.refusals))
                (text_field("bo-phieu-ngay", "ngay-bo-phieu", f.effective_on, &filled.value("ngay-bo-phieu", &filled.today), filled.refusals, html! {}))
                (text_field("bo-phieu-tan-thanh", "tan-thanh", f.in_favour, &filled.value("tan-thanh", ""), filled.refusals, html! {}))
                (text_field("bo-phieu-vb", "vb-bo-phieu", f.document, &filled.value("vb-bo-phieu", ""), filled.refusals, html! {}))
                (text_field("bo-phieu-gc", "gc-bo-phieu", f.note, &filled.value("gc-bo-phieu", ""), filled.refusals, html! {}))
                button type="submit" { (f.save_vote) }
            }
        }
    }
}

fn enrol_form(
    page: &Page,
    key: &str,
    data: &EntryData,
    commune: &Commune,
    shown: &Shown<'_>,
) -> Markup {
    let f = FormWords::of(page.lang);
    let filled = Filled::of(shown, "enrol", page);
    let kind = commune.kind.as_deref().unwrap_or_default();
    let sets: Vec<(&str, String)> = data
        .criteria_sets
        .iter()
        .filter(|s| s.applies_to.iter().any(|k| k == kind))
        .map(|s| {
            (
                s.code.as_str(),
                format!("{} · {}", s.code, page.lang.pick(&s.title_vi, &s.title_en)),
            )
        })
        .collect();
    let fields = ["bo", "nam", "ngay", "van-ban"];
    html! {
        section.enrol-entry {
            h2 { (f.enrol) }
            form.entry #dang-ky method="post" action=(format!("{}/dang-ky", entry_path(key))) {
                (hidden(page))
                input type="hidden" name="don-vi" value=(commune.id);
                (form_alerts(filled.refusals, &fields))
                (select_field("dang-ky-bo", "bo", f.set, &sets, &filled.value("bo", ""), filled.refusals))
                (text_field("dang-ky-nam", "nam", f.target_year, &filled.value("nam", ""), filled.refusals, html! {}))
                (text_field("dang-ky-ngay", "ngay", f.effective_on, &filled.value("ngay", &filled.today), filled.refusals, html! {}))
                (text_field("dang-ky-van-ban", "van-ban", f.legal_act, &filled.value("van-ban", ""), filled.refusals, html! {}))
                button type="submit" { (f.enrol) }
            }
        }
    }
}
