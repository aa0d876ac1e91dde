//! The rows of a villages file (`name,parent_code,kind,effective_on[,code,legal_act]`): each
//! field parsed once, every problem named by file, row and column, duplicates within the file
//! refused.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

use super::table::{Row, RowError, RowErrors, Table};
use crate::domain::terms::LocalityKind;
use crate::domain::values::{DecisionNumber, LocalityCode};

pub const COLUMNS: &[&str] = &["name", "parent_code", "kind", "effective_on"];

/// The words of the `kind` column that name a village; the register has one kind for them all
/// and the name keeps the word ("Thôn Trung Tiến", "Tổ dân phố 5").
const VILLAGE_WORDS: &[&str] = &[
    "village",
    "thôn",
    "xóm",
    "bản",
    "ấp",
    "làng",
    "buôn",
    "khối",
    "tổ dân phố",
    "khu dân cư",
];

/// The same words as typed without diacritics.
const VILLAGE_WORDS_PLAIN: &[&str] = &[
    "thon",
    "xom",
    "ban",
    "ap",
    "lang",
    "buon",
    "khoi",
    "to dan pho",
    "khu dan cu",
];

const CODE: &str = "a code of 2, 3 or 5 digits, zero-padded (as text, e.g. 18112)";

/// One row: a village established under the unit holding `parent` on `effective_on`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VillageRow {
    pub row: usize,
    pub name: String,
    pub parent: LocalityCode,
    pub effective_on: NaiveDate,
    /// Villages have no GSO code; a province's own code may be given (optional column `code`).
    pub code: Option<LocalityCode>,
    /// The decision that established or recognised the village (optional column `legal_act`).
    pub legal_act: Option<DecisionNumber>,
}

/// The rows read from a file, and the problems of those that could not be read: the import
/// checks the readable rows against the register too, so one run names every problem.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// Records in the file.
    pub len: usize,
    pub rows: Vec<VillageRow>,
    pub errors: Vec<RowError>,
}

/// Reads every row; a file that cannot be read or lacks a column is refused at once.
pub fn read(path: &Path) -> Result<Parsed, RowErrors> {
    Ok(rows(Table::read(path, COLUMNS)?))
}

/// The rows of CSV text named `file` in messages.
pub fn parse(file: &str, text: &str) -> Result<Parsed, RowErrors> {
    Ok(rows(Table::parse(file, text.as_bytes(), COLUMNS)?))
}

/// The word as compared: NFC, lower case, `-` and `_` as spaces, spaces collapsed.
pub(super) fn folded(text: &str) -> String {
    let text: String = text.nfc().collect::<String>().to_lowercase();
    let text = text.replace(['-', '_'], " ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the `kind` column names a village; an administrative kind is refused by name.
fn village_kind(row: &Row<'_>, errors: &mut Vec<RowError>) -> Option<()> {
    let text = row.text("kind");
    let word = folded(text);
    if VILLAGE_WORDS.contains(&word.as_str()) || VILLAGE_WORDS_PLAIN.contains(&word.as_str()) {
        return Some(());
    }
    let problem = match LocalityKind::from_spelling(&word.replace(' ', "-")) {
        Some(kind) => format!(
            "a {kind} is not a village: this import establishes villages only \
             (administrative units: `ntm import localities`)"
        ),
        None => format!(
            "expected {} (also without diacritics), got {text:?}",
            VILLAGE_WORDS.join(", ")
        ),
    };
    errors.push(row.error("kind", problem));
    None
}

fn rows(table: Table) -> Parsed {
    let mut errors = Vec::new();
    let mut rows = Vec::with_capacity(table.len());
    let mut seen = Seen::default();
    for row in table.rows() {
        let Some(village) = village(&row, &mut errors) else {
            continue;
        };
        match seen.duplicate(&village) {
            Some((column, problem)) => errors.push(row.error(column, problem)),
            None => rows.push(village),
        }
    }
    Parsed {
        len: table.len(),
        rows,
        errors,
    }
}

/// One row's fields, each parsed once; `None` when any is wrong (each problem in `errors`).
fn village(row: &Row<'_>, errors: &mut Vec<RowError>) -> Option<VillageRow> {
    let name = row.name("name", errors);
    let parent = row.parse::<LocalityCode>("parent_code", CODE, errors);
    let kind = village_kind(row, errors);
    let effective_on = row.date("effective_on", errors);
    let code = row.optional::<LocalityCode>("code", CODE, errors);
    let act = "a decision number, e.g. 123/QĐ-UBND, or empty";
    let legal_act = row.optional::<DecisionNumber>("legal_act", act, errors);
    kind?;
    Some(VillageRow {
        row: row.row,
        name: name?,
        parent: parent?,
        effective_on: effective_on?,
        code: code?,
        legal_act: legal_act?,
    })
}

/// The names under each parent and the codes met so far in the file, with their rows.
#[derive(Default)]
struct Seen {
    names: HashMap<(LocalityCode, String), usize>,
    codes: HashMap<LocalityCode, usize>,
}

impl Seen {
    /// The column and problem when the village repeats an earlier row's name under the same
    /// parent, or its code.
    fn duplicate(&mut self, v: &VillageRow) -> Option<(&'static str, String)> {
        let key = (v.parent.clone(), folded(&v.name));
        if let Some(first) = self.names.insert(key, v.row) {
            let problem = format!("{:?} under {} is already on row {first}", v.name, v.parent);
            return Some(("name", problem));
        }
        let code = v.code.as_ref()?;
        let first = self.codes.insert(code.clone(), v.row)?;
        Some(("code", format!("already on row {first}")))
    }
}
