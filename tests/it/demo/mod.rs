//! The demo tells a true story: loaded into an empty database on both engines, Hà Tĩnh's
//! headline figures are the published ones with their real denominators (research §6.3), the
//! 2020 mergers and their thừa nhận are there, its named cases carry their real decisions, its
//! recognitions obey the recognition rules, and a database that is not the demo's is refused.

mod api;
mod browser_walk;
mod counts;
mod dashboard;
mod districts;
mod rules;

use std::sync::Arc;

use chrono::NaiveDate;
use ntm_tracker::app::progress::Quiet;
use ntm_tracker::app::Origin;
use ntm_tracker::app::Register;
use ntm_tracker::auth::{NewToken, Role, Tokens};
use ntm_tracker::demo::{self, story, Loaded};
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::domain::locality::{LocalityEvent, LocalityId};
use ntm_tracker::domain::profile::Held;
use ntm_tracker::domain::rules::RevocationRisk;
use ntm_tracker::domain::standing::evaluate;
use ntm_tracker::domain::terms::{LocalityKind, RecognitionLevel};
use ntm_tracker::store::EventStore;

use self::counts::{
    average_to_one_decimal, communes, criteria_met, holding, pending, percent_hundredths,
    units_of_kind,
};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(the_demo_matches_the_published_figures_it_claims);

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// The unit holding `code` on `on`.
fn holder(register: &Register, code: &str, on: NaiveDate) -> LocalityId {
    register
        .holder(&code.parse().expect("code"), on)
        .cloned()
        .unwrap_or_else(|| panic!("no unit holds {code} on {on}"))
}

fn catalog() -> Arc<Catalog> {
    Arc::new(Catalog::shipped().expect("catalogue"))
}

