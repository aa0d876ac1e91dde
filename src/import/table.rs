//! Reading a CSV file of named columns, with every problem tied to its file, row and column.
//! Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub file: String,
    pub row: usize,
    pub column: String,
    pub problem: String,
    /// The domain's name of the refusal (`DomainError::problem`, e.g. `EFFECTIVE_IN_FUTURE`)
    /// when the domain refused the row, so that a page can word it in its language.
    pub reason: Option<&'static str>,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} row {}, column {}: {}",
            self.file, self.row, self.column, self.problem
        )
    }
}

impl RowError {
    /// A problem with the whole file, reported at its header row.
    pub fn file(file: &str, problem: impl Into<String>) -> Self {
        RowError {
            file: file.to_owned(),
            row: 1,
            column: "(header)".into(),
            problem: problem.into(),
            reason: None,
        }
    }

    /// A problem in `row`, in `column` when one cell is at fault.
    pub fn row(file: &str, row: usize, column: Option<&str>, problem: impl Into<String>) -> Self {
        RowError {
            file: file.to_owned(),
            row,
            column: column.unwrap_or("(row)").to_owned(),
            problem: problem.into(),
            reason: None,
        }
    }

    /// The same error, named by the domain's `reason` for it.
    pub fn because(self, reason: &'static str) -> Self {
        RowError {
            reason: Some(reason),
            ..self
        }
    }
}

/// Every problem found in a file, reported together (nothing was written).
#[derive(Debug, thiserror::Error)]
#[error("{} problem(s), nothing was written:\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
pub struct RowErrors(pub Vec<RowError>);

impl RowErrors {
    /// `value` when no problem was found, else every problem.
    pub fn or_value<T>(errors: Vec<RowError>, value: T) -> Result<T, RowErrors> {
        if errors.is_empty() {
            Ok(value)
        } else {
            Err(RowErrors(errors))
        }
    }
}

/// A CSV file's records, each as its row number and its fields by column name.
pub struct Table {
    pub file: String,
    columns: HashMap<String, usize>,
    records: Vec<(usize, csv::StringRecord)>,
}

impl Table {
    /// Reads `path` and checks that every column of `required` is in its header.
    pub fn read(path: &Path, required: &[&str]) -> Result<Self, RowErrors> {
        let file = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => Self::parse(&file, &bytes, required),
            Err(e) => Err(RowErrors(vec![RowError {
                file,
                row: 1,
                column: "(file)".into(),
                problem: format!("cannot be read: {e}"),
                reason: None,
            }])),
        }
    }

    /// Parses CSV `bytes` named `file` in messages.
    pub fn parse(file: &str, bytes: &[u8], required: &[&str]) -> Result<Self, RowErrors> {
        let file = file.to_owned();
        let whole_file = |problem: String| RowErrors(vec![RowError::file(&file, problem)]);
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(bytes);
        let header = reader
            .headers()
            .map_err(|e| whole_file(format!("has no readable header: {e}")))?;
        let columns: HashMap<String, usize> = header
            .iter()
            .enumerate()
            .map(|(i, name)| (name.trim_start_matches('\u{feff}').to_owned(), i))
            .collect();
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|c| !columns.contains_key(*c))
            .collect();
        if !missing.is_empty() {
            return Err(whole_file(format!(
                "missing column(s) {}; expected the columns {}",
                missing.join(", "),
                required.join(",")
            )));
        }
        let mut records = Vec::new();
        let mut errors = Vec::new();
        for (index, record) in reader.records().enumerate() {
            let row = index + 2;
            match record {
                Ok(record) => records.push((row, record)),
                Err(e) => errors.push(RowError {
                    file: file.clone(),
                    row,
                    column: "(row)".into(),
                    problem: format!("is not valid CSV: {e}"),
                    reason: None,
                }),
            }
        }
        if !errors.is_empty() {
            return Err(RowErrors(errors));
        }
        Ok(Table {
            file,
            columns,
            records,
        })
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.records.iter().map(move |(row, record)| Row {
            table: self,
            row: *row,
            record,
        })
    }
}

/// One record, whose parsers collect problems instead of stopping at the first.
pub struct Row<'t> {
    table: &'t Table,
    pub row: usize,
    record: &'t csv::StringRecord,
}

impl Row<'_> {
    pub fn error(&self, column: &str, problem: impl Into<String>) -> RowError {
        RowError {
            file: self.table.file.clone(),
            row: self.row,
            column: column.into(),
            problem: problem.into(),
            reason: None,
        }
    }

    /// The field as written (trimmed), "" when the row is shorter than the header.
    pub fn text(&self, column: &str) -> &str {
        self.table
            .columns
            .get(column)
            .and_then(|i| self.record.get(*i))
            .unwrap_or("")
    }

    /// Text in Unicode NFC, never empty.
    pub fn name(&self, column: &str, errors: &mut Vec<RowError>) -> Option<String> {
        let text: String = self.text(column).nfc().collect();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            errors.push(self.error(column, "expected a name, got an empty field"));
            return None;
        }
        Some(text)
    }

    /// A value of a domain type parsed from its text; `expected` says what would be valid.
    pub fn parse<T: FromStr>(
        &self,
        column: &str,
        expected: &str,
        errors: &mut Vec<RowError>,
    ) -> Option<T> {
        let text = self.text(column);
        match text.parse() {
            Ok(value) => Some(value),
            Err(_) => {
                errors.push(self.error(column, format!("expected {expected}, got {text:?}")));
                None
            }
        }
    }

    /// Like [`Row::parse`], but an empty field is `Some(None)`.
    pub fn optional<T: FromStr>(
        &self,
        column: &str,
        expected: &str,
        errors: &mut Vec<RowError>,
    ) -> Option<Option<T>> {
        if self.text(column).is_empty() {
            return Some(None);
        }
        self.parse(column, expected, errors).map(Some)
    }

    pub fn date(&self, column: &str, errors: &mut Vec<RowError>) -> Option<NaiveDate> {
        self.parse(column, "a date as YYYY-MM-DD", errors)
    }
}
