//! Signing in and out over real HTTP: the cookie's attributes, the events, hashes only in the
//! database, the lock-out after repeated failures and the session's expiry on a fixed clock.

use std::time::Duration;

use ntm_tracker::app::clock::Clock;
use ntm_tracker::auth::{Role, SessionSettings};
use ntm_tracker::store::{Db, StreamRange};
use ntm_tracker::AccessSettings;
use reqwest::header::LOCATION;
use reqwest::StatusCode;

use super::{person, set_cookie, Visitor, PASSWORD};
use crate::support::cli::ntm_verify;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    signing_in_sets_a_strict_cookie_and_signing_out_ends_the_session,
    only_hashes_of_passwords_and_session_secrets_are_stored,
    a_username_is_locked_out_after_repeated_failures,
    failures_over_many_usernames_lock_the_address_out,
    a_session_expires_after_its_hours,
);

async fn signing_in_sets_a_strict_cookie_and_signing_out_ends_the_session(db: &TestDb) {
    let server = Server::start(db).await;
    let lan = person(&server.store, "lan", Role::Recorder, None).await;
    let mut visitor = Visitor::of(&server);
    let answer = visitor.sign_in("Lan", PASSWORD).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(answer.headers()[LOCATION], "/");
    let cookie = set_cookie(&answer, "ntm_session").expect("the session cookie");
    assert!(
        cookie.contains("; HttpOnly") && cookie.contains("; SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        cookie.contains("; Max-Age=28800") && !cookie.contains("Secure"),
        "{cookie}"
    );
    let english = visitor
        .get("/dang-nhap?lang=en")
        .await
        .text()
        .await
        .expect("page");
    assert!(english.contains("Signed in as") && english.contains(">Username</label>"));
    let page = visitor.get("/").await.text().await.expect("page");
    assert!(
        page.contains("<strong>lan</strong> (recorder)"),
        "the header shows who"
    );

    let sessions = server
        .store
        .stream_ids_by_start("session/", i64::MAX)
        .await
        .expect("ids");
    assert_eq!(sessions.len(), 1);
    let started = server
        .store
        .read_stream(&sessions[0], StreamRange::all())
        .await
        .expect("stream");
    let metadata = started[0].metadata().expect("metadata");
    assert_eq!(
        (metadata.actor.as_str(), started[0].event_type.as_str()),
        ("lan", "SessionStarted")
    );
    assert_eq!(metadata.user_id, Some(lan.to_string()));

    // Signing out needs the session's token; then the cookie opens nothing.
    let refused = visitor
        .post_form("/dang-xuat", &[("csrf", "forged")], "")
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let csrf = visitor.csrf().await;
    let out = visitor
        .post_form("/dang-xuat", &[("csrf", &csrf)], "")
        .await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let cleared = set_cookie(&out, "ntm_session").expect("cleared cookie");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let ended = server
        .store
        .read_stream(&sessions[0], StreamRange::all())
        .await
        .expect("stream");
    assert_eq!(
        ended.last().map(|e| e.event_type.as_str()),
        Some("SessionEnded")
    );
    let after = visitor.get("/").await.text().await.expect("page");
    assert!(!after.contains("<strong>lan</strong>") && after.contains("href=\"/dang-nhap\""));

    // Behind a TLS proxy, the cookie is Secure.
    let form = visitor.get("/dang-nhap").await;
    let tls = reqwest::Client::new()
        .get(server.url("/dang-nhap"))
        .header("X-Forwarded-Proto", "https")
        .send()
        .await
        .expect("GET");
    assert!(set_cookie(&tls, "ntm_signin").is_some_and(|c| c.ends_with("; Secure")));
    assert!(set_cookie(&form, "ntm_signin").is_some_and(|c| !c.contains("Secure")));
}

async fn only_hashes_of_passwords_and_session_secrets_are_stored(db: &TestDb) {
    let server = Server::start(db).await;
    person(&server.store, "hoa", Role::Viewer, None).await;
    let mut visitor = Visitor::of(&server);
    assert_eq!(
        visitor.sign_in("hoa", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let secret = visitor.session.clone().expect("signed in");
    let secret = secret.trim_start_matches("ntm_session=");
    let mut stored: Vec<String> = Vec::new();
    for stream in ["user/", "session/"] {
        for id in server
            .store
            .stream_ids_by_start(stream, i64::MAX)
            .await
            .expect("ids")
        {
            let events = server
                .store
                .read_stream(&id, StreamRange::all())
                .await
                .expect("read");
            stored.extend(
                events
                    .iter()
                    .map(|e| format!("{} {:?}", e.payload, e.metadata())),
            );
        }
    }
    let rows: Vec<(String, String)> =
        sqlx_rows(db, "SELECT user_id, username FROM user_accounts").await;
    stored.extend(rows.iter().map(|(a, b)| format!("{a} {b}")));
    let sessions: Vec<(String, Vec<u8>)> =
        sqlx_rows(db, "SELECT session_id, secret_sha256 FROM user_sessions").await;
    stored.extend(
        sessions
            .iter()
            .map(|(a, b)| format!("{a} {}", hex::encode(b))),
    );
    let everything = stored.join("\n");
    assert!(everything.contains("$argon2id$v=19$"), "{everything}");
    assert!(
        !everything.contains(PASSWORD) && !everything.contains("khẩu"),
        "{everything}"
    );
    assert!(
        !everything.contains(&secret[5..]),
        "the cookie's secret is never stored"
    );
    let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(secret.as_bytes()));
    assert!(everything.contains(&digest), "its SHA-256 is");

    // `ntm verify` checks both indexes against the log: a swapped session digest is found.
    let (code, text) = ntm_verify(&db.url);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("the indexes of 1 accounts and 1 sessions match"),
        "{text}"
    );
    let forged = "UPDATE user_sessions SET secret_sha256 = $1";
    match &db.db {
        Db::Sqlite(pool) => sqlx::query(forged)
            .bind(vec![0u8; 32])
            .execute(pool)
            .await
            .map(drop),
        Db::Postgres(pool) => sqlx::query(forged)
            .bind(vec![0u8; 32])
            .execute(pool)
            .await
            .map(drop),
    }
    .expect("tamper");
    let (code, text) = ntm_verify(&db.url);
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("ACCOUNT INDEX DIFFERS: user_sessions entry"),
        "{text}"
    );
}

