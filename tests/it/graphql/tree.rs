//! The tree stays a tree (issue 15): placements that would make a cycle, name a parent that
//! does not exist, or reuse a live code are refused and record nothing; a scoped approver
//! cannot move its scope's root; and a cycle planted behind the domain's back still lets
//! `summary` answer promptly.

use std::time::Duration;

use ntm_tracker::app::codec::encode;
use ntm_tracker::auth::Role;
use ntm_tracker::domain::event::{LocalityEvent, LocalityTransferred};
use ntm_tracker::domain::locality::LocalityId;
use ntm_tracker::store::{AppendRequest, ExpectedVersion, Metadata};
use serde_json::{json, Value};

use crate::support::graphql::{mutate, register};
use crate::support::server::{token, Server};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    placements_that_break_the_tree_are_refused,
    a_scoped_approver_cannot_move_its_root_or_leave_its_scope,
    a_planted_cycle_does_not_hang_summary
);

const REGISTER: &str = "mutation($input: RegisterLocalityInput!) {
    registerLocality(input: $input) { version } }";
const CHANGE: &str = "mutation($input: RecordLineageChangeInput!) {
    recordLineageChange(input: $input) { version } }";
const MERGE: &str = "mutation($input: MergeLocalitiesInput!) {
    mergeLocalities(input: $input) { version } }";
const SET: &str = "NTM-XA-2021-2025";

fn registration(name: &str, code: &str, parent: Option<&str>, id: Option<&str>) -> Value {
    json!({ "input": { "id": id, "name": name, "kind": "COMMUNE", "code": code,
        "parent": parent, "effectiveOn": "2020-01-01", "idempotencyKey": format!("r {name}") } })
}

fn transfer(locality: &str, parent: &str, key: &str) -> Value {
    json!({ "input": { "locality": locality, "idempotencyKey": key,
        "change": { "transferred": { "parent": parent } }, "effectiveOn": "2024-01-01",
        "legalAct": "1/NQ-UBTVQH15" } })
}

/// Sends `query` as `caller` (none: the admin), checks the error's code and field, and that
/// no event was recorded.
async fn refused(
    server: &Server,
    caller: Option<&str>,
    query: &str,
    variables: Value,
    code: &str,
    field: Option<&str>,
) {
    let before = server.event_count().await;
    let caller = caller.unwrap_or(&server.admin);
    let response = server.post_as(Some(caller), query, variables).await;
    let error = &response["errors"][0];
    assert_eq!(error["extensions"]["code"], code, "{response:#}");
    if let Some(field) = field {
        assert_eq!(error["extensions"]["field"], field, "{response:#}");
    }
    assert_eq!(
        server.event_count().await,
        before,
        "nothing recorded: {response:#}"
    );
}

/// Huyện Thạch Hà (436) under `province`, and Xã Thạch Đồng (18106) under it.
async fn district_and_commune(server: &Server, province: &str) -> (String, String) {
    let district = register(server, "Huyện Thạch Hà", "DISTRICT", "436", Some(province)).await;
    let commune = register(server, "Xã Thạch Đồng", "COMMUNE", "18106", Some(&district)).await;
    (district, commune)
}

async fn placements_that_break_the_tree_are_refused(db: &TestDb) {
    let server = Server::start(db).await;
    let province = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let (district, commune) = district_and_commune(&server, &province).await;

    let own = uuid::Uuid::now_v7().to_string();
    let self_parent = registration("Tự", "18999", Some(&own), Some(&own));
    refused(
        &server,
        None,
        REGISTER,
        self_parent,
        "VALIDATION",
        Some("parent"),
    )
    .await;
    for (below, key) in [(&district, "t1"), (&commune, "t2")] {
        let cycle = transfer(&province, below, key);
        refused(&server, None, CHANGE, cycle, "VALIDATION", Some("parent")).await;
    }
    let itself = transfer(&district, &district, "t3");
    refused(&server, None, CHANGE, itself, "VALIDATION", Some("parent")).await;

    let nowhere = uuid::Uuid::now_v7().to_string();
    let orphan = registration("Mồ côi", "18998", Some(&nowhere), None);
    refused(
        &server,
        None,
        REGISTER,
        orphan,
        "VALIDATION",
        Some("parent"),
    )
    .await;
    let to_nowhere = transfer(&commune, &nowhere, "t4");
    refused(
        &server,
        None,
        CHANGE,
        to_nowhere,
        "VALIDATION",
        Some("parent"),
    )
    .await;

    // The code is held by the commune registered just before: no wait for the projector.
    let twin = registration("Trùng mã", "18106", Some(&district), None);
    refused(&server, None, REGISTER, twin, "VALIDATION", Some("code")).await;
    let recode = json!({ "input": { "locality": district, "idempotencyKey": "recode",
        "change": { "recoded": { "code": "42" } }, "effectiveOn": "2024-01-01",
        "legalAct": "2/NQ-UBTVQH15" } });
    refused(&server, None, CHANGE, recode, "VALIDATION", Some("code")).await;
    let merged_twin = json!({ "input": { "sources": [commune], "effectiveOn": "2024-01-01",
        "legalAct": "3/NQ-UBTVQH15", "idempotencyKey": "merge",
        "newLocality": { "name": "Trùng", "kind": "COMMUNE", "code": "436", "parent": district } } });
    refused(
        &server,
        None,
        MERGE,
        merged_twin,
        "VALIDATION",
        Some("code"),
    )
    .await;

    // What stays allowed: a move elsewhere in the tree, and a code freed by a merger.
    let other = register(&server, "Tỉnh Nghệ An", "PROVINCE", "40", None).await;
    let moved = mutate(
        &server,
        "recordLineageChange",
        "RecordLineageChangeInput",
        transfer(&district, &other, "t5")["input"].clone(),
    )
    .await;
    assert_eq!(moved["version"], 2, "{moved:#}");
    let successor = json!({ "sources": [commune], "effectiveOn": "2024-06-01",
        "legalAct": "4/NQ-UBTVQH15", "idempotencyKey": "merge 2",
        "newLocality": { "name": "Kế thừa", "kind": "COMMUNE", "code": "18106", "parent": district } });
    let merged = mutate(
        &server,
        "mergeLocalities",
        "MergeLocalitiesInput",
        successor,
    )
    .await;
    assert_eq!(merged["version"], 2, "{merged:#}");
}

