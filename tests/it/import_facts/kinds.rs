//! `ntm import KIND` for every fact kind: a file of at least 1,000 rows with one bad row writes
//! nothing and names its row and column; the same file corrected is one append.

use super::setup::{self, communes, localities, one_bad_row, SET};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    enrolments_all_or_nothing,
    assessments_all_or_nothing,
    votes_all_or_nothing,
    decisions_all_or_nothing,
    revocations_all_or_nothing,
    acknowledgements_all_or_nothing,
);

async fn enrolments_all_or_nothing(db: &TestDb) {
    let communes = communes(1_000);
    localities(&db.store().await, &communes).await;
    let header = "mã đơn vị,bộ tiêu chí,năm đăng ký đạt chuẩn,ngày hiệu lực,số văn bản";
    let row = |code: &str, year: &str| {
        format!("{code},NTM-XA-NANG-CAO-2021-2025,{year},15/01/2022,12/KH-UBND")
    };
    let rows: Vec<String> = communes.iter().map(|(code, _)| row(code, "2025")).collect();
    let bad = (700, row(&communes[700].0, "20x5"));
    let error = "năm đăng ký đạt chuẩn: expected a year such as 2024, got \"20x5\"";
    one_bad_row(db, "enrolments", header, &rows, bad, error).await;
}

async fn assessments_all_or_nothing(db: &TestDb) {
    let communes = communes(60);
    localities(&db.store().await, &communes).await;
    let criteria = setup::assessable();
    let header = "mã đơn vị,bộ tiêu chí,tiêu chí,kết quả,cấp đánh giá,ngày hiệu lực,\
                  số văn bản minh chứng,ghi chú";
    let row = |i: usize, met: &str| {
        let code = &communes[i % communes.len()].0;
        let criterion = &criteria[(i / communes.len()) % criteria.len()];
        let day = 1 + i / (communes.len() * criteria.len());
        format!("{code},{SET},{criterion},{met},huyện thẩm định,2024-03-{day:02},{i}/BC-UBND,")
    };
    let met = |i: usize| {
        if i.is_multiple_of(4) {
            "không đạt"
        } else {
            "đạt"
        }
    };
    let rows: Vec<String> = (0..1_000).map(|i| row(i, met(i))).collect();
    let bad = (500, row(500, "có lẽ"));
    let error = "kết quả: expected đạt or không đạt (met / not-met), got \"có lẽ\"";
    one_bad_row(db, "assessments", header, &rows, bad, error).await;
}

async fn votes_all_or_nothing(db: &TestDb) {
    let communes = communes(100);
    localities(&db.store().await, &communes).await;
    let header = "mã đơn vị,bộ tiêu chí,mức công nhận,tỷ lệ tán thành (%),ngày hiệu lực";
    let row = |i: usize, share: &str| {
        let code = &communes[i % communes.len()].0;
        let on = setup::date(2024, 1, 1) + chrono::Days::new((i / communes.len()) as u64);
        format!("{code},{SET},ntm,{share},{on}")
    };
    let rows: Vec<String> = (0..1_000)
        .map(|i| row(i, &format!("{}.5", 60 + i % 40)))
        .collect();
    let bad = (999, row(999, "130"));
    let error = "tỷ lệ tán thành (%): expected a share from 0 to 100, at most two decimals, \
                 got \"130\"";
    one_bad_row(db, "votes", header, &rows, bad, error).await;
}

/// 143 decisions of seven communes each: the rows of one decision agree.
async fn decisions_all_or_nothing(db: &TestDb) {
    let communes = communes(1_001);
    let store = db.store().await;
    localities(&store, &communes).await;
    setup::all_met(&store, &communes).await;
    let header = "mã đơn vị,số quyết định,ngày ký,cơ quan ban hành,người ký,mức công nhận,\
                  bộ tiêu chí,năm đạt chuẩn,đợt";
    let row = |i: usize, code: &str| {
        let decision = 1_000 + i / 7;
        format!(
            "{code},{decision}/QĐ-UBND,2024-10-01,UBND tỉnh Hà Tĩnh,Võ Trọng Hải,ntm,{SET},2024,\
             đợt {} năm 2024",
            1 + i / 700
        )
    };
    let rows: Vec<String> = (0..communes.len())
        .map(|i| row(i, &communes[i].0))
        .collect();
    let bad = (444, row(444, "39999"));
    let error = "mã đơn vị: no locality holds code 39999 on 2024-10-01";
    one_bad_row(db, "decisions", header, &rows, bad, error).await;
}

async fn revocations_all_or_nothing(db: &TestDb) {
    let communes = communes(1_000);
    let store = db.store().await;
    localities(&store, &communes).await;
    setup::recognised(&store, &communes).await;
    let header = "mã đơn vị,số quyết định,quyết định bị thu hồi,lý do,cơ quan ban hành,\
                  ngày hiệu lực";
    let row = |code: &str, revoked: &str| {
        format!("{code},9{code}/QĐ-UBND,{revoked},không duy trì tiêu chí 17,UBND tỉnh Hà Tĩnh,2025-03-01")
    };
    let rows: Vec<String> = communes
        .iter()
        .map(|(code, _)| row(code, &setup::grant_of(code)))
        .collect();
    let bad = (321, row(&communes[321].0, "77777/QĐ-UBND"));
    let error = "quyết định bị thu hồi: no recognition decision 77777/QĐ-UBND is held by this \
                 locality";
    one_bad_row(db, "revocations", header, &rows, bad, error).await;
}

/// 2,000 recognised communes merged in pairs into 1,000 new ones, each acknowledging both.
async fn acknowledgements_all_or_nothing(db: &TestDb) {
    let communes = communes(2_000);
    let store = db.store().await;
    localities(&store, &communes).await;
    setup::recognised(&store, &communes).await;
    let pairs: Vec<(&str, &str, String)> = (0..1_000)
        .map(|i| {
            let (a, b) = (&communes[2 * i].0, &communes[2 * i + 1].0);
            (a.as_str(), b.as_str(), format!("{}", 40_000 + i))
        })
        .collect();
    setup::merged(&store, &pairs).await;
    let header = "mã đơn vị,số quyết định,ngày hiệu lực,bộ tiêu chí,mức công nhận,năm đạt chuẩn,\
                  quyết định được thừa nhận";
    let row = |(a, b, successor): &(&str, &str, String), acknowledges: &str| {
        let _ = (a, b);
        format!("{successor},{successor}/QĐ-UBND,2025-08-01,{SET},ntm,2024,{acknowledges}")
    };
    let both = |(a, b, _): &(&str, &str, String)| {
        format!("{}; {}", setup::grant_of(a), setup::grant_of(b))
    };
    let rows: Vec<String> = pairs.iter().map(|p| row(p, &both(p))).collect();
    let bad = (998, row(&pairs[998], "88888/QĐ-UBND"));
    let error = "quyết định được thừa nhận: refused by rule ACKNOWLEDGES_PENDING_ONLY: a decision \
                 acknowledged is not a predecessor recognition pending acknowledgement";
    one_bad_row(db, "acknowledgements", header, &rows, bad, error).await;
}
