//! "Today" is Vietnam's date: at 00:30 in Hà Nội (17:30 UTC the day before) a fact dated today is
//! accepted, one dated tomorrow is refused, and a standing without `on` is graded on today.

use ntm_tracker::app::clock::Clock;
use ntm_tracker::AccessSettings;
use serde_json::json;

use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(at_half_past_midnight_in_ha_noi_today_is_the_local_date);

const REGISTER: &str = "mutation($input: RegisterLocalityInput!) {
    registerLocality(input: $input) { events { localityId } } }";

fn commune(code: &str, effective_on: &str) -> serde_json::Value {
    json!({ "input": { "name": "Xã Thạch Bình", "kind": "COMMUNE", "code": code,
        "thresholdRegion": "BTB", "effectiveOn": effective_on,
        "idempotencyKey": format!("register {code}") } })
}

async fn at_half_past_midnight_in_ha_noi_today_is_the_local_date(db: &TestDb) {
    let at = "2025-07-01T17:30:00Z".parse().expect("instant");
    let access = AccessSettings {
        failures_per_minute: 10_000,
        ..AccessSettings::default()
    };
    let server = Server::start_at(db, access, Clock::fixed(at)).await;

    let registered = server.data(REGISTER, commune("18112", "2025-07-02")).await;
    let id = registered["registerLocality"]["events"][0]["localityId"].clone();

    let error = server.error(REGISTER, commune("18113", "2025-07-03")).await;
    assert_eq!(error["extensions"]["code"], "VALIDATION", "{error:#}");
    assert_eq!(error["extensions"]["field"], "effectiveOn", "{error:#}");

    let standing = server
        .data(
            "query($id: ID!) { standing(locality: $id, set: \"NTM-XA-2021-2025\") { on } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(standing["standing"]["on"], "2025-07-02");
}