async fn the_demo_matches_the_published_figures_it_claims(db: &TestDb) {
    let store: EventStore = db.store().await;
    // The first admin token may be made before the demo is loaded.
    let first_admin = NewToken {
        name: "first admin".into(),
        role: Role::Admin,
        scope: None,
        expires_on: None,
    };
    Tokens::new(store.clone())
        .create(first_admin, &Origin::cli("test"))
        .await
        .expect("token");
    let loaded = demo::load(&store, catalog(), &Quiet).await.expect("demo");
    assert!(matches!(loaded, Loaded::Fresh { .. }), "{loaded:?}");
    let register = Register::load(&store, catalog(), Origin::cli("test"))
        .await
        .expect("register");
    use RecognitionLevel::{Ntm, NtmKieuMau, NtmNangCao};
    let all = [Ntm, NtmNangCao, NtmKieuMau];

    let sets = catalog();
    let set_2016 = sets
        .get(&story::SET_2016.parse().expect("set"))
        .expect("set");

    // End of 2018: 158 of 229 communes NTM (68.99 %), 17.7 criteria per commune on average,
    // none below 11 (research §6.3). The communes are those existing that day.
    let end_2018 = date("2018-12-31");
    let communes_2018 = communes(&register, end_2018);
    assert_eq!(communes_2018.len(), 229);
    let ntm_2018 = holding(&register, &communes_2018, end_2018, &all);
    assert_eq!(ntm_2018, story::NTM_END_2018);
    assert_eq!(percent_hundredths(ntm_2018, communes_2018.len()), 6899);
    let met = criteria_met(&register, &communes_2018, end_2018, set_2016);
    assert_eq!(average_to_one_decimal(&met), story::AVERAGE_END_2018);
    assert_eq!(met.iter().min(), Some(&11));

    // After đợt 1 of 2019: 173, among them Sơn Mỹ and Sơn Phúc, both merged on 1/1/2020.
    let after_2019 = date("2019-09-30");
    let communes_2019 = communes(&register, after_2019);
    assert_eq!(communes_2019.len(), 229);
    assert_eq!(
        holding(&register, &communes_2019, after_2019, &all),
        story::NTM_AFTER_2019_ROUND_1
    );
    for code in ["18169", "18220"] {
        let id = holder(&register, code, after_2019);
        let profile = register.state(&id).expect("state").profile();
        assert!(profile
            .recognitions
            .iter()
            .any(|r| r.effective_on == after_2019));
        assert_eq!(
            profile.ended.as_ref().map(|e| e.on),
            Some(date("2020-01-01"))
        );
    }

    // The commune level of 31/12/2019 and 1/1/2020 (Nghị quyết 819/NQ-UBTVQH14): 229 xã,
    // 21 phường, 12 thị trấn, then 182, 21 and 13.
    for (on, expected) in [("2019-12-31", [229, 21, 12]), ("2020-01-01", [182, 21, 13])] {
        let kinds = [
            LocalityKind::Commune,
            LocalityKind::Ward,
            LocalityKind::Township,
        ];
        let found = kinds.map(|k| units_of_kind(&register, k, date(on)).len());
        assert_eq!(found, expected, "{on}");
    }

    // Merged communes hold nothing until thừa nhận: 26 pending in 2020, none by mid-2025.
    let mid_2020 = date("2020-06-30");
    let communes_2020 = communes(&register, mid_2020);
    assert_eq!(pending(&register, &communes_2020, mid_2020, set_2016), 26);
    // No thị trấn or phường inherits a commune level from a commune merged into it.
    for kind in [LocalityKind::Township, LocalityKind::Ward] {
        let units = units_of_kind(&register, kind, mid_2020);
        assert_eq!(
            pending(&register, &units, mid_2020, set_2016),
            0,
            "{kind:?}"
        );
    }
    let dong_mon = holder(&register, "18103", mid_2020);
    let before_thua_nhan = date("2023-06-30");
    let dong_mon_alone = std::slice::from_ref(&dong_mon);
    assert_eq!(
        holding(&register, dong_mon_alone, before_thua_nhan, &all),
        0
    );
    assert_eq!(
        pending(&register, dong_mon_alone, before_thua_nhan, set_2016),
        1
    );
    let held = &register
        .state(&dong_mon)
        .expect("state")
        .profile()
        .recognitions;
    assert!(held
        .iter()
        .any(|r| r.held == Held::Acknowledged && r.level == Ntm && r.set == set_2016.code));

    // Mid-2025, on the communes that were still communes: all NTM, 69 nâng cao or above, 18
    // kiểu mẫu. The data has 170 communes (vietnamnet.vn wrote 169/169; see the decision
    // docs/decisions/demo-mergers-2020.md).
    let mid_2025 = date("2025-06-30");
    let communes_2025 = communes(&register, mid_2025);
    assert_eq!(communes_2025.len(), 170);
    assert_eq!(holding(&register, &communes_2025, mid_2025, &all), 170);
    assert_eq!(pending(&register, &communes_2025, mid_2025, set_2016), 0);
    assert_eq!(
        holding(
            &register,
            &communes_2025,
            mid_2025,
            &[NtmNangCao, NtmKieuMau]
        ),
        story::ADVANCED_MID_2025
    );
    assert_eq!(
        holding(&register, &communes_2025, mid_2025, &[NtmKieuMau]),
        story::MODEL_MID_2025
    );

    // Every recognition of every unit that was ever a Hà Tĩnh commune obeys the rules.
    let ever: std::collections::BTreeSet<LocalityId> = [end_2018, mid_2020, mid_2025]
        .into_iter()
        .flat_map(|on| communes(&register, on))
        .collect();
    let ever: Vec<LocalityId> = ever.into_iter().collect();
    assert_eq!(
        rules::breaches(&register, &sets, &ever),
        Vec::<String>::new()
    );

    // The named Hà Tĩnh city cases: Đồng Môn nâng cao by QĐ 1763/QĐ-UBND in 2024; Thạch Hạ
    // kiểu mẫu in đợt 1 of 2022; both wards since 1/1/2025 and part of Trần Phú since 1/7/2025.
    let dong_mon = register
        .holder(&"18103".parse().expect("code"), date("2024-12-31"))
        .expect("Đồng Môn");
    let profile = register.state(dong_mon).expect("state").profile();
    assert!(profile
        .recognitions
        .iter()
        .any(|r| r.decision.as_str() == "1763/QĐ-UBND" && r.level == NtmNangCao));
    assert_eq!(
        profile.kinds.on(date("2025-03-01")),
        Some(&LocalityKind::Ward)
    );
    let thach_ha = register
        .holder(&"18100".parse().expect("code"), date("2024-12-31"))
        .expect("Thạch Hạ");
    let recognitions = &register
        .state(thach_ha)
        .expect("state")
        .profile()
        .recognitions;
    assert!(recognitions
        .iter()
        .any(|r| r.level == NtmKieuMau && r.standard_year == 2022));
    // The ward title of TT 02/2013: Trần Phú in 2016, Văn Yên, Thạch Linh and Hà Huy Tập by QĐ
    // 19/QĐ-UBND of 08/01/2020, all under VMDT-2013.
    for (code, on, decision) in [
        ("18070", "2016-12-31", "2016/QĐ-UBND-DEMO"),
        ("18097", "2020-06-30", "19/QĐ-UBND"),
        ("18094", "2020-06-30", "19/QĐ-UBND"),
        ("18085", "2020-06-30", "19/QĐ-UBND"),
    ] {
        let ward = holder(&register, code, date(on));
        let profile = register.state(&ward).expect("state").profile();
        let held: Vec<_> = profile.recognitions_held(date(on)).collect();
        assert!(
            held.iter().any(|r| r.set.as_str() == "VMDT-2013"
                && r.level == RecognitionLevel::VanMinhDoThi
                && r.decision.as_str() == decision),
            "{code}: {held:?}"
        );
    }

    // One commune at risk of revocation, one retraction, back-dated corrections.
    let set = catalog()
        .get(&story::SET_2021.parse().expect("set"))
        .expect("set")
        .clone();
    let at_risk = communes_2025
        .iter()
        .filter(|id| {
            let state = register.state(id).expect("state");
            let risk = evaluate(&state.facts(), &set, mid_2025).at_risk;
            risk == Some(RevocationRisk::KeyCriterionFailing)
        })
        .count();
    assert_eq!(at_risk, 1);
    let retractions = communes_2025
        .iter()
        .filter(|id| {
            let state = register.state(id).expect("state");
            (1..=state.version())
                .any(|v| matches!(state.event(v), Some(LocalityEvent::EventRetracted(_))))
        })
        .count();
    assert_eq!(retractions, 1);

    // Every demo event carries the load's request id and a correlation id (one run: one of each).
    let log = store.read_all(0, i64::MAX).await.expect("log");
    let ids: std::collections::BTreeSet<_> = log
        .iter()
        .map(|e| e.metadata().expect("metadata"))
        .filter(|m| m.client.as_deref() == Some("demo"))
        .map(|m| (m.request_id, m.correlation_id))
        .collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let (request, correlation) = ids.into_iter().next().expect("the demo's ids");
    assert!(request.is_some() && correlation.is_some());

    api::published_figures_through_the_api(db, &store).await;
    dashboard::dashboard_pages(db, &store).await;
    districts::district_and_province_levels(db, &store, &register).await;

    // Loading again leaves the demo as it is.
    let events = store.last_position().await.expect("position");
    assert!(matches!(
        demo::load(&store, catalog(), &Quiet).await.expect("again"),
        Loaded::AlreadyThere
    ));
    assert_eq!(store.last_position().await.expect("position"), events);
}

#[tokio::test]
async fn the_demo_refuses_a_database_that_is_not_empty() {
    let db = TestDb::sqlite().await;
    let store = db.store().await;
    let mut register = Register::load(&store, catalog(), Origin::cli("office"))
        .await
        .expect("register");
    let units = ntm_tracker::import::localities::parse(
        "one.csv",
        "code,name,kind,parent_code\n42,Tỉnh Hà Tĩnh,province,\n",
    )
    .expect("file");
    let terms = ntm_tracker::import::localities::Terms {
        file: "one.csv".into(),
        effective_on: date("2016-01-01"),
        act: None,
        today: date("2026-11-22"),
    };
    ntm_tracker::import::localities::import(&mut register, &units, &terms, &Quiet)
        .await
        .expect("import");
    let error = demo::load(&store, catalog(), &Quiet)
        .await
        .expect_err("refused");
    assert!(error.to_string().contains("empty database only"), "{error}");
    assert_eq!(store.last_position().await.expect("position"), 1);
}
