//! The GraphQL API over a real socket, on both engines: the Hà Tĩnh story through mutations,
//! refused inputs, access control, live subscriptions, paging, statement counts and the
//! committed schema.

mod access;
mod bad_input;
mod batching;
mod catalog_gradable;
mod commune_page;
mod completion;
mod conformance;
mod criteria_order;
mod dashboard;
mod dated_feed;
mod dated_names;
mod dated_tree;
mod documented;
mod end_to_end;
mod feed;
mod idempotency;
mod ids;
mod law;
mod list_filters;
mod local_clock;
mod local_targets;
mod locality_summary;
mod nodes;
mod paging;
mod persisted;
mod protocol;
mod reading_values;
mod recognised;
mod response_cache;
mod resume;
pub(crate) mod series;
mod socket_errors;
mod story;
mod subscriptions;
mod tooling;
mod tree;
mod typed_events;
mod vietnamese_errors;
mod villages;
mod ward_title;
mod writers;

#[test]
fn ntm_schema_prints_the_committed_schema() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ntm"))
        .arg("schema")
        .output()
        .expect("run ntm schema");
    assert!(output.status.success());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/schema.graphql");
    let committed = std::fs::read_to_string(path).expect("schema/schema.graphql");
    assert!(String::from_utf8_lossy(&output.stdout) == committed);
}

#[test]
fn the_committed_schema_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/schema.graphql");
    let committed = std::fs::read_to_string(path).expect("schema/schema.graphql");
    assert!(
        committed == ntm_tracker::sdl(),
        "schema/schema.graphql is out of date: run `cargo run -- schema > schema/schema.graphql` \
         and review the difference"
    );
}
