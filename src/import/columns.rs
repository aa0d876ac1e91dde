//! The columns of a fact file: each named in Vietnamese (as templates write it) with the English
//! name accepted too, found once in the header; a row's cells read into domain values, every
//! cell that cannot be read noted with its row and column.

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

use super::reading_row::describe;
use super::sheet::SheetRow;
use super::table::RowError;
use crate::domain::DomainError;
use crate::export::spreadsheet::from_cell;

/// One column of a kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The header a template writes, and the name errors give it: Vietnamese with diacritics.
    pub name: &'static str,
    /// The English name, accepted as well.
    pub english: &'static str,
    pub required: bool,
}

impl Column {
    pub const fn required(name: &'static str, english: &'static str) -> Column {
        Column {
            name,
            english,
            required: true,
        }
    }

    pub const fn optional(name: &'static str, english: &'static str) -> Column {
        Column {
            name,
            english,
            required: false,
        }
    }

    fn is_named(&self, header: &str) -> bool {
        let header: String = header.nfc().collect();
        header == self.name || header == self.english
    }
}

/// Where each column of a kind is in one file.
pub struct Columns {
    spec: &'static [Column],
    at: Vec<Option<usize>>,
    /// The headers as the file writes them: errors name a column so.
    headers: Vec<String>,
}

impl Columns {
    /// Finds every column of `spec` in `headers` (trimmed, lower case); an unknown, repeated or
    /// missing required column is an error of the file.
    pub fn find(
        spec: &'static [Column],
        headers: &[String],
        file: &str,
    ) -> Result<Columns, Vec<RowError>> {
        let mut at = vec![None; spec.len()];
        let mut errors = Vec::new();
        for (index, header) in headers.iter().enumerate() {
            match spec.iter().position(|c| c.is_named(header)) {
                Some(k) if at[k].is_some() => errors.push(RowError::file(
                    file,
                    format!("column {header} appears twice"),
                )),
                Some(k) => at[k] = Some(index),
                None => errors.push(RowError::file(
                    file,
                    format!("unknown column {header:?}; the columns are {}", names(spec)),
                )),
            }
        }
        for (column, found) in spec.iter().zip(&at) {
            if column.required && found.is_none() {
                let message = format!("missing column {} ({})", column.name, column.english);
                errors.push(RowError::file(file, message));
            }
        }
        match errors.is_empty() {
            true => Ok(Columns {
                spec,
                at,
                headers: headers.to_vec(),
            }),
            false => Err(errors),
        }
    }

    fn index(&self, column: &Column) -> Option<usize> {
        self.spec
            .iter()
            .position(|c| c == column)
            .and_then(|k| self.at[k])
    }

    fn cell<'r>(&self, row: &'r SheetRow, column: &Column) -> &'r str {
        self.index(column)
            .and_then(|i| row.cells.get(i))
            .map_or("", String::as_str)
    }

    /// The column's name as the file writes it (its Vietnamese name when the file lacks it).
    pub fn header(&self, column: &Column) -> &str {
        self.index(column)
            .and_then(|i| self.headers.get(i))
            .map_or(column.name, String::as_str)
    }

    /// The cells of `row`, to be read; `Err` when the row is wider than the header.
    pub fn cells<'r>(&'r self, row: &'r SheetRow, file: &'r str) -> Result<Cells<'r>, RowError> {
        if row.cells.len() > self.headers.len() {
            let message = format!(
                "has {} cells, the header has {} columns",
                row.cells.len(),
                self.headers.len()
            );
            return Err(RowError::row(file, row.number, None, message));
        }
        Ok(Cells {
            columns: self,
            row,
            file,
            errors: Vec::new(),
        })
    }
}

/// The names of `spec`, for a message.
fn names(spec: &[Column]) -> String {
    spec.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
}

/// A row's cells being read, and every cell that could not be, with what was expected.
pub struct Cells<'r> {
    columns: &'r Columns,
    row: &'r SheetRow,
    file: &'r str,
    pub errors: Vec<RowError>,
}

impl<'r> Cells<'r> {
    pub fn number(&self) -> usize {
        self.row.number
    }

    /// The cell as written (trimmed); "" when absent.
    pub fn text(&self, column: &Column) -> &'r str {
        self.columns.cell(self.row, column)
    }

    /// The cell read by `parse`; `None` (and the error noted) if it cannot be.
    pub fn read<T>(
        &mut self,
        column: &Column,
        parse: impl FnOnce(&'r str) -> Result<T, DomainError>,
    ) -> Option<T> {
        parse(self.text(column))
            .map_err(|e| self.fail(column, &e))
            .ok()
    }

    /// Like [`Cells::read`], but an empty cell is `Some(None)`.
    pub fn optional<T>(
        &mut self,
        column: &Column,
        parse: impl FnOnce(&'r str) -> Result<T, DomainError>,
    ) -> Option<Option<T>> {
        match self.text(column) {
            "" => Some(None),
            _ => self.read(column, parse).map(Some),
        }
    }

    /// Free text as exports write it (a formula-like cell comes with a `'`), `None` if empty.
    pub fn free_text(&self, column: &Column) -> Option<String> {
        let text: String = from_cell(self.text(column)).nfc().collect();
        Some(text).filter(|t| !t.is_empty())
    }

    /// Free text that must be there.
    pub fn required_text(&mut self, column: &Column) -> Option<String> {
        let text = self.free_text(column);
        if text.is_none() {
            let error = DomainError::Empty {
                field: column.english,
            };
            self.fail(column, &error);
        }
        text
    }

    pub fn fail(&mut self, column: &Column, error: &DomainError) {
        let name = self.columns.header(column);
        let row = RowError::row(self.file, self.row.number, Some(name), describe(error));
        self.errors.push(row.because(error.problem()));
    }

    pub fn complain(&mut self, column: &Column, problem: String) {
        let name = self.columns.header(column);
        let error = RowError::row(self.file, self.row.number, Some(name), problem);
        self.errors.push(error);
    }
}

const DATE_EXPECTED: &str = "a date YYYY-MM-DD (or DD/MM/YYYY)";

/// `2021-06-30`, or `30/06/2021` as Vietnamese offices write dates.
pub fn date(text: &str) -> Result<NaiveDate, DomainError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map_err(|_| DomainError::Invalid {
            field: "date",
            value: text.to_owned(),
            expected: DATE_EXPECTED,
        })
}

/// A year such as `2024`.
pub fn year(text: &str) -> Result<u16, DomainError> {
    text.parse::<u16>()
        .ok()
        .filter(|y| (1990..=2100).contains(y))
        .ok_or_else(|| DomainError::Invalid {
            field: "year",
            value: text.to_owned(),
            expected: "a year such as 2024",
        })
}
