//! `Event.type` is the `EventType` enum and `Event.details` the typed fields of each kind: an
//! event of every kind, recorded through the command service (locality events), the token
//! commands and the catalogue's publication, reads back as its union member with the values
//! of its payload.

use ntm_tracker::app::publish::record_shipped;
use ntm_tracker::app::service::Recording;
use ntm_tracker::app::{CatalogHandle, CommandService, Origin};
use ntm_tracker::auth::{Role, Tokens};
use ntm_tracker::domain::locality::{LocalityEvent, LocalityId};
use serde_json::{json, Value};

use crate::support::projector::catalog;
use crate::support::server::{token, Server};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(every_kind_of_event_reads_back_as_its_typed_details);

const A: &str = "01890000-0000-7000-8000-00000000000a";
const B: &str = "01890000-0000-7000-8000-00000000000b";
const C: &str = "01890000-0000-7000-8000-00000000000c";

/// The union's members, each selected whole (a fragment on each must be valid).
const MEMBERS: &[(&str, &str)] = &[
    ("LocalityEstablishedDetails", "effectiveOn legalAct name kind code parent thresholdRegion communeGroup formedFrom"),
    ("LocalityRenamedDetails", "effectiveOn legalAct name"),
    ("LocalityReclassifiedDetails", "effectiveOn legalAct kind"),
    ("LocalityRecodedDetails", "effectiveOn legalAct code"),
    ("LocalityTransferredDetails", "effectiveOn legalAct parent"),
    ("ThresholdAssignedDetails", "effectiveOn region group reason special"),
    ("MergedIntoDetails", "effectiveOn legalAct successor"),
    ("LocalitiesMergedDetails", "effectiveOn legalAct sources predecessorRecognitions { locality decision set level standardYear }"),
    ("LocalitySplitDetails", "effectiveOn legalAct parts continues"),
    ("LocalityDissolvedDetails", "effectiveOn legalAct reason"),
    ("ProgrammeEnrolledDetails", "effectiveOn set targetYear legalAct"),
    ("IndicatorRecordedDetails", "effectiveOn set indicator value { kind value flag text } evidence { document fileRef note }"),
    ("CriterionAssessedDetails", "effectiveOn set criterion met level evidence { document fileRef note }"),
    ("AppraisalVotedDetails", "effectiveOn set level inFavour evidence { document fileRef note }"),
    ("RecognitionGrantedDetails", "effectiveOn decision signedOn issuer signer set level standardYear batch outstandingField overrideReason"),
    ("RecognitionRevokedDetails", "effectiveOn decision revoked reason issuer"),
    ("RecognitionAcknowledgedDetails", "effectiveOn decision set level standardYear acknowledges"),
    ("EventRetractedDetails", "retractedVersion reason"),
    ("TokenCreatedDetails", "tokenId name role scope expiresOn"),
    ("TokenRevokedDetails", "tokenId"),
    ("CriteriaSetPublishedDetails", "code version file legalAct effectiveOn supersedes"),
];

fn event(payload: Value) -> LocalityEvent {
    serde_json::from_value(payload).expect("a domain event")
}

fn id(text: &str) -> LocalityId {
    serde_json::from_value(json!(text)).expect("locality id")
}

