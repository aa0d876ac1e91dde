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

/// The README's verification script, run by an outside party's Python on our SQLite file,
/// must agree with `ntm verify`.
#[tokio::test]
async fn the_readme_chain_script_verifies_an_sqlite_log() {
    let Ok(python) = which_python() else {
        eprintln!("python3 is not installed: skipping the README script check");
        return;
    };
    let readme = include_str!("../../README.md");
    let script = readme
        .split("```python\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README.md has a python block");
    let db = TestDb::sqlite().await;
    let store = db.store().await;
    for n in 0..3 {
        crate::store_contract::append_one(&store, "locality/Thạch Trung", n, n as u64).await;
    }
    let dated = ntm_tracker::store::NewEvent::json(
        "Renamed",
        &serde_json::json!({"tên": "Phường Trần Phú"}),
    )
    .expect("json")
    .effective_on(chrono::NaiveDate::from_ymd_opt(2025, 7, 1).expect("date"));
    let request = ntm_tracker::store::AppendRequest::single(
        "locality/x",
        ntm_tracker::store::ExpectedVersion::Any,
        vec![dated],
        ntm_tracker::store::Metadata::system("người kiểm tra"),
    );
    store.append(request).await.expect("append");

    let dir = tempfile::tempdir().expect("dir");
    let script_path = dir.path().join("verify_chain.py");
    std::fs::write(&script_path, script).expect("write script");
    let file = db
        .url
        .trim_start_matches("sqlite://")
        .trim_end_matches("?mode=rwc");
    let output = Command::new(&python)
        .arg(&script_path)
        .arg(file)
        .output()
        .expect("python");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(stdout.trim(), "ok: 4 events in 2 streams");
}

fn which_python() -> Result<String, ()> {
    Command::new("python3")
        .arg("--version")
        .output()
        .map(|_| "python3".to_owned())
        .map_err(|_| ())
}

/// The quick start's `ntm serve`, as a process on a free loopback port.
#[tokio::test]
async fn serve_answers_health_checks_until_interrupted() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let db = TestDb::sqlite().await;
    let mut server = Command::new(env!("CARGO_BIN_EXE_ntm"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("DATABASE_URL", &db.url)
        .env("NTM_LOG", "info")
        .stderr(Stdio::piped())
        .spawn()
        .expect("start ntm serve");
    let stderr = server.stderr.take().expect("stderr");
    let address = BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| line.split("address=").nth(1).map(|a| a.trim().to_owned()))
        .expect("ntm serve logs the address it listens on");
    let body = reqwest::get(format!("http://{address}/healthz"))
        .await
        .expect("GET /healthz")
        .text()
        .await
        .expect("body");
    assert_eq!(body, "ok");
    // Ctrl-C: a graceful shutdown ends with success.
    let interrupted = Command::new("kill")
        .args(["-INT", &server.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(interrupted.success());
    let status = server.wait().expect("ntm serve exits");
    assert!(status.success(), "{status}");
}

/// `ntm import localities` names every bad row, writes nothing for a bad file, and records
/// nothing when the same file comes again.
#[test]
fn import_localities_names_bad_rows_and_imports_once() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/ntm.db?mode=rwc", dir.path().display());
    let import = |file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_ntm"))
            .args(["import", "localities"])
            .arg(file)
            .args(["--effective", "2016-01-01"])
            .env("DATABASE_URL", &url)
            .output()
            .expect("run ntm import")
    };
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "code,name,kind,parent_code\n42,Tỉnh Hà Tĩnh,province,\n436,Thành phố Hà Tĩnh,quận,42\n",
    )
    .expect("write");
    let refused = import(&bad);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains(&format!(
            "{} row 3, column kind: expected one of province",
            bad.display()
        )),
        "{stderr}"
    );
    let ha_tinh = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("catalog/localities/localities-ha-tinh-pre2025.csv");
    let first = import(&ha_tinh);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("230 rows; 230 created"));
    let again = import(&ha_tinh);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(
        stdout.contains("230 unchanged (0 events recorded)"),
        "{stdout}"
    );
}

/// The quick start's first command: `ntm serve --demo` loads the demo, serves it, and a
/// province summary over HTTP shows the published figure.
#[tokio::test]
async fn serve_demo_serves_hà_tĩnh_history() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let db = TestDb::sqlite().await;
    let mut server = Command::new(env!("CARGO_BIN_EXE_ntm"))
        .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
        .env("DATABASE_URL", &db.url)
        .env("NTM_LOG", "info")
        .stderr(Stdio::piped())
        .spawn()
        .expect("start ntm serve --demo");
    let stderr = server.stderr.take().expect("stderr");
    let address = BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| line.split("address=").nth(1).map(|a| a.trim().to_owned()))
        .expect("ntm serve logs the address it listens on");
    let client = reqwest::Client::new();
    let graphql = |query: String| {
        let request = client
            .post(format!("http://{address}/graphql"))
            .json(&serde_json::json!({ "query": query }));
        async move {
            let response = request.send().await.expect("POST /graphql");
            response.json::<serde_json::Value>().await.expect("JSON")
        }
    };
    let province = graphql(r#"{ locality(code: "42") { id } }"#.into()).await;
    let id = province["data"]["locality"]["id"]
        .as_str()
        .expect("Hà Tĩnh")
        .to_owned();
    let summary = format!(
        r#"{{ summary(parent: "{id}", set: "NTM-XA-2016-2020", on: "2018-12-31") {{ units levels {{ level units }} }} }}"#
    );
    // The projector catches up with the demo's events in the background.
    let mut ntm = None;
    for _ in 0..240 {
        let answer = graphql(summary.clone()).await;
        let levels = answer["data"]["summary"]["levels"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        ntm = levels
            .iter()
            .find(|l| l["level"] == "NTM")
            .map(|l| l["units"].clone());
        if answer["data"]["summary"]["units"] == 182 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert_eq!(ntm, Some(serde_json::json!(158)));
    let interrupted = Command::new("kill")
        .args(["-INT", &server.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(interrupted.success());
    assert!(server.wait().expect("exit").success());
}
