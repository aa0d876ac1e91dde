//! The localities list in SQL on both engines: the directory periods placed on a day, narrowed
//! by the list's filters, ordered by one key with the id as tie-break and cut by keyset (`key,
//! id` beyond a cursor, `LIMIT size + 1`), so a page costs the same wherever it starts; and its
//! `COUNT(*)` apart, asked only when a client selects it.

use super::api_reads::Reads;
use super::dated_tree::TreeOn;
use super::with_reader;
use crate::projection::rows::LocalityRow;

/// Which localities the list holds; every filter given narrows it.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    /// Strictly below this locality on the day's tree.
    pub within: Option<String>,
    /// Only these ids (none: no locality).
    pub ids: Option<Vec<String>>,
    /// Codes held on the day.
    pub codes: Option<Vec<String>>,
    /// Kinds (spelled) held on the day.
    pub kinds: Option<Vec<String>>,
    /// Ended by the day (true) or not.
    pub ended: Option<bool>,
    /// Part of the folded name (`domain::diacritics::search_key`), matched on the day's name.
    pub name: Option<String>,
    /// Filters on the present standings.
    pub standing: StandingFilter,
}

/// Filters on the present standing (`proj_standings`, graded today) of one set when `set` is
/// given, else of any set: one standing must satisfy all of them.
#[derive(Clone, Debug, Default)]
pub struct StandingFilter {
    pub set: Option<String>,
    pub recognised_level: Option<String>,
    pub at_risk: Option<bool>,
    pub pending_acknowledgement: Option<bool>,
    pub criteria_met_min: Option<i32>,
    pub criteria_met_max: Option<i32>,
    /// A criterion (or condition) code of `set` and its status, spelled (`met`, `not-met`,
    /// `unknown`).
    pub criterion: Option<(String, String)>,
}

/// What the list is ordered by; nulls come last in either direction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// The folded name of the day.
    Name,
    /// The code of the day.
    Code,
    /// Criteria met in the present standing of the set.
    CriteriaMet { set: String },
    /// The recognised level held on the day, by [`level_ranks`].
    Level,
    /// The date of the recognition held on the day.
    RecognisedOn,
}

/// Each recognised level (spelled) and its rank for ordering: levels that include more levels
/// rank higher (kiểu mẫu above nâng cao above NTM), ties by the order of the catalogue's terms.
pub fn level_ranks() -> Vec<(&'static str, i64)> {
    use crate::domain::terms::RecognitionLevel as L;
    L::ALL
        .iter()
        .enumerate()
        .map(|(i, level)| {
            let includes = L::ALL.iter().filter(|o| level.includes(**o)).count();
            (level.spelling(), (includes * 100 + i) as i64)
        })
        .collect()
}

/// A slice of the list: at most `size` rows after `after` and before `before` (each a key and
/// an id), from the start of that range or, `from_end`, from its end.
#[derive(Clone, Debug, Default)]
pub struct Slice {
    pub size: usize,
    pub from_end: bool,
    pub after: Option<(Option<String>, String)>,
    pub before: Option<(Option<String>, String)>,
}

/// A listed locality: its entry with the day's attributes, and its sort key as text.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Listed {
    #[sqlx(flatten)]
    pub row: LocalityRow,
    pub sort_key: Option<String>,
}

/// Builds one statement: its text with `$1…$n` and the values bound to them.
struct Statement {
    binds: Vec<String>,
    postgres: bool,
}

impl Statement {
    /// Binds `value` and gives its placeholder.
    fn bind(&mut self, value: impl Into<String>) -> String {
        self.binds.push(value.into());
        format!("${}", self.binds.len())
    }

    /// Binds every value of `values` and gives the `IN (…)` list.
    fn list(&mut self, values: &[String]) -> String {
        let marks: Vec<String> = values.iter().map(|v| self.bind(v.clone())).collect();
        format!("({})", marks.join(", "))
    }
}

/// How a key's type compares: the bound text cast to the key's type.
enum KeyType {
    Text,
    Integer,
    Date,
}

impl SortKey {
    /// The joined table the key reads (if any), its expression and its type.
    fn expression(&self, st: &mut Statement, day: &str) -> (String, String, KeyType) {
        let recognition = format!(
            " LEFT JOIN proj_recognition_history o ON o.locality_id = p.locality_id \
             AND o.valid_from <= {day} AND (o.valid_to IS NULL OR o.valid_to > {day})"
        );
        match self {
            SortKey::Name => (String::new(), "p.search_name".into(), KeyType::Text),
            SortKey::Code => (String::new(), "p.code".into(), KeyType::Text),
            SortKey::CriteriaMet { set } => (
                format!(
                    " LEFT JOIN proj_standings o ON o.locality_id = p.locality_id \
                     AND o.set_code = {}",
                    st.bind(set.clone())
                ),
                "o.criteria_met".into(),
                KeyType::Integer,
            ),
            SortKey::Level => {
                let cases: String = level_ranks()
                    .iter()
                    .map(|(spelling, rank)| format!(" WHEN '{spelling}' THEN {rank}"))
                    .collect();
                let rank = format!("(CASE o.recognised_level{cases} END)");
                (recognition, rank, KeyType::Integer)
            }
            SortKey::RecognisedOn => (recognition, "o.recognised_on".into(), KeyType::Date),
        }
    }
}

