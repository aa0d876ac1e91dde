//! `ntm import villages`: villages under their commune-level unit from one file, checked whole
//! (every bad row named by file, row and column, nothing written), recorded once.

use std::process::Command;

use ntm_tracker::app::{Origin, Register};
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::domain::terms::LocalityKind;
use ntm_tracker::store::{Db, EventStore};

fn ntm(url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ntm"))
        .args(args)
        .env("DATABASE_URL", url)
        .output()
        .expect("run ntm")
}

/// (units in the register, villages among them, named "Thôn Trung Tiến")
async fn counts(url: &str) -> (usize, usize, usize) {
    let store = EventStore::open(Db::connect(url).await.expect("db"))
        .await
        .expect("store");
    let catalog = std::sync::Arc::new(Catalog::shipped().expect("catalogue"));
    let register = Register::load(&store, catalog, Origin::cli("test"))
        .await
        .expect("register");
    let on = "2020-01-01".parse().expect("date");
    let villages: Vec<_> = register
        .states()
        .map(|(_, s)| s.profile())
        .filter(|p| p.kinds.on(on) == Some(&LocalityKind::Village))
        .collect();
    let named = villages
        .iter()
        .filter(|p| p.names.on(on).map(String::as_str) == Some("Thôn Trung Tiến"))
        .count();
    (register.len(), villages.len(), named)
}

const BAD: &str = "name,parent_code,kind,effective_on\n\
    Thôn Trung Tiến,18112,thôn,2018-01-01\n\
    thôn trung tiến,18112,village,2019-01-01\n\
    Thôn Bắc,99999,thôn,2018-01-01\n\
    Thôn Nam,18112,commune,2018-01-01\n\
    Thôn Đông,18112,thôn,2018-02-30\n\
    Thôn Tây,436,thôn,2018-01-01\n\
    Thôn Mới,18112,xóm,2099-01-01\n\
    Thôn Cũ,18112,làng xã,2018-01-01\n";

const GOOD: &str = "name,parent_code,kind,effective_on,code,legal_act\n\
    Thôn Trung Tiến,18112,thôn,2018-01-01,,\n\
    Thôn Bình Yên,18112,Thon,2018-01-01,,\n\
    Tổ dân phố 5,18070,tổ dân phố,2016-06-01,,123/QĐ-UBND\n";

#[tokio::test]
async fn villages_are_imported_whole_and_once() {
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
    let before = counts(&url).await;
    assert_eq!(before.1, 0);

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, BAD).expect("write");
    let refused = ntm(&url, &["import", "villages", bad.to_str().expect("path")]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("nothing was written"), "{stderr}");
    let name = bad.display();
    for (row, column, why) in [
        (3, "name", "already on row 2"),
        (4, "parent_code", "no unit holds code 99999"),
        (5, "kind", "a commune is not a village"),
        (6, "effective_on", "expected a date"),
        (7, "parent_code", "436 is a district"),
        (8, "effective_on", "2099-01-01 is after today"),
        (9, "kind", "expected village, thôn"),
    ] {
        let line = format!("{name} row {row}, column {column}: ");
        let found = stderr.lines().find(|l| l.contains(&line));
        assert!(
            found.is_some_and(|l| l.contains(why)),
            "{line}{why}:\n{stderr}"
        );
    }
    assert!(!stderr.contains("row 2,"), "row 2 is good: {stderr}");
    assert_eq!(counts(&url).await, before, "nothing written");

    let good = dir.path().join("villages.csv");
    std::fs::write(&good, GOOD).expect("write");
    let first = ntm(&url, &["import", "villages", good.to_str().expect("path")]);
    assert!(first.status.success(), "{first:?}");
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout.contains("3 rows; 3 created, 0 unchanged (3 events recorded)"),
        "{stdout}"
    );
    let again = ntm(&url, &["import", "villages", good.to_str().expect("path")]);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(
        stdout.contains("0 created, 3 unchanged (0 events recorded)"),
        "{stdout}"
    );
    assert_eq!(counts(&url).await, (before.0 + 3, 3, 1));

    // The same village from an earlier date is refused, not registered twice.
    let earlier = dir.path().join("earlier.csv");
    std::fs::write(
        &earlier,
        "name,parent_code,kind,effective_on\nThôn Trung Tiến,18112,thôn,2017-01-01\n",
    )
    .expect("write");
    let refused = ntm(
        &url,
        &["import", "villages", earlier.to_str().expect("path")],
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains(
            "column effective_on: \"Thôn Trung Tiến\" is registered under 18112 from 2018-01-01"
        ),
        "{stderr}"
    );
    assert_eq!(counts(&url).await, (before.0 + 3, 3, 1));
}
