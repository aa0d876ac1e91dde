//! Data entry in the browser (issue 21, item 2): `recordDecision` over many communes and
//! `recordCriterionEntry` as one atomic append each (all or nothing, refusals naming the
//! commune or the item), and the forms driven in a real headless browser.

mod browser;
mod criterion_entry;
mod decision;
mod scope;

use serde_json::json;

use crate::support::graphql::{mutate, register};
use crate::support::server::Server;

pub const NTM_2021: &str = "NTM-XA-2021-2025";

/// A province (`code`), one district in it and `n` communes under that district, each
/// enrolled in the 2021–2025 set unless its index is in `not_enrolled`: (province, district,
/// communes).
pub async fn district_with_communes(
    server: &Server,
    code: &str,
    n: usize,
    not_enrolled: &[usize],
) -> (String, String, Vec<String>) {
    let province = register(server, &format!("Tỉnh {code}"), "PROVINCE", code, None).await;
    let district_code = format!("{code}1");
    let district = register(
        server,
        "Huyện Thạch Hà",
        "DISTRICT",
        &district_code,
        Some(&province),
    )
    .await;
    let mut communes = Vec::new();
    for i in 0..n {
        let commune_code = format!("{code}{:03}", 100 + i);
        let name = format!("Xã Thạch {i}");
        let id = register(server, &name, "COMMUNE", &commune_code, Some(&district)).await;
        if !not_enrolled.contains(&i) {
            let enrol = json!({ "locality": id, "set": NTM_2021, "targetYear": 2024,
                "effectiveOn": "2021-01-01", "idempotencyKey": format!("enrol {commune_code}") });
            mutate(server, "enrolLocality", "EnrolLocalityInput", enrol).await;
        }
        communes.push(id);
    }
    (province, district, communes)
}
