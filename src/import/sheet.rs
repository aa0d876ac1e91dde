//! A table read from a `.csv` or `.xlsx` file: its column names and its rows as text cells, each
//! row with the number a spreadsheet shows for it (the header is row 1).

use std::io::Cursor;
use std::path::Path;

use calamine::{open_workbook_auto_from_rs, Data, Reader};

use super::table::RowError;

/// The rows of a file, and what could not be read of it.
#[derive(Debug, Default)]
pub struct Sheet {
    /// Column names, trimmed and in lower case.
    pub headers: Vec<String>,
    pub rows: Vec<SheetRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// As a spreadsheet numbers it: the header is row 1.
    pub number: usize,
    pub cells: Vec<String>,
}

/// Reads `bytes` (the contents of `path`) as CSV, or as an Excel workbook's first sheet when the
/// name ends in `.xlsx`/`.xls`/`.ods`. Rows whose cells are all empty are skipped.
pub fn read(path: &Path, bytes: &[u8], file: &str) -> Result<Sheet, Vec<RowError>> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase);
    match extension.as_deref() {
        Some("xlsx" | "xlsm" | "xls" | "ods") => read_workbook(bytes, file),
        _ => read_csv(bytes, file),
    }
}

/// The delimiter of the header line: `;` or a tab when it has one of those and no comma
/// (Excel writes `;` where the decimal separator is a comma), else `,`.
fn delimiter(bytes: &[u8]) -> u8 {
    let header = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let has = |d: u8| header.contains(&d);
    match (has(b','), has(b';'), has(b'\t')) {
        (false, true, _) => b';',
        (false, false, true) => b'\t',
        _ => b',',
    }
}

fn read_csv(bytes: &[u8], file: &str) -> Result<Sheet, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(bytes))
        .flexible(true)
        .from_reader(bytes);
    let headers = match reader.headers() {
        Ok(headers) => headers.iter().map(header_name).collect(),
        Err(error) => {
            return Err(vec![RowError::file(
                file,
                format!("cannot read the header: {error}"),
            )])
        }
    };
    let mut sheet = Sheet {
        headers,
        rows: Vec::new(),
    };
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let number = record.position().map_or(0, |p| p.line() as usize);
                let cells: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
                if cells.iter().any(|c| !c.is_empty()) {
                    sheet.rows.push(SheetRow { number, cells });
                }
            }
            Err(error) => {
                let row = error.position().map_or(0, |p| p.line() as usize);
                errors.push(RowError::row(
                    file,
                    row,
                    None,
                    format!("cannot be read: {error}"),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(sheet)
    } else {
        Err(errors)
    }
}

fn read_workbook(bytes: &[u8], file: &str) -> Result<Sheet, Vec<RowError>> {
    let unreadable = |why: String| vec![RowError::file(file, why)];
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| unreadable(format!("is not a readable workbook: {e}")))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable("has no sheet".into()))?
        .map_err(|e| unreadable(format!("first sheet cannot be read: {e}")))?;
    let first_row = range.start().map_or(0, |(row, _)| row as usize) + 1;
    let mut rows = range.rows().zip(first_row..);
    let Some((header, _)) = rows.next() else {
        return Ok(Sheet::default());
    };
    let headers = header.iter().map(|c| header_name(&cell_text(c))).collect();
    let rows = rows
        .map(|(cells, number)| SheetRow {
            number,
            cells: cells.iter().map(cell_text).collect(),
        })
        .filter(|row| row.cells.iter().any(|c| !c.is_empty()))
        .collect();
    Ok(Sheet { headers, rows })
}

fn header_name(name: &str) -> String {
    name.trim_start_matches('\u{feff}').trim().to_lowercase()
}

/// A cell as the text a CSV export of it would hold: whole numbers without `.0`, dates as
/// `YYYY-MM-DD`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_datetime().map_or_else(
            || d.to_string(),
            |t| t.date().format("%Y-%m-%d").to_string(),
        ),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> Sheet {
        read(Path::new("r.csv"), text.as_bytes(), "r.csv").expect("readable")
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_them_and_blank_rows_skipped() {
        let sheet = csv("\u{feff}Locality_Code , value\n18094,85\n,\n\"18100\",\" 90 \"\n");
        assert_eq!(sheet.headers, ["locality_code", "value"]);
        let numbers: Vec<usize> = sheet.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 4]);
        assert_eq!(sheet.rows[1].cells, ["18100", "90"]);
    }

    #[test]
    fn a_semicolon_header_makes_a_semicolon_file() {
        let sheet = csv("locality_code;value\n18094;85,5\n");
        assert_eq!(sheet.rows[0].cells, ["18094", "85,5"]);
    }
}
