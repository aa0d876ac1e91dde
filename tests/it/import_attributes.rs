//! `ntm import attributes`: the threshold region, commune group and special status of many units
//! from one file, checked whole (every bad row named by file, row and column, nothing written),
//! recorded once.

use std::process::Command;

use ntm_tracker::app::{Origin, Register};
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::domain::terms::{CommuneGroup, SpecialStatus, ThresholdRegion};
use ntm_tracker::store::{Db, EventStore};

fn ntm(url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ntm"))
        .args(args)
        .env("DATABASE_URL", url)
        .output()
        .expect("run ntm")
}

#[tokio::test]
async fn attributes_are_imported_whole_and_once() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/ntm.db?mode=rwc", dir.path().display());
    let units = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("catalog/localities/localities-ha-tinh-pre2025.csv");
    let units = units.to_str().expect("path");
    let registered = ntm(
        &url,
        &["import", "localities", units, "--effective", "2016-01-01"],
    );
    assert!(registered.status.success(), "{registered:?}");

    let events_before = events(&url).await;
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "code,region,commune_group,effective_on,special\n18112,BTB,,2016-01-01,\n18115,MIEN-TAY,,2016-01-01,\n99999,BTB,4,2016-01-01,\n18113,BTB,,2016-01-01,xa-ngheo\n",
    )
    .expect("write");
    let refused = ntm(&url, &["import", "attributes", bad.to_str().expect("path")]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    let name = bad.display();
    assert!(
        stderr.contains(&format!("{name} row 5, column special")),
        "{stderr}"
    );
    assert!(
        stderr.contains("xa-dbkk"),
        "the valid spellings are named: {stderr}"
    );
    assert_eq!(
        events(&url).await,
        events_before,
        "a refused file writes nothing"
    );
    assert!(
        stderr.contains(&format!("{name} row 3, column region")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{name} row 4, column commune_group")),
        "{stderr}"
    );

    let good = dir.path().join("attributes.csv");
    std::fs::write(
        &good,
        "code,region,commune_group,effective_on,reason,special\n\
         18112,BTB,,2016-01-01,,\n\
         18115,TDMNPB,,2016-01-01,xã đặc biệt khó khăn,xa-dbkk\n\
         18112,BTB,2,2026-02-15,,\n",
    )
    .expect("write");
    let first = ntm(
        &url,
        &["import", "attributes", good.to_str().expect("path")],
    );
    assert!(first.status.success(), "{first:?}");
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout.contains("3 rows; 3 assigned, 0 unchanged"),
        "{stdout}"
    );
    let again = ntm(
        &url,
        &["import", "attributes", good.to_str().expect("path")],
    );
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(
        stdout.contains("0 assigned, 3 unchanged (0 events recorded)"),
        "{stdout}"
    );

    let store = EventStore::open(Db::connect(&url).await.expect("db"))
        .await
        .expect("store");
    let catalog = std::sync::Arc::new(Catalog::shipped().expect("catalogue"));
    let register = Register::load(&store, catalog, Origin::cli("test"))
        .await
        .expect("register");
    let day = |s: &str| s.parse::<chrono::NaiveDate>().expect("date");
    let profile = |code: &str| {
        let id = register
            .holder(&code.parse().expect("code"), day("2020-01-01"))
            .expect("unit")
            .clone();
        register.state(&id).expect("state").profile().clone()
    };
    let thach_binh = profile("18112");
    assert_eq!(
        thach_binh.regions.on(day("2020-01-01")),
        Some(&Some(ThresholdRegion::Btb))
    );
    assert_eq!(
        thach_binh.groups.on(day("2026-03-01")),
        Some(&Some(CommuneGroup::Two))
    );
    assert_eq!(thach_binh.groups.on(day("2025-03-01")), Some(&None));
    let special = profile("18115");
    assert_eq!(
        special.regions.on(day("2020-01-01")),
        Some(&Some(ThresholdRegion::Tdmnpb))
    );
    assert_eq!(
        special.specials.on(day("2020-01-01")),
        Some(&Some(SpecialStatus::XaDbkk))
    );
    assert_eq!(thach_binh.specials.on(day("2020-01-01")), Some(&None));
}

/// How many events the database holds.
async fn events(url: &str) -> i64 {
    let store = EventStore::open(Db::connect(url).await.expect("db"))
        .await
        .expect("store");
    store.last_position().await.expect("position")
}