async fn a_scoped_approver_cannot_move_its_root_or_leave_its_scope(db: &TestDb) {
    let server = Server::start(db).await;
    let province = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let other = register(&server, "Tỉnh Nghệ An", "PROVINCE", "40", None).await;
    let (district, commune) = district_and_commune(&server, &province).await;
    let village = register(&server, "Thôn Đông", "VILLAGE", "18107", Some(&commune)).await;
    let (_, approver) = token(
        &server.store,
        "Huyện",
        Role::Approver,
        Some(&district),
        None,
    )
    .await;
    let approver = Some(approver.as_str());

    let cases = [
        transfer(&district, &commune, "under its own commune"),
        transfer(&district, &other, "to another province"),
        transfer(&district, &province, "up to its own parent"),
        transfer(&commune, &other, "a commune out of the scope"),
    ];
    for case in cases {
        refused(&server, approver, CHANGE, case, "FORBIDDEN", None).await;
    }
    let merge_away = json!({ "input": { "sources": [district], "into": province,
        "effectiveOn": "2024-01-01", "legalAct": "5/NQ-UBTVQH15", "idempotencyKey": "m" } });
    refused(&server, approver, MERGE, merge_away, "FORBIDDEN", None).await;
    let dissolve = json!({ "input": { "locality": district, "idempotencyKey": "d",
        "change": { "dissolved": "abolished" }, "effectiveOn": "2025-07-01",
        "legalAct": "6/NQ-UBTVQH15" } });
    refused(&server, approver, CHANGE, dissolve, "FORBIDDEN", None).await;

    // Inside the scope, under a new parent also inside it, is still the approver's to do.
    let inside = transfer(&village, &district, "a village within the district");
    let moved = server.post_as(approver, CHANGE, inside).await;
    assert_eq!(
        moved["data"]["recordLineageChange"]["version"], 2,
        "{moved:#}"
    );
}

async fn a_planted_cycle_does_not_hang_summary(db: &TestDb) {
    let server = Server::start(db).await;
    let a = register(&server, "Xã A", "COMMUNE", "18001", None).await;
    let b = register(&server, "Xã B", "COMMUNE", "18002", Some(&a)).await;
    for locality in [&a, &b] {
        let enrol = json!({ "locality": locality, "idempotencyKey": format!("enrol {locality}"), "set": SET,
            "targetYear": 2025, "effectiveOn": "2021-01-01" });
        mutate(&server, "enrolLocality", "EnrolLocalityInput", enrol).await;
    }
    // A under B, appended past the domain's checks as a tampered importer could.
    let a_id: LocalityId = a.parse().expect("id");
    let planted = LocalityEvent::LocalityTransferred(LocalityTransferred {
        effective_on: "2022-01-01".parse().expect("date"),
        legal_act: "9/NQ-UBTVQH15".parse().expect("act"),
        parent: Some(b.parse().expect("id")),
    });
    let append = encode(&a_id, ExpectedVersion::Exact(2), &[planted]).expect("event");
    let appended = server
        .store
        .append(AppendRequest {
            streams: vec![append],
            metadata: Metadata::system("attacker"),
            idempotency_key: None,
        })
        .await
        .expect("append behind the domain");
    server.caught_up(appended.last_position()).await;

    let query = "query($parent: ID!) { summary(parent: $parent, set: \"NTM-XA-2021-2025\",
        on: \"2024-01-01\") { units } }";
    for (parent, other) in [(&a, &b), (&b, &a)] {
        let anonymous = server.post_as(None, query, json!({ "parent": parent }));
        let answered = tokio::time::timeout(Duration::from_secs(5), anonymous)
            .await
            .expect("summary answers within 5 s despite the cycle");
        // Each unit once, and never the parent itself: the other one only.
        assert_eq!(
            answered["data"]["summary"]["units"], 1,
            "summary of {parent} counts {other} once: {answered:#}"
        );
    }
}
