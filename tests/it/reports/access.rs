//! Who may do what on `/bao-cao`: anyone who may read previews; downloading issues, so it
//! needs a recorder or above with the session's CSRF token, or a bearer token; every refusal
//! writes nothing, and a unit that does not exist is named beside its field.

use ntm_tracker::auth::Role;
use reqwest::StatusCode;
use sha2::{Digest, Sha256};

use super::{issued, recorder};
use crate::accounts::{person, Visitor, PASSWORD};
use crate::graphql::series::history;
use crate::support::server::Server;
use crate::support::TestDb;

const ASKED: [(&str, &str); 4] = [
    ("loai", "tong-hop"),
    ("don-vi", "436"),
    ("on", "2024-06-30"),
    ("dinh-dang", "xlsx"),
];

pub async fn viewers_preview_and_only_writers_issue(db: &TestDb) {
    let server = Server::start(db).await;
    history(&server).await;

    // Anonymous: the preview, no download form; a download is sent to sign in.
    let anonymous = Visitor::of(&server);
    let page = anonymous
        .get("/bao-cao?loai=tong-hop&don-vi=436&on=2024-06-30")
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("page");
    assert!(html.contains("BÁO CÁO TỔNG HỢP KẾT QUẢ XÂY DỰNG NÔNG THÔN MỚI"));
    assert!(html.contains("Tổng cộng"));
    assert!(html.contains("Đăng nhập để tải về"), "{html}");
    assert!(!html.contains("action=\"/bao-cao/tai-ve\""));
    let before = server.event_count().await;
    let answer = anonymous.post_form("/bao-cao/tai-ve", &ASKED, "").await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(server.event_count().await, before, "nothing written");

    // A viewer previews but may not issue, even with the form's token.
    person(&server.store, "xem", Role::Viewer, None).await;
    let mut viewer = Visitor::of(&server);
    viewer.sign_in("xem", PASSWORD).await;
    let html = viewer
        .get("/bao-cao?loai=tong-hop&don-vi=436&on=2024-06-30")
        .await
        .text()
        .await
        .expect("page");
    assert!(html.contains("Chỉ vai trò ghi số liệu"), "{html}");
    let csrf = viewer.csrf().await;
    let before = server.event_count().await;
    let form = [&ASKED[..], &[("csrf", csrf.as_str())]].concat();
    let answer = viewer.post_form("/bao-cao/tai-ve", &form, "").await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    assert_eq!(server.event_count().await, before, "nothing written");

    // A recorder without the session's token, or asking for a unit that does not exist.
    let writer = recorder(&server).await;
    let before = server.event_count().await;
    let forged = [&ASKED[..], &[("csrf", "forged")]].concat();
    let answer = writer.post_form("/bao-cao/tai-ve", &forged, "").await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    let csrf = writer.csrf().await;
    let unknown = [
        ("loai", "tong-hop"),
        ("don-vi", "99999"),
        ("on", "2024-06-30"),
        ("csrf", csrf.as_str()),
    ];
    let answer = writer.post_form("/bao-cao/tai-ve", &unknown, "").await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let html = answer.text().await.expect("page");
    let beside = html
        .find("id=\"loi-don-vi\"")
        .expect("the refusal beside the unit");
    assert!(
        html[beside..].contains("không có đơn vị mang mã 99999"),
        "{html}"
    );
    let backwards = [
        ("loai", "quyet-dinh"),
        ("don-vi", "436"),
        ("tu", "2024-06-30"),
        ("on", "2024-01-01"),
        ("csrf", csrf.as_str()),
    ];
    let answer = writer.post_form("/bao-cao/tai-ve", &backwards, "").await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let html = answer.text().await.expect("page");
    assert!(html.contains("id=\"loi-tu\""), "{html}");
    assert_eq!(server.event_count().await, before, "nothing written");
    assert!(issued(&server).await.is_empty());

    // A token holder issues without a session.
    let answer = reqwest::Client::new()
        .post(server.url("/bao-cao/tai-ve"))
        .header("Authorization", &server.admin)
        .form(&[
            ("loai", "tong-hop"),
            ("don-vi", "436"),
            ("on", "2024-06-30"),
            ("dinh-dang", "csv"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(answer.status(), StatusCode::OK);
    let bytes = answer.bytes().await.expect("file");
    let events = issued(&server).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["actor"], "test admin");
    assert_eq!(
        events[0]["details"]["sha256"],
        hex::encode(Sha256::digest(&bytes))
    );
}
