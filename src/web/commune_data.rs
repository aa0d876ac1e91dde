//! What a commune-level unit's page reads: two documents run through the API. The first
//! finds the unit and asks the API which criteria set grades it on the date (and which sets it
//! has facts for); the second reads everything the page shows with those sets as variables,
//! since a document cannot feed one field's answer into another's argument.

use chrono::NaiveDate;
use serde::Deserialize;

use super::commune_log_data::{Diff, Events, Text};
use super::layout::Head;
use super::overview_data::Named;

/// The first document: the unit by id or code, the set grading it on the date (`gradingSet`,
/// else the set in force for its kind when it no longer exists), the sets it has facts for,
/// and the parents its periods name.
pub const COMMUNE_SETS: &str = "query CommuneSets($id: ID, $code: String, $on: Date!) {
  locality(id: $id, code: $code, on: $on) { id kind
    gradingSet(on: $on) { set { code } }
    recognised(on: $on) { gradedBy }
    standings { set }
    periods { parentId } } }";

/// The second document. `$set` is the set grading the unit on the date (`$graded` false: no
/// set does, nor has it facts for any); `$s1`..`$s3` the other sets it has facts for (each
/// with its `$w` flag), whose yearly series the chart draws where the API says they graded
/// the unit.
pub const COMMUNE: &str = "query Commune($id: ID!, $on: Date!, $today: Date!, $set: String!, $graded: Boolean!,
    $s1: String!, $w1: Boolean!, $s2: String!, $w2: Boolean!, $s3: String!, $w3: Boolean!,
    $parents: [ID!]!, $after: String, $from: Date!, $to: Date!, $withDiff: Boolean!) {
  head { position recordedAt projected }
  criteriaSets { code titleVi titleEn legalAct appliesTo }
  parents: nodes(ids: $parents) { ... on Locality { id name code kind } }
  locality(id: $id, on: $on) { id name code kind establishedOn endedOn
    parent { id name code kind }
    periods { validFrom validTo name code kind parentId }
    predecessors { ...Link } successors { ...Link }
    recognised(on: $on) { exists atRisk pendingAcknowledgement recognition { ...Held } }
    standing(set: $set, on: $on) @include(if: $graded) { set gradedBy enrolled criteriaMet criteriaTotal
      levelReached
      criteria { code nameVi nameEn isKey isCondition status computed official officialLevel
        officialOn differs indicators { code status reading { ...Value } readOn target { ...Value } } } }
    s0: standingSeries(set: $set, from: \"2016-01-01\", to: $today) @include(if: $graded) {
      ...Point }
    s1: standingSeries(set: $s1, from: \"2016-01-01\", to: $today) @include(if: $w1) { ...Point }
    s2: standingSeries(set: $s2, from: \"2016-01-01\", to: $today) @include(if: $w2) { ...Point }
    s3: standingSeries(set: $s3, from: \"2016-01-01\", to: $today) @include(if: $w3) { ...Point }
    decisions: history(types: [RECOGNITION_GRANTED, RECOGNITION_REVOKED,
        RECOGNITION_ACKNOWLEDGED, LOCALITIES_MERGED], to: $on, first: 50) { edges { node { ...Decided } } } }
  evidence: events(filter: { locality: $id, types: [INDICATOR_RECORDED, CRITERION_ASSESSED],
      effectiveTo: $on }, order: NEWEST_FIRST, first: 500) {
    pageInfo { hasNextPage } edges { node { ...Proved } } }
  retracted: events(filter: { locality: $id, types: [EVENT_RETRACTED] }, first: 100) {
    edges { node { details { ... on EventRetractedDetails { retractedVersion } } } } }
  feed: events(filter: { locality: $id }, order: NEWEST_FIRST, first: 20, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ...Logged } } }
  diff(locality: $id, set: $set, from: $from, to: $to) @include(if: $withDiff) {
    set from to criteriaMetFrom criteriaMetTo levelReachedFrom levelReachedTo
    recognisedLevelFrom recognisedLevelTo criteria { code nameVi nameEn from to }
    indicators { code from to readingFrom { ...Value } readingTo { ...Value } } } }
fragment Link on LineageLink { kind effectiveOn legalAct locality { id name code kind } }
fragment Held on Recognition { level decision set recognisedOn standardYear batch overrideReason }
fragment Value on MeasuredValue { kind value flag text }
fragment Point on Standing { on exists inForce gradedBy criteriaMet criteriaTotal }
fragment Decided on Event { position type effectiveOn recordedAt actor details { __typename
    ... on RecognitionGrantedDetails { decision set level standardYear signedOn issuer batch }
    ... on RecognitionRevokedDetails { decision revoked reason }
    ... on RecognitionAcknowledgedDetails { decision set level standardYear acknowledges }
    ... on LocalitiesMergedDetails { act: legalAct
      pending: predecessorRecognitions { decision set level standardYear } } } }
fragment Proved on Event { version effectiveOn recordedAt actor details {
    ... on IndicatorRecordedDetails { set indicator evidence { ...Proof } }
    ... on CriterionAssessedDetails { set criterion level evidence { ...Proof } } } }
fragment Logged on Event { position version type effectiveOn recordedAt actor reason
  details { __typename
    ... on IndicatorRecordedDetails { set indicator value { ...Value } evidence { ...Proof } }
    ... on CriterionAssessedDetails { set criterion met level evidence { ...Proof } }
    ... on AppraisalVotedDetails { set level inFavour evidence { ...Proof } }
    ... on RecognitionGrantedDetails { decision set level standardYear signedOn issuer batch }
    ... on RecognitionRevokedDetails { decision revoked reason }
    ... on RecognitionAcknowledgedDetails { decision set level standardYear acknowledges }
    ... on ProgrammeEnrolledDetails { set targetYear }
    ... on LocalityEstablishedDetails { name kind code }
    ... on LocalityRenamedDetails { act: legalAct name }
    ... on LocalityReclassifiedDetails { act: legalAct kind }
    ... on LocalityRecodedDetails { act: legalAct newCode: code }
    ... on LocalityTransferredDetails { act: legalAct }
    ... on MergedIntoDetails { act: legalAct }
    ... on LocalitiesMergedDetails { act: legalAct }
    ... on LocalitySplitDetails { act: legalAct }
    ... on LocalityDissolvedDetails { act: legalAct }
    ... on EventRetractedDetails { retractedVersion reason } } }
fragment Proof on Evidence { document fileRef note attachments { name url } }";

/// What the first document answers.
#[derive(Debug, Deserialize)]
pub struct SetsData {
    pub locality: Option<SetsOfUnit>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetsOfUnit {
    pub id: String,
    pub kind: Option<String>,
    pub grading_set: Option<GradingSet>,
    pub recognised: Option<GradedBy>,
    pub standings: Vec<SetCode>,
    pub periods: Vec<ParentOfPeriod>,
}

#[derive(Debug, Deserialize)]
pub struct GradingSet {
    pub set: SetCode,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GradedBy {
    pub graded_by: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SetCode {
    #[serde(alias = "set")]
    pub code: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParentOfPeriod {
    pub parent_id: Option<String>,
}

impl SetsOfUnit {
    /// The set grading the unit on the date, as the API names it; none when no set is in
    /// force for it.
    pub fn grading(&self) -> Option<&str> {
        self.grading_set
            .as_ref()
            .map(|g| g.set.code.as_str())
            .or_else(|| self.recognised.as_ref()?.graded_by.as_deref())
    }
}

/// What the second document answers.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommuneData {
    pub head: Head,
    pub criteria_sets: Vec<SetTitle>,
    pub parents: Vec<Option<Named>>,
    pub locality: Option<Unit>,
    pub evidence: Events,
    pub retracted: Events,
    pub feed: Events,
    pub diff: Option<Diff>,
}

/// A set's names and the kinds it grades.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetTitle {
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    pub legal_act: Option<String>,
    pub applies_to: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Unit {
    pub id: String,
    pub name: Option<String>,
    pub code: Option<String>,
    pub kind: Option<String>,
    pub established_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub parent: Option<Named>,
    pub periods: Vec<Period>,
    pub predecessors: Vec<Link>,
    pub successors: Vec<Link>,
    pub recognised: Option<Recognised>,
    pub standing: Option<Standing>,
    #[serde(default)]
    pub s0: Vec<Point>,
    #[serde(default)]
    pub s1: Vec<Point>,
    #[serde(default)]
    pub s2: Vec<Point>,
    #[serde(default)]
    pub s3: Vec<Point>,
    pub decisions: Events,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub name: Option<String>,
    pub code: Option<String>,
    pub kind: Option<String>,
    pub parent_id: Option<String>,
}

/// A lineage edge: merged into, split into, formed from.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    pub kind: String,
    pub effective_on: NaiveDate,
    pub legal_act: Option<String>,
    pub locality: Option<Named>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recognised {
    pub exists: bool,
    pub at_risk: Option<String>,
    pub pending_acknowledgement: i64,
    pub recognition: Option<Held>,
}

/// A recognition held on the date.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Held {
    pub level: String,
    pub decision: String,
    pub set: String,
    pub recognised_on: NaiveDate,
    pub standard_year: i64,
    pub batch: Option<String>,
    pub override_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Standing {
    pub set: String,
    pub graded_by: String,
    pub enrolled: bool,
    pub criteria_met: i64,
    pub criteria_total: i64,
    pub level_reached: Option<String>,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Criterion {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub is_key: bool,
    pub is_condition: bool,
    pub status: String,
    pub computed: String,
    pub official: Option<String>,
    pub official_level: Option<String>,
    pub official_on: Option<NaiveDate>,
    pub differs: bool,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Indicator {
    pub code: String,
    pub status: String,
    pub reading: Option<Text>,
    pub read_on: Option<NaiveDate>,
    pub target: Option<Text>,
}

/// One year's end of a standing series.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Point {
    pub on: NaiveDate,
    pub exists: bool,
    pub in_force: bool,
    pub graded_by: String,
    pub criteria_met: i64,
    pub criteria_total: i64,
}
