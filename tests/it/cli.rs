//! The `ntm` binary as a user runs it.

use std::process::Command;

use crate::support::TestDb;

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
    // Migrating records the release's criteria sets, one stream each, and nothing else.
    let sets = ntm_tracker::domain::catalog::Catalog::shipped_files().count();
    let held = format!("ok: {sets} events in {sets} streams");
    assert!(String::from_utf8_lossy(&verify.stdout).contains(&held));
    assert!(run("migrate").status.success());
    let again = run("verify");
    assert!(
        String::from_utf8_lossy(&again.stdout).contains(&held),
        "recorded once"
    );
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

/// `scripts/verify_sqlite_chain.py`, run by an outside party's Python on our SQLite file,
/// must agree with `ntm verify`.
#[tokio::test]
async fn the_chain_script_verifies_an_sqlite_log() {
    let Ok(python) = which_python() else {
        eprintln!("python3 is not installed: skipping the chain script check");
        return;
    };
    let script = include_str!("../../scripts/verify_sqlite_chain.py");
    let db = TestDb::sqlite().await;
    let store = db.store().await;
    for n in 0..3 {
        crate::support::store::append_one(&store, "stream/Thạch Trung", n, n as u64).await;
    }
    let dated = ntm_tracker::store::NewEvent::json(
        "Renamed",
        &serde_json::json!({"tên": "Phường Trần Phú"}),
    )
    .expect("json")
    .effective_on(chrono::NaiveDate::from_ymd_opt(2025, 7, 1).expect("date"));
    let request = ntm_tracker::store::AppendRequest::single(
        "stream/x",
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
    let db = TestDb::sqlite().await;
    let (server, address) = serve(&db, &[]);
    let body = reqwest::get(format!("http://{address}/healthz"))
        .await
        .expect("GET /healthz")
        .text()
        .await
        .expect("body");
    assert_eq!(body, "ok");
    // Ctrl-C: a graceful shutdown ends with success.
    interrupt(server);
}

/// A running `ntm serve`, killed if the test fails before interrupting it: a failed test never
/// leaves a server behind (holding the test runner's output open).
struct Served(Option<std::process::Child>);

impl std::ops::Deref for Served {
    type Target = std::process::Child;
    fn deref(&self) -> &Self::Target {
        self.0.as_ref().expect("a running server")
    }
}

impl std::ops::DerefMut for Served {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.0.as_mut().expect("a running server")
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// `ntm serve` with `extra` arguments as a process on a free loopback port, and its address.
fn serve(db: &TestDb, extra: &[&str]) -> (Served, String) {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let mut server = Command::new(env!("CARGO_BIN_EXE_ntm"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
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
    (Served(Some(server)), address)
}

/// Ctrl-C, and the graceful shutdown ends with success.
fn interrupt(mut served: Served) {
    let mut server = served.0.take().expect("a running server");
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
    let db = TestDb::sqlite().await;
    let (server, address) = serve(&db, &["--demo"]);
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
    // The projector catches up with the demo's events in the background.
    let mut ntm = None;
    for _ in 0..240 {
        let province = graphql(r#"{ locality(code: "42") { id } }"#.into()).await;
        if let Some(id) = province["data"]["locality"]["id"].as_str() {
            let summary = format!(
                r#"{{ summary(parent: "{id}", on: "2018-12-31") {{ set units levels {{ level units }} }} }}"#
            );
            let answer = graphql(summary).await;
            let levels = answer["data"]["summary"]["levels"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            ntm = levels
                .iter()
                .find(|l| l["level"] == "NTM")
                .map(|l| l["units"].clone());
            if ntm == Some(serde_json::json!(158)) {
                // Graded by the set in force then, over every commune of the province.
                assert_eq!(answer["data"]["summary"]["set"], "NTM-XA-2016-2020");
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert_eq!(ntm, Some(serde_json::json!(158)));
    interrupt(server);
}

/// `ntm token create|list|revoke`: the secret once on stdout, never again; revocation and
/// creation are events.
#[tokio::test]
async fn tokens_are_created_listed_and_revoked_from_the_command_line() {
    let db = TestDb::sqlite().await;
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_ntm"))
            .args(args)
            .env("DATABASE_URL", &db.url)
            .env("NTM_ACTOR", "Văn thư")
            .output()
            .expect("run ntm");
        assert!(output.status.success(), "{args:?}: {output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let create = [
        "token",
        "create",
        "--name",
        "VPĐP tỉnh Hà Tĩnh",
        "--role",
        "recorder",
    ];
    let secret = run(&[&create[..], &["--expires", "2027-12-31"]].concat());
    let secret = secret.trim();
    assert!(secret.starts_with("ntm_") && secret.len() == 68, "{secret}");
    let listed = run(&["token", "list"]);
    assert!(
        listed.contains("\"VPĐP tỉnh Hà Tĩnh\"  role=recorder  scope=all  expires=2027-12-31"),
        "{listed}"
    );
    assert!(
        listed.contains("active") && listed.contains("by Văn thư"),
        "{listed}"
    );
    assert!(!listed.contains(&secret[4..]), "list never shows secrets");
    let id = listed.split_whitespace().next().expect("token id");
    assert!(run(&["token", "revoke", id]).contains("revoked"));
    assert!(run(&["token", "list"]).contains(&format!("{id}  revoked")));

    let store = db.store().await;
    let events = store
        .read_stream(
            &format!("token/{id}"),
            ntm_tracker::store::StreamRange::all(),
        )
        .await
        .expect("token stream");
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(types, ["TokenCreated", "TokenRevoked"]);
    assert!(
        events.iter().all(|e| !e.payload.contains(&secret[4..])),
        "only the digest is stored"
    );
    assert_eq!(events[1].metadata().expect("metadata").actor, "Văn thư");

    // `ntm verify` checks the digest index against the log: a swapped digest is found.
    let verify = || {
        Command::new(env!("CARGO_BIN_EXE_ntm"))
            .arg("verify")
            .env("DATABASE_URL", &db.url)
            .output()
            .expect("verify")
    };
    let verified = verify();
    assert!(verified.status.success(), "{verified:?}");
    assert!(String::from_utf8_lossy(&verified.stdout).contains("the index of 1 tokens matches"));
    let forged = [0u8; 32].to_vec();
    sqlx::query("UPDATE access_tokens SET secret_sha256 = $1")
        .bind(forged)
        .execute(match &db.db {
            ntm_tracker::store::Db::Sqlite(pool) => pool,
            ntm_tracker::store::Db::Postgres(_) => unreachable!("an SQLite test"),
        })
        .await
        .expect("tamper");
    let tampered = verify();
    assert_eq!(tampered.status.code(), Some(2), "{tampered:?}");
    assert!(String::from_utf8_lossy(&tampered.stderr).contains("TOKEN INDEX DIFFERS"));
}

/// `--scope 42` names the province holding code 42 today, as the log has it.
#[tokio::test]
async fn a_token_scope_is_a_locality_id_or_code() {
    let db = TestDb::sqlite().await;
    let dir = tempfile::tempdir().expect("directory");
    let units = dir.path().join("units.csv");
    std::fs::write(
        &units,
        "code,name,kind,parent_code\n42,Tỉnh Hà Tĩnh,province,\n",
    )
    .expect("csv");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ntm"))
            .args(args)
            .env("DATABASE_URL", &db.url)
            .output()
            .expect("run ntm")
    };
    let units = units.to_str().expect("path");
    let imported = run(&["import", "localities", units, "--effective", "2016-01-01"]);
    assert!(imported.status.success(), "{imported:?}");
    let store = db.store().await;
    let events = store.read_all(0, 10).await.expect("log");
    let province = ntm_tracker::app::codec::locality_id_text(&events[0].stream_id)
        .expect("a locality's stream")
        .to_owned();
    let create = |scope: &str| {
        run(&[
            "token", "create", "--name", "VPĐP", "--role", "recorder", "--scope", scope,
        ])
    };
    assert!(create("42").status.success());
    assert!(create(&province).status.success());
    let listed = String::from_utf8_lossy(&run(&["token", "list"]).stdout).into_owned();
    assert_eq!(
        listed.matches(&format!("scope={province}")).count(),
        2,
        "{listed}"
    );
    for unknown in ["43", "0193a2b4-0000-7000-8000-000000000000", "x y"] {
        let refused = create(unknown);
        assert!(!refused.status.success(), "{unknown}");
        assert!(
            String::from_utf8_lossy(&refused.stderr).contains("error:"),
            "{refused:?}"
        );
    }
}

/// A read in flight on the server at `address`: it waits (5 s) for a position the log never
/// reaches.
async fn waiting_read(
    address: &str,
) -> tokio::task::JoinHandle<reqwest::Result<reqwest::Response>> {
    let in_flight = tokio::spawn(
        reqwest::Client::new()
            .post(format!("http://{address}/graphql"))
            .json(&serde_json::json!({
                "query": "{ localities(first: 1, minPosition: 1000000) { totalCount } }"
            }))
            .send(),
    );
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    in_flight
}

/// SIGTERM, as `docker stop` sends it.
fn terminate(server: &std::process::Child) {
    let terminated = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill -TERM");
    assert!(terminated.success());
}

/// `docker stop` sends SIGTERM to `ntm` as PID 1: the request in flight (a read waiting for a
/// position the log will never reach) still gets its answer, and the process exits 0.
#[tokio::test]
async fn sigterm_lets_the_request_in_flight_finish() {
    let db = TestDb::sqlite().await;
    let (mut server, address) = serve(&db, &["--shutdown-timeout", "20"]);
    let started = std::time::Instant::now();
    let in_flight = waiting_read(&address).await;
    terminate(&server);
    let response = in_flight
        .await
        .expect("client task")
        .expect("an answer, not a dropped connection");
    assert!(response.status().is_success(), "{}", response.status());
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("1000000")),
        "the read waited for its position and said so: {body:#}"
    );
    assert!(started.elapsed() >= std::time::Duration::from_secs(4));
    let status = server.wait().expect("ntm serve exits");
    assert!(status.success(), "{status}");
}

/// A request longer than `--shutdown-timeout` does not keep the process alive.
#[tokio::test]
async fn the_drain_after_sigterm_has_a_deadline() {
    let db = TestDb::sqlite().await;
    let (mut server, address) = serve(&db, &["--shutdown-timeout", "1"]);
    let in_flight = waiting_read(&address).await;
    let signalled = std::time::Instant::now();
    terminate(&server);
    let status = server.wait().expect("ntm serve exits");
    assert!(status.success(), "{status}");
    let waited = signalled.elapsed();
    assert!(waited < std::time::Duration::from_secs(4), "{waited:?}");
    assert!(in_flight.await.expect("client task").is_err(), "dropped");
}

/// Every event an `ntm` run writes carries the run's request id and a correlation id: the
/// run's own request id, or the one `--correlation-id` (`NTM_CORRELATION_ID`) gives.
#[tokio::test]
async fn every_event_of_a_run_carries_its_request_and_correlation_ids() {
    use crate::import_export::setup;

    let db = TestDb::sqlite().await;
    let store = db.store().await;
    let communes = setup::communes(3);
    setup::localities(&store, &communes).await;
    let dir = tempfile::tempdir().expect("dir");
    let readings = dir.path().join("readings.csv");
    std::fs::write(&readings, setup::readings_csv(&communes, 30).0).expect("write");
    let run = |args: &[&str], correlation: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ntm"));
        command.args(args).env("DATABASE_URL", &db.url);
        if let Some(id) = correlation {
            command.env("NTM_CORRELATION_ID", id);
        }
        let output = command.output().expect("run ntm");
        assert!(output.status.success(), "{args:?}: {output:?}");
    };
    let given = "0193a2b4-0000-7000-8000-00000000c0de";
    let written_by = |after: i64| {
        let store = store.clone();
        async move {
            let events = store.read_all(after, 1_000).await.expect("log");
            assert!(!events.is_empty(), "the run wrote events");
            let ids: std::collections::BTreeSet<(String, uuid::Uuid)> = events
                .iter()
                .map(|e| e.metadata().expect("metadata"))
                .map(|m| {
                    (
                        m.request_id.expect("request id"),
                        m.correlation_id.expect("id"),
                    )
                })
                .collect();
            assert_eq!(
                ids.len(),
                1,
                "one request and correlation id per run: {ids:?}"
            );
            ids.into_iter().next().expect("one pair")
        }
    };

    let before = store.last_position().await.expect("position");
    let file = readings.to_str().expect("path");
    run(
        &["import", "readings", file, "--correlation-id", given],
        None,
    );
    let (import_request, import_correlation) = written_by(before).await;
    assert_eq!(import_correlation.to_string(), given);

    let before = store.last_position().await.expect("position");
    run(
        &["token", "create", "--name", "VPĐP", "--role", "viewer"],
        None,
    );
    let (token_request, token_correlation) = written_by(before).await;
    assert_ne!(token_request, import_request, "a new request id per run");
    assert_eq!(token_correlation.to_string(), token_request);

    let before = store.last_position().await.expect("position");
    run(
        &["token", "create", "--name", "Sở NN", "--role", "viewer"],
        Some(given),
    );
    let (_, correlation) = written_by(before).await;
    assert_eq!(correlation.to_string(), given, "NTM_CORRELATION_ID");

    let refused = Command::new(env!("CARGO_BIN_EXE_ntm"))
        .args(["token", "list", "--correlation-id", "not-a-uuid"])
        .env("DATABASE_URL", &db.url)
        .output()
        .expect("run ntm");
    assert_eq!(refused.status.code(), Some(2), "a usage error");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("--correlation-id"), "{stderr}");
}
