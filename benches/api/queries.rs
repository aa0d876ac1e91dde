//! The five reads of the API benchmark, as GraphQL documents and as the bare baseline's paths.

use serde_json::{json, Value};

/// (a) One locality's present standings with their criteria.
pub const STANDING: &str = "query Standing($id: ID!) { locality(id: $id) { standings { \
     set criteriaMet criteriaTotal levelReached atRisk \
     criteria { code status official computed } } } }";

/// (b) A page of 100 localities of a subtree, each with its present standings.
pub const PAGE: &str = "query Page($within: ID!) { \
     localities(first: 100, filter: { within: $within }) { edges { node { id name \
     standings { set criteriaMet criteriaTotal levelReached atRisk } } } } }";

/// (c) The roll-up of a province on a date.
pub const SUMMARY: &str = "query Summary($parent: ID!, $set: String!, $on: Date!) { \
     summary(parent: $parent, set: $set, on: $on) { on units unitsWithData averageCriteriaMet \
     below atRisk bands { from to units percent } criteriaPassed { criterion units percent } } }";

/// (d) The first page of the whole country by code, and (e) the same with a filter on kind
/// and name: `$filter` is `{}` or `{kinds: [COMMUNE], name: "ab"}` (about one commune in ten of
/// the generated names).
pub const COUNTRY: &str = "query Country($filter: LocalityFilter) { \
     localities(first: 10, orderBy: {field: CODE}, filter: $filter) { \
     edges { node { id name code kind } } } }";

/// One measured read: how to ask the API and the baseline for the `k`-th request.
pub struct Read {
    pub label: &'static str,
    pub document: &'static str,
    /// Variables of request `k`.
    pub variables: Box<dyn Fn(usize) -> Value + Send + Sync>,
    /// Baseline path of request `k`.
    pub path: Box<dyn Fn(usize) -> String + Send + Sync>,
}

/// The five reads over `communes` (visited in a scattered order), `districts` and `province`.
pub fn reads(
    communes: Vec<String>,
    districts: Vec<String>,
    province: String,
    set: &'static str,
    on: &'static str,
) -> Vec<Read> {
    let communes = std::sync::Arc::new(communes);
    let pick = {
        let communes = communes.clone();
        move |k: usize| communes[k.wrapping_mul(7_919) % communes.len()].clone()
    };
    let pick_too = pick.clone();
    let districts = std::sync::Arc::new(districts);
    let district = move |k: usize| districts[k % districts.len()].clone();
    let district_too = district.clone();
    let province_too = province.clone();
    vec![
        Read {
            label: "(a) one locality's standings with criteria",
            document: STANDING,
            variables: Box::new(move |k| json!({ "id": pick(k) })),
            path: Box::new(move |k| format!("/standing/{}", pick_too(k))),
        },
        Read {
            label: "(b) page of 100 localities with standings",
            document: PAGE,
            variables: Box::new(move |k| json!({ "within": district(k) })),
            path: Box::new(move |k| format!("/page/{}", district_too(k))),
        },
        Read {
            label: "(c) province summary",
            document: SUMMARY,
            variables: Box::new(move |_| json!({ "parent": province, "set": set, "on": on })),
            path: Box::new(move |_| format!("/summary/{province_too}?set={set}&on={on}")),
        },
        Read {
            label: "(d) country, first 10 by code",
            document: COUNTRY,
            variables: Box::new(|_| json!({ "filter": {} })),
            path: Box::new(|_| "/country".to_owned()),
        },
        Read {
            label: "(e) country, first 10 by code, kind and name",
            document: COUNTRY,
            variables: Box::new(|_| json!({ "filter": { "kinds": ["COMMUNE"], "name": "ab" } })),
            path: Box::new(|_| "/country?name=ab".to_owned()),
        },
    ]
}
