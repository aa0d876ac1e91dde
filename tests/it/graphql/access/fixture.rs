//! The callers of the access tests and, per successful caller, localities to act on.

use chrono::Days;
use ntm_tracker::app::Origin;
use ntm_tracker::auth::{Role, Tokens};
use serde_json::{json, Value};

use crate::support::graphql::{mutate, register};
use crate::support::server::{token, Server};

pub const NTM_2016: &str = "NTM-XA-2016-2020";
pub const NTM_2021: &str = "NTM-XA-2021-2025";

/// Every kind of caller of the matrix, with its `Authorization` header (none:
/// anonymous).
pub struct Callers {
    pub list: Vec<(&'static str, Option<String>)>,
}

impl Callers {
    /// Recorders are scoped to `province` and `other`; the approver to `province`.
    pub async fn new(server: &Server, province: &str, other: &str) -> Callers {
        let store = &server.store;
        let make = |name: &'static str, role, scope: Option<String>| async move {
            let header = token(store, name, role, scope.as_deref(), None).await.1;
            (name, Some(header))
        };
        let yesterday = ntm_tracker::app::clock::today() - Days::new(1);
        let expired = token(store, "expired", Role::Admin, None, Some(yesterday)).await;
        let (revoked_id, revoked) = token(store, "revoked", Role::Admin, None, None).await;
        Tokens::new(store.clone())
            .revoke(revoked_id, &Origin::cli("test"))
            .await
            .expect("revoke");
        let list = vec![
            ("anonymous", None),
            make("viewer", Role::Viewer, None).await,
            make("recorder in scope", Role::Recorder, Some(province.into())).await,
            make("recorder out of scope", Role::Recorder, Some(other.into())).await,
            make("approver", Role::Approver, Some(province.into())).await,
            make("auditor", Role::Auditor, None).await,
            ("admin", Some(server.admin.clone())),
            ("revoked token", Some(revoked)),
            ("expired token", Some(expired.1)),
            ("malformed header", Some("Bearer ntm_0123".into())),
        ];
        Callers { list }
    }
}

/// Localities one successful caller acts on, all under the province.
pub struct Slot {
    pub commune: String,
    pub sources: [String; 2],
    pub successor: String,
    pub province: String,
    pub reading_position: i64,
    /// Distinguishes this slot's codes and decision numbers.
    pub n: u32,
}

