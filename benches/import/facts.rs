//! The fact imports beside `ntm import readings` on the same data size: 10,000 criterion
//! assessments over 200 communes, and one recognition decision covering 200 communes (after
//! their assessments), each read, decided row by row and appended at once.

use std::sync::Arc;
use std::time::Instant;

use ntm_tracker::app::progress::Quiet;
use ntm_tracker::app::Origin;
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::import::fact_kind::FactKind;
use ntm_tracker::import::facts::import;
use ntm_tracker::import::readings;
use ntm_tracker::store::EventStore;

use super::setup::{self, SET};

/// `rows` assessments spread over `communes`, every one met by the provincial council, the
/// last round of each commune on 2024-06-01 or later.
fn assessments_csv(communes: &[(String, String)], rows: usize) -> String {
    let criteria = setup::assessable();
    let mut text =
        String::from("mã đơn vị,bộ tiêu chí,tiêu chí,kết quả,cấp đánh giá,ngày hiệu lực\n");
    for i in 0..rows {
        let code = &communes[i % communes.len()].0;
        let criterion = &criteria[(i / communes.len()) % criteria.len()];
        let round = i / (communes.len() * criteria.len());
        let on = setup_date(2024, 6, 1) + chrono::Days::new(round as u64);
        text.push_str(&format!(
            "{code},{SET},{criterion},đạt,hội đồng thẩm định tỉnh,{on}\n"
        ));
    }
    text
}

fn setup_date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// Imports `text` as a `kind` file; rows/s and the rows recorded.
async fn timed(store: &EventStore, kind: FactKind, name: &str, text: String) -> (f64, usize) {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join(name);
    std::fs::write(&file, text).expect("write");
    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    let started = Instant::now();
    let report = import(
        store,
        catalog,
        Origin::cli("bench"),
        kind,
        &file,
        false,
        &Quiet,
    )
    .await
    .expect("import");
    let seconds = started.elapsed().as_secs_f64();
    assert!(report.errors.is_empty(), "{:?}", report.errors.first());
    (report.recorded as f64 / seconds, report.recorded)
}

/// Assessments/s importing `rows` assessments into a database holding only the localities.
pub async fn assessments_rate(store: &EventStore, communes: usize, rows: usize) -> f64 {
    let communes = setup::communes(communes);
    setup::localities(store, &communes).await;
    let text = assessments_csv(&communes, rows);
    let (rate, recorded) = timed(store, FactKind::Assessments, "danh-gia.csv", text).await;
    assert_eq!(recorded, rows);
    rate
}

/// Rows/s of one decision (1763/QĐ-UBND) covering `communes` communes whose every criterion
/// was assessed met first, and the seconds it took; beside it, the seconds `ntm import readings`
/// takes for as many rows (one reading per commune) on the same database just before.
pub async fn decision_rate(store: &EventStore, communes: usize) -> (f64, f64, f64) {
    let communes = setup::communes(communes);
    setup::localities(store, &communes).await;
    let all = communes.len() * setup::assessable().len();
    let assessed = assessments_csv(&communes, all);
    timed(store, FactKind::Assessments, "danh-gia.csv", assessed).await;
    let readings = readings_seconds(store, &communes).await;
    let mut text = String::from(
        "mã đơn vị,số quyết định,ngày ký,cơ quan ban hành,người ký,mức công nhận,bộ tiêu chí,\
         năm đạt chuẩn,đợt\n",
    );
    for (code, _) in &communes {
        text.push_str(&format!(
            "{code},1763/QĐ-UBND,2024-07-18,UBND tỉnh Hà Tĩnh,Nguyễn Hồng Lĩnh,ntm,{SET},2024,\
             đợt 1 năm 2024\n"
        ));
    }
    let started = Instant::now();
    let (rate, recorded) = timed(store, FactKind::Decisions, "qd-1763.csv", text).await;
    assert_eq!(recorded, communes.len());
    (rate, started.elapsed().as_secs_f64(), readings)
}

/// Seconds of `ntm import readings` of one reading per commune of `communes`.
async fn readings_seconds(store: &EventStore, communes: &[(String, String)]) -> f64 {
    let (text, _) = setup::readings_csv(communes, communes.len());
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("readings.csv");
    std::fs::write(&file, text).expect("write");
    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    let started = Instant::now();
    let report = readings::import(store, catalog, Origin::cli("bench"), &file, false, &Quiet)
        .await
        .expect("import");
    assert_eq!((report.recorded, report.errors.len()), (communes.len(), 0));
    started.elapsed().as_secs_f64()
}
