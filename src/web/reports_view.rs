//! The reports page's markup: the form (refusals beside their fields), the preview of the
//! report as its file lays it out, and the download form that issues it.

use maud::{html, Markup};

use super::page::{Page, Params};
use super::reports::{may_issue, DOWNLOAD, PATH};
use super::words::Lang;
use crate::report::{Cell, ReportKind, Table};

pub struct Words {
    pub title: &'static str,
    intro: &'static str,
    kind: &'static str,
    parent: &'static str,
    parent_hint: &'static str,
    on: &'static str,
    compare: &'static str,
    from: &'static str,
    from_hint: &'static str,
    preview: &'static str,
    format: &'static str,
    download: &'static str,
    issue_note: &'static str,
    sign_in_to_issue: &'static str,
    role_to_issue: &'static str,
    pub bad_kind: &'static str,
    pub bad_date: &'static str,
    pub bad_format: &'static str,
    pub not_allowed: &'static str,
    pub not_recorded: &'static str,
}

const VI: Words = Words {
    title: "Báo cáo",
    intro: "Báo cáo gửi cấp trên, lập từ chính số liệu của API vào ngày đã chọn. Xem trước trên trang; tải về là phát hành: mã SHA-256 của tệp được ghi vào nhật ký để sau này chứng minh đã gửi đúng tệp nào.",
    kind: "Loại báo cáo",
    parent: "Mã đơn vị",
    parent_hint: "Tỉnh; huyện nếu trước 01/07/2025 (ví dụ 42, 436)",
    on: "Số liệu ngày",
    compare: "So sánh với ngày",
    from: "Từ ngày",
    from_hint: "Chỉ cho danh sách quyết định; mặc định 01/01 của năm",
    preview: "Xem trước",
    format: "Định dạng",
    download: "Tải về và phát hành",
    issue_note: "Tải về sẽ ghi sự kiện «Phát hành báo cáo» với mã SHA-256 của tệp.",
    sign_in_to_issue: "Đăng nhập để tải về và phát hành báo cáo.",
    role_to_issue: "Chỉ vai trò ghi số liệu, phê duyệt hoặc quản trị được phát hành báo cáo; bạn có thể xem trước.",
    bad_kind: "Chọn một loại báo cáo.",
    bad_date: "Không phải ngày (năm-tháng-ngày hoặc ngày/tháng/năm):",
    bad_format: "Định dạng phải là xlsx hoặc csv.",
    not_allowed: "Không được phép phát hành báo cáo (cần đăng nhập với vai trò ghi số liệu trở lên; biểu mẫu có thể đã hết hạn, hãy tải lại trang).",
    not_recorded: "Không ghi được việc phát hành báo cáo; chưa có tệp nào được gửi.",
};

const EN: Words = Words {
    title: "Reports",
    intro: "Reports sent upward, made from the API's own figures on the chosen date. Preview them here; downloading issues the file: its SHA-256 is recorded in the log so that what was sent can be proven later.",
    kind: "Report",
    parent: "Unit code",
    parent_hint: "Province; a district before 1 Jul 2025 (e.g. 42, 436)",
    on: "Figures on",
    compare: "Compared with",
    from: "From",
    from_hint: "Decisions list only; default 1 January of the year",
    preview: "Preview",
    format: "Format",
    download: "Download and issue",
    issue_note: "Downloading records a “Report issued” event with the file's SHA-256.",
    sign_in_to_issue: "Sign in to download and issue a report.",
    role_to_issue: "Only recorders, approvers and admins issue reports; you may preview.",
    bad_kind: "Choose a report.",
    bad_date: "Not a date (year-month-day or day/month/year):",
    bad_format: "The format must be xlsx or csv.",
    not_allowed: "Not allowed to issue a report (sign in as a recorder or above; the form may have expired, reload the page).",
    not_recorded: "The report's issue could not be recorded; no file was sent.",
};

impl Words {
    pub fn of(lang: Lang) -> &'static Words {
        lang.pick(&VI, &EN)
    }

    /// The start of a downloaded file's name (always Vietnamese: the file is).
    pub fn file_title(&self, kind: ReportKind) -> &'static str {
        match kind {
            ReportKind::Summary => "Báo cáo tổng hợp",
            ReportKind::Criteria => "Bảng tiêu chí",
            ReportKind::Decisions => "Danh sách quyết định",
        }
    }
}

/// A field's refusal, shown beside it.
pub struct Refusal {
    pub field: &'static str,
    pub message: String,
}

impl Refusal {
    pub fn new(field: &'static str, message: String) -> Refusal {
        Refusal { field, message }
    }
}

/// The form's fields as given.
pub struct Fields {
    pub kind: String,
    pub parent: String,
    pub on: String,
    pub compare: String,
    pub from: String,
}

