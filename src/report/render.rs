//! A report's [`Table`] as the bytes of a file: an `.xlsx` workbook (`rust_xlsxwriter`) or a
//! UTF-8 CSV file with a byte-order mark (so that a spreadsheet shows the diacritics), laid out
//! alike: title, header rows, a blank row, the columns, the rows, the total row, the notes.

use rust_xlsxwriter::{Format as CellFormat, FormatAlign, Workbook, XlsxError};

use super::table::{Cell, Table};
use crate::export::spreadsheet::to_cell;

/// A file's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

impl Format {
    /// `xlsx` or `csv` (what `--format` and the form take).
    pub fn parse(text: &str) -> Option<Format> {
        match text.trim().to_ascii_lowercase().as_str() {
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }

    /// The file of `table` in this format.
    pub fn render(self, table: &Table) -> Result<Vec<u8>, String> {
        match self {
            Format::Xlsx => xlsx(table).map_err(|e| e.to_string()),
            Format::Csv => csv(table).map_err(|e| e.to_string()),
        }
    }
}

fn xlsx(table: &Table) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(&table.sheet)?;
    let bold = CellFormat::new().set_bold();
    let title = CellFormat::new().set_bold().set_font_size(14);
    let header = CellFormat::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let decimal = CellFormat::new().set_num_format("0.00");
    let percent = CellFormat::new().set_num_format("0.0");
    sheet.write_string_with_format(0, 0, &table.title, &title)?;
    let mut row: u32 = 1;
    for (label, value) in &table.preface {
        sheet.write_string_with_format(row, 0, label, &bold)?;
        sheet.write_string(row, 1, value)?;
        row += 1;
    }
    row += 1;
    for (col, name) in (0u16..).zip(&table.columns) {
        sheet.write_string_with_format(row, col, name, &header)?;
    }
    sheet.set_column_width(0, 28)?;
    let cells = table.rows.iter().chain(table.totals.iter());
    for line in cells {
        row += 1;
        for (col, cell) in (0u16..).zip(line) {
            match cell {
                Cell::Text(text) => sheet.write_string(row, col, text)?,
                Cell::Count(n) => sheet.write_number(row, col, *n as f64)?,
                Cell::Decimal(x) => sheet.write_number_with_format(row, col, *x, &decimal)?,
                Cell::Percent(x) => sheet.write_number_with_format(row, col, *x, &percent)?,
                Cell::Blank => sheet,
            };
        }
    }
    if table.totals.is_some() {
        sheet.set_row_format(row, &bold)?;
    }
    row += 1;
    for note in &table.notes {
        row += 1;
        sheet.write_string(row, 0, note)?;
    }
    workbook.save_to_buffer()
}

fn csv(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(&mut out);
        writer.write_record([to_cell(&table.title)])?;
        for (label, value) in &table.preface {
            writer.write_record([to_cell(label), to_cell(value)])?;
        }
        writer.write_record([""])?;
        writer.write_record(table.columns.iter().map(|c| to_cell(c)))?;
        for line in table.rows.iter().chain(table.totals.iter()) {
            writer.write_record(line.iter().map(|cell| match cell {
                Cell::Text(text) => to_cell(text),
                other => other.shown(),
            }))?;
        }
        writer.write_record([""])?;
        for note in &table.notes {
            writer.write_record([to_cell(note)])?;
        }
        writer.flush()?;
    }
    Ok(out)
}
