//! What the fact imports are tested on: communes registered and enrolled (as the readings
//! import's tests make them), then assessed, recognised or merged in one append each; and the
//! files, written and imported as an operator runs `ntm import KIND`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use ntm_tracker::app::{Draft, Origin, Register};
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::domain::event::{CriterionAssessed, Evidence, RecognitionGranted};
use ntm_tracker::domain::lineage::{decide_merger, Merger, NewLocality, Successor};
use ntm_tracker::domain::locality::{LocalityAction, LocalityId, LocalityState};
use ntm_tracker::domain::terms::{AssessmentLevel, LocalityKind, RecognitionLevel};
use ntm_tracker::store::EventStore;

pub use crate::import_export::setup::{assessable, communes, localities, SET};
use crate::support::cli::{ntm, path_str, stderr, stdout};
use crate::support::TestDb;

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

pub fn today() -> NaiveDate {
    ntm_tracker::app::clock::today()
}

async fn register(store: &EventStore) -> Register {
    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    Register::load(store, catalog, Origin::cli("test"))
        .await
        .expect("load")
}

fn id_of(register: &Register, code: &str, on: NaiveDate) -> LocalityId {
    let code = code.parse().expect("code");
    register.holder(&code, on).expect("registered").clone()
}

/// Every criterion and condition of the set assessed met by the provincial council on
/// 2024-06-01 for each commune, in one append.
pub async fn all_met(store: &EventStore, communes: &[(String, String)]) {
    let mut register = register(store).await;
    let mut draft = Draft::new(&register);
    for (code, _) in communes {
        let id = id_of(&register, code, date(2024, 6, 1));
        for criterion in assessable() {
            let action = LocalityAction::AssessCriterion(CriterionAssessed {
                effective_on: date(2024, 6, 1),
                set: SET.parse().expect("set"),
                criterion: criterion.parse().expect("criterion"),
                met: true,
                level: AssessmentLevel::ProvincialCouncil,
                evidence: Evidence::default(),
            });
            let events = draft.decide(&id, today(), action).expect("assess");
            draft.apply(&id, events).expect("fold");
        }
    }
    let streams = draft.into_streams();
    register.record(streams, None).await.expect("record");
}

/// `decision` of each commune: NTM recognition `G-{code}/QĐ-UBND` on 2024-09-01, granted with
/// an override reason (no assessments needed), in one append.
pub async fn recognised(store: &EventStore, communes: &[(String, String)]) {
    let mut register = register(store).await;
    let mut draft = Draft::new(&register);
    for (code, _) in communes {
        let id = id_of(&register, code, date(2024, 9, 1));
        let action = LocalityAction::GrantRecognition(RecognitionGranted {
            effective_on: date(2024, 9, 1),
            decision: grant_of(code).parse().expect("decision"),
            signed_on: date(2024, 9, 1),
            issuer: "UBND tỉnh Hà Tĩnh".into(),
            signer: "Phó Chủ tịch".into(),
            set: SET.parse().expect("set"),
            level: RecognitionLevel::Ntm,
            standard_year: 2024,
            batch: None,
            outstanding_field: None,
            override_reason: Some(
                "Công nhận theo kết luận kiểm tra lại của đoàn thẩm định tỉnh".into(),
            ),
        });
        let events = draft.decide(&id, today(), action).expect("grant");
        draft.apply(&id, events).expect("fold");
    }
    let streams = draft.into_streams();
    register.record(streams, None).await.expect("record");
}

/// The number of the recognition [`recognised`] gives `code`.
pub fn grant_of(code: &str) -> String {
    format!("{code}/QĐ-UBND")
}

/// Each pair of communes merged into a new commune with the code given, on 2025-07-01 under
/// the same city (act 1283/NQ-UBTVQH15), in one append.
pub async fn merged(store: &EventStore, pairs: &[(&str, &str, String)]) {
    let mut register = register(store).await;
    let mut draft = Draft::new(&register);
    let on = date(2025, 7, 1);
    let city = id_of(&register, "436", on);
    for (index, (first, second, successor)) in pairs.iter().enumerate() {
        let sources = vec![id_of(&register, first, on), id_of(&register, second, on)];
        let merger = Merger {
            today: today(),
            effective_on: on,
            legal_act: "1283/NQ-UBTVQH15".parse().expect("act"),
            sources: sources.clone(),
            successor: Successor::New(NewLocality {
                id: LocalityId(uuid::Uuid::now_v7()),
                name: format!("Xã Hợp Nhất {index}"),
                kind: LocalityKind::Commune,
                code: Some(successor.parse().expect("code")),
                parent: Some(city.clone()),
                threshold_region: None,
                commune_group: None,
            }),
        };
        let states: HashMap<LocalityId, LocalityState> = sources
            .iter()
            .chain([&city])
            .map(|id| (id.clone(), draft.state(id).cloned().unwrap_or_default()))
            .collect();
        for (id, events) in decide_merger(&merger, &states).expect("merger") {
            draft.apply(&id, events).expect("fold");
        }
    }
    let streams = draft.into_streams();
    register.record(streams, None).await.expect("record");
}

/// `header` and `rows` as a CSV file's text.
pub fn csv(header: &str, rows: &[String]) -> String {
    let mut text = format!("{header}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

/// `ntm import KIND` of `rows` with row `bad` replaced by `bad_row`: refused with exactly
/// `error` (`{row}` stands for its spreadsheet row) and nothing written; then the good file:
/// every row recorded, in one append of `events` events.
pub async fn one_bad_row(
    db: &TestDb,
    kind: &str,
    header: &str,
    rows: &[String],
    (bad, bad_row): (usize, String),
    error: &str,
) {
    assert!(rows.len() >= 1_000, "a file of at least 1,000 rows");
    let store = db.store().await;
    let dir = tempfile::tempdir().expect("dir");
    let mut with_error = rows.to_vec();
    with_error[bad] = bad_row;
    let file = dir.path().join(format!("{kind}.csv"));
    std::fs::write(&file, csv(header, &with_error)).expect("write");
    let before = store.last_position().await.expect("position");

    let output = ntm(&db.url, &["import", kind, path_str(&file)]);

    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let expected = format!("{kind}.csv row {}, column {error}", bad + 2);
    assert_eq!(stderr(&output).trim(), expected);
    let summary = format!("{} rows read, {} recorded", rows.len(), rows.len() - 1);
    assert!(stdout(&output).contains(&summary), "{}", stdout(&output));
    assert!(stdout(&output).contains("1 errors: nothing written"));
    assert_eq!(store.last_position().await.expect("position"), before);

    std::fs::write(&file, csv(header, rows)).expect("write");
    let output = ntm(&db.url, &["import", kind, path_str(&file)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let after = store.last_position().await.expect("position");
    assert_eq!(after - before, rows.len() as i64, "one event per row");
    let written = store.read_all(before, after - before).await.expect("read");
    let request = |i: usize| written[i].metadata().expect("metadata").request_id;
    assert!(
        (0..written.len()).all(|i| request(i) == request(0)),
        "one append: one request"
    );
}
