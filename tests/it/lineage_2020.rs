//! The curated Hà Tĩnh lineage of 1/1/2020 (Nghị quyết 819/NQ-UBTVQH14): a list made in 2023
//! registered as it was before the act, then the mergers recorded with the counts the sources
//! give; applied twice it records nothing; a later list registered before the act is refused
//! before anything is written.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use ntm_tracker::app::progress::Quiet;
use ntm_tracker::app::{Origin, Register};
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::domain::profile::EndKind;
use ntm_tracker::domain::terms::LocalityKind;
use ntm_tracker::import::curated::{self, EstablishConflict, Lineage};
use ntm_tracker::import::localities::{self, Terms};
use ntm_tracker::store::EventStore;

use crate::support::TestDb;

const TODAY: &str = "2026-11-22";

fn data(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("catalog")
        .join(file)
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn mergers() -> Lineage {
    curated::read(&data("lineage/42-ha-tinh-2020-01-01.toml")).expect("curated file")
}

/// Hà Tĩnh's 2023 list registered from 2016, as it was before 2020 when `as_before`.
async fn registered(store: &EventStore, as_before: Option<&Lineage>) -> Register {
    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    let mut register = Register::load(store, catalog, Origin::cli("test:lineage"))
        .await
        .expect("register");
    let file = data("localities/localities-ha-tinh-pre2025.csv");
    let mut units = localities::read(&file).expect("file");
    if let Some(lineage) = as_before {
        units = lineage.as_before(&units);
    }
    let terms = Terms {
        file: file.display().to_string(),
        effective_on: date("2016-01-01"),
        act: None,
        today: date(TODAY),
    };
    localities::import(&mut register, &units, &terms, &Quiet)
        .await
        .expect("import");
    register
}

/// Communes, wards and townships alive on `on`.
fn census(register: &Register, on: &str) -> [usize; 3] {
    let on = date(on);
    let count = |kind| {
        register
            .alive_on(on)
            .into_iter()
            .filter(|id| {
                let found = register
                    .state(id)
                    .and_then(|s| s.profile().kinds.on(on).copied());
                found == Some(kind)
            })
            .count()
    };
    [
        LocalityKind::Commune,
        LocalityKind::Ward,
        LocalityKind::Township,
    ]
    .map(count)
}

#[tokio::test]
async fn ha_tinh_goes_from_229_communes_to_182_on_1_january_2020() {
    let db = TestDb::sqlite().await;
    let store = db.store().await;
    let lineage = mergers();
    let mut register = registered(&store, Some(&lineage)).await;
    assert_eq!(census(&register, "2019-12-31"), [229, 21, 12]);

    let applied = curated::apply(&mut register, &lineage, date(TODAY))
        .await
        .expect("applied");
    assert_eq!(
        (applied.established, applied.mergers, applied.changes),
        (0, 33, 1)
    );
    assert_eq!(census(&register, "2020-01-01"), [182, 21, 13]);

    // Đồng Môn is a new commune holding Thạch Môn's code; Thạch Đồng's code is retired.
    let code = |c: &str| c.parse().expect("code");
    let thach_mon = register.holder(&code("18103"), date("2019-12-31")).cloned();
    let dong_mon = register.holder(&code("18103"), date("2020-01-01")).cloned();
    assert_ne!(thach_mon, dong_mon);
    let profile = register
        .state(&dong_mon.clone().expect("Đồng Môn"))
        .expect("state")
        .profile();
    assert_eq!(
        profile.names.on(date("2020-01-01")).map(String::as_str),
        Some("Xã Đồng Môn")
    );
    assert_eq!(profile.formed_from.len(), 2);
    let ended = register
        .state(&thach_mon.expect("Thạch Môn"))
        .and_then(|s| s.profile().ended.clone())
        .expect("ended");
    assert_eq!(ended.kind, EndKind::MergedInto(dong_mon.expect("Đồng Môn")));
    assert!(register
        .holder(&code("18106"), date("2020-01-01"))
        .is_none());

    let events = store.last_position().await.expect("position");
    let again = curated::apply(&mut register, &lineage, date(TODAY))
        .await
        .expect("again");
    assert_eq!(again.events, 0);
    assert_eq!(store.last_position().await.expect("position"), events);
}

#[tokio::test]
async fn the_units_a_register_lacks_are_established_from_known_from() {
    let db = TestDb::sqlite().await;
    let store = db.store().await;
    let lineage = mergers();
    let later = localities::read(&data("localities/localities-ha-tinh-pre2025.csv")).expect("file");
    assert_eq!(lineage.as_before(&later).len(), later.len() + 46);
    // A register whose list had the kept codes as they were, but not the 46 retired codes.
    let mut kept_only = mergers();
    kept_only
        .establish
        .retain(|e| later.iter().any(|u| u.code == e.code));
    let mut register = registered(&store, Some(&kept_only)).await;
    // 18373 and 18568 are xã Tiên Điền and xã Thạch Bằng again; thị trấn Nghi Xuân is missing.
    assert_eq!(census(&register, "2019-12-31"), [184, 21, 11]);

    let applied = curated::apply(&mut register, &lineage, date(TODAY))
        .await
        .expect("applied");
    assert_eq!(applied.established, 46);
    assert_eq!(census(&register, "2019-12-31"), [229, 21, 12]);
    assert_eq!(census(&register, "2020-01-01"), [182, 21, 13]);
    let code = "18106".parse().expect("code");
    let thach_dong = register
        .holder(&code, date("2016-01-01"))
        .expect("Thạch Đồng");
    let profile = register.state(thach_dong).expect("state").profile();
    assert_eq!(profile.established_on, lineage.known_from);
}

#[tokio::test]
async fn a_later_list_registered_before_the_act_is_refused_and_nothing_is_written() {
    let db = TestDb::sqlite().await;
    let store = db.store().await;
    let mut register = registered(&store, None).await;
    let events = store.last_position().await.expect("position");
    let error = curated::apply(&mut register, &mergers(), date(TODAY))
        .await
        .expect_err("refused");
    let conflict = error.downcast_ref::<EstablishConflict>().expect("typed");
    assert_eq!(conflict.code.as_str(), "18103");
    assert_eq!(conflict.held, "Xã Đồng Môn");
    assert_eq!(conflict.expected, "Xã Thạch Môn");
    assert_eq!(store.last_position().await.expect("position"), events);
}
