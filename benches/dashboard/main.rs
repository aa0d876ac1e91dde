//! Dashboard benchmark (issue 20): each page's server time (p50/p99) beside the API's own for
//! the same data (the page's GraphQL documents POSTed to `/graphql`, one after the other), and
//! each page's size raw and compressed, on the demo; SQLite always, PostgreSQL when
//! `TEST_DATABASE_URL` is set (`NTM_BENCH_ENGINES` for one of them).
//!
//! `cargo bench --bench dashboard` (`NTM_BENCH_ITERATIONS`, default 30, per page and side;
//! `NTM_BENCH_COMMUNES`, default 0, above 0: also the generated history of `benches/api`, that
//! many communes × 100 events under `NTM_BENCH_DISTRICTS`, default 100).

#[path = "../../tests/it/support/history.rs"]
#[expect(
    dead_code,
    reason = "the generator's steady-load helper is not used here"
)]
mod history;
#[path = "../common/scratch.rs"]
mod scratch;
#[path = "../common/serve.rs"]
mod serve;

use std::sync::Arc;
use std::time::{Duration, Instant};

use ntm_tracker::app::progress::Quiet;
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::projection::{self, ProjectorConfig};
use ntm_tracker::store::EventStore;
use ntm_tracker::web::documents;
use ntm_tracker::{app, demo, AccessSettings, AppState};
use serde_json::{json, Value};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One page and the API requests that read the same data.
struct Page {
    name: &'static str,
    path: String,
    api: Vec<(&'static str, Value)>,
}

async fn post(client: &reqwest::Client, base: &str, document: &str, variables: &Value) {
    let response = client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": document, "variables": variables }))
        .send()
        .await
        .expect("API request");
    let body: Value = response.json().await.expect("API JSON");
    assert!(body.get("errors").is_none(), "{body:#}");
}

async fn id_of(client: &reqwest::Client, base: &str, code: &str, on: &str) -> String {
    let body: Value = client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": "query($c: String!, $on: Date!) { locality(code: $c, on: $on) { id } }",
            "variables": { "c": code, "on": on } }))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("JSON");
    body["data"]["locality"]["id"]
        .as_str()
        .expect("the unit")
        .to_owned()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// What a run measures: the demo, or a generated history of that shape.
enum Seed {
    Demo,
    Generated(history::Shape),
}

async fn run(engine: &str, seed: Seed, iterations: usize) {
    let scratch = scratch::scratch(engine).await;
    let db = scratch.db.clone();
    db.migrate().await.expect("migrate");
    let store = EventStore::open(db.clone()).await.expect("open");
    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    let started = Instant::now();
    let what = match &seed {
        Seed::Demo => {
            demo::load(&store, catalog.clone(), &Quiet)
                .await
                .expect("demo");
            "the demo".to_owned()
        }
        Seed::Generated(shape) => {
            history::generate(&store, shape).await;
            projection::replay(&store, catalog.clone(), |_| {})
                .await
                .expect("replay");
            format!(
                "a generated history of {} communes under {} districts",
                shape.communes, shape.districts
            )
        }
    };
    let last = store.last_position().await.expect("position");
    let (projections, projector) =
        projection::spawn(store.clone(), catalog.clone(), ProjectorConfig::default());
    projections
        .wait_for(last, Duration::from_secs(900))
        .await
        .expect("projected");
    println!(
        "\n{engine}: {what}, {last} events, loaded and projected in {:.0} s\n",
        started.elapsed().as_secs_f64()
    );
    let state = AppState {
        store: store.clone(),
        catalog: catalog.clone().into(),
        projections,
        access: AccessSettings {
            home: Some("42".into()),
            ..AccessSettings::default()
        },
        redecide: Default::default(),
        clock: Default::default(),
    };
    let (base, server) = serve::serve(app(state)).await;
    let client = reqwest::Client::new();
    let pages = match seed {
        Seed::Demo => demo_pages(&client, &base).await,
        Seed::Generated(_) => generated_pages(),
    };
    measure(&client, &base, pages, iterations).await;
    server.abort();
    projector.abort();
    scratch.finish().await;
}

fn overview(id: &str, on: &str) -> Value {
    let today = ntm_tracker::app::clock::today().to_string();
    json!({ "id": id, "on": on, "today": today, "order": "CODE", "descending": false })
}

fn rows(id: &str, on: &str, set: &str) -> Value {
    json!({ "within": id, "on": on, "standingOn": on, "set": set, "first": 100 })
}

fn audit(id: &str) -> Value {
    let today = ntm_tracker::app::clock::today().to_string();
    json!({ "filter": { "subtree": id, "on": today }, "first": 50, "unit": id, "scoped": true })
}

