//! Text cells of the CSV files people open in a spreadsheet: a cell a spreadsheet would run as
//! a formula (CSV injection) is written with a leading `'`, and read back without it.
//! Decision: `docs/decisions/csv-formula-cells.md`.

/// What a spreadsheet may take as the start of a formula (OWASP, "CSV Injection").
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as it is safe to write into a CSV text cell: `'` before a formula start, and before
/// a `'` that [`from_cell`] would otherwise take away, so that reading gives `text` back.
pub fn to_cell(text: &str) -> String {
    if starts_formula(text) || text.starts_with('\'') && starts_formula_or_quote(&text[1..]) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The text a cell written by [`to_cell`] (or typed by a person escaping a formula) holds.
pub fn from_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_formula_or_quote(rest) => rest,
        _ => cell,
    }
}

fn starts_formula(text: &str) -> bool {
    text.starts_with(FORMULA_START)
}

fn starts_formula_or_quote(text: &str) -> bool {
    starts_formula(text) || text.starts_with('\'')
}

#[cfg(test)]
mod tests {
    use super::{from_cell, to_cell};

    #[test]
    fn formulas_are_escaped_and_read_back() {
        let table = [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("'=1", "''=1"),
            ("''", "'''"),
            ("'0123", "'0123"),
            ("đo lại", "đo lại"),
            ("", ""),
            ("a=b", "a=b"),
        ];
        for (text, cell) in table {
            assert_eq!(to_cell(text), cell, "{text:?}");
            assert_eq!(from_cell(cell), text, "{cell:?}");
        }
    }

    #[test]
    fn a_person_escaping_a_formula_by_hand_means_the_formula_text() {
        assert_eq!(from_cell("'=1+1"), "=1+1");
        assert_eq!(from_cell("'abc"), "'abc");
    }
}