/// One event of every locality kind, on three streams.
fn locality_events() -> Vec<(LocalityId, Vec<LocalityEvent>)> {
    let act = "819/NQ-UBTVQH14";
    let evidence = json!({ "document": "BB 12/2021", "file_ref": "hs/12.pdf", "note": "đo đạc" });
    let established = |name: &str, from: Vec<&str>| {
        event(json!({ "type": "LocalityEstablished",
        "effective_on": "2019-01-01", "legal_act": null, "name": name, "kind": "commune",
        "code": "18112", "parent": null, "threshold_region": "BTB", "commune_group": "2",
        "formed_from": from }))
    };
    let a = vec![
        established("Xã Thạch Bình", vec![]),
        event(
            json!({ "type": "LocalityRenamed", "effective_on": "2019-02-01", "legal_act": act, "name": "Xã Thạch Bình Mới" }),
        ),
        event(
            json!({ "type": "LocalityReclassified", "effective_on": "2019-03-01", "legal_act": act, "kind": "ward" }),
        ),
        event(
            json!({ "type": "LocalityRecoded", "effective_on": "2019-04-01", "legal_act": act, "code": "18113" }),
        ),
        event(
            json!({ "type": "LocalityTransferred", "effective_on": "2019-05-01", "legal_act": act, "parent": B }),
        ),
        event(
            json!({ "type": "ThresholdAssigned", "effective_on": "2019-06-01", "region": "TDMNPB", "group": "1", "reason": "xã ATK", "special": "xa-atk-huyen-ngheo" }),
        ),
        event(
            json!({ "type": "ProgrammeEnrolled", "effective_on": "2021-01-01", "set": "NTM-XA-2021-2025", "target_year": 2024, "legal_act": null }),
        ),
        event(
            json!({ "type": "IndicatorRecorded", "effective_on": "2021-02-01", "set": "NTM-XA-2021-2025", "indicator": "2.1", "value": { "kind": "percent", "value": 80.5 }, "evidence": evidence }),
        ),
        event(
            json!({ "type": "CriterionAssessed", "effective_on": "2021-03-01", "set": "NTM-XA-2021-2025", "criterion": "2", "met": true, "level": "provincial-council", "evidence": evidence }),
        ),
        event(
            json!({ "type": "AppraisalVoted", "effective_on": "2021-04-01", "set": "NTM-XA-2021-2025", "level": "ntm", "in_favour": 92.5, "evidence": evidence }),
        ),
        event(
            json!({ "type": "RecognitionGranted", "effective_on": "2021-05-01", "decision": "1763/QĐ-UBND", "signed_on": "2021-04-28", "issuer": "UBND tỉnh Hà Tĩnh", "signer": "Đặng Quốc Vinh", "set": "NTM-XA-2021-2025", "level": "ntm", "standard_year": 2021, "batch": "đợt 1 năm 2021", "outstanding_field": null, "override_reason": "thiếu biên bản tiêu chí 2 do lũ" }),
        ),
        event(
            json!({ "type": "RecognitionRevoked", "effective_on": "2022-01-01", "decision": "12/QĐ-UBND", "revoked": "1763/QĐ-UBND", "reason": "không duy trì tiêu chí", "issuer": "UBND tỉnh Hà Tĩnh" }),
        ),
        event(json!({ "type": "EventRetracted", "retracted_version": 8, "reason": "nhập nhầm" })),
        event(
            json!({ "type": "LocalitySplit", "effective_on": "2023-01-01", "legal_act": act, "parts": [C], "continues": true }),
        ),
        event(
            json!({ "type": "LocalityDissolved", "effective_on": "2024-01-01", "legal_act": act, "reason": "giải thể" }),
        ),
    ];
    let b = vec![
        established("Xã Thạch Đồng", vec![]),
        event(
            json!({ "type": "LocalitiesMerged", "effective_on": "2020-01-01", "legal_act": act, "sources": [C], "predecessor_recognitions": [{ "locality": C, "decision": "99/QĐ-UBND", "set": "NTM-XA-2016-2020", "level": "ntm", "standard_year": 2018 }] }),
        ),
        event(
            json!({ "type": "RecognitionAcknowledged", "effective_on": "2020-02-01", "decision": "100/QĐ-UBND", "set": "NTM-XA-2016-2020", "level": "ntm", "standard_year": 2018, "acknowledges": ["99/QĐ-UBND"] }),
        ),
    ];
    let c = vec![
        established("Xã Thạch Môn", vec![A]),
        event(
            json!({ "type": "MergedInto", "effective_on": "2020-01-01", "legal_act": act, "successor": B }),
        ),
    ];
    vec![(id(A), a), (id(B), b), (id(C), c)]
}

fn feed_query() -> String {
    let fragments: String = MEMBERS
        .iter()
        .map(|(member, fields)| format!(" ... on {member} {{ {fields} }}"))
        .collect();
    format!(
        "{{ events(first: 100) {{ edges {{ node {{ type eventType payload
            details {{ __typename{fragments} }} }} }} }} }}"
    )
}

