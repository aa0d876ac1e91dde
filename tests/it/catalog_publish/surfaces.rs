//! Publishing through the surfaces: `ntm catalog publish` against a fresh SQLite file, the
//! admin-only mutation, and a running server grading again after the CLI publishes.

use serde_json::json;

use super::{amendment, commune_irrigating_85_percent, hash, irrigating, shipped, SET};
use crate::support::cli::{ntm, path_str, stderr, succeeded};
use crate::support::graphql::register;
use crate::support::server::{token, Server};
use crate::support::TestDb;
use ntm_tracker::auth::Role;

/// `ntm catalog publish` against a fresh SQLite file: printed, once, and a bad file refused
/// with its name, key and reason, writing nothing.
#[tokio::test]
async fn the_cli_publishes_a_file_once_and_refuses_a_bad_one() {
    let db = TestDb::sqlite().await;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("amended.toml");
    let text = amendment();
    std::fs::write(&file, &text).expect("write");
    let path = path_str(&file);
    let printed = succeeded(&ntm(&db.url, &["catalog", "publish", path]));
    let version = hash(&text);
    let line = format!("{SET} version {version} in force from 2024-01-01: published at position 1");
    assert_eq!(printed.trim(), line);
    let again = succeeded(&ntm(&db.url, &["catalog", "publish", path]));
    assert!(again.contains("already published at position 1"), "{again}");
    let shown = succeeded(&ntm(&db.url, &["catalog", "show", SET]));
    assert!(shown.contains(&format!("{version} · 999/QĐ-TEST · grades 2024-01-01 to 2026-02-15 (excluded) · published at position 1 · amended.toml")), "{shown}");
    assert!(
        shown.contains("grades 2022-03-08 to 2024-01-01 (excluded) · shipped, not recorded yet"),
        "{shown}"
    );

    // The export names the version that graded each date.
    let export = |on: &str| {
        let args = [
            "export",
            "standings",
            "--set",
            SET,
            "--on",
            on,
            "--format",
            "json",
        ];
        let text = succeeded(&ntm(&db.url, &args));
        let document: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        document["set_version"].as_str().map(str::to_owned)
    };
    assert_eq!(export("2023-06-01"), Some(hash(shipped(SET))));
    assert_eq!(export("2024-06-01"), Some(version.clone()));

    let bad = dir.path().join("bad.toml");
    let wrong = text.replace("level = \"ntm\"", "level = \"ntm\"\nsupersedes = \"NOPE\"");
    std::fs::write(&bad, wrong).expect("write");
    let refused = ntm(&db.url, &["catalog", "publish", path_str(&bad)]);
    assert!(!refused.status.success());
    let message = "bad.toml: supersedes: no set NOPE in the catalogue";
    assert!(stderr(&refused).contains(message), "{}", stderr(&refused));
    let store = db.store().await;
    assert_eq!(
        store.last_position().await.expect("position"),
        1,
        "nothing written"
    );
}

const PUBLISH: &str = "mutation($input: PublishCriteriaSetInput!) {
    publishCriteriaSet(input: $input) { code hash effectiveOn publishedAt legalAct newlyPublished } }";

/// Admins only; a bad file is `CATALOG_INVALID` with its file, key and reason, and writes nothing.
#[tokio::test]
async fn the_mutation_publishes_for_admins_only_and_refuses_a_bad_file() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    let (_, approver) = token(&server.store, "approver", Role::Approver, None, None).await;
    let input = json!({ "input": { "toml": amendment(), "fileName": "amended.toml" } });
    let before = server.event_count().await;
    let refused = server
        .post_as(Some(&approver), PUBLISH, input.clone())
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{refused:#}"
    );
    let bad = amendment().replace("level = \"ntm\"", "level = \"ntm-x\"");
    let error = server
        .error(
            PUBLISH,
            json!({ "input": { "toml": bad, "fileName": "bad.toml" } }),
        )
        .await;
    let extensions = &error["extensions"];
    assert_eq!(extensions["code"], "CATALOG_INVALID", "{error:#}");
    assert_eq!(
        (&extensions["file"], &extensions["key"]),
        (&json!("bad.toml"), &json!("level"))
    );
    assert!(extensions["reason"]
        .as_str()
        .is_some_and(|r| r.contains("\"ntm-x\"")));
    assert_eq!(server.event_count().await, before, "nothing written");

    let published = server.data(PUBLISH, input.clone()).await["publishCriteriaSet"].clone();
    assert_eq!(published["hash"], hash(&amendment()));
    assert_eq!(published["effectiveOn"], "2024-01-01");
    assert_eq!(published["legalAct"], "999/QĐ-TEST");
    assert_eq!(published["newlyPublished"], true);
    let again = server.data(PUBLISH, input).await["publishCriteriaSet"].clone();
    assert_eq!(again["newlyPublished"], false);
    assert_eq!(again["publishedAt"], published["publishedAt"]);
}