impl Slot {
    /// A commune enrolled in the 2016 set with a reading and a recognition, two communes to
    /// merge, and the successor of a merger that inherited a recognition.
    pub async fn new(server: &Server, province: &str, n: u32) -> Slot {
        let code = |i: u32| format!("{}", 20_000 + n * 10 + i);
        let commune = register(server, "Xã A", "COMMUNE", &code(0), Some(province)).await;
        let sources = [
            register(server, "Xã B", "COMMUNE", &code(1), Some(province)).await,
            register(server, "Xã C", "COMMUNE", &code(2), Some(province)).await,
        ];
        let held = register(server, "Xã D", "COMMUNE", &code(3), Some(province)).await;
        let plain = register(server, "Xã E", "COMMUNE", &code(4), Some(province)).await;
        for (i, locality) in [&commune, &held].into_iter().enumerate() {
            let enrol = json!({ "set": NTM_2016, "targetYear": 2020, "effectiveOn": "2019-01-01" });
            admin(server, "enrolLocality", locality, enrol).await;
            let grant = json!({ "set": NTM_2016, "level": "NTM", "decision": format!("1{n}{i}/QĐ-UBND"),
                "signedOn": "2020-06-01", "effectiveOn": "2020-06-01", "issuer": "UBND tỉnh",
                "signer": "Chủ tịch", "standardYear": 2020, "overrideReason": "fixture: criteria predate the register" });
            admin(server, "grantRecognition", locality, grant).await;
        }
        let reading = json!({ "set": NTM_2016, "indicator": "2.1", "value": { "percent": 70 },
            "effectiveOn": "2019-06-01" });
        let read = admin(server, "recordIndicatorReading", &commune, reading).await;
        let merger = json!({ "input": {
            "sources": [held, plain], "effectiveOn": "2021-01-01", "legalAct": "1/NQ",
            "newLocality": { "name": "Xã F", "kind": "COMMUNE", "code": code(5),
                             "parent": province, "thresholdRegion": "BTB" },
            "idempotencyKey": format!("fixture merger {n}") } });
        let merged = server
            .data(
                "mutation($input: MergeLocalitiesInput!) { mergeLocalities(input: $input) {
                    events { localityId type } } }",
                merger,
            )
            .await;
        let events = merged["mergeLocalities"]["events"]
            .as_array()
            .expect("events");
        let successor = events
            .iter()
            .find(|e| e["type"] == "LOCALITIES_MERGED")
            .and_then(|e| e["localityId"].as_str())
            .expect("successor");
        Slot {
            commune,
            sources,
            successor: successor.to_owned(),
            province: province.to_owned(),
            reading_position: read["position"].as_i64().expect("position"),
            n,
        }
    }

    /// The input of `mutation` for this slot's localities, valid once.
    pub fn input(&self, mutation: &str, key: &str) -> Value {
        let (n, commune) = (self.n, &self.commune);
        let new = |i: u32| {
            json!({ "name": "Xã mới", "kind": "COMMUNE", "code": format!("{}", 30_000 + n * 10 + i),
            "parent": self.province, "thresholdRegion": "BTB" })
        };
        let mut input = match mutation {
            "registerLocality" => {
                let mut registration = new(0);
                registration["effectiveOn"] = json!("2019-01-01");
                registration
            }
            "recordLineageChange" => {
                json!({ "locality": commune, "change": { "renamed": "Xã A mới" },
                "effectiveOn": "2024-01-01", "legalAct": "2/NQ" })
            }
            "mergeLocalities" => json!({ "sources": self.sources, "newLocality": new(1),
                "effectiveOn": "2022-01-01", "legalAct": "3/NQ" }),
            "splitLocality" => json!({ "source": commune, "parts": [new(2)], "continues": true,
                "effectiveOn": "2023-01-01", "legalAct": "4/NQ" }),
            "enrolLocality" => json!({ "locality": commune, "set": NTM_2021, "targetYear": 2024,
                "effectiveOn": "2021-01-01" }),
            "recordIndicatorReading" => {
                json!({ "locality": commune, "set": NTM_2021, "indicator": "2.1",
                "value": { "percent": 80 }, "effectiveOn": "2021-02-01" })
            }
            "assessCriterion" => json!({ "locality": commune, "set": NTM_2021, "criterion": "2",
                "met": true, "level": "PROVINCIAL_COUNCIL", "effectiveOn": "2021-06-01" }),
            "recordAppraisalVote" => json!({ "locality": commune, "set": NTM_2021, "level": "NTM",
                "inFavour": 90.0, "effectiveOn": "2024-05-01" }),
            "grantRecognition" => json!({ "locality": commune, "set": NTM_2021, "level": "NTM",
                "decision": format!("2{n}0/QĐ-UBND"), "signedOn": "2024-06-01", "effectiveOn": "2024-06-01",
                "issuer": "UBND tỉnh", "signer": "Chủ tịch", "standardYear": 2024,
                "overrideReason": "test: criteria predate the register" }),
            "revokeRecognition" => {
                json!({ "locality": commune, "decision": format!("3{n}0/QĐ-UBND"),
                "revoked": format!("1{n}0/QĐ-UBND"), "reason": "test", "issuer": "UBND tỉnh",
                "effectiveOn": "2021-03-01" })
            }
            "acknowledgeAfterMerger" => {
                json!({ "locality": self.successor, "decision": format!("4{n}0/QĐ-UBND"),
                "set": NTM_2016, "level": "NTM", "standardYear": 2020,
                "acknowledges": [format!("1{n}1/QĐ-UBND")], "effectiveOn": "2021-06-01" })
            }
            "recordCriterionEntry" => json!({ "locality": commune, "set": NTM_2021,
                "criterion": "2", "effectiveOn": "2021-02-02",
                "readings": [{ "indicator": "2.1", "value": { "percent": 82 } }] }),
            "recordDecision" => json!({ "kind": "RECOGNITION", "localities": [commune],
                "set": NTM_2021, "level": "NTM", "decision": format!("5{n}0/QĐ-UBND"),
                "signedOn": "2024-07-01", "effectiveOn": "2024-07-01", "issuer": "UBND tỉnh",
                "signer": "Chủ tịch", "standardYear": 2024,
                "overrideReason": "test: criteria predate the register" }),
            "retractEvent" => {
                json!({ "position": self.reading_position, "reason": "entered twice" })
            }
            other => panic!("no input for {other}"),
        };
        input["idempotencyKey"] = json!(key);
        input
    }
}

/// Runs a progress mutation on `locality` as the admin.
async fn admin(server: &Server, mutation: &str, locality: &str, mut input: Value) -> Value {
    input["locality"] = json!(locality);
    input["idempotencyKey"] = json!(format!("fixture {mutation} {locality}"));
    let input_type = format!("{}Input", capitalise(mutation));
    mutate(server, mutation, &input_type, input).await
}

pub fn capitalise(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}
