//! `ntm import` and `ntm export` run as a user runs them, on both engines.

mod events;
mod readings;
mod round_trip;
pub mod setup;

use std::path::Path;
use std::process::{Command, Output};

/// Runs `ntm` with `args` against the database at `url`.
pub fn ntm(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ntm"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("NTM_ACTOR", "cli:tester")
        .env("NTM_LOG", "warn")
        .output()
        .expect("run ntm")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `ntm` succeeded; its stdout.
pub fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}{}",
        stdout(output),
        stderr(output)
    );
    stdout(output)
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}
