//! `/quan-tri/nguoi-dung`: admins create, disable and re-password accounts; refusals beside
//! their fields; everyone else is sent to sign in or refused.

use ntm_tracker::auth::Role;
use ntm_tracker::store::StreamRange;
use reqwest::header::LOCATION;
use reqwest::StatusCode;

use super::{person, Visitor, PASSWORD};
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(an_admin_manages_accounts_from_the_page);

const PAGE: &str = "/quan-tri/nguoi-dung";
const NEW_PASSWORD: &str = "một mật khẩu mới hẳn";

async fn an_admin_manages_accounts_from_the_page(db: &TestDb) {
    let server = Server::start(db).await;
    person(&server.store, "quantri", Role::Admin, None).await;
    person(&server.store, "xem", Role::Viewer, None).await;
    let anonymous = Visitor::of(&server).get(PAGE).await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.headers()[LOCATION],
        "/dang-nhap?tiep=%2Fquan-tri%2Fnguoi-dung"
    );
    let mut viewer = Visitor::of(&server);
    viewer.sign_in("xem", PASSWORD).await;
    assert_eq!(viewer.get(PAGE).await.status(), StatusCode::FORBIDDEN);

    let mut admin = Visitor::of(&server);
    admin.sign_in("quantri", PASSWORD).await;
    let csrf = admin.csrf().await;
    let before = server.event_count().await;
    let bad = [
        ("csrf", csrf.as_str()),
        ("username", "x y"),
        ("password", "ngắn"),
        ("role", "recorder"),
        ("scope", "99999"),
        ("expires", "31/02/2027"),
    ];
    let refused = admin.post_form(PAGE, &bad, "").await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let page = refused.text().await.expect("page");
    for (field, words) in [
        ("new-username", "Tên đăng nhập gồm"),
        ("new-password", "ít nhất 10"),
        ("new-scope", "Không có đơn vị"),
        ("new-expires", "Ngày không hợp lệ"),
    ] {
        let at = page.find(&format!("id=\"{field}\"")).expect(field);
        let next_field = page[at..].find("</p>").expect("its paragraph");
        assert!(
            page[at..at + next_field].contains(words),
            "{field}: {}",
            &page[at..at + next_field]
        );
    }
    assert_eq!(server.event_count().await, before, "nothing created");

    let good = [
        ("csrf", csrf.as_str()),
        ("username", "Thu.Ha"),
        ("password", PASSWORD),
        ("role", "recorder"),
        ("scope", ""),
        ("expires", "2030-12-31"),
    ];
    let created = admin.post_form(PAGE, &good, "").await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let listed = admin.get(PAGE).await.text().await.expect("page");
    assert!(listed.contains("data-username=\"thu.ha\""), "{listed}");
    let ids = server
        .store
        .stream_ids_by_start("user/", i64::MAX)
        .await
        .expect("ids");
    let mut thu_ha = None;
    for id in ids {
        let events = server
            .store
            .read_stream(&id, StreamRange::all())
            .await
            .expect("read");
        if events[0].payload.contains("\"thu.ha\"") {
            assert_eq!(events[0].metadata().expect("metadata").actor, "quantri");
            thu_ha = Some(id.trim_start_matches("user/").to_owned());
        }
    }
    let thu_ha = thu_ha.expect("the account's stream");

    let mut person_visitor = Visitor::of(&server);
    person_visitor.sign_in("thu.ha", PASSWORD).await;
    let reset = [("csrf", csrf.as_str()), ("password", NEW_PASSWORD)];
    let path = format!("{PAGE}/{thu_ha}/mat-khau");
    assert_eq!(
        admin.post_form(&path, &reset, "").await.status(),
        StatusCode::SEE_OTHER
    );
    let home = person_visitor.get("/").await.text().await.expect("page");
    assert!(
        !home.contains("<strong>thu.ha</strong>"),
        "the old session ended with the password"
    );
    let mut again = Visitor::of(&server);
    assert_eq!(
        again.sign_in("thu.ha", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        again.sign_in("thu.ha", NEW_PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );

    let disable = format!("{PAGE}/{thu_ha}/khoa");
    let answer = admin
        .post_form(&disable, &[("csrf", csrf.as_str())], "")
        .await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let home = again.get("/").await.text().await.expect("page");
    assert!(
        !home.contains("<strong>thu.ha</strong>"),
        "a disabled account's session ends"
    );
    let mut last = Visitor::of(&server);
    assert_eq!(
        last.sign_in("thu.ha", NEW_PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
}
