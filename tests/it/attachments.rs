//! Files attached to facts: uploaded over real HTTP (`POST /tep`), kept by their SHA-256 in the
//! database or a directory, named by a reading's evidence, downloaded checked against their
//! hash, and checked by `ntm verify`.

use ntm_tracker::auth::Role;
use ntm_tracker::blobs::{AttachmentSettings, BlobStore};
use ntm_tracker::http::AccessSettings;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::accounts::{person, Visitor, PASSWORD};
use crate::support::graphql::enrolled_commune;
use crate::support::projector::catalog;
use crate::support::server::{token, Server};
use crate::support::store::{execute, scalar};
use crate::support::{on_both_engines, TestDb};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n";

on_both_engines!(
    upload_then_attach_then_download,
    a_fact_cannot_name_a_file_never_uploaded,
    uploads_are_refused_by_type_size_and_role,
    a_directory_store_refuses_altered_bytes_and_verify_names_them,
    verify_names_a_file_missing_from_the_database,
    a_person_uploads_with_the_session_and_its_form_token,
);

fn access(dir: Option<std::path::PathBuf>, max_bytes: usize) -> AccessSettings {
    AccessSettings {
        failures_per_minute: 10_000,
        attachments: AttachmentSettings {
            dir,
            max_bytes,
            ..AttachmentSettings::default()
        },
        ..AccessSettings::default()
    }
}

/// `POST /tep` of `bytes` named `name` with this `Authorization`: the status and the JSON.
async fn upload(
    server: &Server,
    authorization: Option<&str>,
    name: &str,
    bytes: &[u8],
) -> (u16, Value) {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("file", part);
    let mut request = reqwest::Client::new()
        .post(server.url("/tep"))
        .multipart(form);
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    let response = request.send().await.expect("POST /tep");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON answer"))
}

const RECORD: &str = "mutation($input: RecordIndicatorReadingInput!) {
    recordIndicatorReading(input: $input) { position events { id details {
        ... on IndicatorRecordedDetails { evidence { document
            attachments { sha256 name mediaType size url } } } } } } }";

fn reading(commune: &str, key: &str, attachments: Value) -> Value {
    json!({ "input": {
        "locality": commune, "idempotencyKey": key, "set": "NTM-XA-2021-2025",
        "indicator": "17.8", "value": { "percent": 97.5 }, "effectiveOn": "2023-06-01",
        "evidence": { "document": "45/BC-UBND", "attachments": attachments },
    }})
}

async fn upload_then_attach_then_download(db: &TestDb) {
    let server = Server::start_with(db, access(None, 1 << 20)).await;
    let commune = enrolled_commune(&server).await;
    let (_, recorder) = token(&server.store, "office", Role::Recorder, None, None).await;
    let (status, stored) = upload(&server, Some(&recorder), "Biên bản thẩm định.pdf", PDF).await;
    assert_eq!(status, 201, "{stored:#}");
    let sha256 = hex::encode(Sha256::digest(PDF));
    assert_eq!(stored["sha256"], sha256.as_str());
    assert_eq!(stored["size"], PDF.len());
    assert_eq!(stored["mediaType"], "application/pdf");
    // The same bytes again are the same file.
    let (again, restored) = upload(&server, Some(&recorder), "copy.pdf", PDF).await;
    assert_eq!((again, &restored["sha256"]), (201, &stored["sha256"]));

    let files = json!([{ "sha256": sha256.to_uppercase(), "name": "Biên bản thẩm định.pdf" }]);
    let data = server
        .data(RECORD, reading(&commune, "with file", files))
        .await;
    let evidence = &data["recordIndicatorReading"]["events"][0]["details"]["evidence"];
    let attached = &evidence["attachments"][0];
    assert_eq!(
        attached["sha256"],
        sha256.as_str(),
        "recorded lowercase: {evidence:#}"
    );
    assert_eq!(attached["mediaType"], "application/pdf");
    assert_eq!(attached["size"], PDF.len(), "the size comes from the store");

    let url = attached["url"].as_str().expect("url");
    let response = reqwest::get(server.url(url)).await.expect("GET the file");
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    let disposition = headers["content-disposition"].to_str().expect("ascii");
    assert!(
        disposition.contains("filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n"),
        "{disposition}"
    );
    assert_eq!(response.bytes().await.expect("bytes").as_ref(), PDF);

    let report = ntm_tracker::app::verify::verify(
        server.store.db(),
        &catalog(),
        &BlobStore::new(server.store.db().clone(), AttachmentSettings::default()),
    )
    .await
    .expect("verify");
    assert_eq!((report.finding, report.attachments), (None, 1));
}

async fn a_fact_cannot_name_a_file_never_uploaded(db: &TestDb) {
    let server = Server::start_with(db, access(None, 1 << 20)).await;
    let commune = enrolled_commune(&server).await;
    let before = server.event_count().await;
    let never = hex::encode(Sha256::digest(b"never uploaded"));
    let cases = [
        (
            json!([{ "sha256": never, "name": "a.pdf" }]),
            "no file with SHA-256",
        ),
        (json!([{ "sha256": never, "name": "a.exe" }]), "not taken"),
        (
            json!([{ "sha256": "abc", "name": "a.pdf" }]),
            "no file with SHA-256",
        ),
    ];
    for (files, says) in cases {
        let error = server
            .error(RECORD, reading(&commune, "missing", files))
            .await;
        assert_eq!(error["extensions"]["code"], "VALIDATION", "{error:#}");
        assert_eq!(error["extensions"]["field"], "evidence.attachments");
        let message = error["message"].as_str().expect("message");
        assert!(message.contains(says), "{message}");
    }
    assert_eq!(server.event_count().await, before, "nothing written");
}

