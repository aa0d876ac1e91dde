//! A small real tree for time-travel reads: Hà Tĩnh's units from the GSO snapshot (230 rows,
//! imported as existing from 2016), put back as they were in 2019 in Thành phố Hà Tĩnh, then
//! three changes recorded as lineage: the 2020 merger that made xã Đồng Môn, the curated
//! 1 January 2025 lineage the demo applies (`catalog/lineage/42-ha-tinh-2025-01-01.toml`), and
//! the two July 2025 mergers of the city that the time-travel tests read.

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use ntm_tracker::app::progress::Quiet;
use ntm_tracker::app::{clock, Origin, Register};
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::import::{curated, localities};

use super::server::Server;

/// Research §5.2: xã Thạch Môn (18103) and xã Thạch Đồng (18106) merged into xã Đồng Môn, which
/// kept 18103, between the GSO snapshots of 1/12/2019 and 1/6/2020. The day and the act are
/// not verified: the fixture takes 1/1/2020 and the wave's general resolution, as the story
/// test does.
const DONG_MON_2020: &str = r#"
effective = "2020-01-01"
act = "653/2019/UBTVQH14"

[[merge]]
from = ["18103", "18106"]
code = "18103"
name = "Xã Đồng Môn"
kind = "commune"
parent = "436"
"#;

/// Research §5.4, from 1/7/2025 under the province (districts were abolished; the fixture
/// keeps the city, which the tests read only before then). Simplifications: Đại Nài, split
/// between Thành Sen and Hà Huy Tập, stays whole; the act is the code list (QĐ 19/2025/QĐ-TTg),
/// the commune-level resolution's number not being confirmed.
const CITY_2025_07_01: &str = r#"
effective = "2025-07-01"
act = "19/2025/QĐ-TTg"

[[merge]]
from = ["18088", "18103", "18100", "18598"]
code = "18100"
name = "Phường Trần Phú"
kind = "ward"
parent = "42"

[[merge]]
from = ["18073", "18077", "18079", "18091", "18109", "18094", "18085", "18097"]
code = "18073"
name = "Phường Thành Sen"
kind = "ward"
parent = "42"
"#;

fn catalog_file(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("catalog")
        .join(name)
}

/// The snapshot's rows with Thành phố Hà Tĩnh as it was before the 2020 merger: 18103 was
/// xã Thạch Môn, and xã Thạch Đồng (18106) still existed.
fn units_of_2019() -> String {
    let path = catalog_file("localities/localities-ha-tinh-pre2025.csv");
    let text = std::fs::read_to_string(path).expect("Hà Tĩnh units");
    let text = text.replace(
        "18103,Xã Đồng Môn,commune,436",
        "18103,Xã Thạch Môn,commune,436\n18106,Xã Thạch Đồng,commune,436",
    );
    assert!(text.contains("18106"), "the snapshot lists xã Đồng Môn");
    text
}

/// Records the tree into the server's store and waits until its read tables include it.
pub async fn record(server: &Server) {
    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    let mut register = Register::load(&server.store, catalog, Origin::cli("test:ha-tinh"))
        .await
        .expect("register");
    let today = clock::today();
    let units = localities::parse("ha-tinh-2019.csv", &units_of_2019()).expect("units");
    let terms = localities::Terms {
        file: "ha-tinh-2019.csv".to_owned(),
        effective_on: NaiveDate::from_ymd_opt(2016, 1, 1).expect("date"),
        act: None,
        today,
    };
    localities::import(&mut register, &units, &terms, &Quiet)
        .await
        .expect("import");
    let shipped = curated::read(&catalog_file("lineage/42-ha-tinh-2025-01-01.toml"))
        .expect("curated lineage");
    for lineage in [
        curated::parse("Đồng Môn 2020", DONG_MON_2020).expect("2020"),
        shipped,
        curated::parse("city 1/7/2025", CITY_2025_07_01).expect("2025"),
    ] {
        curated::apply(&mut register, &lineage, today)
            .await
            .expect("lineage");
    }
    server.caught_up(server.event_count().await).await;
}
