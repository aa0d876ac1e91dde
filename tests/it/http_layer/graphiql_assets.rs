//! GraphiQL's vendored files (`assets/graphiql/`): served from the binary byte for byte, with
//! their media type, cacheable for a year, compressed as the client asks; other names are 404.

use std::io::Read;

use super::header;
use crate::support::server::Server;
use crate::support::TestDb;

/// Each served file, its media type and the vendored bytes it must equal.
const ASSETS: [(&str, &str); 4] = [
    ("react-18.3.1.production.min.js", "text/javascript"),
    ("react-dom-18.3.1.production.min.js", "text/javascript"),
    ("graphiql-3.9.0.min.js", "text/javascript"),
    ("graphiql-3.9.0.min.css", "text/css"),
];

fn vendored(file: &str) -> Vec<u8> {
    let path = format!("{}/assets/graphiql/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn decoded(encoding: &str, sent: &[u8]) -> Vec<u8> {
    let mut decoded = Vec::new();
    match encoding {
        "gzip" => flate2::read::GzDecoder::new(sent).read_to_end(&mut decoded),
        "br" => brotli_decompressor::Decompressor::new(sent, 4096).read_to_end(&mut decoded),
        other => panic!("unexpected Content-Encoding {other:?}"),
    }
    .expect("decode");
    decoded
}

#[tokio::test]
async fn graphiql_assets_are_served_whole_cacheable_and_compressed() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    let client = reqwest::Client::new();
    for (file, media) in ASSETS {
        let expected = vendored(file);
        let url = server.url(&format!("/graphiql/assets/{file}"));
        let plain = client.get(&url).send().await.expect("GET asset");
        assert_eq!(plain.status(), 200, "{file}");
        assert!(header(&plain, "content-type").starts_with(media), "{file}");
        assert_eq!(
            header(&plain, "cache-control"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(header(&plain, "content-encoding"), "", "{file}");
        assert!(
            plain.bytes().await.expect("body")[..] == expected[..],
            "{file}"
        );
        for encoding in ["gzip", "br"] {
            let sent = client
                .get(&url)
                .header("Accept-Encoding", encoding)
                .send()
                .await
                .expect("GET asset");
            assert_eq!(header(&sent, "content-encoding"), encoding, "{file}");
            let body = sent.bytes().await.expect("body");
            // The CSS inlines its fonts (base64 of compressed data): it shrinks the least.
            assert!(body.len() < expected.len() * 7 / 10, "{file} in {encoding}");
            assert!(decoded(encoding, &body) == expected, "{file} in {encoding}");
        }
    }
    for missing in ["graphiql-3.8.0.min.js", "..%2FCargo.toml", "MANIFEST"] {
        let url = server.url(&format!("/graphiql/assets/{missing}"));
        let response = client.get(&url).send().await.expect("GET");
        assert_eq!(response.status(), 404, "{missing}");
    }
}

#[tokio::test]
async fn the_graphiql_page_loads_only_from_this_server() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    let page = reqwest::get(server.url("/graphiql")).await.expect("GET");
    assert_eq!(page.status(), 200);
    assert!(header(&page, "content-type").starts_with("text/html"));
    let html = page.text().await.expect("page");
    for (file, _) in ASSETS {
        assert!(
            html.contains(&format!("\"/graphiql/assets/{file}\"")),
            "{file}"
        );
    }
    assert!(!html.contains("//cdn") && !html.contains("https://") && !html.contains("http://"));
}