/// Rows of `sql`, on either engine.
async fn sqlx_rows<T>(db: &TestDb, sql: &str) -> Vec<T>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    match &db.db {
        ntm_tracker::store::Db::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await,
        ntm_tracker::store::Db::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await,
    }
    .expect("rows")
}

async fn a_username_is_locked_out_after_repeated_failures(db: &TestDb) {
    let sessions = SessionSettings {
        failures_before_lockout: 3,
        lockout: Duration::from_secs(600),
        ..SessionSettings::default()
    };
    let access = AccessSettings {
        sessions,
        ..AccessSettings::default()
    };
    let server = Server::start_with(db, access).await;
    person(&server.store, "minh", Role::Viewer, None).await;
    person(&server.store, "thu", Role::Viewer, None).await;
    let mut visitor = Visitor::of(&server);
    for _ in 0..3 {
        let wrong = visitor.sign_in("minh", "mật khẩu sai rồi").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        let page = wrong.text().await.expect("page");
        assert!(page.contains("id=\"password-error\"") && page.contains("Sai tên đăng nhập"));
    }
    let locked = visitor.sign_in("minh", PASSWORD).await;
    assert_eq!(
        locked.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password"
    );
    assert!(locked
        .text()
        .await
        .expect("page")
        .contains("tạm khóa vì đăng nhập sai nhiều lần"));
    assert!(visitor.session.is_none());
    let other = visitor.sign_in("thu", PASSWORD).await;
    assert_eq!(
        other.status(),
        StatusCode::SEE_OTHER,
        "another username is not locked"
    );
}

async fn failures_over_many_usernames_lock_the_address_out(db: &TestDb) {
    let access = AccessSettings {
        failures_per_minute: 3,
        ..AccessSettings::default()
    };
    let server = Server::start_with(db, access).await;
    person(&server.store, "minh", Role::Viewer, None).await;
    let mut visitor = Visitor::of(&server);
    for guessed in ["an", "binh", "chi"] {
        let wrong = visitor.sign_in(guessed, PASSWORD).await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "{guessed}");
    }
    let blocked = visitor.sign_in("minh", PASSWORD).await;
    assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(visitor.session.is_none());
}

async fn a_session_expires_after_its_hours(db: &TestDb) {
    let at = |text: &str| Clock::fixed(text.parse().expect("instant"));
    let access = || AccessSettings {
        sessions: SessionSettings {
            session_length: chrono::Duration::hours(8),
            ..SessionSettings::default()
        },
        ..AccessSettings::default()
    };
    let morning = Server::start_at(db, access(), at("2026-12-07T01:00:00Z")).await;
    person(&morning.store, "binh", Role::Viewer, None).await;
    let mut visitor = Visitor::of(&morning);
    assert_eq!(
        visitor.sign_in("binh", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let cookie = visitor.session.clone();
    for (now, signed_in) in [
        ("2026-12-07T08:59:59Z", true),
        ("2026-12-07T09:00:00Z", false),
    ] {
        let later = Server::start_at(db, access(), at(now)).await;
        let mut there = Visitor::of(&later);
        there.session = cookie.clone();
        let page = there.get("/").await.text().await.expect("page");
        assert_eq!(
            page.contains("<strong>binh</strong>"),
            signed_in,
            "at {now}"
        );
    }
}
