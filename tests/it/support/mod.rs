//! What tests of several features share, one file per purpose: a fresh database per test on
//! each engine, a real server with its tokens, the GraphQL and WebSocket clients, a headless
//! browser, the `ntm` process, the shipped catalogue and projector settings, raw store appends
//! and a generated history.

pub mod browser;
pub mod cli;
pub mod database;
pub mod graphql;
pub mod ha_tinh;
pub mod history;
pub mod projector;
pub mod server;
pub mod store;
pub mod websocket;

pub(crate) use database::{on_both_engines, TestDb};
