//! The dashboard's commune page (`/xa/{id}`, issue 20) over real HTTP on Hà Tĩnh's history
//! (Thạch Trung: NTM in 2018, at risk after the 2023 monitoring, merged into Trần Phú on
//! 1/7/2025): its figures are those its own documents give over `/graphql` to an anonymous
//! reader, the date changes them, `?lang=en` switches the words, a bad comparison date is a
//! 400 with the message beside its field, and an unknown unit is a 404.

use ntm_tracker::web::documents::{COMMUNE, COMMUNE_SETS};
use serde_json::{json, Value};

use super::series::{history, History};
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(the_commune_page_shows_what_the_api_gives_on_each_date);

/// Status and body of `GET path`.
async fn get(server: &Server, path: &str) -> (u16, String) {
    let response = reqwest::get(server.url(path)).await.expect("GET the page");
    let status = response.status().as_u16();
    (status, response.text().await.expect("the page's HTML"))
}

/// The value of `attribute` in the first tag holding `marker`.
fn attribute(html: &str, marker: &str, attribute: &str) -> Option<String> {
    let at = html.find(marker)?;
    let start = html[..at].rfind('<')?;
    let tag = &html[start..start + html[start..].find('>')?];
    let key = format!("{attribute}=\"");
    let from = tag.find(&key)? + key.len();
    Some(tag[from..from + tag[from..].find('"')?].to_owned())
}

/// What the page's two documents answer over `/graphql` to an anonymous reader on `on`.
async fn api_answer(server: &Server, id: &str, on: &str, diff: Option<(&str, &str)>) -> Value {
    let sets = server
        .post_as(None, COMMUNE_SETS, json!({ "id": id, "on": on }))
        .await;
    assert!(sets.get("errors").is_none(), "{sets:#}");
    let unit = &sets["data"]["locality"];
    let set = unit["gradingSet"]["set"]["code"]
        .as_str()
        .expect("a set grades the unit")
        .to_owned();
    let (from, to) = diff.unwrap_or((on, on));
    let today = ntm_tracker::app::clock::Clock::SYSTEM.today().to_string();
    let variables = json!({ "id": id, "on": on, "today": today, "set": set,
        "graded": true, "s1": set, "w1": false, "s2": set, "w2": false, "s3": set, "w3": false,
        "parents": [], "after": null, "from": from, "to": to, "withDiff": diff.is_some() });
    let answer = server.post_as(None, COMMUNE, variables).await;
    assert!(answer.get("errors").is_none(), "{answer:#}");
    answer["data"].clone()
}

/// The page's figures equal the API's: criteria met, each criterion's status, the decision.
fn same_figures(html: &str, api: &Value) {
    let standing = &api["locality"]["standing"];
    assert_eq!(
        attribute(html, "id=\"criteria-met\"", "data-met"),
        Some(standing["criteriaMet"].to_string()),
        "criteria met"
    );
    assert_eq!(
        attribute(html, "id=\"criteria-met\"", "data-total"),
        Some(standing["criteriaTotal"].to_string())
    );
    let criteria = standing["criteria"].as_array().expect("criteria");
    assert!(!criteria.is_empty());
    for criterion in criteria {
        let code = criterion["code"].as_str().expect("code");
        let anchor = format!("id=\"tieu-chi-{code}\"");
        assert_eq!(
            attribute(html, &anchor, "data-status").as_deref(),
            criterion["status"].as_str(),
            "criterion {code}"
        );
    }
    if let Some(decision) = api["locality"]["recognised"]["recognition"]["decision"].as_str() {
        assert_eq!(
            attribute(html, "class=\"decision\" data-decision", "data-decision").as_deref(),
            Some(decision)
        );
    }
}

async fn the_commune_page_shows_what_the_api_gives_on_each_date(db: &TestDb) {
    let server = Server::start(db).await;
    let h: History = history(&server).await;
    let id = &h.thach_trung;

    let (status, in_2019) = get(&server, &format!("/xa/{id}?on=2019-12-31")).await;
    assert_eq!(status, 200, "{in_2019}");
    same_figures(&in_2019, &api_answer(&server, id, "2019-12-31", None).await);
    assert!(in_2019.contains("118/QĐ-UBND"), "the 2018 recognition");
    assert!(in_2019.contains("Số tiêu chí đạt") && in_2019.contains("lang=\"vi\""));
    assert!(
        !in_2019.contains(crate::support::server::ADMIN),
        "no identity for an anonymous reader"
    );

    // The 2023 monitoring: 6 of 19 criteria fail, a key one among them.
    let (status, in_2023) = get(&server, &format!("/xa/{id}?on=2023-12-31")).await;
    assert_eq!(status, 200);
    let api_2023 = api_answer(&server, id, "2023-12-31", None).await;
    same_figures(&in_2023, &api_2023);
    assert_eq!(
        attribute(&in_2023, "id=\"criteria-met\"", "data-met"),
        Some("13".into())
    );
    assert_ne!(
        attribute(&in_2019, "id=\"criteria-met\"", "data-met"),
        attribute(&in_2023, "id=\"criteria-met\"", "data-met"),
        "the date changes the figures"
    );
    assert_eq!(
        attribute(&in_2023, "id=\"tieu-chi-10\"", "data-status").as_deref(),
        Some("NOT_MET")
    );
    assert_eq!(
        attribute(&in_2023, "id=\"at-risk\"", "data-risk").as_deref(),
        api_2023["locality"]["recognised"]["atRisk"].as_str()
    );

    // What changed between two dates is the API's diff.
    let path = format!("/xa/{id}?on=2023-12-31&tu=2022-12-31&den=2023-12-31");
    let (status, compared) = get(&server, &path).await;
    assert_eq!(status, 200);
    let diff = &api_answer(
        &server,
        id,
        "2023-12-31",
        Some(("2022-12-31", "2023-12-31")),
    )
    .await["diff"];
    assert_eq!(
        attribute(&compared, "data-met-from", "data-met-from"),
        Some(diff["criteriaMetFrom"].to_string())
    );
    assert_eq!(
        attribute(&compared, "data-met-to", "data-met-to"),
        Some(diff["criteriaMetTo"].to_string())
    );
    assert_eq!(diff["criteriaMetTo"], 13);

    // English, and the merger: a link to the successor on the day it took over.
    let (status, english) = get(&server, &format!("/xa/{id}?on=2025-07-31&lang=en")).await;
    assert_eq!(status, 200);
    assert!(english.contains("lang=\"en\"") && english.contains("Merged into"));
    assert!(!english.contains("Số tiêu chí đạt"));
    assert!(english.contains("id=\"not-existing\""), "ended by then");
    let successors = server
        .data(
            "query($id: ID!) { locality(id: $id) { successors { locality { id } } } }",
            json!({ "id": id }),
        )
        .await;
    let successor = successors["locality"]["successors"][0]["locality"]["id"]
        .as_str()
        .expect("a successor")
        .to_owned();
    assert!(
        english.contains(&format!("/xa/{successor}?on=2025-07-01&amp;lang=en")),
        "{english}"
    );

    // A date that is not one, beside its field; an unknown unit.
    let bad = format!("/xa/{id}?tu=2020-13-01&den=2021-01-01");
    let (status, refused) = get(&server, &bad).await;
    assert_eq!(status, 400);
    assert!(refused.contains("aria-describedby=\"tu-error\""));
    assert!(refused.contains("id=\"tu-error\"") && refused.contains("2020-13-01"));
    let (status, _) = get(&server, "/xa/01a25115-0000-7000-8000-000000000000").await;
    assert_eq!(status, 404);
}
