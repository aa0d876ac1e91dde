//! What the data-entry page reads and writes: one document for the commune, the sets it is
//! enrolled in and the chosen set's criteria with their indicators and latest readings, and
//! the mutations its forms run (through the API in the process, as the person signed in).

use serde::Deserialize;

/// The commune, its sets and ancestors (for the scope), and with `$withSet` the set's
/// catalogue and the commune's standing in it. `$min`: the position a write just reached.
pub const ENTRY: &str = "query Entry($id: ID, $code: String, $on: Date!, $set: String!,
    $withSet: Boolean!, $min: Int) {
  criteriaSets { code titleVi titleEn appliesTo }
  locality(id: $id, code: $code, on: $on, minPosition: $min) { id name kind
    parent { id parent { id parent { id } } }
    standings { set enrolled }
    standing(set: $set, on: $on) @include(if: $withSet) {
      criteria { code indicators { code reading { text } readOn target { text } } } } }
  criteriaSet(code: $set) @include(if: $withSet) { code level
    criteria { ...Criterion } conditions { ...Criterion } } }
fragment Criterion on CriterionDefinition { code nameVi nameEn
  indicators { code nameVi nameEn kind unit comparator } }";

pub const ENROL: &str = "mutation($input: EnrolLocalityInput!) {
  enrolLocality(input: $input) { position } }";

pub const CRITERION: &str = "mutation($input: RecordCriterionEntryInput!) {
  recordCriterionEntry(input: $input) { position } }";

pub const VOTE: &str = "mutation($input: RecordAppraisalVoteInput!) {
  recordAppraisalVote(input: $input) { position } }";

/// What a mutation answers.
#[derive(Debug, Deserialize)]
pub struct Written {
    #[serde(alias = "enrolLocality", alias = "recordCriterionEntry")]
    #[serde(alias = "recordAppraisalVote", alias = "recordDecision")]
    pub result: Position,
}

#[derive(Debug, Deserialize)]
pub struct Position {
    pub position: i64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryData {
    pub criteria_sets: Vec<SetSummary>,
    pub locality: Option<Commune>,
    pub criteria_set: Option<SetDefinition>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetSummary {
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    pub applies_to: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Commune {
    pub id: String,
    pub name: Option<String>,
    pub kind: Option<String>,
    pub parent: Option<Ancestor>,
    pub standings: Vec<Enrolment>,
    pub standing: Option<Standing>,
}

impl Commune {
    /// Whether a scope rooted at `root` holds this commune (itself or an ancestor).
    pub fn within(&self, root: &str) -> bool {
        let mut next = self.parent.as_ref();
        let mut found = self.id == root;
        while let Some(ancestor) = next {
            found |= ancestor.id == root;
            next = ancestor.parent.as_deref();
        }
        found
    }

    /// The sets it is enrolled in.
    pub fn enrolled(&self) -> Vec<&str> {
        self.standings
            .iter()
            .filter(|s| s.enrolled)
            .map(|s| s.set.as_str())
            .collect()
    }

    /// The latest reading and target of indicator `code`.
    pub fn indicator(&self, code: &str) -> Option<&IndicatorStanding> {
        self.standing
            .as_ref()?
            .criteria
            .iter()
            .flat_map(|c| &c.indicators)
            .find(|i| i.code == code)
    }
}

#[derive(Debug, Deserialize)]
pub struct Ancestor {
    pub id: String,
    pub parent: Option<Box<Ancestor>>,
}

#[derive(Debug, Deserialize)]
pub struct Enrolment {
    pub set: String,
    pub enrolled: bool,
}

#[derive(Debug, Deserialize)]
pub struct Standing {
    pub criteria: Vec<CriterionStanding>,
}

#[derive(Debug, Deserialize)]
pub struct CriterionStanding {
    pub indicators: Vec<IndicatorStanding>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndicatorStanding {
    pub code: String,
    pub reading: Option<Text>,
    pub read_on: Option<chrono::NaiveDate>,
    pub target: Option<Text>,
}

#[derive(Debug, Deserialize)]
pub struct Text {
    pub text: String,
}

#[derive(Debug, Deserialize)]
pub struct SetDefinition {
    pub code: String,
    pub level: String,
    pub criteria: Vec<CriterionDefinition>,
    pub conditions: Vec<CriterionDefinition>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CriterionDefinition {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub indicators: Vec<IndicatorDefinition>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndicatorDefinition {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// `PERCENT`, `NUMBER`, `COUNT` or `BOOLEAN`.
    pub kind: String,
    pub unit: String,
    pub comparator: String,
}

/// The commune's place in the tree, for the link to its data entry.
pub const ANCESTORS: &str = "query Ancestors($id: ID!) {
  locality(id: $id) { id name kind parent { id parent { id parent { id } } } standings { set enrolled } } }";

#[derive(Debug, Deserialize)]
pub struct AncestorsData {
    pub locality: Option<Commune>,
}