impl KeyType {
    fn cast(&self, mark: &str, postgres: bool) -> String {
        match (self, postgres) {
            (KeyType::Text, _) | (KeyType::Date, false) => mark.to_owned(),
            (KeyType::Integer, _) => format!("CAST({mark} AS INTEGER)"),
            (KeyType::Date, true) => format!("CAST({mark} AS DATE)"),
        }
    }
}

/// `%text%` for `LIKE … ESCAPE '\'`, with `%`, `_` and `\` in `text` matched as themselves.
fn contains_pattern(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

impl ListFilter {
    /// `FROM … WHERE …` of the list (without order or keyset), binding into `st`.
    fn source(&self, st: &mut Statement, tree: TreeOn, join: &str) -> String {
        let mut clauses = vec![tree.placed("p", "l")];
        if let Some(root) = &self.within {
            let mark = st.bind(root.clone());
            let walk = tree.walk(&mark, st.postgres);
            clauses.push(format!(
                "p.locality_id IN (SELECT locality_id FROM ({walk}) w)"
            ));
        }
        let lists = [
            ("locality_id", &self.ids),
            ("code", &self.codes),
            ("kind", &self.kinds),
        ];
        for (column, values) in lists {
            match values {
                Some(values) if values.is_empty() => clauses.push("1 = 0".to_owned()),
                Some(values) => clauses.push(format!("p.{column} IN {}", st.list(values))),
                None => {}
            }
        }
        let ended = format!("(l.ended_on IS NOT NULL AND l.ended_on <= {})", tree.day());
        match self.ended {
            Some(true) => clauses.push(ended),
            Some(false) => clauses.push(format!("NOT {ended}")),
            None => {}
        }
        if let Some(name) = &self.name {
            let mark = st.bind(contains_pattern(name));
            clauses.push(format!("p.search_name LIKE {mark} ESCAPE '\\'"));
        }
        clauses.extend(self.standing.clauses(st));
        format!(
            " FROM proj_locality_periods p JOIN proj_localities l \
             ON l.locality_id = p.locality_id{join} WHERE {}",
            clauses.join(" AND ")
        )
    }
}

/// The at-risk spellings of the read tables.
const AT_RISK: &str = "'key-criterion-failing', 'half-or-more-failing'";

impl StandingFilter {
    fn clauses(&self, st: &mut Statement) -> Vec<String> {
        let mut on_standing: Vec<String> = Vec::new();
        if let Some(set) = &self.set {
            on_standing.push(format!("s.set_code = {}", st.bind(set.clone())));
        }
        if let Some(level) = &self.recognised_level {
            on_standing.push(format!("s.recognised_level = {}", st.bind(level.clone())));
        }
        match self.at_risk {
            Some(true) => on_standing.push(format!("s.at_risk IN ({AT_RISK})")),
            Some(false) => on_standing.push(format!(
                "(s.at_risk IS NULL OR s.at_risk NOT IN ({AT_RISK}))"
            )),
            None => {}
        }
        match self.pending_acknowledgement {
            Some(true) => on_standing.push("s.pending_acknowledgement > 0".into()),
            Some(false) => on_standing.push("s.pending_acknowledgement = 0".into()),
            None => {}
        }
        for (bound, op) in [(self.criteria_met_min, ">="), (self.criteria_met_max, "<=")] {
            if let Some(n) = bound {
                let mark = st.bind(n.to_string());
                on_standing.push(format!("s.criteria_met {op} CAST({mark} AS INTEGER)"));
            }
        }
        if let Some((code, status)) = &self.criterion {
            let (code, status) = (st.bind(code.clone()), st.bind(status.clone()));
            on_standing.push(format!(
                "EXISTS (SELECT 1 FROM proj_standing_criteria c WHERE c.locality_id = \
                 s.locality_id AND c.set_code = s.set_code AND c.criterion = {code} \
                 AND c.status = {status})"
            ));
        }
        if on_standing.is_empty() {
            return Vec::new();
        }
        vec![format!(
            "EXISTS (SELECT 1 FROM proj_standings s WHERE s.locality_id = p.locality_id AND {})",
            on_standing.join(" AND ")
        )]
    }
}

/// Rows beyond `cursor` in the order (`key` ascending or not, nulls last, then id ascending):
/// `beyond` true for those after it, false for those before it.
fn keyset(
    st: &mut Statement,
    key: &str,
    kind: &KeyType,
    descending: bool,
    cursor: &(Option<String>, String),
    beyond: bool,
) -> String {
    let id = st.bind(cursor.1.clone());
    let (id_op, null_side) = if beyond { (">", true) } else { ("<", false) };
    match &cursor.0 {
        Some(value) => {
            let value = kind.cast(&st.bind(value.clone()), st.postgres);
            let op = if descending == beyond { "<" } else { ">" };
            let nulls = if null_side {
                format!(" OR {key} IS NULL")
            } else {
                String::new()
            };
            format!(
                "({key} {op} {value} OR ({key} = {value} AND p.locality_id {id_op} {id}){nulls})"
            )
        }
        None if beyond => format!("({key} IS NULL AND p.locality_id > {id})"),
        None => format!("({key} IS NOT NULL OR p.locality_id < {id})"),
    }
}

impl Reads {
    /// One slice of the list ordered by `key` (descending when asked), in list order, and
    /// whether the list holds more rows past the slice's far end.
    pub async fn locality_slice(
        &self,
        filter: &ListFilter,
        tree: TreeOn,
        key: &SortKey,
        descending: bool,
        slice: &Slice,
    ) -> Result<(Vec<Listed>, bool), sqlx::Error> {
        let mut st = Statement {
            binds: Vec::new(),
            postgres: self.is_postgres(),
        };
        let (join, expression, kind) = key.expression(&mut st, &tree.day());
        let mut sql = format!(
            "SELECT l.locality_id, l.path, p.name, p.code, p.kind, p.parent_id, \
             l.established_on, l.ended_on, l.end_kind, l.last_position, \
             CAST({expression} AS TEXT) AS sort_key{}",
            filter.source(&mut st, tree, &join)
        );
        for (cursor, beyond) in [(&slice.after, true), (&slice.before, false)] {
            if let Some(cursor) = cursor {
                let bound = keyset(&mut st, &expression, &kind, descending, cursor, beyond);
                sql.push_str(&format!(" AND {bound}"));
            }
        }
        // From the end, the order reversed; the rows are turned back below.
        let (key_dir, nulls, id_dir) = match (descending, slice.from_end) {
            (false, false) => ("ASC", "LAST", "ASC"),
            (true, false) => ("DESC", "LAST", "ASC"),
            (false, true) => ("DESC", "FIRST", "DESC"),
            (true, true) => ("ASC", "FIRST", "DESC"),
        };
        sql.push_str(&format!(
            " ORDER BY {expression} {key_dir} NULLS {nulls}, p.locality_id {id_dir} LIMIT {}",
            slice.size + 1
        ));
        self.count(1);
        let mut rows: Vec<Listed> = with_reader!(self.readers(), conn => {
            let mut query = sqlx::query_as(&sql);
            for value in &st.binds {
                query = query.bind(value);
            }
            query.fetch_all(&mut *conn).await
        })?;
        let more = rows.len() > slice.size;
        rows.truncate(slice.size);
        if slice.from_end {
            rows.reverse();
        }
        Ok((rows, more))
    }

    /// How many localities the list holds.
    pub async fn locality_count(
        &self,
        filter: &ListFilter,
        tree: TreeOn,
    ) -> Result<i64, sqlx::Error> {
        let mut st = Statement {
            binds: Vec::new(),
            postgres: self.is_postgres(),
        };
        let sql = format!("SELECT COUNT(*){}", filter.source(&mut st, tree, ""));
        self.count(1);
        let (n,): (i64,) = with_reader!(self.readers(), conn => {
            let mut query = sqlx::query_as(&sql);
            for value in &st.binds {
                query = query.bind(value);
            }
            query.fetch_one(&mut *conn).await
        })?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_match_wildcards_as_themselves() {
        assert_eq!(contains_pattern("thach"), "%thach%");
        assert_eq!(contains_pattern("50%_x\\"), "%50\\%\\_x\\\\%");
    }

    #[test]
    fn higher_levels_rank_higher() {
        let ranks = level_ranks();
        let rank = |s: &str| ranks.iter().find(|(l, _)| *l == s).map(|(_, r)| *r);
        assert!(rank("ntm") < rank("ntm-nang-cao"));
        assert!(rank("ntm-nang-cao") < rank("ntm-kieu-mau"));
        let mut all: Vec<i64> = ranks.iter().map(|(_, r)| *r).collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), ranks.len(), "every level its own rank");
    }
}