impl Fields {
    pub fn of(params: &Params, page: &Page) -> Fields {
        let get = |name: &str| params.get(name).cloned().unwrap_or_default();
        let kind = get("loai");
        Fields {
            kind: if kind.is_empty() {
                ReportKind::Summary.slug().into()
            } else {
                kind
            },
            parent: get("don-vi"),
            on: params
                .get("on")
                .cloned()
                .unwrap_or_else(|| page.on.to_string()),
            compare: get("so-sanh"),
            from: get("tu"),
        }
    }

    /// The fields the language switch keeps.
    pub fn kept(&self) -> Vec<(&str, &str)> {
        [
            ("loai", &self.kind),
            ("don-vi", &self.parent),
            ("so-sanh", &self.compare),
            ("tu", &self.from),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.as_str()))
        .collect()
    }
}

fn refusal_of<'a>(refusals: &'a [Refusal], field: &str) -> Option<&'a str> {
    refusals
        .iter()
        .find(|r| r.field == field)
        .map(|r| r.message.as_str())
}

fn field(
    label: &str,
    name: &'static str,
    value: &str,
    kind: &str,
    hint: Option<&str>,
    refusals: &[Refusal],
) -> Markup {
    let refused = refusal_of(refusals, name);
    let id = format!("truong-{name}");
    let error_id = format!("loi-{name}");
    html! {
        div.field {
            label for=(id) { (label) }
            input id=(id) name=(name) type=(kind) value=(value)
                aria-invalid=[refused.map(|_| "true")] aria-describedby=[refused.map(|_| error_id.as_str())];
            @if let Some(hint) = hint { small { (hint) } }
            @if let Some(message) = refused { p.refusal id=(error_id) role="alert" { (message) } }
        }
    }
}

/// The page's content.
pub fn content(
    page: &Page,
    fields: &Fields,
    refusals: &[Refusal],
    preview: Option<&Table>,
) -> Markup {
    let w = Words::of(page.lang);
    let kind_refused = refusal_of(refusals, "loai");
    html! {
        p { (w.intro) }
        form.report method="get" action=(PATH) {
            @if page.lang == Lang::En { input type="hidden" name="lang" value="en"; }
            div.field {
                label for="truong-loai" { (w.kind) }
                select #truong-loai name="loai" {
                    @for kind in ReportKind::ALL {
                        option value=(kind.slug()) selected[fields.kind == kind.slug() || fields.kind == kind.name()] { (kind.label()) }
                    }
                }
                @if let Some(message) = kind_refused { p.refusal role="alert" { (message) } }
            }
            (field(w.parent, "don-vi", &fields.parent, "text", Some(w.parent_hint), refusals))
            (field(w.on, "on", &fields.on, "date", None, refusals))
            (field(w.compare, "so-sanh", &fields.compare, "date", None, refusals))
            (field(w.from, "tu", &fields.from, "date", Some(w.from_hint), refusals))
            button type="submit" { (w.preview) }
        }
        @if let Some(table) = preview {
            (download(page, fields, w))
            (shown(table))
        }
    }
}

fn download(page: &Page, fields: &Fields, w: &Words) -> Markup {
    let person = page.person.as_ref();
    html! {
        @match person {
            Some(person) if may_issue(person.role()) => {
                form.download method="post" action=(DOWNLOAD) {
                    input type="hidden" name="csrf" value=(person.csrf);
                    @if page.lang == Lang::En { input type="hidden" name="lang" value="en"; }
                    input type="hidden" name="loai" value=(fields.kind);
                    input type="hidden" name="don-vi" value=(fields.parent);
                    input type="hidden" name="on" value=(fields.on);
                    input type="hidden" name="so-sanh" value=(fields.compare);
                    input type="hidden" name="tu" value=(fields.from);
                    label for="truong-dinh-dang" { (w.format) }
                    select #truong-dinh-dang name="dinh-dang" {
                        option value="xlsx" selected { "Excel (.xlsx)" }
                        option value="csv" { "CSV" }
                    }
                    button #tai-ve type="submit" { (w.download) }
                    p { small { (w.issue_note) } }
                }
            }
            Some(_) => p.note { (w.role_to_issue) },
            None => p.note { a href=(page.href("/dang-nhap", &[("tiep", PATH)])) { (w.sign_in_to_issue) } },
        }
    }
}

/// The report as its file lays it out.
fn shown(table: &Table) -> Markup {
    html! {
        section.report-preview {
            h2 { (table.title) }
            dl {
                @for (label, value) in &table.preface { dt { (label) } dd { (value) } }
            }
            div.table-scroll {
                table {
                    thead { tr { @for column in &table.columns { th scope="col" { (column) } } } }
                    tbody {
                        @for row in &table.rows { tr { @for cell in row { (cell_of(cell)) } } }
                    }
                    @if let Some(totals) = &table.totals {
                        tfoot { tr { @for cell in totals { (cell_of(cell)) } } }
                    }
                }
            }
            @for note in &table.notes { p { small { (note) } } }
        }
    }
}

fn cell_of(cell: &Cell) -> Markup {
    match cell {
        Cell::Text(_) | Cell::Blank => html! { td { (cell.shown()) } },
        _ => html! { td.num { (cell.shown()) } },
    }
}
