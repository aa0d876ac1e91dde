//! The seven dashboard screens of issue 19 (`tests/clients/apollo/dashboard.mjs`), each one
//! request, over the generated history: a province of `districts` districts and their communes.

use serde_json::{json, Value};

use crate::queries::Read;

const PROVINCE: &str = "query Province($id: ID!, $on: Date!) {
    locality(id: $id, on: $on) { id name code
      summary(on: $on) { on units unrecognised averageCriteriaMet atRisk pendingAcknowledgement
        levels { level units percent } bands { from to units }
        children(orderBy: CODE) { units averageCriteriaMet levels { level units percent }
          locality { id name code kind } } }
      summarySeries(from: \"2021-12-31\", to: $on, every: YEAR) {
        on units averageCriteriaMet levels { level units } } } }";

const HEAT_MAP: &str = "query HeatMap($id: ID!, $on: Date!, $set: String!) {
    locality(id: $id, on: $on) { id name
      children { id name code
        standing(set: $set, on: $on) { id criteriaMet
          criteria { code nameVi status official computed } } } } }";

const TIMELINE: &str = "query Timeline($id: ID!, $set: String!) {
    locality(id: $id) { id name code endedOn
      periods { validFrom name code kind }
      successors { kind effectiveOn legalAct locality { id name } }
      standingSeries(set: $set, from: \"2021-01-01\", to: \"2025-12-31\") {
        id on exists criteriaMet levelReached recognition { level decision } }
      history(first: 20) { totalCount edges { cursor node { id position type effectiveOn } } } } }";

const FEED: &str = "query Feed($id: ID!) {
    head { position projected }
    events(order: NEWEST_FIRST, first: 20, filter: { subtree: $id }) { totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id position type recordedAt locality { id name code }
        details { __typename } } } } }";

const AT_RISK: &str = "query AtRisk($set: String!) {
    localities(filter: { atRisk: true, set: $set, kinds: [COMMUNE] }, first: 20,
        orderBy: { field: CRITERIA_MET }) { totalCount
      edges { cursor node { id name code standing(set: $set) { id atRisk criteriaMet } } } } }";

const CHANGES: &str = "query Changes($id: ID!, $set: String!) {
    locality(id: $id) { id name
      before: standing(set: $set, on: \"2022-12-31\") { id on criteriaMet levelReached }
      after: standing(set: $set, on: \"2024-12-31\") { id on criteriaMet levelReached } } }";

const SEARCH: &str = "query Search($text: String!) {
    localities(filter: { name: $text }, first: 10, orderBy: { field: NAME }) { totalCount
      edges { cursor node { id name code kind } } } }";

fn screen(label: &'static str, document: &'static str, variables: Value) -> Read {
    Read {
        label,
        document,
        variables: Box::new(move |_| variables.clone()),
        path: Box::new(|_| String::new()),
    }
}

/// The screens as a frontend asks them: the same variables every time, as the many readers of
/// one office's screens do.
pub fn screens(
    province: String,
    district: String,
    commune: String,
    set: &str,
    on: &str,
) -> Vec<Read> {
    vec![
        screen(
            "province by district, with its years",
            PROVINCE,
            json!({ "id": province, "on": on }),
        ),
        screen(
            "district heat map on a past date",
            HEAT_MAP,
            json!({ "id": district, "on": on, "set": set }),
        ),
        screen(
            "commune timeline",
            TIMELINE,
            json!({ "id": commune, "set": set }),
        ),
        screen(
            "audit feed of the province, newest first, with totalCount",
            FEED,
            json!({ "id": province }),
        ),
        screen("communes at risk today", AT_RISK, json!({ "set": set })),
        screen(
            "changes between two dates",
            CHANGES,
            json!({ "id": commune, "set": set }),
        ),
        screen("search \"ab\"", SEARCH, json!({ "text": "ab" })),
    ]
}
