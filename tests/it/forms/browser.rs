//! The forms in a real (offline, headless) Chromium: a person signs in, records a criterion's
//! reading for a commune and sees it on the commune page; a bad value is refused beside its
//! field with nothing written; an approver issues one decision for several communes and
//! their pages show them recognised. No terminal, no script.

use ntm_tracker::auth::Role;

use super::district_with_communes;
use crate::accounts::{person, PASSWORD};
use crate::support::browser::Browser;
use crate::support::server::Server;
use crate::support::TestDb;

/// Signs `username` in through the sign-in form, starting from `url` (which sends an
/// anonymous reader to sign in first, and back after).
async fn sign_in(browser: &Browser, url: &str, username: &str) {
    browser.open(url).await.expect("the page loads");
    browser
        .find("#username")
        .await
        .send_keys(username)
        .await
        .expect("type");
    browser
        .find("#password")
        .await
        .send_keys(PASSWORD)
        .await
        .expect("type");
    browser.click("#dang-nhap button[type=submit]").await;
    browser.text_containing("header .who", username).await;
}

/// Replaces the text of the input `css` with `text`.
async fn fill(browser: &Browser, css: &str, text: &str) {
    let input = browser.find(css).await;
    input.clear().await.expect("clear");
    input.send_keys(text).await.expect("type");
}

#[tokio::test]
async fn a_person_records_a_criterion_and_sees_it_on_the_commune_page() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    let (province, _, communes) = district_with_communes(&server, "42", 1, &[]).await;
    person(
        &server.store,
        "vpdp.thachha",
        Role::Recorder,
        Some(&province),
    )
    .await;
    let browser = Browser::start().await;
    let commune_page = server.url(&format!("/xa/{}?on=2024-12-31", communes[0]));
    sign_in(
        &browser,
        &server.url(&format!("/xa/{}/nhap", communes[0])),
        "vpdp.thachha",
    )
    .await;

    // From the commune page, the link to its data entry.
    browser
        .open(&commune_page)
        .await
        .expect("the commune page loads");
    browser.click("#nhap-du-lieu").await;
    browser.find("#tc-2").await;

    // A bad value: refused beside its field, what was typed kept, nothing written.
    let before = server.event_count().await;
    fill(&browser, "#tc-2-ngay", "01/06/2024").await;
    fill(&browser, "#gt-2_1", "150").await;
    browser.click("#tc-2 button[type=submit]").await;
    let refused = browser.text("#gt-2_1-error").await;
    assert!(refused.contains("Giá trị không hợp lệ"), "{refused}");
    let kept = browser
        .find("#gt-2_1")
        .await
        .prop("value")
        .await
        .expect("value");
    assert_eq!(kept.as_deref(), Some("150"));
    assert_eq!(server.event_count().await, before, "nothing written");

    // A good one, with its assessment: written, confirmed with its position.
    fill(&browser, "#gt-2_1", "85,5").await;
    fill(&browser, "#vb-2_1", "45/BC-UBND").await;
    browser.click("#tc-2 button[type=submit]").await;
    let saved = browser.text("#da-luu").await;
    assert!(saved.contains("Đã ghi nhận"), "{saved}");
    assert_eq!(server.event_count().await, before + 1);

    browser
        .open(&commune_page)
        .await
        .expect("the commune page loads");
    let row = browser.text("section.criterion tr[data-code='2.1']").await;
    assert!(row.contains("85,5") || row.contains("85.5"), "{row}");
    browser.close().await;
}

#[tokio::test]
async fn an_approver_issues_one_decision_for_several_communes() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    let (_, _, communes) = district_with_communes(&server, "42", 4, &[]).await;
    person(&server.store, "pheduyet", Role::Approver, None).await;
    let browser = Browser::start().await;
    sign_in(
        &browser,
        &server.url("/quyet-dinh/moi?don-vi=421"),
        "pheduyet",
    )
    .await;

    fill(&browser, "#qd-so", "1763/QĐ-UBND").await;
    fill(&browser, "#qd-ngay-ky", "01/06/2024").await;
    fill(&browser, "#qd-ngay-hl", "01/06/2024").await;
    fill(&browser, "#qd-co-quan", "UBND tỉnh Hà Tĩnh").await;
    fill(&browser, "#qd-nguoi-ky", "Phó Chủ tịch").await;
    fill(&browser, "#qd-nam", "2024").await;
    fill(&browser, "#qd-dot", "đợt 1 năm 2024").await;
    fill(
        &browser,
        "#qd-ly-do-ngoai-le",
        "hồ sơ thẩm định lập trước khi có sổ theo dõi",
    )
    .await;
    for commune in &communes[..3] {
        browser.click(&format!("input[value='{commune}']")).await;
    }
    let before = server.event_count().await;
    browser.click("#quyet-dinh button[type=submit]").await;
    let saved = browser.text("#da-luu").await;
    assert!(
        saved.contains("1763/QĐ-UBND") && saved.contains('3'),
        "{saved}"
    );
    assert_eq!(
        server.event_count().await,
        before + 3,
        "one event per commune"
    );

    for (i, commune) in communes.iter().enumerate() {
        browser
            .open(&server.url(&format!("/xa/{commune}?on=2024-12-31")))
            .await
            .expect("the commune page loads");
        let held = browser.text("#recognition").await;
        assert_eq!(held.contains("1763/QĐ-UBND"), i < 3, "{held}");
    }

    // The same number again for the fourth and one already holding it: refused, naming it.
    browser
        .open(&server.url("/quyet-dinh/moi?don-vi=421"))
        .await
        .expect("the form loads");
    fill(&browser, "#qd-so", "1763/QĐ-UBND").await;
    fill(&browser, "#qd-ngay-ky", "01/06/2024").await;
    fill(&browser, "#qd-ngay-hl", "01/06/2024").await;
    fill(&browser, "#qd-co-quan", "UBND tỉnh Hà Tĩnh").await;
    fill(&browser, "#qd-nam", "2024").await;
    fill(
        &browser,
        "#qd-ly-do-ngoai-le",
        "hồ sơ thẩm định lập trước khi có sổ theo dõi",
    )
    .await;
    browser
        .click(&format!("input[value='{}']", communes[0]))
        .await;
    browser
        .click(&format!("input[value='{}']", communes[3]))
        .await;
    let before = server.event_count().await;
    browser.click("#quyet-dinh button[type=submit]").await;
    let refused = browser.text("#qd-so-error").await;
    assert!(
        refused.contains("Xã Thạch 0") && refused.contains("đã được ghi"),
        "{refused}"
    );
    assert_eq!(server.event_count().await, before, "nothing written");
    browser.close().await;
}
