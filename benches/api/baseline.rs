//! The bare baseline: plain axum handlers that run the API's own SQL reads (`Reads`, the
//! `localities` page, the roll-up) and write the same JSON with serde_json, no GraphQL.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::ID;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use ntm_tracker::app::clock::Clock;
use ntm_tracker::domain::catalog::{Catalog, CriteriaSet};
use ntm_tracker::domain::terms::LocalityKind as DomainKind;
use ntm_tracker::graphql::localities::{localities_page, LocalityFilter, LocalityOrdering, Window};
use ntm_tracker::graphql::localities::{LocalityKind, LocalityOrder, OrderDirection};
use ntm_tracker::projection::read::row_kinds::{packed, unpack, Criteria, Localities, Standings};
use ntm_tracker::projection::read::{rollup, Readers, Reads, RollupQuery, StatementCount};
use ntm_tracker::projection::rows::{CriterionRow, LocalityRow, StandingRow};
use ntm_tracker::store::Db;
use serde_json::{json, Value};

#[derive(Clone)]
struct Baseline {
    db: Db,
    /// The API's read connections, shared by every request as the app shares them.
    readers: Readers,
    catalog: Arc<Catalog>,
}

type Reply = Result<Json<Value>, StatusCode>;

fn failed<E: std::fmt::Display>(error: E) -> StatusCode {
    eprintln!("baseline: {error}");
    StatusCode::INTERNAL_SERVER_ERROR
}

pub fn router(db: Db, catalog: Arc<Catalog>) -> Router {
    Router::new()
        .route("/standing/{id}", get(standing))
        .route("/page/{within}", get(page))
        .route("/summary/{parent}", get(summary))
        .route("/country", get(country))
        .with_state(Baseline {
            readers: Readers::new(db.clone()),
            db,
            catalog,
        })
}

/// A read-table spelling as the GraphQL enum value: `not-at-risk` → `NOT_AT_RISK`.
fn enum_value(spelling: &str) -> String {
    spelling.to_uppercase().replace('-', "_")
}

fn criteria_set<'c>(catalog: &'c Catalog, code: &str) -> Option<&'c CriteriaSet> {
    catalog.get(&code.parse().ok()?)
}

fn standing_json(row: &StandingRow) -> Value {
    json!({
        "set": row.set_code,
        "criteriaMet": row.criteria_met,
        "criteriaTotal": row.criteria_total,
        "levelReached": row.level_reached.as_deref().map(enum_value),
        "atRisk": row.at_risk.as_deref().map(enum_value),
    })
}

/// The criteria of one standing in the catalogue's order: criteria, then conditions.
fn criteria_json(catalog: &Catalog, set: &str, rows: &[CriterionRow]) -> Value {
    let codes: Vec<&str> = criteria_set(catalog, set).map_or_else(Vec::new, |s| {
        s.criteria
            .iter()
            .chain(s.conditions.iter().map(|c| &c.criterion))
            .map(|c| c.code.as_str())
            .collect()
    });
    let order = |code: &str| codes.iter().position(|c| *c == code).unwrap_or(usize::MAX);
    let mut mine: Vec<&CriterionRow> = rows.iter().filter(|r| r.set_code == set).collect();
    mine.sort_by_key(|r| (r.is_condition, order(&r.criterion)));
    mine.iter()
        .map(|r| {
            json!({
                "code": r.criterion,
                "status": enum_value(&r.status),
                "official": r.official.as_deref().map(enum_value),
                "computed": enum_value(&r.computed),
            })
        })
        .collect()
}

async fn standing(State(b): State<Baseline>, Path(id): Path<String>) -> Reply {
    let reads = Reads::new(b.readers.clone(), StatementCount::default());
    let ids = [id];
    // The three kinds in one statement, as the API's `locality` resolver primes them.
    let parts = [
        packed::<Localities>(&b.db, 1),
        packed::<Standings>(&b.db, 1),
        packed::<Criteria>(&b.db, 1),
    ];
    let texts = reads.fetch_packed(&parts, &ids).await.map_err(failed)?;
    let locality: Vec<LocalityRow> = unpack(&texts[0]).map_err(failed)?;
    let standings: Vec<StandingRow> = unpack(&texts[1]).map_err(failed)?;
    let criteria: Vec<CriterionRow> = unpack(&texts[2]).map_err(failed)?;
    if locality.is_empty() {
        return Ok(Json(json!({ "data": { "locality": null } })));
    }
    let standings: Vec<Value> = standings
        .iter()
        .map(|s| {
            let mut out = standing_json(s);
            out["criteria"] = criteria_json(&b.catalog, &s.set_code, &criteria);
            out
        })
        .collect();
    Ok(Json(
        json!({ "data": { "locality": { "standings": standings } } }),
    ))
}

