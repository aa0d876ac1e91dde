//! The one integration-test binary: the storage contract on both engines, the CLI and HTTP.
//!
//! Layout: one module per feature. A feature tested in one file is `feature.rs`; a feature
//! with several files is a folder `feature/` whose `mod.rs` declares the engine-parametrised
//! tests (`on_both_engines!`) and its submodules. What more than one feature uses lives in
//! `support/`, one file per purpose (a database per test, the server, the GraphQL and WebSocket
//! clients, the `ntm` process, the catalogue and projector settings, raw appends, a generated
//! history); a helper used by one feature stays in that feature's folder.

mod accounts;
mod attachments;
mod attacks;
mod browser;
mod catalog_publish;
mod catalog_sets;
mod cli;
mod demo;
mod docs;
mod forms;
mod graphql;
mod http;
mod http_layer;
mod import;
mod import_attributes;
mod import_export;
mod import_facts;
mod import_villages;
mod lineage_2020;
mod projections;
mod reports;
mod store_contract;
mod support;
mod territory;
mod transparency;
mod verify;
mod verify_record;
