//! District and province levels on the demo through the API: Hà Tĩnh and its districts on a
//! 2024 date, each condition counted from the data checked against a count made here through
//! the register (the events folded by the domain, not the read tables the API uses).

use chrono::NaiveDate;
use ntm_tracker::app::Register;
use ntm_tracker::domain::locality::LocalityId;
use ntm_tracker::domain::terms::{LocalityKind, RecognitionLevel};
use ntm_tracker::store::EventStore;
use serde_json::{json, Value};

use super::counts::{holding, units_of_kind};
use crate::support::server::Server;
use crate::support::TestDb;

const COMPLETION: &str = "level met undecided atRisk recognisedLevel
    conditions { code target actual met basis }";

fn summary_query() -> String {
    format!(
        "query($parent: ID!, $on: Date!) {{ summary(parent: $parent, on: $on) {{
        completion {{ {COMPLETION} }}
        districts {{ huyen huyenNtm huyenNtmNangCao townsCities townsCitiesDone
            computedMet computedNotMet computedUndecided }}
        children {{ locality {{ id name }} completion {{ {COMPLETION} }} }} }} }}"
    )
}

/// The units of `kind` whose parent on `on` is `parent`.
fn under(
    register: &Register,
    parent: &LocalityId,
    kind: LocalityKind,
    on: NaiveDate,
) -> Vec<LocalityId> {
    units_of_kind(register, kind, on)
        .into_iter()
        .filter(|id| {
            let state = register.state(id).expect("state");
            state.profile().parents.on(on).cloned().flatten().as_ref() == Some(parent)
        })
        .collect()
}

/// "part / whole (x %)" as the API writes a share.
fn share(part: usize, whole: usize) -> String {
    if whole == 0 {
        return format!("{part} / 0");
    }
    format!(
        "{part} / {whole} ({:.1} %)",
        part as f64 * 100.0 / whole as f64
    )
}

fn condition<'a>(completion: &'a Value, code: &str) -> &'a Value {
    completion["conditions"]
        .as_array()
        .expect("conditions")
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("{code} in {completion:#}"))
}

/// A district's conditions counted from the data, as the register counts them.
fn check_district(
    register: &Register,
    id: &LocalityId,
    name: &str,
    on: NaiveDate,
    completion: &Value,
) {
    use RecognitionLevel::{DoThiVanMinh, Ntm, NtmKieuMau, NtmNangCao};
    let communes = under(register, id, LocalityKind::Commune, on);
    let ntm = holding(register, &communes, on, &[Ntm, NtmNangCao, NtmKieuMau]);
    let nang_cao = holding(register, &communes, on, &[NtmNangCao, NtmKieuMau]);
    let towns = under(register, id, LocalityKind::Township, on);
    let civilised = holding(register, &towns, on, &[DoThiVanMinh]);
    if name.starts_with("Huyện") {
        assert_eq!(completion["level"], "HUYEN_NTM");
        assert_eq!(
            condition(completion, "320-I-1")["actual"],
            share(ntm, communes.len())
        );
        assert_eq!(
            condition(completion, "320-I-2")["actual"],
            share(nang_cao, communes.len())
        );
        assert_eq!(
            condition(completion, "320-I-3")["actual"],
            share(civilised, towns.len())
        );
        let all_met = ntm == communes.len();
        assert_eq!(
            condition(completion, "320-I-1")["met"],
            if all_met { "MET" } else { "NOT_MET" }
        );
        let tenth = nang_cao * 10 >= communes.len();
        assert_eq!(
            condition(completion, "320-I-2")["met"],
            if tenth { "MET" } else { "NOT_MET" }
        );
        // No assessment of a district's own criteria in the demo: (4) and (5) are undecided.
        assert_eq!(condition(completion, "320-I-5")["met"], "UNKNOWN", "{name}");
        let data_fails = !all_met || !tenth || civilised < towns.len();
        assert_eq!(
            completion["met"],
            if data_fails { "NOT_MET" } else { "UNKNOWN" },
            "{name}"
        );
    } else {
        assert_eq!(completion["level"], "HOAN_THANH_NHIEM_VU", "{name}");
        assert_eq!(
            condition(completion, "320-II-1")["actual"],
            share(ntm, communes.len())
        );
        assert_ne!(
            completion["met"], "MET",
            "Phụ lục II is not transcribed in full"
        );
    }
    assert_eq!(
        completion["atRisk"],
        Value::Null,
        "{name} holds no district level"
    );
}

