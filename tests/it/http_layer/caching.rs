//! `ETag`, `If-None-Match` and `Cache-Control` on `/graphql`: present data revalidated, data
//! known at a settled past time and full pages of the log kept for good, POST never stored.

use chrono::Duration;
use ntm_tracker::app::clock::Clock;
use ntm_tracker::AccessSettings;
use serde_json::{json, Value};

use super::{get, header};
use crate::support::graphql::{enrolled_commune, register};
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    a_get_is_tagged_and_revalidated,
    a_settled_past_standing_is_immutable,
    a_full_page_of_the_log_is_immutable,
);

const VARY: &str = "Authorization, Accept, Accept-Encoding, Accept-Language";
const REVALIDATE: &str = "private, no-cache";
const IMMUTABLE: &str = "private, max-age=604800, immutable";

async fn a_get_is_tagged_and_revalidated(db: &TestDb) {
    let server = Server::start(db).await;
    register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    server.caught_up(server.event_count().await).await;
    let count = "{ localities { totalCount } }";
    let first = get(&server, count, &[]).await;
    assert_eq!(first.status(), 200);
    assert_eq!(header(&first, "cache-control"), REVALIDATE);
    assert_eq!(header(&first, "vary"), VARY);
    let tag = header(&first, "etag");
    assert!(
        tag.starts_with('"') && tag.len() == 34,
        "a strong tag: {tag}"
    );

    let again = get(&server, count, &[("If-None-Match", &tag)]).await;
    assert_eq!(again.status(), 304);
    assert_eq!(header(&again, "etag"), tag);
    assert_eq!(header(&again, "cache-control"), REVALIDATE);
    assert!(
        again.bytes().await.expect("body").is_empty(),
        "304 has no body"
    );
    let listed = format!("\"other\", W/{tag}");
    let weak = get(&server, count, &[("If-None-Match", &listed)]).await;
    assert_eq!(
        weak.status(),
        304,
        "If-None-Match compares weakly, in a list"
    );

    register(&server, "Huyện Kỳ Anh", "DISTRICT", "436", None).await;
    server.caught_up(server.event_count().await).await;
    let changed = get(&server, count, &[("If-None-Match", &tag)]).await;
    assert_eq!(changed.status(), 200, "the data changed");
    assert_ne!(header(&changed, "etag"), tag);
    let body: Value = changed.json().await.expect("JSON");
    assert_eq!(body["data"]["localities"]["totalCount"], 2);

    // POST is never stored, and has no tag.
    let posted = reqwest::Client::new()
        .post(server.url("/graphql"))
        .json(&json!({ "query": count }))
        .send()
        .await
        .expect("POST");
    assert_eq!(header(&posted, "cache-control"), "no-store");
    assert_eq!(header(&posted, "etag"), "");
    assert_eq!(header(&posted, "vary"), VARY);
}

/// A standing as known half an hour ago, asked of a server whose clock is an hour ahead of
/// the one that recorded it.
async fn a_settled_past_standing_is_immutable(db: &TestDb) {
    let recorded = Server::start(db).await;
    let commune = enrolled_commune(&recorded).await;
    drop(recorded);
    let now = Clock::SYSTEM.now() + Duration::hours(1);
    let access = AccessSettings {
        failures_per_minute: 10_000,
        ..AccessSettings::default()
    };
    let server = Server::start_at(db, access, Clock::fixed(now)).await;
    let asked = |on: &str, known_at: &str, extra: &str| {
        format!(
            "{{ {extra} standing(locality: \"{commune}\", set: \"NTM-XA-2021-2025\"{on}{known_at}) \
             {{ enrolled criteriaMet criteria {{ code status indicators {{ code reading {{ value }} }} }} }} }}"
        )
    };
    let settled = format!(
        ", knownAt: \"{}\"",
        (now - Duration::minutes(30)).to_rfc3339()
    );
    let fresh = format!(
        ", knownAt: \"{}\"",
        (now - Duration::minutes(1)).to_rfc3339()
    );
    let on = ", on: \"2024-06-30\"";

    let kept = get(&server, &asked(on, &settled, ""), &[]).await;
    assert_eq!(header(&kept, "cache-control"), IMMUTABLE);
    assert!(!header(&kept, "etag").is_empty());
    let body: Value = kept.json().await.expect("JSON");
    assert_eq!(body["data"]["standing"]["enrolled"], true, "{body:#}");

    for (query, why) in [
        (
            asked(on, &fresh, ""),
            "a knownAt a minute ago may still gain events",
        ),
        (asked(on, "", ""), "no knownAt: the present"),
        (asked("", &settled, ""), "no on: today, which moves"),
        (
            asked(on, &settled, "localities { totalCount }"),
            "another root field is present data",
        ),
        (
            asked(on, &settled, "__typename"),
            "a root field that did not opt in",
        ),
    ] {
        let response = get(&server, &query, &[]).await;
        assert_eq!(response.status(), 200, "{why}");
        assert_eq!(header(&response, "cache-control"), REVALIDATE, "{why}");
    }
    let failed = format!(
        "{{ a: standing(locality: \"{commune}\", set: \"NTM-XA-2021-2025\"{on}{settled}) {{ enrolled }} \
         b: standing(locality: \"{commune}\", set: \"NOPE\"{on}{settled}) {{ enrolled }} }}"
    );
    let response = get(&server, &failed, &[]).await;
    assert_eq!(
        header(&response, "cache-control"),
        REVALIDATE,
        "an error is not kept"
    );
}

async fn a_full_page_of_the_log_is_immutable(db: &TestDb) {
    let server = Server::start(db).await;
    let province = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    register(&server, "Huyện Kỳ Anh", "DISTRICT", "436", Some(&province)).await;
    let page = |first: u32, filter: &str| {
        format!("{{ events(first: {first}{filter}) {{ edges {{ node {{ position type hash }} }} pageInfo {{ hasNextPage endCursor }} }} }}")
    };
    let full = get(&server, &page(1, ""), &[]).await;
    assert_eq!(
        header(&full, "cache-control"),
        IMMUTABLE,
        "more events follow the page"
    );
    let subtree = format!(", filter: {{ subtree: \"{province}\" }}");
    for (query, why) in [
        (
            page(500, ""),
            "the page reaches the head: the next append joins it",
        ),
        (page(1, &subtree), "a subtree follows the tree as known now"),
    ] {
        let response = get(&server, &query, &[]).await;
        assert_eq!(header(&response, "cache-control"), REVALIDATE, "{why}");
    }
}
