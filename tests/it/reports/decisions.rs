//! The decisions of a period: the `events` feed's recognitions, revocations and
//! acknowledgements under the unit taking effect in the period, in its order, with their
//! decisions; a period ending before it starts is refused beside its field.

use serde_json::{json, Value};

use super::{download, recorder};
use crate::graphql::series::history;
use crate::support::server::Server;
use crate::support::TestDb;

const FEED: &str = "query($filter: EventFilter!) { events(filter: $filter, first: 500) {
  edges { node { type locality { code } details {
    ... on RecognitionGrantedDetails { decision }
    ... on RecognitionRevokedDetails { decision }
    ... on RecognitionAcknowledgedDetails { decision } } } } } }";

fn records(bytes: Vec<u8>) -> Vec<csv::StringRecord> {
    let file = String::from_utf8(bytes).expect("UTF-8");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(file.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .expect("CSV parses")
}

/// The decision numbers and codes of the rows, in order, and the preface's counts.
fn rows(records: &[csv::StringRecord]) -> Vec<(String, String)> {
    let head = records
        .iter()
        .position(|r| r.get(0) == Some("STT") && r.get(1) == Some("Xã"))
        .expect("header");
    let column = |name: &str| records[head].iter().position(|c| c == name).expect(name);
    records[head + 1..]
        .iter()
        .take_while(|r| r.get(0).is_some_and(|c| !c.is_empty()))
        .map(|r| {
            (
                r[column("Số quyết định")].to_owned(),
                r[column("Mã")].to_owned(),
            )
        })
        .collect()
}

pub async fn the_decisions_list_is_the_feed_of_the_period(db: &TestDb) {
    let server = Server::start(db).await;
    let h = history(&server).await;
    let visitor = recorder(&server).await;
    for (from, to) in [("2017-01-01", "2024-12-31"), ("2019-01-01", "2019-12-31")] {
        let fields = [
            ("loai", "quyet-dinh"),
            ("don-vi", "436"),
            ("tu", from),
            ("on", to),
            ("dinh-dang", "csv"),
        ];
        let (bytes, _) = download(&visitor, &fields).await;
        let records = records(bytes);
        let listed = rows(&records);
        let filter = json!({ "subtree": h.city, "on": to,
            "types": ["RECOGNITION_GRANTED", "RECOGNITION_REVOKED", "RECOGNITION_ACKNOWLEDGED"],
            "effectiveFrom": from, "effectiveTo": to });
        let api = server.data(FEED, json!({ "filter": filter })).await;
        let expected: Vec<(String, String)> = api["events"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| {
                let node: &Value = &e["node"];
                let decision = node["details"]["decision"].as_str().unwrap_or_default();
                let code = node["locality"]["code"].as_str().unwrap_or_default();
                (decision.to_owned(), code.to_owned())
            })
            .collect();
        assert_eq!(listed, expected, "{from}..{to}");
        let numbers: Vec<&str> = listed.iter().map(|(d, _)| d.as_str()).collect();
        match from {
            "2017-01-01" => {
                for decision in ["118/QĐ-UBND", "219/QĐ-UBND", "322/QĐ-UBND"] {
                    assert!(numbers.contains(&decision), "{numbers:?}");
                }
            }
            _ => assert_eq!(numbers, ["219/QĐ-UBND"]),
        }
        let granted = records
            .iter()
            .find(|r| r.get(0) == Some("Số quyết định công nhận"))
            .expect("count");
        assert_eq!(granted.get(1), Some(numbers.len().to_string().as_str()));
    }
}
