//! `ntm export events`, re-verified by `scripts/verify_export.py`, as an outside party
//! with Python and no code of ours would.

use std::process::Command;

use super::setup;
use crate::support::cli::{ntm, path_str, succeeded};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(exported_events_re_verify_with_the_export_script);

/// The re-verification script for exports, as `docs/event-store.md` hands it out.
fn export_script() -> &'static str {
    include_str!("../../../scripts/verify_export.py")
}

fn check(script: &std::path::Path, export: &std::path::Path) -> (bool, String) {
    let output = Command::new("python3")
        .arg(script)
        .arg(export)
        .output()
        .expect("python3");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text.trim().to_owned())
}

async fn exported_events_re_verify_with_the_export_script(db: &TestDb) {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("python3 is not installed: skipping the export script check");
        return;
    }
    let store = db.store().await;
    let communes = setup::communes(3);
    setup::localities(&store, &communes).await;
    let (text, _) = setup::readings_csv(&communes, 60);
    let dir = tempfile::tempdir().expect("dir");
    let readings = dir.path().join("readings.csv");
    std::fs::write(&readings, text).expect("write");
    succeeded(&ntm(&db.url, &["import", "readings", path_str(&readings)]));
    let script = dir.path().join("verify_export.py");
    std::fs::write(&script, export_script()).expect("script");

    let whole = dir.path().join("events.jsonl");
    std::fs::write(&whole, succeeded(&ntm(&db.url, &["export", "events"]))).expect("write");
    assert_eq!(
        check(&script, &whole),
        (true, "ok: 68 events in 5 streams".to_owned())
    );

    // A later part of the log verifies on its own, trusting its first links.
    let tail = dir.path().join("tail.jsonl");
    let part = succeeded(&ntm(&db.url, &["export", "events", "--from", "40"]));
    assert_eq!(
        part.lines()
            .next()
            .map(|l| l.starts_with("{\"position\":40,")),
        Some(true)
    );
    std::fs::write(&tail, part).expect("write");
    assert_eq!(
        check(&script, &tail),
        (true, "ok: 29 events in 2 streams".to_owned())
    );

    // One altered reading is caught, and named.
    let export = std::fs::read_to_string(&whole).expect("read");
    let line = export.lines().nth(29).expect("line 30");
    let forged = line.replacen("\\\"value\\\":", "\\\"value\\\":1", 1);
    assert_ne!(line, forged);
    std::fs::write(&whole, export.replacen(line, &forged, 1)).expect("write");
    let (ok, message) = check(&script, &whole);
    assert!(!ok, "{message}");
    assert!(message.contains("(position 30)"), "{message}");
}