pub async fn district_and_province_levels(db: &TestDb, store: &EventStore, register: &Register) {
    let server = Server::start(db).await;
    server
        .caught_up(store.last_position().await.expect("position"))
        .await;
    let on: NaiveDate = "2024-06-30".parse().expect("date");
    let province = register
        .holder(&"42".parse().expect("code"), on)
        .expect("Hà Tĩnh")
        .clone();
    let vars = json!({ "parent": province.to_string(), "on": on.to_string() });
    let summary = server.data(&summary_query(), vars).await["summary"].clone();

    // The province: (4) is the communes at nâng cao or above over every commune.
    use RecognitionLevel::{HoanThanhNhiemVu, HuyenNtm, NtmKieuMau, NtmNangCao};
    let communes = units_of_kind(register, LocalityKind::Commune, on);
    let nang_cao = holding(register, &communes, on, &[NtmNangCao, NtmKieuMau]);
    let completion = &summary["completion"];
    assert_eq!(completion["level"], "HOAN_THANH_NHIEM_VU");
    assert_eq!(
        condition(completion, "321-4")["actual"],
        share(nang_cao, communes.len())
    );
    let districts = units_of_kind(register, LocalityKind::District, on);
    let name_of = |id: &LocalityId| {
        let state = register.state(id).expect("state");
        state.profile().names.on(on).cloned().expect("name")
    };
    let (huyen, towns): (Vec<_>, Vec<_>) = districts
        .iter()
        .cloned()
        .partition(|d| name_of(d).starts_with("Huyện"));
    let tally = &summary["districts"];
    assert_eq!(tally["huyen"], huyen.len());
    assert_eq!(tally["townsCities"], towns.len());
    assert_eq!(
        tally["huyenNtm"],
        holding(register, &huyen, on, &[HuyenNtm])
    );
    assert_eq!(
        tally["townsCitiesDone"],
        holding(register, &towns, on, &[HoanThanhNhiemVu])
    );
    assert_eq!(
        condition(completion, "321-1")["actual"],
        share(0, huyen.len())
    );
    let computed: i64 = ["computedMet", "computedNotMet", "computedUndecided"]
        .iter()
        .map(|k| tally[k].as_i64().expect("count"))
        .sum();
    assert_eq!(computed as usize, districts.len());
    // No huyện holds huyện NTM in the demo, so the province cannot have completed its task.
    assert_eq!(completion["met"], "NOT_MET");

    // Every district child: its own completion, counted here.
    let children = summary["children"].as_array().expect("children");
    let mut checked = 0;
    for child in children {
        let id: LocalityId = child["locality"]["id"]
            .as_str()
            .expect("id")
            .parse()
            .expect("id");
        if !districts.contains(&id) {
            continue;
        }
        let name = child["locality"]["name"].as_str().expect("name");
        check_district(register, &id, name, on, &child["completion"]);
        checked += 1;
    }
    assert_eq!(checked, districts.len(), "every district has communes");

    // A district's own summary and Locality.completion say the same as its row.
    let thach_ha = register
        .holder(&"445".parse().expect("code"), on)
        .expect("Thạch Hà")
        .clone();
    let vars = json!({ "parent": thach_ha.to_string(), "on": on.to_string() });
    let own = server.data(&summary_query(), vars).await["summary"].clone();
    check_district(
        register,
        &thach_ha,
        "Huyện Thạch Hà",
        on,
        &own["completion"],
    );
    let row = children
        .iter()
        .find(|c| c["locality"]["id"] == thach_ha.to_string())
        .expect("Thạch Hà's row");
    assert_eq!(own["completion"], row["completion"]);
    let query = format!(
        "query($id: ID!, $on: Date) {{ locality(id: $id) {{ completion(on: $on) {{ {COMPLETION} }} }} }}"
    );
    let vars = json!({ "id": thach_ha.to_string(), "on": on.to_string() });
    let node = server.data(&query, vars).await;
    assert_eq!(node["locality"]["completion"], own["completion"]);
    assert_eq!(own["districts"], Value::Null);

    // Before QĐ 320 and 321 (8/3/2022) and after 2025 no level is computed.
    for before in ["2021-12-31", "2026-01-02"] {
        let vars = json!({ "id": province.to_string(), "on": before });
        let node = server.data(&query, vars).await;
        assert_eq!(node["locality"]["completion"], Value::Null, "{before}");
    }
}
