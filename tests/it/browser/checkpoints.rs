//! The audit page's signed checkpoints in a real (offline, headless) Chromium: the newest
//! checkpoint with its witness, the verifier key, the note behind its download link, in
//! Vietnamese and in English; and on a service without a key, which setting signs them.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ntm_tracker::app::clock::VIETNAM;
use ntm_tracker::checkpoint::{cosign, SignedNote};

use crate::support::browser::Browser;
use crate::support::server::Server;
use crate::support::TestDb;
use crate::transparency::graphql::{grow, signing_server};

#[tokio::test]
async fn the_audit_page_shows_signed_checkpoints_and_how_to_check_them() {
    let db = TestDb::sqlite().await;
    let (server, settings, witness) = signing_server(&db, true).await;
    let checkpoints = settings.checkpoints(server.store.clone());
    grow(&server, 0, 3).await;
    let kept = checkpoints.make().await.expect("checkpoint");
    let text = SignedNote::parse(&kept.note).expect("note").text;
    let line = cosign(&witness, &text, 1_780_000_000).expect("cosign");
    checkpoints
        .add_cosignature(kept.size, &line)
        .await
        .expect("known witness");
    let browser = Browser::start().await;

    browser.open(&server.url("/nhat-ky")).await.expect("loads");
    let section = browser.text("#checkpoints").await;
    assert!(section.contains("Điểm kiểm tra đã ký"), "{section}");
    for words in [
        "ntm export proof",
        "scripts/verify_log_bundle.py",
        "khóa xác minh",
    ] {
        assert!(section.contains(words), "{words}: {section}");
    }
    let row = format!("#checkpoint-list tr[data-size='{}']", kept.size);
    let cells = browser.text(&row).await;
    let made = kept.made_at.with_timezone(&VIETNAM);
    assert!(cells.contains(&kept.size.to_string()), "{cells}");
    assert!(
        cells.contains(&made.format("%d/%m/%Y %H:%M").to_string()),
        "Vietnam's time: {cells}"
    );
    assert!(
        cells.contains("witness.test, lúc 29/05/2026 03:26"),
        "{cells}"
    );
    let root = BASE64.encode(kept.root);
    let shown = browser.find(&format!("{row} code")).await;
    assert_eq!(
        shown.attr("title").await.expect("title"),
        Some(root.clone())
    );
    let short = shown.text().await.expect("text");
    assert!(
        short.ends_with('…') && root.starts_with(short.trim_end_matches('…')),
        "{short}"
    );
    let key = browser.find("#verifier-key").await;
    let vkey = settings
        .signer
        .as_ref()
        .expect("key")
        .verifier()
        .to_string();
    assert_eq!(key.prop("value").await.expect("value"), Some(vkey));

    // The links give the signed notes, cosignature included.
    let fetched = browser
        .run(&format!(
            "const a = document.querySelector(\"{row} a[download]\");
             const b = document.querySelector('a[href=\"/checkpoint\"]');
             return Promise.all([fetch(a.href), fetch(b.href)].map(p => p.then(r => r.text())));"
        ))
        .await;
    let served = format!("{}{}\n", kept.note, line.trim_end_matches('\n'));
    assert_eq!(fetched[0], served.as_str());
    assert_eq!(fetched[0], fetched[1], "the newest is this one");

    browser
        .open(&server.url("/nhat-ky?lang=en"))
        .await
        .expect("loads");
    let english = browser.text("#checkpoints").await;
    assert!(english.contains("Signed checkpoints"), "{english}");
    assert!(english.contains("verifier key"), "{english}");
    browser.close().await;

    let unsigned_db = TestDb::sqlite().await;
    let unsigned = Server::start(&unsigned_db).await;
    let browser = Browser::start().await;
    browser
        .open(&unsigned.url("/nhat-ky"))
        .await
        .expect("loads");
    let notice = browser.text("#checkpoints-unsigned").await;
    assert!(notice.contains("không ký điểm kiểm tra"), "{notice}");
    assert!(notice.contains("NTM_CHECKPOINT_KEY"), "{notice}");
    let list = browser
        .run("return document.querySelector('#checkpoint-list') === null;")
        .await;
    assert_eq!(list, true, "no list without checkpoints");
    browser.close().await;
}
