//! The dashboard's pages read over HTTP on the demo, as an office reads them: the published
//! figures are on the pages, and every figure equals what `/graphql` answers for the same
//! question and date (issue 20). The browser tests (`tests/it/browser`) drive the same pages in
//! Chromium.

use ntm_tracker::store::EventStore;
use ntm_tracker::AccessSettings;
use serde_json::{json, Value};

use crate::support::server::Server;
use crate::support::TestDb;

/// A page: its status and HTML.
async fn page(server: &Server, path: &str) -> (u16, String) {
    let response = reqwest::get(server.url(path)).await.expect("the page");
    let status = response.status().as_u16();
    (status, response.text().await.expect("its HTML"))
}

/// The text after `marker` up to the next `<`, trimmed.
fn text_after<'a>(html: &'a str, marker: &str) -> &'a str {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} is not on the page"));
    let rest = &html[at + marker.len()..];
    rest[..rest.find('<').unwrap_or(rest.len())].trim()
}

/// The value of the figure card `key` (e.g. `units`, `NTM`).
fn figure<'a>(html: &'a str, key: &str) -> &'a str {
    let at = html
        .find(&format!("data-figure=\"{key}\""))
        .unwrap_or_else(|| panic!("no figure {key}"));
    text_after(&html[at..], "class=\"value\">")
}

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

pub async fn dashboard_pages(db: &TestDb, store: &EventStore) {
    let access = AccessSettings {
        failures_per_minute: 10_000,
        home: Some("42".into()),
        ..AccessSettings::default()
    };
    let server = Server::start_with(db, access).await;
    let head = store.last_position().await.expect("position");
    server.caught_up(head).await;
    let province = server
        .data(
            "{ locality(code: \"42\", on: \"2018-12-31\") { id } }",
            json!({}),
        )
        .await["locality"]["id"]
        .as_str()
        .expect("Hà Tĩnh")
        .to_owned();

    overview_on_a_past_date(&server, &province, head).await;
    heat_map_of_a_district(&server).await;
    search_and_audit(&server, &province).await;
    bad_input(&server).await;
    let engine = if db.url.starts_with("sqlite") {
        "sqlite"
    } else {
        "postgres"
    };
    super::browser_walk::walk(&server, engine).await;
}

/// `/` is Hà Tĩnh's overview: end of 2018, 158 of 229 communes NTM (69,0 %), 17,7 criteria.
async fn overview_on_a_past_date(server: &Server, province: &str, head: i64) {
    let (status, html) = page(server, "/?on=2018-12-31").await;
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=\"vi\""));
    assert!(html.contains("<h1>Tỉnh Hà Tĩnh</h1>"), "{html}");
    assert!(
        html.contains(&format!("data-position=\"{head}\"")),
        "freshness"
    );
    assert_eq!(figure(&html, "units"), "229");
    assert_eq!(figure(&html, "NTM"), "158");
    assert_eq!(figure(&html, "average"), "17,7");
    assert!(html.contains("69,0 %"));

    // The same figures as the API's for the same question and date.
    let summary = server
        .data(
            "query($p: ID!) { summary(parent: $p, on: \"2018-12-31\") { units averageCriteriaMet
                atRisk children { units locality { id } } } }",
            json!({ "p": province }),
        )
        .await["summary"]
        .clone();
    assert_eq!(figure(&html, "units"), summary["units"].to_string());
    assert_eq!(figure(&html, "at-risk"), summary["atRisk"].to_string());
    let children = summary["children"].as_array().expect("children");
    let table = &html[html.find("id=\"children\"").expect("children table")..];
    for child in children {
        let id = child["locality"]["id"].as_str().expect("id");
        assert!(
            table.contains(&format!("data-id=\"{id}\"")),
            "{id} has a row"
        );
    }
    assert_eq!(count(table, "<tr data-id="), children.len());
    // A chart per year from 2016, across the 2025 reorganisation, with its table.
    assert!(html.contains("Sắp xếp ĐVHC 01/07/2025"));
    assert!(html.contains("<th scope=\"col\">2016</th>"));

    // English: the same figures, written the English way.
    let (_, english) = page(server, "/?on=2018-12-31&lang=en").await;
    assert!(english.contains("<html lang=\"en\""));
    assert!(english.contains("69.0%"));
    assert_eq!(figure(&english, "average"), "17.7");
    // Sorted by average criteria met, highest first: the link of the column header.
    let (_, sorted) = page(server, "/?on=2018-12-31&xep=AVERAGE_CRITERIA_MET&giam=1").await;
    assert!(sorted.contains("aria-sort=\"descending\""));
    // Another date, other figures: Đợt 1 năm 2019, 173 communes NTM.
    let (_, later) = page(server, "/?on=2019-09-30").await;
    assert_eq!(figure(&later, "NTM"), "173");
}

