//! A scoped person's data entry: the page of a commune outside the scope is refused (403) and
//! so is a post to its form, nothing written; inside, the same post records.

use ntm_tracker::auth::Role;
use reqwest::StatusCode;

use super::district_with_communes;
use crate::accounts::{person, Visitor, PASSWORD};
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    a_scoped_person_enters_data_only_inside_the_scope,
    the_form_attaches_its_files_to_the_assessment_or_refuses_them_beside_the_field,
);

async fn a_scoped_person_enters_data_only_inside_the_scope(db: &TestDb) {
    let server = Server::start(db).await;
    let (ha_tinh, _, inside) = district_with_communes(&server, "42", 1, &[]).await;
    let (_, _, outside) = district_with_communes(&server, "40", 1, &[]).await;
    person(&server.store, "vpdp.hatinh", Role::Recorder, Some(&ha_tinh)).await;
    let mut visitor = Visitor::of(&server);
    visitor.sign_in("vpdp.hatinh", PASSWORD).await;
    let csrf = visitor.csrf().await;

    let page = visitor.get(&format!("/xa/{}/nhap", outside[0])).await;
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    let text = page.text().await.expect("page");
    assert!(text.contains("ngoài phạm vi địa bàn"), "{text}");

    let form = |commune: &str, key: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("khoa", key.to_owned()),
            ("don-vi", commune.to_owned()),
            ("bo", super::NTM_2021.to_owned()),
            ("tieu-chi", "2".to_owned()),
            ("chi-tieu", "2.1:PERCENT,2.2:PERCENT".to_owned()),
            ("ngay", "01/06/2024".to_owned()),
            ("gt:2.1", "80".to_owned()),
            ("ket-qua", "dat".to_owned()),
            ("cap", "COMMUNE_SELF_ASSESSMENT".to_owned()),
        ]
    };
    let before = server.event_count().await;
    let outside_form = form(&outside[0], "outside");
    let fields: Vec<(&str, &str)> = outside_form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = visitor
        .post_multipart(&format!("/xa/{}/nhap/tieu-chi", outside[0]), &fields, &[])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(server.event_count().await, before, "nothing written");

    let inside_form = form(&inside[0], "inside");
    let fields: Vec<(&str, &str)> = inside_form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let written = visitor
        .post_multipart(&format!("/xa/{}/nhap/tieu-chi", inside[0]), &fields, &[])
        .await;
    assert_eq!(written.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        server.event_count().await,
        before + 2,
        "the reading and the assessment"
    );
    let events = server
        .data(
            "{ events(order: NEWEST_FIRST, first: 2) { edges { node { actor requestId } } } }",
            serde_json::json!({}),
        )
        .await;
    let edges = events["events"]["edges"].as_array().expect("edges");
    assert!(
        edges.iter().all(|e| e["node"]["actor"] == "vpdp.hatinh"),
        "{events:#}"
    );
    assert_eq!(
        edges[0]["node"]["requestId"], edges[1]["node"]["requestId"],
        "one append"
    );
}

async fn the_form_attaches_its_files_to_the_assessment_or_refuses_them_beside_the_field(
    db: &TestDb,
) {
    let server = Server::start(db).await;
    let (ha_tinh, _, communes) = district_with_communes(&server, "42", 1, &[]).await;
    person(&server.store, "can-bo", Role::Recorder, Some(&ha_tinh)).await;
    let mut visitor = Visitor::of(&server);
    visitor.sign_in("can-bo", PASSWORD).await;
    let csrf = visitor.csrf().await;
    let path = format!("/xa/{}/nhap/tieu-chi", communes[0]);
    let fields = |key: &'static str| {
        vec![
            ("csrf", csrf.as_str()),
            ("khoa", key),
            ("don-vi", communes[0].as_str()),
            ("bo", super::NTM_2021),
            ("tieu-chi", "2"),
            ("chi-tieu", "2.1:PERCENT"),
            ("ngay", "01/06/2024"),
            ("gt:2.1", "80"),
            ("ket-qua", "dat"),
            ("cap", "DISTRICT_APPRAISAL"),
            ("vb-danh-gia", "12/BB-TĐ"),
        ]
    };
    let before = server.event_count().await;
    let renamed: &[u8] = b"MZ\x90\x00 not a pdf";
    let refused = visitor
        .post_multipart(
            &path,
            &fields("bad file"),
            &[("tep", "bien-ban.pdf", renamed)],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let page = refused.text().await.expect("page");
    assert!(
        page.contains("bien-ban.pdf: nội dung tệp không đúng"),
        "beside the field"
    );
    assert_eq!(server.event_count().await, before, "nothing written");

    let pdf: &[u8] = b"%PDF-1.4 bien ban tham dinh";
    let written = visitor
        .post_multipart(&path, &fields("good file"), &[("tep", "Biên bản.pdf", pdf)])
        .await;
    assert_eq!(written.status(), StatusCode::SEE_OTHER);
    let events = server
        .data(
            "{ events(order: NEWEST_FIRST, first: 2) { edges { node { type details {
                ... on CriterionAssessedDetails { evidence { document attachments { name size } } }
                ... on IndicatorRecordedDetails { evidence { attachments { name } } } } } } } }",
            serde_json::json!({}),
        )
        .await;
    let edges = &events["events"]["edges"];
    assert_eq!(edges[0]["node"]["type"], "CRITERION_ASSESSED", "{events:#}");
    let evidence = &edges[0]["node"]["details"]["evidence"];
    assert_eq!(evidence["document"], "12/BB-TĐ");
    assert_eq!(evidence["attachments"][0]["name"], "Biên bản.pdf");
    assert_eq!(evidence["attachments"][0]["size"], pdf.len());
    let reading = &edges[1]["node"]["details"]["evidence"];
    assert_eq!(
        reading["attachments"],
        serde_json::json!([]),
        "the assessment holds it"
    );
}