/// `camelCase` → `snake_case`, the payload's spelling.
fn snake(name: &str) -> String {
    name.chars()
        .flat_map(|c| match c.is_ascii_uppercase() {
            true => vec!['_', c.to_ascii_lowercase()],
            false => vec![c],
        })
        .collect()
}

/// Whether the typed `details` say what the stored `payload` says: the same fields (in
/// snake_case there), enums as the payload's spellings in SCREAMING_CASE, numbers equal.
fn same(details: &Value, payload: &Value) -> bool {
    match (details, payload) {
        (Value::Object(d), Value::Object(p)) if d.contains_key("flag") => {
            // A reading: `{kind, value}` in the payload, `{kind, value, flag, text}` typed.
            same(&d["kind"], &p["kind"]) && same(&d["value"], &p["value"])
        }
        (Value::Object(d), Value::Object(p)) => d
            .iter()
            .filter(|(name, _)| *name != "__typename")
            .all(|(name, v)| same(v, p.get(&snake(name)).unwrap_or(&Value::Null))),
        (Value::Array(d), Value::Array(p)) => {
            d.len() == p.len() && d.iter().zip(p).all(|(d, p)| same(d, p))
        }
        (Value::String(d), Value::String(p)) => spelled(d, p),
        (Value::Number(d), Value::Number(p)) => d.as_f64() == p.as_f64(),
        (d, p) => d == p,
    }
}

/// A typed value and its stored spelling: the same text, an enum's kebab-case spelling in
/// SCREAMING_CASE, or a commune group's number as its word.
fn spelled(typed: &str, stored: &str) -> bool {
    let group = match stored {
        "1" => "ONE",
        "2" => "TWO",
        "3" => "THREE",
        _ => "",
    };
    typed == stored || typed == stored.to_uppercase().replace('-', "_") || typed == group
}

async fn every_kind_of_event_reads_back_as_its_typed_details(db: &TestDb) {
    let server = Server::start(db).await;
    let origin = Origin::cli("test");
    let service = CommandService::new(server.store.clone(), catalog(), Default::default());
    let recording = Recording::default();
    service
        .append(&origin, &locality_events(), |_| 0, recording)
        .await
        .expect("locality events recorded");
    let (revoked, _) = token(&server.store, "to revoke", Role::Viewer, Some(A), None).await;
    Tokens::new(server.store.clone())
        .revoke(revoked, &origin)
        .await
        .expect("token revoked");
    let handle: CatalogHandle = catalog().into();
    record_shipped(&server.store, &handle, &origin)
        .await
        .expect("catalogue recorded");

    let data = server.data(&feed_query(), json!({})).await;
    let nodes: Vec<&Value> = data["events"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| &e["node"])
        .collect();
    let mut kinds: Vec<&str> = Vec::new();
    for node in &nodes {
        let stored = node["eventType"].as_str().expect("eventType");
        assert_eq!(
            node["type"],
            json!(snake(stored).trim_start_matches('_').to_uppercase())
        );
        let details = &node["details"];
        assert_eq!(
            details["__typename"],
            json!(format!("{stored}Details")),
            "{node:#}"
        );
        assert!(
            same(details, &node["payload"]),
            "details differ from the payload: {node:#}"
        );
        kinds.push(stored);
    }
    let members: Vec<String> = MEMBERS
        .iter()
        .map(|(m, _)| m.replace("Details", ""))
        .collect();
    for member in &members {
        assert!(
            kinds.contains(&member.as_str()),
            "no {member} event read back"
        );
    }
    let granted = nodes
        .iter()
        .find(|n| n["eventType"] == "RecognitionGranted")
        .expect("grant");
    assert_eq!(granted["details"]["level"], "NTM");
    assert_eq!(granted["details"]["signedOn"], "2021-04-28");
    let reading = nodes
        .iter()
        .find(|n| n["eventType"] == "IndicatorRecorded")
        .expect("reading");
    assert_eq!(reading["details"]["value"]["kind"], "PERCENT");
    assert_eq!(reading["details"]["value"]["value"], 80.5);
    assert_eq!(reading["details"]["evidence"]["fileRef"], "hs/12.pdf");
}