const STANDING: &str = "query($id: ID!) { locality(id: $id) { standing(set: \"NTM-XA-2021-2025\") {
    setVersion } } criteriaSet(code: \"NTM-XA-2021-2025\") { version versions { hash } } }";

/// A server running on a database the CLI publishes into grades again with the new version.
#[tokio::test]
async fn a_running_server_regrades_after_the_cli_publishes() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    let locality = commune_irrigating_85_percent(&server.store).await;
    server.caught_up(server.event_count().await).await;
    let read = || server.data(STANDING, json!({ "id": locality }));
    let graded = read().await;
    let original = hash(shipped(SET));
    assert_eq!(
        graded["locality"]["standing"]["setVersion"],
        original.as_str()
    );

    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("amended.toml");
    std::fs::write(&file, amendment()).expect("write");
    succeeded(&ntm(&db.url, &["catalog", "publish", path_str(&file)]));
    server.caught_up(server.event_count().await).await;
    let regraded = read().await;
    let amended = hash(&amendment());
    assert_eq!(
        regraded["locality"]["standing"]["setVersion"],
        amended.as_str(),
        "{regraded:#}"
    );
    assert_eq!(regraded["criteriaSet"]["version"], amended.as_str());
    let versions = regraded["criteriaSet"]["versions"].as_array().map(Vec::len);
    assert_eq!(versions, Some(2));
}

const GRADED: &str = "query($id: ID!, $before: Date!, $after: Date!) { locality(id: $id) {
    before: standing(set: \"NTM-XA-2021-2025\", on: $before) { ...graded }
    after: standing(set: \"NTM-XA-2021-2025\", on: $after) { ...graded }
    gradingSet(on: $after) { set { code legalAct } reason territory } } }
    fragment graded on Standing { gradedBy setVersion criteria { code status } }";

