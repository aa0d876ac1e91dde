//! `ntm user create|list|disable|reset-password`, passwords on stdin only, and `ntm verify`
//! checking the accounts' index against the log.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use ntm_tracker::store::{Db, StreamRange};

use crate::support::cli::ntm_verify;
use crate::support::TestDb;

fn ntm(db: &TestDb, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ntm"))
        .args(args)
        .env("DATABASE_URL", &db.url)
        .env("NTM_ACTOR", "Văn thư")
        .env("NTM_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ntm");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.as_bytes()).expect("write stdin");
    drop(input);
    child.wait_with_output().expect("ntm output")
}

fn out(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

#[tokio::test]
async fn accounts_are_managed_from_the_command_line_and_verified() {
    let db = TestDb::sqlite().await;
    let create = ["user", "create", "--username", "Lan", "--role", "recorder"];
    let without_stdin = ntm(&db, &create, "");
    assert!(
        !without_stdin.status.success(),
        "--password-stdin is required"
    );
    assert!(
        out(&without_stdin).contains("--password-stdin"),
        "{}",
        out(&without_stdin)
    );
    let args = [
        &create[..],
        &["--password-stdin", "--expires", "2030-12-31"],
    ]
    .concat();
    let short = ntm(&db, &args, "ngắn\n");
    assert!(!short.status.success() && out(&short).contains("at least 10"));
    let created = ntm(&db, &args, "mật khẩu đủ dài 2026\n");
    assert!(created.status.success(), "{}", out(&created));
    let listed = out(&ntm(&db, &["user", "list"], ""));
    assert!(
        listed.contains("active  lan  role=recorder  scope=all  expires=2030-12-31"),
        "{listed}"
    );
    assert!(
        listed.contains("by Văn thư") && !listed.contains("argon2"),
        "{listed}"
    );
    let id = listed
        .split_whitespace()
        .next()
        .expect("account id")
        .to_owned();
    let taken = ntm(&db, &args, "mật khẩu khác cũng dài\n");
    assert!(
        !taken.status.success() && out(&taken).contains("taken"),
        "{}",
        out(&taken)
    );

    let reset = ["user", "reset-password", &id, "--password-stdin"];
    assert!(ntm(&db, &reset, "mật khẩu mới đủ dài\n").status.success());
    assert!(out(&ntm(&db, &["user", "disable", &id], "")).contains("disabled account"));
    let store = db.store().await;
    let events = store
        .read_stream(&format!("user/{id}"), StreamRange::all())
        .await
        .expect("read");
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(types, ["UserCreated", "UserPasswordReset", "UserDisabled"]);
    assert!(events.iter().all(|e| !e.payload.contains("mật khẩu")));
    assert_eq!(events[2].metadata().expect("metadata").actor, "Văn thư");

    let (code, text) = ntm_verify(&db.url);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("the indexes of 1 accounts and 0 sessions match"),
        "{text}"
    );
    let Db::Sqlite(pool) = &db.db else {
        unreachable!("an SQLite test")
    };
    sqlx::query("UPDATE user_accounts SET username = 'mallory'")
        .execute(pool)
        .await
        .expect("tamper");
    let (code, text) = ntm_verify(&db.url);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("ACCOUNT INDEX DIFFERS"), "{text}");
}
