//! The demo tells a true story: loaded into an empty database on both engines, Hà Tĩnh's
//! headline figures are the published ones (research §6.3), its named cases carry their real
//! decisions, and a database that is not the demo's is refused.

use std::sync::Arc;

use chrono::NaiveDate;
use ntm_tracker::app::progress::Quiet;
use ntm_tracker::app::Origin;
use ntm_tracker::app::Register;
use ntm_tracker::auth::{NewToken, Role, Tokens};
use ntm_tracker::demo::{self, story, Loaded};
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::domain::locality::{LocalityEvent, LocalityId};
use ntm_tracker::domain::rules::RevocationRisk;
use ntm_tracker::domain::standing::evaluate;
use ntm_tracker::domain::terms::{LocalityKind, RecognitionLevel};
use ntm_tracker::store::EventStore;

use crate::support::{on_both_engines, TestDb};

on_both_engines!(the_demo_matches_the_published_figures_it_claims);

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn catalog() -> Arc<Catalog> {
    Arc::new(Catalog::shipped().expect("catalogue"))
}

/// Hà Tĩnh's communes on `on`, found by walking each unit's parents on that date.
fn communes(register: &Register, on: NaiveDate) -> Vec<LocalityId> {
    let province = register
        .holder(&"42".parse().expect("code"), on)
        .expect("Hà Tĩnh")
        .clone();
    let in_province = |id: &LocalityId| {
        let mut current = id.clone();
        for _ in 0..3 {
            let parent = register
                .state(&current)
                .and_then(|s| s.profile().parents.on(on).cloned().flatten());
            match parent {
                Some(p) if p == province => return true,
                Some(p) => current = p,
                None => return false,
            }
        }
        false
    };
    register
        .alive_on(on)
        .into_iter()
        .filter(|id| {
            let kind = register
                .state(id)
                .and_then(|s| s.profile().kinds.on(on).copied());
            kind == Some(LocalityKind::Commune) && in_province(id)
        })
        .cloned()
        .collect()
}

/// How many of `ids` hold a recognition in force on `on` at one of `levels`.
fn holding(
    register: &Register,
    ids: &[LocalityId],
    on: NaiveDate,
    levels: &[RecognitionLevel],
) -> usize {
    ids.iter()
        .filter(|id| {
            register.state(id).is_some_and(|s| {
                s.profile()
                    .recognitions_in_force()
                    .any(|r| r.effective_on <= on && levels.contains(&r.level))
            })
        })
        .count()
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

    // End of 2018: 158 communes NTM; after đợt 1 of 2019: 173 (research §6.3).
    let end_2018 = date("2018-12-31");
    assert_eq!(
        holding(&register, &communes(&register, end_2018), end_2018, &all),
        158
    );
    let after_2019 = date("2019-09-30");
    assert_eq!(
        holding(
            &register,
            &communes(&register, after_2019),
            after_2019,
            &all
        ),
        173
    );

    // Mid-2025, on the communes that were still communes: all NTM, 69 nâng cao or above, 18
    // kiểu mẫu. The 2025 mapping lists 170 communes of Hà Tĩnh (vietnamnet.vn wrote 169/169).
    let mid_2025 = date("2025-06-30");
    let communes_2025 = communes(&register, mid_2025);
    assert_eq!(communes_2025.len(), 170);
    assert_eq!(holding(&register, &communes_2025, mid_2025, &all), 170);
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
