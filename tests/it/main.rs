//! The one integration-test binary: the storage contract on both engines, the CLI and HTTP.

mod cli;
mod helpers;
mod http;
mod store_contract;
