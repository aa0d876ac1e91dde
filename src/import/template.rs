//! `ntm template KIND` and the upload page's templates: an `.xlsx` workbook whose first sheet
//! has the kind's header row (no example row) and whose second sheet, "Mã hợp lệ", lists the
//! codes a cell may hold, from the catalogue in force.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::fact_kind::FactKind;
use super::fact_row::ASSESSMENT_NAMES;
use crate::domain::catalog::Catalog;
use crate::domain::terms::RecognitionLevel;

/// The name of the sheet of valid codes.
pub const CODES_SHEET: &str = "Mã hợp lệ";

/// The file name a template is offered under, e.g. `mau-decisions.xlsx`.
pub fn file_name(kind: FactKind) -> String {
    format!("mau-{}.xlsx", kind.slug())
}

/// The template of `kind` as `.xlsx` bytes.
pub fn workbook(kind: FactKind, catalog: &Catalog) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    // Text cells: a code such as 01234 keeps its leading zero, a date stays as typed.
    let text = Format::new().set_num_format("@");
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(kind))?;
    for (column, spec) in (0u16..).zip(kind.columns()) {
        sheet.write_string_with_format(0, column, spec.name, &bold)?;
        sheet.set_column_width(column, 22)?;
        sheet.set_column_format(column, &text)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let codes = workbook.add_worksheet();
    codes.set_name(CODES_SHEET)?;
    write_codes(codes, kind, catalog, &bold)?;
    workbook.save_to_buffer()
}

/// The first sheet's name: the kind's Vietnamese title, within Excel's 31 characters.
fn sheet_name(kind: FactKind) -> String {
    kind.title_vi().chars().take(31).collect()
}

/// One line of the codes sheet: what the code is, the code, its set, its name.
type CodeLine = (&'static str, String, String, String);

fn write_codes(
    sheet: &mut Worksheet,
    kind: FactKind,
    catalog: &Catalog,
    bold: &Format,
) -> Result<(), XlsxError> {
    let header = ["loại", "mã", "bộ tiêu chí", "tên"];
    for (column, name) in (0u16..).zip(header) {
        sheet.write_string_with_format(0, column, name, bold)?;
        sheet.set_column_width(column, if column == 3 { 70 } else { 24 })?;
    }
    for (row, (what, code, set, name)) in (1u32..).zip(codes(kind, catalog)) {
        sheet.write_string(row, 0, what)?;
        sheet.write_string(row, 1, code)?;
        sheet.write_string(row, 2, set)?;
        sheet.write_string(row, 3, name)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The codes a `kind` file may hold: sets, then its criteria or indicators, levels, values.
pub fn codes(kind: FactKind, catalog: &Catalog) -> Vec<CodeLine> {
    let mut lines: Vec<CodeLine> = catalog
        .sets()
        .iter()
        .map(|set| {
            (
                "bộ tiêu chí",
                set.code.to_string(),
                String::new(),
                set.title_vi.clone(),
            )
        })
        .collect();
    for set in catalog.sets() {
        let code = set.code.to_string();
        match kind {
            FactKind::Assessments => {
                let conditions = set.conditions.iter().map(|c| &c.criterion);
                for criterion in set.criteria.iter().chain(conditions) {
                    let name = criterion.name_vi.clone();
                    lines.push(("tiêu chí", criterion.code.to_string(), code.clone(), name));
                }
            }
            FactKind::Readings => {
                for criterion in &set.criteria {
                    for indicator in &criterion.indicators {
                        let name = format!("{} ({})", indicator.name_vi, indicator.kind);
                        lines.push(("chỉ số", indicator.code.to_string(), code.clone(), name));
                    }
                }
            }
            _ => {}
        }
    }
    if matches!(
        kind,
        FactKind::Votes | FactKind::Decisions | FactKind::Acknowledgements
    ) {
        for level in RecognitionLevel::ALL {
            let name = level_name(*level).to_owned();
            lines.push((
                "mức công nhận",
                level.spelling().to_owned(),
                String::new(),
                name,
            ));
        }
    }
    if kind == FactKind::Assessments {
        for (level, name) in ASSESSMENT_NAMES {
            let line = (
                "cấp đánh giá",
                level.spelling().to_owned(),
                String::new(),
                name.into(),
            );
            lines.push(line);
        }
        for (value, name) in [("đạt", "met"), ("không đạt", "not-met")] {
            lines.push(("kết quả", value.into(), String::new(), name.into()));
        }
    }
    let date = "YYYY-MM-DD hoặc DD/MM/YYYY".to_owned();
    lines.push((
        "ngày",
        date,
        String::new(),
        "ví dụ 2024-12-31 hoặc 31/12/2024".into(),
    ));
    lines
}

/// A level as offices name it.
fn level_name(level: RecognitionLevel) -> &'static str {
    use RecognitionLevel as L;
    match level {
        L::Ntm => "Xã đạt chuẩn nông thôn mới",
        L::NtmNangCao => "Xã đạt chuẩn nông thôn mới nâng cao",
        L::NtmKieuMau => "Xã đạt chuẩn nông thôn mới kiểu mẫu (ghi lĩnh vực nổi trội)",
        L::VanMinhDoThi => "Phường/thị trấn đạt chuẩn văn minh đô thị",
        L::VanMinhDoThiKieuMau => "Phường văn minh đô thị kiểu mẫu",
        L::DoThiVanMinh => "Đạt chuẩn đô thị văn minh",
        L::KhuDanCuKieuMau => "Khu dân cư nông thôn mới kiểu mẫu",
        L::NtmHienDai => "Xã nông thôn mới hiện đại",
        L::ChiTieuDiaPhuong => "Đạt các chỉ tiêu của danh mục địa phương",
        L::HuyenNtm => "Huyện đạt chuẩn nông thôn mới",
        L::HuyenNtmNangCao => "Huyện đạt chuẩn nông thôn mới nâng cao",
        L::HoanThanhNhiemVu => "Hoàn thành nhiệm vụ xây dựng nông thôn mới",
    }
}