/// A province publishes its restatement of the national set (`territory = \"42\"`, stricter
/// 3.1 from 26/07/2024: the territorial tests' fixture) with the CLI into a running server's
/// database: its commune is graded by it from that day, a commune of another province is not,
/// and every standing names the set and the version that graded it.
#[tokio::test]
async fn a_province_publishes_its_own_set_and_its_communes_are_graded_by_it() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    let ha_tinh = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let nghe_an = register(&server, "Tỉnh Nghệ An", "PROVINCE", "40", None).await;
    register(
        &server,
        "Xã Thạch Trung",
        "COMMUNE",
        "18088",
        Some(&ha_tinh),
    )
    .await;
    register(&server, "Xã Nghi Phong", "COMMUNE", "17620", Some(&nghe_an)).await;
    // 82 %: over the national 80 %, under the province's 85 % for BTB.
    let inside = irrigating(&server.store, "18088", 82.0, true).await;
    let outside = irrigating(&server.store, "17620", 82.0, true).await;
    // The CLI's append while the projector writes was refused with SQLITE_BUSY at once, not
    // after the busy timeout, in some runs: not what this test is about (noted in the issue).
    server.caught_up(server.event_count().await).await;

    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/HT-NTM-XA-2024-2025.toml"
    );
    let printed = succeeded(&ntm(&db.url, &["catalog", "publish", fixture]));
    assert!(printed.contains("in force from 2024-07-26"), "{printed}");
    server.caught_up(server.event_count().await).await;

    let national = hash(shipped(SET));
    let provincial = hash(&std::fs::read_to_string(fixture).expect("fixture"));
    let vars = |id: &str| json!({ "id": id, "before": "2024-07-25", "after": "2024-07-26" });
    let criterion_3 = |standing: &serde_json::Value| {
        let criteria = standing["criteria"].as_array().cloned().unwrap_or_default();
        let three = criteria.iter().find(|c| c["code"] == "3").cloned();
        three.map(|c| c["status"].clone())
    };
    // (commune, graded by after, its version, criterion 3 after, reason)
    let table = [
        (
            &inside,
            "HT-NTM-XA-2024-2025",
            &provincial,
            "NOT_MET",
            "TERRITORY",
        ),
        (&outside, SET, &national, "MET", "NATIONAL"),
    ];
    for (id, graded_by, version, status, reason) in table {
        let locality = server.data(GRADED, vars(id)).await["locality"].clone();
        let (before, after) = (&locality["before"], &locality["after"]);
        assert_eq!(before["gradedBy"], SET, "{locality:#}");
        assert_eq!(before["setVersion"], national.as_str());
        assert_eq!(criterion_3(before), Some(json!("MET")), "{locality:#}");
        assert_eq!(after["gradedBy"], graded_by, "{locality:#}");
        assert_eq!(after["setVersion"], version.as_str());
        assert_eq!(criterion_3(after), Some(json!(status)), "{locality:#}");
        assert_eq!(locality["gradingSet"]["reason"], reason);
        assert_eq!(locality["gradingSet"]["set"]["code"], graded_by);
    }
    // The export says the same, locality by locality.
    let args = [
        "export",
        "standings",
        "--set",
        SET,
        "--on",
        "2024-08-01",
        "--format",
        "json",
    ];
    let document: serde_json::Value =
        serde_json::from_str(&succeeded(&ntm(&db.url, &args))).expect("JSON");
    let exported: Vec<(String, String)> = document["standings"]
        .as_array()
        .map(|lines| {
            let field = |l: &serde_json::Value, k: &str| l[k].as_str().unwrap_or("").to_owned();
            lines
                .iter()
                .map(|l| (field(l, "code"), field(l, "graded_by")))
                .collect()
        })
        .unwrap_or_default();
    let expected = [("17620", SET), ("18088", "HT-NTM-XA-2024-2025")];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(c, g)| ((*c).to_owned(), (*g).to_owned()))
        .collect();
    assert_eq!(exported, expected);
}

/// A token scoped to a province publishes its province's set, not another province's and not a
/// national one; a refusal writes nothing.
#[tokio::test]
async fn a_scoped_admin_publishes_only_for_its_own_territory() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    let ha_tinh = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let nghe_an = register(&server, "Tỉnh Nghệ An", "PROVINCE", "40", None).await;
    server.caught_up(server.event_count().await).await;
    let store = &server.store;
    let admin = |scope| token(store, "province admin", Role::Admin, Some(scope), None);
    let ha_tinh_admin = admin(&ha_tinh).await.1;
    let nghe_an_admin = admin(&nghe_an).await.1;
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/HT-NTM-XA-2024-2025.toml"
    );
    let provincial = json!({ "input": {
        "toml": std::fs::read_to_string(fixture).expect("fixture"), "fileName": "ht.toml" } });
    let national = json!({ "input": { "toml": amendment(), "fileName": "amended.toml" } });
    let before = server.event_count().await;
    for (admin, input) in [(&nghe_an_admin, &provincial), (&ha_tinh_admin, &national)] {
        let refused = server.post_as(Some(admin), PUBLISH, input.clone()).await;
        let code = &refused["errors"][0]["extensions"]["code"];
        assert_eq!(code, "FORBIDDEN", "{refused:#}");
    }
    assert_eq!(server.event_count().await, before, "nothing written");
    let published = server
        .post_as(Some(&ha_tinh_admin), PUBLISH, provincial)
        .await;
    let published = &published["data"]["publishCriteriaSet"];
    assert_eq!(published["code"], "HT-NTM-XA-2024-2025", "{published:#}");
    assert_eq!(published["newlyPublished"], true);
}
