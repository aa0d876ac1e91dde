//! ntm-tracker: every change to a locality's New Rural Development criteria as an immutable,
//! hash-chained event, with projections of present standing and a GraphQL API.

pub mod app;
pub mod auth;
pub mod blobs;
pub mod checkpoint;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod export;
pub mod http;
pub mod import;
pub mod merkle;
pub mod metrics;
pub mod projection;
pub mod report;
pub mod store;
pub mod web;

pub use http::{app, AccessSettings, AppState};
pub mod graphql;

pub use graphql::{schema, sdl};
