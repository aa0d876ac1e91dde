//! One row of a readings file: its columns, and the row parsed into the domain's
//! `IndicatorRecorded`, every cell that cannot be read named with what was expected.

use super::columns::date;
use super::sheet::SheetRow;
use super::table::RowError;
use crate::domain::catalog::Catalog;
use crate::domain::event::{Evidence, IndicatorRecorded};
use crate::domain::measure::{IndicatorKind, IndicatorValue};
use crate::domain::values::{IndicatorCode, LocalityCode, SetCode};
use crate::domain::DomainError;
use crate::export::spreadsheet::from_cell;

pub const LOCALITY: &str = "locality_code";
pub const SET: &str = "criteria_set";
pub const INDICATOR: &str = "indicator";
pub const VALUE: &str = "value";
pub const EFFECTIVE_ON: &str = "effective_on";
pub const DOCUMENT: &str = "evidence_document";
pub const FILE_REF: &str = "evidence_file";
pub const NOTE: &str = "note";

/// Every column, required ones first, in the order `ntm export readings` writes them.
pub const HEADER: [&str; 8] = [
    LOCALITY,
    SET,
    INDICATOR,
    VALUE,
    EFFECTIVE_ON,
    DOCUMENT,
    FILE_REF,
    NOTE,
];
const REQUIRED: usize = 5;

/// Where each column is in the file.
pub struct Columns {
    at: [Option<usize>; 8],
    width: usize,
}

impl Columns {
    pub fn find(headers: &[String], file: &str) -> Result<Columns, Vec<RowError>> {
        let mut at = [None; 8];
        let mut errors = Vec::new();
        for (index, name) in headers.iter().enumerate() {
            match HEADER.iter().position(|h| h == name) {
                Some(k) if at[k].is_some() => {
                    errors.push(RowError::file(file, format!("column {name} appears twice")))
                }
                Some(k) => at[k] = Some(index),
                None => errors.push(RowError::file(
                    file,
                    format!(
                        "unknown column {name:?}; the columns are {}",
                        HEADER.join(", ")
                    ),
                )),
            }
        }
        for (k, name) in HEADER.iter().enumerate().take(REQUIRED) {
            if at[k].is_none() {
                errors.push(RowError::file(file, format!("missing column {name}")));
            }
        }
        if errors.is_empty() {
            Ok(Columns {
                at,
                width: headers.len(),
            })
        } else {
            Err(errors)
        }
    }

    fn cell<'r>(&self, row: &'r SheetRow, name: &str) -> &'r str {
        HEADER
            .iter()
            .position(|h| *h == name)
            .and_then(|k| self.at[k])
            .and_then(|i| row.cells.get(i))
            .map_or("", String::as_str)
    }
}

/// A row read into the domain's terms: which code it names, and the reading.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadingRow {
    pub number: usize,
    pub code: LocalityCode,
    pub reading: IndicatorRecorded,
}

/// Reads one row; the value is read by the kind of its indicator in `catalog`.
pub fn parse(
    columns: &Columns,
    row: &SheetRow,
    catalog: &Catalog,
    file: &str,
) -> Result<ReadingRow, Vec<RowError>> {
    if row.cells.len() > columns.width {
        let message = format!(
            "has {} cells, the header has {} columns",
            row.cells.len(),
            columns.width
        );
        return Err(vec![RowError::row(file, row.number, None, message)]);
    }
    let mut cells = Cells {
        columns,
        row,
        file,
        errors: Vec::new(),
    };
    let code = cells.read(LOCALITY, str::parse::<LocalityCode>);
    let set = cells.read(SET, str::parse::<SetCode>);
    let indicator = cells.read(INDICATOR, str::parse::<IndicatorCode>);
    let effective_on = cells.read(EFFECTIVE_ON, date);
    let value = cells.value(catalog, set.as_ref(), indicator.as_ref());
    match (code, set, indicator, value, effective_on) {
        (Some(code), Some(set), Some(indicator), Some(value), Some(effective_on))
            if cells.errors.is_empty() =>
        {
            Ok(ReadingRow {
                number: row.number,
                code,
                reading: IndicatorRecorded {
                    effective_on,
                    set,
                    indicator,
                    value,
                    evidence: cells.evidence(),
                },
            })
        }
        _ => Err(cells.errors),
    }
}

/// A row's cells being read, and every cell that could not be, with what was expected.
struct Cells<'r> {
    columns: &'r Columns,
    row: &'r SheetRow,
    file: &'r str,
    errors: Vec<RowError>,
}

impl<'r> Cells<'r> {
    fn text(&self, column: &str) -> &'r str {
        self.columns.cell(self.row, column)
    }

    /// The cell of `column` read by `parse`; `None` (and the error noted) if it cannot be.
    fn read<T>(
        &mut self,
        column: &'static str,
        parse: impl FnOnce(&'r str) -> Result<T, DomainError>,
    ) -> Option<T> {
        parse(self.text(column))
            .map_err(|e| self.fail(column, e))
            .ok()
    }

    /// The value, read by the kind of the indicator; a set or indicator the catalogue lacks is
    /// noted on its column.
    fn value(
        &mut self,
        catalog: &Catalog,
        set: Option<&SetCode>,
        indicator: Option<&IndicatorCode>,
    ) -> Option<IndicatorValue> {
        let kind = match (set, indicator) {
            (Some(set), Some(indicator)) => indicator_kind(catalog, set, indicator)
                .map_err(|(column, e)| self.fail(column, e))
                .ok(),
            _ => None,
        };
        kind.and_then(|k| self.read(VALUE, |text| IndicatorValue::parse(k, text)))
    }

    /// Free text as `ntm export readings` writes it: a formula-like note comes with a `'`.
    fn evidence(&self) -> Evidence {
        let optional = |name| Some(from_cell(self.text(name)).to_owned()).filter(|t| !t.is_empty());
        Evidence {
            document: optional(DOCUMENT),
            file_ref: optional(FILE_REF),
            note: optional(NOTE),
            attachments: Vec::new(),
        }
    }

    fn fail(&mut self, column: &'static str, error: DomainError) {
        let error = RowError::row(self.file, self.row.number, Some(column), describe(&error));
        self.errors.push(error);
    }
}

