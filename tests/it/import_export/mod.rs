//! `ntm import` and `ntm export` run as a user runs them, on both engines.

mod events;
mod readings;
mod round_trip;
pub mod setup;
