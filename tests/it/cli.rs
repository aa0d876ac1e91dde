//! The `ntm` binary as a user runs it.

use std::process::Command;

use crate::helpers::TestDb;

#[tokio::test]
async fn migrate_creates_the_database_and_verify_accepts_an_empty_log() {
    let db = TestDb::sqlite().await;
    let run = |command: &str| {
        Command::new(env!("CARGO_BIN_EXE_ntm"))
            .arg(command)
            .env("DATABASE_URL", &db.url)
            .output()
            .expect("run ntm")
    };
    assert!(run("migrate").status.success());
    let verify = run("verify");
    assert!(verify.status.success());
    assert!(String::from_utf8_lossy(&verify.stdout).contains("ok: 0 events"));
}

#[test]
fn a_bad_database_url_is_a_clear_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_ntm"))
        .arg("verify")
        .env("DATABASE_URL", "mysql://root:hunter2@localhost/ntm")
        .output()
        .expect("run ntm");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unsupported database URL"), "{stderr}");
    assert!(
        !stderr.contains("hunter2"),
        "the password is never printed: {stderr}"
    );
}