/// Thành phố Hà Tĩnh at the end of 2019: one row per commune, and each criterion's total is
/// the number of its cells marked met.
async fn heat_map_of_a_district(server: &Server) {
    let (status, html) = page(server, "/don-vi/436/bang-tieu-chi?on=2019-12-31").await;
    assert_eq!(status, 200, "{html}");
    let table = &html[html.find("id=\"heat-map\"").expect("the heat map")..];
    let body = &table[..table.find("<tfoot>").expect("totals")];
    let rows: Vec<&str> = body.split("<tr data-id=").skip(1).collect();
    assert_eq!(rows.len(), 6, "the city's six communes");
    let totals = &table[table.find("id=\"totals\"").expect("totals row")..];
    for criterion in 1..=19 {
        let marker = format!("data-criterion=\"{criterion}\"");
        let total: usize = text_after(&totals[totals.find(&marker).expect("total")..], ">")
            .parse()
            .expect("a count");
        let met = rows
            .iter()
            .filter(|row| {
                let cells: Vec<&str> = row.split("<td class=\"cell").skip(1).collect();
                cells[criterion - 1].contains("data-status=\"MET\"")
            })
            .count();
        assert_eq!(total, met, "criterion {criterion}");
    }
    // Every cell has a letter as well as a colour, and links to the commune's criterion.
    assert!(body.contains(">Đ</a>"));
    assert!(body.contains("#tieu-chi-17\""));
}

async fn search_and_audit(server: &Server, province: &str) {
    let (_, found) = page(server, "/tim-kiem?q=thach%20trung").await;
    assert!(found.contains("Thạch Trung"), "{found}");
    assert!(
        found.contains("?on=2025-06-30\""),
        "an ended unit as it was"
    );

    let (status, audit) = page(server, "/nhat-ky?don-vi=42&loai=RECOGNITION_GRANTED").await;
    assert_eq!(status, 200, "{audit}");
    let total = server
        .data(
            "query($p: ID!) { events(filter: { subtree: $p, types: [RECOGNITION_GRANTED] }) {
                totalCount } }",
            json!({ "p": province }),
        )
        .await["events"]["totalCount"]
        .clone();
    let shown = text_after(&audit, "id=\"event-count\">");
    assert!(shown.ends_with(&format_vi(&total)), "{shown} vs {total}");
    assert_eq!(count(&audit, "data-type=\"RECOGNITION_GRANTED\""), 50);
    assert!(audit.contains("data-verdict=\"none\""), "no verify has run");
}

/// 1.234 as Vietnamese writes a count.
fn format_vi(n: &Value) -> String {
    let digits = n.as_i64().expect("a count").to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

async fn bad_input(server: &Server) {
    let (status, html) = page(server, "/?on=2020-13-01").await;
    assert_eq!(status, 400);
    assert!(
        html.contains("id=\"on-error\""),
        "the message is beside the date"
    );
    let (status, _) = page(server, "/don-vi/99999").await;
    assert_eq!(status, 404);
    let (status, html) = page(server, "/nhat-ky?don-vi=99999&loai=NOPE&tu=2020-02-30").await;
    assert_eq!(status, 400);
    for field in ["don-vi", "loai", "tu"] {
        assert!(html.contains(&format!("id=\"{field}-error\"")), "{field}");
    }
}
