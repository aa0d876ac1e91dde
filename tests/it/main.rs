//! The one integration-test binary: the storage contract on both engines, the CLI and HTTP.

mod attacks;
mod cli;
mod demo;
mod docs;
mod graphql;
mod helpers;
mod http;
mod import;
mod import_export;
mod projections;
mod store_contract;
mod verify;
