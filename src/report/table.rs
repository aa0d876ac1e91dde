//! What a report is before it becomes a file: a title, the header rows that say what the
//! figures are of, the column names, the rows and a total row, each cell typed.

/// One cell of a report.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A count of units.
    Count(i64),
    /// A figure with decimals (an average), written with two.
    Decimal(f64),
    /// A share, 0–100, written with one decimal.
    Percent(f64),
    /// Nothing to say (a figure that does not apply to the row).
    Blank,
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }

    /// An optional text; blank when absent.
    pub fn maybe(value: Option<impl Into<String>>) -> Cell {
        value.map_or(Cell::Blank, |v| Cell::Text(v.into()))
    }

    /// The cell as a CSV file and the preview show it.
    pub fn shown(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Decimal(x) => format!("{x:.2}"),
            Cell::Percent(x) => format!("{x:.1}"),
            Cell::Blank => String::new(),
        }
    }
}

/// A report laid out as offices send it.
#[derive(Debug, Clone)]
pub struct Table {
    /// The report's title, e.g. "BÁO CÁO TỔNG HỢP KẾT QUẢ XÂY DỰNG NÔNG THÔN MỚI".
    pub title: String,
    /// The sheet's name (at most 31 characters, none of `[]:*?/\`).
    pub sheet: String,
    /// What the figures are of: (label, value), one row each.
    pub preface: Vec<(String, String)>,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// The total row, when the report has one.
    pub totals: Option<Vec<Cell>>,
    /// Notes under the table (how a figure is counted).
    pub notes: Vec<String>,
}

impl Table {
    /// The row the header of the columns is on, 0-based, in the sheet and the CSV file alike:
    /// the title, the preface and a blank row come before it.
    pub fn header_row(&self) -> usize {
        self.preface.len() + 2
    }
}