/// The generated province's overview and one district's heat map at the end of 2024.
fn generated_pages() -> Vec<Page> {
    let on = "2024-12-31";
    let province = history::province().to_string();
    let district = history::district(0).to_string();
    vec![
        Page {
            name: "province overview, 31/12/2024",
            path: format!("/don-vi/{province}?on={on}"),
            api: vec![(documents::OVERVIEW, overview(&province, on))],
        },
        Page {
            name: "district heat map, 31/12/2024",
            path: format!("/don-vi/{district}/bang-tieu-chi?on={on}"),
            api: vec![
                (
                    documents::HEAT_MAP_UNIT,
                    json!({ "id": district, "on": on }),
                ),
                (documents::HEAT_MAP_ROWS, rows(&district, on, history::SET)),
            ],
        },
        Page {
            name: "audit log of the province",
            path: format!("/nhat-ky?don-vi={province}"),
            api: vec![(documents::AUDIT, audit(&province))],
        },
    ]
}

async fn demo_pages(client: &reqwest::Client, base: &str) -> Vec<Page> {
    let on = "2019-12-31";
    let province = id_of(client, base, "42", on).await;
    let city = id_of(client, base, "436", on).await;
    let set = "NTM-XA-2016-2020";
    vec![
        Page {
            name: "province overview, 31/12/2019",
            path: format!("/don-vi/{province}?on={on}"),
            api: vec![(documents::OVERVIEW, overview(&province, on))],
        },
        Page {
            name: "district heat map, 31/12/2019",
            path: format!("/don-vi/{city}/bang-tieu-chi?on={on}"),
            api: vec![
                (documents::HEAT_MAP_UNIT, json!({ "id": city, "on": on })),
                (documents::HEAT_MAP_ROWS, rows(&city, on, set)),
            ],
        },
        Page {
            name: "province heat map (100 communes), 31/12/2019",
            path: format!("/don-vi/{province}/bang-tieu-chi?on={on}"),
            api: vec![
                (
                    documents::HEAT_MAP_UNIT,
                    json!({ "id": province, "on": on }),
                ),
                (documents::HEAT_MAP_ROWS, rows(&province, on, set)),
            ],
        },
        Page {
            name: "audit log of the province",
            path: format!("/nhat-ky?don-vi={province}"),
            api: vec![(documents::AUDIT, audit(&province))],
        },
    ]
}

/// Each page and its API requests in turn, `iterations` times after two of warm-up.
async fn measure(client: &reqwest::Client, base: &str, pages: Vec<Page>, iterations: usize) {
    println!("| page | page p50 ms | page p99 ms | API p50 ms | API p99 ms | page ÷ API (p50) | HTML KB | gzip KB |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for page in pages {
        let url = format!("{base}{}", page.path);
        let mut page_times = Vec::with_capacity(iterations);
        let mut api_times = Vec::with_capacity(iterations);
        for _ in 0..iterations + 2 {
            let t = Instant::now();
            let response = client.get(&url).send().await.expect("page");
            assert_eq!(response.status(), 200, "{url}");
            let _ = response.bytes().await.expect("HTML");
            page_times.push(t.elapsed());
            let t = Instant::now();
            for (document, variables) in &page.api {
                post(client, base, document, variables).await;
            }
            api_times.push(t.elapsed());
        }
        // The first two of each are warm-up.
        let (mut page_times, mut api_times) = (page_times.split_off(2), api_times.split_off(2));
        page_times.sort();
        api_times.sort();
        let raw = client
            .get(&url)
            .send()
            .await
            .expect("page")
            .bytes()
            .await
            .expect("HTML")
            .len();
        let gzip = client
            .get(&url)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .expect("page")
            .bytes()
            .await
            .expect("gzip")
            .len();
        println!(
            "| {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} | {:.0} | {:.0} |",
            page.name,
            percentile(&page_times, 0.5),
            percentile(&page_times, 0.99),
            percentile(&api_times, 0.5),
            percentile(&api_times, 0.99),
            percentile(&page_times, 0.5) / percentile(&api_times, 0.5),
            raw as f64 / 1024.0,
            gzip as f64 / 1024.0,
        );
    }
}

fn main() {
    let runtime = scratch::runtime();
    let iterations: usize = scratch::env_number("NTM_BENCH_ITERATIONS", 30);
    let communes: u128 = scratch::env_number("NTM_BENCH_COMMUNES", 0);
    let districts: u128 = scratch::env_number("NTM_BENCH_DISTRICTS", 100);
    for engine in scratch::engines() {
        runtime.block_on(run(engine, Seed::Demo, iterations));
        if communes > 0 {
            let shape = history::Shape {
                districts,
                communes,
                events_per_commune: 100,
            };
            runtime.block_on(run(engine, Seed::Generated(shape), iterations));
        }
    }
}