async fn page(State(b): State<Baseline>, Path(within): Path<String>) -> Reply {
    let reads = Reads::new(b.readers, StatementCount::default());
    let filter = LocalityFilter {
        within: Some(ID(within)),
        ..LocalityFilter::default()
    };
    let tree = filter.tree(Clock::SYSTEM.today());
    let window = Window::new(Some(100), None, None, None).map_err(|e| failed(format!("{e:?}")))?;
    let order = LocalityOrdering::default();
    let page = localities_page(&reads, filter, tree, order, &window, false)
        .await
        .map_err(|e| failed(format!("{e:?}")))?;
    let ids: Vec<String> = page
        .edges
        .iter()
        .map(|e| e.node.row.locality_id.clone())
        .collect();
    let mut standings: HashMap<String, Vec<Value>> = HashMap::new();
    for row in reads.rows::<Standings>(&ids).await.map_err(failed)? {
        let entry = standings.entry(row.locality_id.clone()).or_default();
        entry.push(standing_json(&row));
    }
    let edges: Vec<Value> = page
        .edges
        .iter()
        .map(|e| {
            let row = &e.node.row;
            let mine = standings.remove(&row.locality_id).unwrap_or_default();
            json!({ "node": { "id": row.locality_id, "name": row.name, "standings": mine } })
        })
        .collect();
    Ok(Json(
        json!({ "data": { "localities": { "edges": edges } } }),
    ))
}

#[derive(serde::Deserialize)]
struct CountryArgs {
    name: Option<String>,
}

/// The first 10 of the country by code, communes with `name` in it when given.
async fn country(State(b): State<Baseline>, Query(args): Query<CountryArgs>) -> Reply {
    let reads = Reads::new(b.readers, StatementCount::default());
    let filter = LocalityFilter {
        kinds: args.name.is_some().then(|| vec![LocalityKind::Commune]),
        name: args.name,
        ..LocalityFilter::default()
    };
    let tree = filter.tree(Clock::SYSTEM.today());
    let window = Window::new(Some(10), None, None, None).map_err(|e| failed(format!("{e:?}")))?;
    let order = LocalityOrdering {
        field: LocalityOrder::Code,
        direction: OrderDirection::Asc,
    };
    let page = localities_page(&reads, filter, tree, order, &window, false)
        .await
        .map_err(|e| failed(format!("{e:?}")))?;
    let edges: Vec<Value> = page
        .edges
        .iter()
        .map(|e| {
            let row = &e.node.row;
            let kind = row.kind.as_deref().map(enum_value);
            json!({ "node": { "id": row.locality_id, "name": row.name, "code": row.code, "kind": kind } })
        })
        .collect();
    Ok(Json(
        json!({ "data": { "localities": { "edges": edges } } }),
    ))
}

#[derive(serde::Deserialize)]
struct SummaryArgs {
    set: String,
    on: NaiveDate,
}

async fn summary(
    State(b): State<Baseline>,
    Path(parent): Path<String>,
    Query(args): Query<SummaryArgs>,
) -> Reply {
    let set = criteria_set(&b.catalog, &args.set).ok_or(StatusCode::NOT_FOUND)?;
    let below = i32::try_from(set.criteria.len()).unwrap_or(0);
    let query = RollupQuery {
        parent: &parent,
        on: args.on,
        kinds: &[DomainKind::Commune],
        set: Some(set),
        below,
        census: None,
    };
    let r = rollup(&b.db, query).await.map_err(failed)?.total;
    let count = |name: &str, label: Value, units: i64| json!({ name: label, "units": units, "percent": r.percent(units) });
    let bands: Vec<Value> = set
        .bands
        .iter()
        .zip(&r.bands)
        .map(|(band, units)| json!({ "from": band.from, "to": band.to, "units": units, "percent": r.percent(*units) }))
        .collect();
    let passed: Vec<Value> = r
        .criteria_passed
        .iter()
        .map(|(criterion, units)| count("criterion", json!(criterion), *units))
        .collect();
    Ok(Json(json!({ "data": { "summary": {
        "on": args.on.to_string(),
        "units": r.units,
        "unitsWithData": r.with_data,
        "averageCriteriaMet": r.average_criteria_met(),
        "below": r.below,
        "atRisk": r.at_risk,
        "bands": bands,
        "criteriaPassed": passed,
    } } })))
}
