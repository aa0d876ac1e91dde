//! Localities for import tests: Tỉnh Hà Tĩnh › Thành phố Hà Tĩnh › the given communes, brought
//! in by the localities import, then each commune enrolled in NTM-XA-2021-2025. Also generated
//! readings files.

use std::sync::Arc;

use chrono::NaiveDate;
use ntm_tracker::app::progress::Quiet;
use ntm_tracker::app::Draft;
use ntm_tracker::app::Origin;
use ntm_tracker::app::Register;
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::domain::event::ProgrammeEnrolled;
use ntm_tracker::domain::locality::LocalityAction;
use ntm_tracker::domain::measure::IndicatorKind;
use ntm_tracker::import::localities::{self, Terms};
use ntm_tracker::store::EventStore;

pub const SET: &str = "NTM-XA-2021-2025";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// Imports the province (42), its city (436) and `communes` (code, name) from a localities
/// file effective 2019-01-01, then enrols the communes from 2021-01-01 in one append.
pub async fn localities(store: &EventStore, communes: &[(String, String)]) {
    let mut file = String::from("code,name,kind,parent_code\n42,Tỉnh Hà Tĩnh,province,\n");
    file.push_str("436,Thành phố Hà Tĩnh,district,42\n");
    for (code, name) in communes {
        file.push_str(&format!("{code},{name},commune,436\n"));
    }
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("localities.csv");
    std::fs::write(&path, file).expect("write");
    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    let mut register = Register::load(store, catalog, Origin::cli("test"))
        .await
        .expect("load");
    let units = localities::read(&path).expect("valid localities");
    let today = date(2026, 1, 1);
    let terms = Terms {
        file: "localities.csv".into(),
        effective_on: date(2019, 1, 1),
        act: None,
        today,
    };
    localities::import(&mut register, &units, &terms, &Quiet)
        .await
        .expect("localities");
    let mut draft = Draft::new(&register);
    for (code, _) in communes {
        let id = register
            .holder(&code.parse().expect("code"), date(2021, 1, 1))
            .expect("imported")
            .clone();
        let enrol = LocalityAction::Enrol(ProgrammeEnrolled {
            effective_on: date(2021, 1, 1),
            set: SET.parse().expect("set"),
            target_year: 2024,
            legal_act: None,
        });
        let events = draft.decide(&id, today, enrol).expect("enrol");
        draft.apply(&id, events).expect("fold");
    }
    let streams = draft.into_streams();
    register.record(streams, None).await.expect("record");
}

/// `n` synthetic communes with codes 30000, 30001, …
pub fn communes(n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| (format!("{:05}", 30_000 + i), format!("Xã Thử Nghiệm {i}")))
        .collect()
}

/// The indicators of the test set with their kinds, in catalogue order.
pub fn indicators() -> Vec<(String, IndicatorKind)> {
    let catalog = Catalog::shipped().expect("catalogue");
    let set = catalog.get(&SET.parse().expect("set")).expect("set");
    set.criteria
        .iter()
        .flat_map(|c| &c.indicators)
        .map(|i| (i.code.to_string(), i.kind))
        .collect()
}

/// A readings CSV of `rows` distinct readings spread over `communes`, on days from 2021-02-01,
/// with the spreadsheet row number of each data row's line and its indicator's kind.
pub fn readings_csv(communes: &[(String, String)], rows: usize) -> (String, Vec<IndicatorKind>) {
    let indicators = indicators();
    let mut text = String::from(
        "locality_code,criteria_set,indicator,value,effective_on,evidence_document,note\n",
    );
    let mut kinds = Vec::with_capacity(rows);
    for i in 0..rows {
        let (code, _) = &communes[i % communes.len()];
        let (indicator, kind) = &indicators[(i / communes.len()) % indicators.len()];
        let day = i / (communes.len() * indicators.len());
        let on = date(2021, 2, 1) + chrono::Days::new(day as u64);
        let value = match kind {
            IndicatorKind::Percent => format!("{}", 60 + (i * 7) % 41),
            IndicatorKind::Number => format!("{}.5", 40 + i % 10),
            IndicatorKind::Count => format!("{}", i % 5),
            IndicatorKind::Boolean => if i % 3 == 0 { "no" } else { "yes" }.to_owned(),
        };
        text.push_str(&format!(
            "{code},{SET},{indicator},{value},{on},{i}/BC-UBND,đợt {day}\n"
        ));
        kinds.push(*kind);
    }
    (text, kinds)
}

/// The criteria and conditions of the test set, whose official assessment recognition needs.
pub fn assessable() -> Vec<String> {
    let catalog = Catalog::shipped().expect("catalogue");
    let set = catalog.get(&SET.parse().expect("set")).expect("set");
    let conditions = set.conditions.iter().map(|c| &c.criterion);
    set.criteria
        .iter()
        .chain(conditions)
        .map(|c| c.code.to_string())
        .collect()
}
