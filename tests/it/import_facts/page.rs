//! The upload page in a real (offline, headless) Chromium: a recorder signs in, uploads the
//! district's assessment sheet, sees the dry run beside the file field, records it, and the
//! commune's page shows the assessments. No terminal, no script of ours.

use ntm_tracker::auth::Role;
use serde_json::json;

use crate::accounts::{person, PASSWORD};
use crate::support::browser::Browser;
use crate::support::graphql::{mutate, register};
use crate::support::server::Server;
use crate::support::TestDb;

#[tokio::test]
async fn a_recorder_uploads_checks_and_records_a_sheet_in_a_browser() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    let ha_tinh = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let commune = register(&server, "Xã Sơn Kim", "COMMUNE", "18010", Some(&ha_tinh)).await;
    let enrol = json!({ "locality": commune, "idempotencyKey": "enrol",
        "set": "NTM-XA-2021-2025", "targetYear": 2024, "effectiveOn": "2021-01-01" });
    mutate(&server, "enrolLocality", "EnrolLocalityInput", enrol).await;
    person(&server.store, "vpdp", Role::Recorder, Some(&ha_tinh)).await;
    let dir = tempfile::tempdir().expect("dir");
    let sheet = dir.path().join("tham-dinh-huyen.csv");
    let bad = dir.path().join("co-loi.csv");
    let header = "mã đơn vị,bộ tiêu chí,tiêu chí,kết quả,cấp đánh giá,ngày hiệu lực,\
                  số văn bản minh chứng\n";
    let rows = "18010,NTM-XA-2021-2025,1,đạt,huyện thẩm định,2024-05-02,88/BC-UBND\n\
                18010,NTM-XA-2021-2025,2,không đạt,huyện thẩm định,2024-05-02,88/BC-UBND\n";
    std::fs::write(&sheet, format!("{header}{rows}")).expect("write");
    let wrong = "18010,NTM-XA-2021-2025,1,có lẽ,huyện thẩm định,2024-05-02,88/BC-UBND\n\
                 18010,NTM-XA-2021-2025,2,đạt,huyện thẩm định,2099-05-02,88/BC-UBND\n";
    std::fs::write(&bad, format!("{header}{wrong}")).expect("write");
    let browser = Browser::start().await;

    browser.open(&server.url("/nhap-tep")).await.expect("loads");
    browser
        .find("#username")
        .await
        .send_keys("vpdp")
        .await
        .expect("type");
    let password = browser.find("#password").await;
    password.send_keys(PASSWORD).await.expect("type");
    browser.click("#dang-nhap button[type=submit]").await;
    browser.find("#nhap-tep").await;
    assert_eq!(browser.url().await, server.url("/nhap-tep"));
    let before = server.event_count().await;

    browser
        .run("document.querySelector('#kind').value = 'assessments';")
        .await;
    let file = browser.find("#file").await;
    file.send_keys(bad.to_str().expect("path"))
        .await
        .expect("choose");
    browser.click("#kiem-tra").await;
    let errors = browser.text("#ket-qua table.row-errors").await;
    assert!(
        errors.contains("2") && errors.contains("kết quả"),
        "{errors}"
    );
    assert!(
        errors.contains("Giá trị không hợp lệ") && errors.contains("có lẽ"),
        "{errors}"
    );
    assert!(
        errors.contains("Ngày hiệu lực không được sau hôm nay."),
        "the domain's refusal in Vietnamese: {errors}"
    );
    assert_eq!(
        server.event_count().await,
        before,
        "an error writes nothing"
    );

    browser
        .run("document.querySelector('#kind').value = 'assessments';")
        .await;
    let file = browser.find("#file").await;
    file.send_keys(sheet.to_str().expect("path"))
        .await
        .expect("choose");
    browser.click("#kiem-tra").await;
    // The dry run's answer replaces the page: wait for its count, not the last one's.
    assert_eq!(browser.text_containing("#so-ghi", "2").await, "2");
    assert_eq!(
        server.event_count().await,
        before,
        "a dry run writes nothing"
    );
    browser.click("#ghi").await;
    browser.text_containing("#da-ghi", "#").await;
    assert_eq!(server.event_count().await, before + 2);

    let page = server.url("/xa/18010?on=2024-06-01");
    let mut shown = String::new();
    for _ in 0..50 {
        browser.open(&page).await.expect("loads");
        shown = browser.text("#tieu-chi-1 .statuses").await;
        if shown.contains("88/BC-UBND") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(shown.contains("88/BC-UBND"), "{shown}");
    browser.close().await;
}
