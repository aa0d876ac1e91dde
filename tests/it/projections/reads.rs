//! The API's reads of the read tables give exactly the stored rows, whether read as rows or
//! packed as JSON, whose column lists must follow the row structs field by field.

use ntm_tracker::projection::read::row_kinds::{
    packed, unpack, Criteria, Edges, Indicators, Localities, Periods, Standings, StreamVersion,
    Versions,
};
use ntm_tracker::projection::read::{
    ListFilter, Readers, Reads, Slice, SortKey, StatementCount, TreeOn,
};
use ntm_tracker::projection::rows::{
    CriterionRow, EdgeRow, IndicatorRow, LocalityRow, PeriodRow, StandingRow,
};
use ntm_tracker::projection::{self, TableSet, Tables};

use crate::support::history::{self, Shape};
use crate::support::projector::catalog;
use crate::support::TestDb;

/// Asserts that `read` holds the rows of `stored`, in whatever order.
fn same<T: std::fmt::Debug + Clone + PartialEq>(
    table: &str,
    read: Result<Vec<T>, sqlx::Error>,
    stored: &[T],
) {
    let read = read.expect(table);
    let sorted = |rows: &[T]| {
        let mut rows = rows.to_vec();
        rows.sort_by_cached_key(|row| format!("{row:?}"));
        rows
    };
    assert!(sorted(&read) == sorted(stored), "{table}: {read:#?}");
}

pub async fn the_api_reads_give_the_stored_rows(db: &TestDb) {
    let store = db.store().await;
    let shape = Shape {
        districts: 2,
        communes: 12,
        events_per_commune: 60,
    };
    history::generate(&store, &shape).await;
    projection::replay(&store, catalog(), |_| {})
        .await
        .expect("replay");
    let stored = Tables::load(&db.db, TableSet::Live).await.expect("load");
    // Rows of every table, with flags both set and unset, and dates both null and not.
    assert!(!stored.edges.is_empty() && !stored.indicators.is_empty());
    assert!(stored
        .standings
        .iter()
        .any(|s| s.enrolled && s.recognised_on.is_some()));
    assert!(stored
        .criteria
        .iter()
        .any(|c| c.official_on.is_some() && !c.is_condition));
    assert!(stored.criteria.iter().any(|c| c.official_on.is_none()));

    let reads = Reads::new(Readers::new(db.db.clone()), StatementCount::default());
    let ids: Vec<String> = stored
        .localities
        .iter()
        .map(|l| l.locality_id.clone())
        .collect();
    // The list of a far day with ended units: every entry once.
    let far = TreeOn {
        on: history::date(2100, 1, 1),
        include_ended: true,
    };
    let slice = Slice {
        size: 500,
        ..Slice::default()
    };
    let (listed, more) = reads
        .locality_slice(&ListFilter::default(), far, &SortKey::Code, false, &slice)
        .await
        .expect("list");
    let mut listed: Vec<String> = listed.into_iter().map(|l| l.row.locality_id).collect();
    listed.sort_unstable();
    let mut all = ids.clone();
    all.sort_unstable();
    assert!(!more && listed == all, "{listed:?}");
    same(
        "localities",
        reads.rows::<Localities>(&ids).await,
        &stored.localities,
    );
    same(
        "periods",
        reads.rows::<Periods>(&ids).await,
        &stored.periods,
    );
    same("edges", reads.rows::<Edges>(&ids).await, &stored.edges);
    same(
        "standings",
        reads.rows::<Standings>(&ids).await,
        &stored.standings,
    );
    same(
        "criteria",
        reads.rows::<Criteria>(&ids).await,
        &stored.criteria,
    );
    same(
        "indicators",
        reads.rows::<Indicators>(&ids).await,
        &stored.indicators,
    );
    // Ordered reads keep their order.
    let children = reads
        .children_on(
            &[history::province().to_string()],
            TreeOn::existing(history::date(2024, 1, 1)),
        )
        .await
        .expect("children");
    let names: Vec<_> = children.iter().map(|c| c.name.clone()).collect();
    assert!(names.len() == 2 && names.is_sorted(), "{names:?}");
    let periods = reads.rows::<Periods>(&ids).await.expect("periods");
    assert!(periods.is_sorted_by_key(|p| (p.locality_id.clone(), p.valid_from)));

    // Every kind in one statement, each packed as JSON, as a primer reads them on both engines.
    let n = ids.len();
    let parts = [
        packed::<Localities>(&db.db, n),
        packed::<Periods>(&db.db, n),
        packed::<Edges>(&db.db, n),
        packed::<Standings>(&db.db, n),
        packed::<Criteria>(&db.db, n),
        packed::<Indicators>(&db.db, n),
        packed::<Versions>(&db.db, n),
    ];
    let texts = reads.fetch_packed(&parts, &ids).await.expect("packed");
    let unpacked = |i: usize| texts[i].as_str();
    same(
        "localities",
        unpack::<LocalityRow>(unpacked(0)),
        &stored.localities,
    );
    assert_eq!(unpack::<PeriodRow>(unpacked(1)).expect("periods"), periods);
    same("edges", unpack::<EdgeRow>(unpacked(2)), &stored.edges);
    same(
        "standings",
        unpack::<StandingRow>(unpacked(3)),
        &stored.standings,
    );
    same(
        "criteria",
        unpack::<CriterionRow>(unpacked(4)),
        &stored.criteria,
    );
    same(
        "indicators",
        unpack::<IndicatorRow>(unpacked(5)),
        &stored.indicators,
    );
    let versions: Vec<StreamVersion> = unpack(unpacked(6)).expect("versions");
    assert_eq!(versions.len(), ids.len());
    assert!(versions
        .iter()
        .all(|v| v.version >= 1 && ids.iter().any(|id| id == v.locality_id())));
    assert_eq!(
        reads.statements.get(),
        10,
        "one statement per read, the packed one included"
    );
}
