//! Real administrative data in, on both engines: the GSO country file, the July 2025
//! rearrangement with the curated Hà Tĩnh lineage, re-imports that record nothing, and files
//! whose every mistake is named before anything is written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use futures::TryStreamExt;
use ntm_tracker::app::progress::Quiet;
use ntm_tracker::app::Origin;
use ntm_tracker::app::{CommandError, Register};
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::domain::locality::LocalityId;
use ntm_tracker::domain::terms::LocalityKind;
use ntm_tracker::domain::DomainError;
use ntm_tracker::import::localities::{self, Summary, Terms};
use ntm_tracker::import::reorganization::{self, Files};
use ntm_tracker::store::{EventStore, StreamRange};

use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    the_country_and_its_2025_reorganisation_import_with_the_documented_counts,
    a_bad_localities_file_writes_nothing_and_names_every_row,
    a_changed_name_is_a_rename_and_needs_an_act,
    an_import_that_would_make_a_cycle_writes_nothing,
);

fn data(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("catalog")
        .join(file)
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

async fn register(store: &EventStore) -> Register {
    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    Register::load(store, catalog, Origin::cli("test:import"))
        .await
        .expect("register")
}

async fn import_file(store: &EventStore, file: &Path, act: Option<&str>) -> Summary {
    let mut register = register(store).await;
    let units = localities::read(file).expect("valid file");
    let terms = Terms {
        file: file.display().to_string(),
        effective_on: date("2016-01-01"),
        act: act.map(|a| a.parse().expect("act")),
        today: date("2026-11-22"),
    };
    localities::import(&mut register, &units, &terms, &Quiet)
        .await
        .expect("import")
}

async fn event_count(store: &EventStore) -> usize {
    let events: Vec<_> = store.catch_up_entries(0).try_collect().await.expect("log");
    events.len()
}

/// Units alive on `on`, counted by kind.
fn census(register: &Register, on: NaiveDate) -> HashMap<LocalityKind, usize> {
    let mut census = HashMap::new();
    for id in register.alive_on(on) {
        let kind = register
            .state(id)
            .and_then(|s| s.profile().kinds.on(on).copied());
        *census.entry(kind.expect("kind")).or_default() += 1;
    }
    census
}

fn name_and_id(register: &Register, code: &str, on: &str) -> (String, LocalityId) {
    let on = date(on);
    let id = register
        .holder(&code.parse().expect("code"), on)
        .unwrap_or_else(|| panic!("no unit holds {code} on {on}"))
        .clone();
    let name = register
        .state(&id)
        .and_then(|s| s.profile().names.on(on).cloned())
        .expect("name");
    (name, id)
}

async fn the_country_and_its_2025_reorganisation_import_with_the_documented_counts(db: &TestDb) {
    let store = db.store().await;
    let country = data("localities/localities-vn-pre2025.csv");
    let first = import_file(&store, &country, None).await;
    assert_eq!((first.created, first.events), (11_367, 11_367));
    let again = import_file(&store, &country, None).await;
    assert_eq!(
        (again.unchanged, again.events),
        (11_367, 0),
        "re-import is a no-op"
    );
    // The data README: 63 province, 705 district, 8,248 commune, 1,737 ward, 614 township.
    let census_2023 = census(&register(&store).await, date("2023-06-01"));
    let expected = [
        (LocalityKind::Province, 63),
        (LocalityKind::District, 705),
        (LocalityKind::Commune, 8_248),
        (LocalityKind::Ward, 1_737),
        (LocalityKind::Township, 614),
    ];
    assert_eq!(census_2023, HashMap::from(expected));

    let files = Files {
        mapping: data("localities/localities-vn-2025-ward-mapping.csv"),
        units: data("localities/localities-vn-2025.csv"),
        curated: vec![data("lineage/42-ha-tinh-2025-01-01.toml")],
    };
    let terms = reorganization::Terms {
        effective: date("2025-07-01"),
        act: "19/2025/QĐ-TTg".parse().expect("act"),
        prior_effective: date("2025-01-01"),
        prior_act: "35/2023/UBTVQH15".parse().expect("act"),
    };
    let today = date("2026-11-22");
    let mut reg = register(&store).await;
    let sources = reorganization::Sources::read(&files).expect("sources");
    let summary = reorganization::run(&mut reg, &sources, &terms, today, &Quiet)
        .await
        .expect("reorganisation");
    // 568 units of the snapshot have no mapping row: 566 ended as absorbed, and 18070 and
    // 18076 ended by the curated Hà Tĩnh mergers of 1/1/2025.
    assert_eq!(summary.absorbed.len(), 566);
    assert!(!summary.absorbed.iter().any(|u| u.starts_with("18070")));
    assert_eq!(summary.curated_mergers, 3);
    // 03980, 03983, 03984: created after the April 2023 snapshot.
    assert_eq!(summary.inferred_units.len(), 3);
    assert!(summary.inferred_units[0].starts_with("03980"));
    assert!(
        summary.inferred_renames.len() > 100,
        "{}",
        summary.inferred_renames.len()
    );
    assert_eq!(
        summary.districts_ended, 704,
        "705 districts, Lộc Hà merged into Thạch Hà"
    );

    // Afterwards: 34 provinces and 3,321 commune-level units, as the 2025 file lists.
    let reloaded = register(&store).await;
    let census_2025 = census(&reloaded, date("2025-08-01"));
    let expected = [
        (LocalityKind::Province, 34),
        (LocalityKind::Commune, 2_621),
        (LocalityKind::Ward, 687),
        (LocalityKind::SpecialZone, 13),
    ];
    assert_eq!(census_2025, HashMap::from(expected));

    // Research §5.3–5.4: the three "Phường Trần Phú".
    let (thach_linh, first_id) = name_and_id(&reloaded, "18094", "2024-06-01");
    assert_eq!(thach_linh, "Phường Thạch Linh");
    let (january, january_id) = name_and_id(&reloaded, "18094", "2025-03-01");
    assert_eq!(january, "Phường Trần Phú");
    assert_ne!(
        january_id, first_id,
        "a new unit formed by the 1/1/2025 merger"
    );
    let (july, july_id) = name_and_id(&reloaded, "18100", "2025-08-01");
    assert_eq!(july, "Phường Trần Phú");
    assert_ne!(july_id, january_id);
    let thach_ha = name_and_id(&reloaded, "18100", "2024-06-01");
    assert_eq!(thach_ha.0, "Xã Thạch Hạ");
    let formed_from = &reloaded
        .state(&july_id)
        .expect("state")
        .profile()
        .formed_from;
    assert!(
        formed_from.contains(&thach_ha.1),
        "Thạch Hạ is a predecessor"
    );
    assert_eq!(
        formed_from.len(),
        4,
        "Thạch Trung, Đồng Môn, Thạch Hạ, Hộ Độ"
    );
    let (thach_trung, _) = name_and_id(&reloaded, "18088", "2025-03-01");
    assert_eq!(thach_trung, "Phường Thạch Trung");

    // An inferred rename says so in its metadata: 00181 was "Phường Văn Miếu" in 2023 and
    // "Phường Văn Miếu - Quốc Tử Giám" in the mapping.
    let (renamed, van_mieu) = name_and_id(&reloaded, "00181", "2025-03-01");
    assert_eq!(renamed, "Phường Văn Miếu - Quốc Tử Giám");
    let stream = store
        .read_stream(
            &ntm_tracker::app::codec::locality_stream_of(&van_mieu.to_string()),
            StreamRange::all(),
        )
        .await
        .expect("stream");
    let rename = stream
        .iter()
        .find(|e| e.event_type == "LocalityRenamed")
        .expect("a rename");
    let reason = rename
        .metadata()
        .expect("metadata")
        .reason
        .unwrap_or_default();
    assert!(reason.starts_with("inferred from"), "{reason}");

    // Running it again records nothing.
    let before = event_count(&store).await;
    let mut reg = register(&store).await;
    let again = reorganization::run(&mut reg, &sources, &terms, today, &Quiet)
        .await
        .expect("again");
    assert!(again.unchanged);
    assert_eq!(event_count(&store).await, before);
}

async fn a_bad_localities_file_writes_nothing_and_names_every_row(db: &TestDb) {
    let store = db.store().await;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("units.csv");
    std::fs::write(
        &file,
        "code,name,kind,parent_code\n42,Tỉnh Hà Tĩnh,province,\n436,Thành phố Hà Tĩnh,district,42\n\
         1809,Xã Sai Mã,commune,436\n18088,,commune,436\n18100,Xã Thạch Hạ,village-ish,436\n\
         18103,Xã Đồng Môn,commune,999\n18103,Xã Đồng Môn,commune,436\n",
    )
    .expect("write");
    let problems = localities::read(&file).expect_err("bad rows").0;
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let name = file.display().to_string();
    assert!(shown.contains(&format!(
        "{name} row 4, column code: expected a GSO code of 2, 3 or 5 digits, zero-padded (as text, e.g. 01 or 00004), got \"1809\""
    )), "{shown:#?}");
    assert!(shown
        .iter()
        .any(|s| s.starts_with(&format!("{name} row 5, column name:"))));
    assert!(shown
        .iter()
        .any(|s| s.starts_with(&format!("{name} row 6, column kind:"))));
    assert!(shown.iter().any(|s| s.starts_with(&format!(
        "{name} row 8, column code: 18103 is already on row 7"
    ))));
    // An unknown parent is found when planning against the register: still nothing written.
    std::fs::write(
        &file,
        "code,name,kind,parent_code\n18103,Xã Đồng Môn,commune,999\n",
    )
    .expect("write");
    let units = localities::read(&file).expect("well-formed");
    let mut reg = register(&store).await;
    let terms = Terms {
        file: name.clone(),
        effective_on: date("2016-01-01"),
        act: None,
        today: date("2026-11-22"),
    };
    let error = localities::import(&mut reg, &units, &terms, &Quiet)
        .await
        .expect_err("unknown parent");
    assert!(
        error.to_string().contains(&format!(
            "{name} row 2, column parent_code: no unit holds code 999"
        )),
        "{error}"
    );
    assert_eq!(event_count(&store).await, 0);
}

async fn a_changed_name_is_a_rename_and_needs_an_act(db: &TestDb) {
    let store = db.store().await;
    let ha_tinh = data("localities/localities-ha-tinh-pre2025.csv");
    assert_eq!(import_file(&store, &ha_tinh, None).await.created, 230);
    let dir = tempfile::tempdir().expect("dir");
    let renamed = dir.path().join("renamed.csv");
    let text = std::fs::read_to_string(&ha_tinh).expect("read");
    std::fs::write(
        &renamed,
        text.replace("Xã Thạch Trung,commune", "Phường Thạch Trung,ward"),
    )
    .expect("write");
    let mut reg = register(&store).await;
    let units = localities::read(&renamed).expect("valid");
    let terms = Terms {
        file: "renamed.csv".into(),
        effective_on: date("2016-01-01"),
        act: None,
        today: date("2026-11-22"),
    };
    let error = localities::import(&mut reg, &units, &terms, &Quiet)
        .await
        .expect_err("needs an act");
    assert!(error.to_string().contains("needs --act"), "{error}");
    let summary = import_file(&store, &renamed, Some("1283/NQ-UBTVQH15")).await;
    assert_eq!(
        (summary.renamed, summary.reclassified, summary.unchanged),
        (1, 1, 229)
    );
    let (name, _) = name_and_id(&register(&store).await, "18088", "2020-01-01");
    assert_eq!(name, "Phường Thạch Trung");
}

/// A province moved under its own district by a localities file is refused by the same tree
/// check as the API's, and the file writes nothing.
async fn an_import_that_would_make_a_cycle_writes_nothing(db: &TestDb) {
    let store = db.store().await;
    let dir = tempfile::tempdir().expect("dir");
    let write = |name: &str, rows: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("code,name,kind,parent_code\n{rows}")).expect("write");
        path
    };
    let tree = write(
        "tree.csv",
        "42,Tỉnh Hà Tĩnh,province,\n436,Huyện Thạch Hà,district,42\n",
    );
    assert_eq!(import_file(&store, &tree, None).await.created, 2);
    let before = event_count(&store).await;
    let cycle = write("cycle.csv", "42,Tỉnh Hà Tĩnh,province,436\n");
    let mut reg = register(&store).await;
    let units = localities::read(&cycle).expect("valid file");
    let terms = Terms {
        file: "cycle.csv".into(),
        effective_on: date("2020-01-01"),
        act: Some("1/NQ-UBTVQH15".parse().expect("act")),
        today: date("2026-11-22"),
    };
    let error = localities::import(&mut reg, &units, &terms, &Quiet)
        .await
        .expect_err("a cycle is refused");
    assert!(
        matches!(
            error,
            localities::ImportError::Register(CommandError::Refused(
                DomainError::ParentCycle { .. }
            ))
        ),
        "{error}"
    );
    assert_eq!(event_count(&store).await, before, "nothing written");
}