/// Who uploads, the file's name and bytes, and the status and code of the refusal.
type Refused<'a> = (Option<&'a str>, &'a str, &'a [u8], u16, &'a str);

async fn uploads_are_refused_by_type_size_and_role(db: &TestDb) {
    let server = Server::start_with(db, access(None, 64)).await;
    let (_, recorder) = token(&server.store, "office", Role::Recorder, None, None).await;
    let (_, viewer) = token(&server.store, "public", Role::Viewer, None, None).await;
    let cases: [Refused; 6] = [
        (None, "a.pdf", PDF, 401, "UNAUTHENTICATED"),
        (Some(&viewer), "a.pdf", PDF, 403, "FORBIDDEN"),
        (
            Some(&recorder),
            "setup.exe",
            b"MZ\x90\x00",
            415,
            "TYPE_NOT_ALLOWED",
        ),
        (
            Some(&recorder),
            "scan.pdf",
            b"MZ\x90\x00 renamed",
            415,
            "TYPE_NOT_ALLOWED",
        ),
        (Some(&recorder), "big.pdf", &[b'%'; 65], 413, "TOO_LARGE"),
        (Some(&recorder), "empty.pdf", b"", 400, "VALIDATION"),
    ];
    for (authorization, name, bytes, status, code) in cases {
        let (got, answer) = upload(&server, authorization, name, bytes).await;
        assert_eq!(got, status, "{name}: {answer:#}");
        assert_eq!(answer["errors"][0]["extensions"]["code"], code, "{name}");
    }
    let kept = scalar(server.store.db(), "SELECT COUNT(*) FROM blobs").await;
    assert_eq!(kept, 0, "nothing kept");
}

async fn a_directory_store_refuses_altered_bytes_and_verify_names_them(db: &TestDb) {
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = access(Some(dir.path().to_owned()), 1 << 20);
    let server = Server::start_with(db, settings).await;
    let commune = enrolled_commune(&server).await;
    let (_, stored) = upload(
        &server,
        Some(&server.admin),
        "anh.png",
        b"\x89PNG\r\n\x1A\nIDAT",
    )
    .await;
    let sha256 = stored["sha256"].as_str().expect("hash").to_owned();
    let file = dir.path().join(&sha256[..2]).join(&sha256);
    assert!(file.exists(), "kept in the directory under its hash");
    let files = json!([{ "sha256": sha256, "name": "anh.png" }]);
    server.data(RECORD, reading(&commune, "png", files)).await;

    std::fs::write(&file, b"\x89PNG\r\n\x1A\nALTERED").expect("alter the file");
    let url = server.url(&format!("/tep/{sha256}?ten=anh.png"));
    let response = reqwest::get(url).await.expect("GET the file");
    assert_eq!(response.status(), 409);
    let answer: Value = response.json().await.expect("JSON");
    assert_eq!(answer["errors"][0]["extensions"]["code"], "ALTERED");

    let blobs = BlobStore::new(
        server.store.db().clone(),
        AttachmentSettings {
            dir: Some(dir.path().to_owned()),
            ..AttachmentSettings::default()
        },
    );
    let report = ntm_tracker::app::verify::verify(server.store.db(), &catalog(), &blobs)
        .await
        .expect("verify");
    let finding = report.finding.expect("a finding").to_string();
    assert!(
        finding.starts_with("ATTACHMENT MISSING OR ALTERED"),
        "{finding}"
    );
    assert!(
        finding.contains(&sha256) && finding.contains("altered"),
        "{finding}"
    );
}

async fn verify_names_a_file_missing_from_the_database(db: &TestDb) {
    let server = Server::start_with(db, access(None, 1 << 20)).await;
    let commune = enrolled_commune(&server).await;
    let (_, stored) = upload(&server, Some(&server.admin), "bao-cao.pdf", PDF).await;
    let sha256 = stored["sha256"].as_str().expect("hash").to_owned();
    let files = json!([{ "sha256": sha256, "name": "bao-cao.pdf" }]);
    server.data(RECORD, reading(&commune, "pdf", files)).await;
    let db_handle = server.store.db();
    // A stored file is never changed in place: the table refuses it.
    let update = execute(db_handle, "UPDATE blobs SET size = size + 1").await;
    assert!(update.is_err(), "blobs are immutable");
    execute(db_handle, "DELETE FROM blobs")
        .await
        .expect("delete");
    let blobs = BlobStore::new(db_handle.clone(), AttachmentSettings::default());
    let report = ntm_tracker::app::verify::verify(db_handle, &catalog(), &blobs)
        .await
        .expect("verify");
    let finding = report.finding.expect("a finding").to_string();
    assert!(
        finding.contains(&sha256) && finding.contains("no file"),
        "{finding}"
    );
}

async fn a_person_uploads_with_the_session_and_its_form_token(db: &TestDb) {
    let server = Server::start_with(db, access(None, 1 << 20)).await;
    person(&server.store, "can-bo", Role::Recorder, None).await;
    let mut visitor = Visitor::of(&server);
    visitor.sign_in("can-bo", PASSWORD).await;
    let cookie = visitor.session.clone().expect("signed in");
    let csrf = visitor.csrf().await;
    for (token, status) in [
        (None, 403),
        (Some("forged"), 403),
        (Some(csrf.as_str()), 201),
    ] {
        let mut form = reqwest::multipart::Form::new();
        if let Some(token) = token {
            form = form.text("csrf", token.to_owned());
        }
        let part = reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("to-trinh.pdf");
        let response = reqwest::Client::new()
            .post(server.url("/tep"))
            .header("Cookie", &cookie)
            .multipart(form.part("file", part))
            .send()
            .await
            .expect("POST /tep");
        assert_eq!(response.status().as_u16(), status, "{token:?}");
    }
}