/// The kind of `indicator` in `set`, which says how its value is written; or the column at fault.
fn indicator_kind(
    catalog: &Catalog,
    set: &SetCode,
    indicator: &IndicatorCode,
) -> Result<IndicatorKind, (&'static str, DomainError)> {
    let found = catalog
        .get(set)
        .ok_or_else(|| (SET, DomainError::UnknownSet(set.clone())))?;
    let unknown = || DomainError::UnknownIndicator {
        set: set.clone(),
        indicator: indicator.clone(),
    };
    found
        .indicator(indicator)
        .map(|i| i.kind)
        .ok_or_else(|| (INDICATOR, unknown()))
}

/// The column a domain refusal of a reading is about, if one.
pub fn column_of(error: &DomainError) -> Option<&'static str> {
    use DomainError as D;
    match error {
        D::NotEstablished(_) => Some(LOCALITY),
        D::UnknownSet(_) | D::SetNotApplicable { .. } | D::NotEnrolled(_) => Some(SET),
        D::UnknownIndicator { .. } => Some(INDICATOR),
        D::ValueKindMismatch { .. } => Some(VALUE),
        D::EffectiveInFuture { .. } | D::BeforeEstablishment { .. } | D::LocalityEnded { .. } => {
            Some(EFFECTIVE_ON)
        }
        _ => None,
    }
}

/// A refusal in the words of an import error: `expected …, got "…"` for a value that cannot
/// be read, the domain's own words otherwise.
pub fn describe(error: &DomainError) -> String {
    match error {
        DomainError::Invalid {
            field,
            value,
            expected,
        } => {
            let hint = if *field == "locality code"
                && matches!(value.len(), 1 | 4)
                && value.bytes().all(|b| b.is_ascii_digit())
            {
                " (a leading zero lost? keep codes as text, not numbers)"
            } else {
                ""
            };
            format!("expected {expected}, got {value:?}{hint}")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(header: &[&str]) -> Result<Columns, Vec<RowError>> {
        let names: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
        Columns::find(&names, "r.csv")
    }

    fn row(cells: &[&str]) -> SheetRow {
        SheetRow {
            number: 7,
            cells: cells.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    #[test]
    fn unknown_and_missing_columns_are_named() {
        let errors = columns(&[LOCALITY, SET, INDICATOR, "valeu", EFFECTIVE_ON])
            .err()
            .expect("refused");
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(
            text[0].starts_with("r.csv row 1, column (header): unknown column \"valeu\""),
            "{text:?}"
        );
        assert_eq!(
            text[1],
            "r.csv row 1, column (header): missing column value"
        );
    }

    #[test]
    fn every_bad_cell_of_a_row_is_reported_with_what_was_expected() {
        let catalog = Catalog::shipped().expect("catalogue");
        let columns = columns(&HEADER[..REQUIRED]).expect("columns");
        let bad = row(&["1809", "NTM-XA-2021-2025", "17.8", "yes", "2021-13-45"]);
        let errors = parse(&columns, &bad, &catalog, "r.csv").expect_err("refused");
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(text[0].starts_with("r.csv row 7, column locality_code: expected 2, 3 or 5 digits"));
        assert!(text[0].ends_with("(a leading zero lost? keep codes as text, not numbers)"));
        assert!(text[1].starts_with("r.csv row 7, column effective_on: expected a date"));
        assert!(text[2].starts_with("r.csv row 7, column value: expected a percentage 0–100"));
        assert!(text[2].ends_with("got \"yes\""), "{}", text[2]);
    }

    #[test]
    fn a_good_row_becomes_a_reading_with_its_evidence() {
        let catalog = Catalog::shipped().expect("catalogue");
        let columns = columns(&HEADER).expect("columns");
        let good = row(&[
            "18094",
            "NTM-XA-2021-2025",
            "17.8",
            "85.5",
            "30/06/2021",
            "45/BC-UBND",
            "",
            "đo lại",
        ]);
        let parsed = parse(&columns, &good, &catalog, "r.csv").expect("valid");
        assert_eq!(parsed.code.as_str(), "18094");
        assert_eq!(
            parsed.reading.value,
            IndicatorValue::percent(85.5).expect("valid")
        );
        assert_eq!(parsed.reading.effective_on.to_string(), "2021-06-30");
        assert_eq!(
            parsed.reading.evidence.document.as_deref(),
            Some("45/BC-UBND")
        );
        assert_eq!(parsed.reading.evidence.file_ref, None);
        assert_eq!(parsed.reading.evidence.note.as_deref(), Some("đo lại"));
    }
}
