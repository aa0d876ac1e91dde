//! Progress on stderr for imports and exports: drawn only on a terminal, with rows/s.
//! [`Progress`] also waits until the work has taken a second, so short runs print no bar.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar over `len` rows, labelled `what`.
pub fn rows(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if let Ok(style) =
        ProgressStyle::with_template("{msg:10} {bar:40} {pos}/{len} rows  {per_sec}  ETA {eta}")
    {
        bar.set_style(style);
    }
    bar.set_message(what.to_owned());
    bar
}

/// A spinner for one long step whose length is unknown (a large atomic append).
pub fn spinner(what: String) -> ProgressBar {
    let spinner = ProgressBar::new_spinner();
    spinner.set_message(what);
    spinner.enable_steady_tick(Duration::from_millis(120));
    spinner
}

const SHOW_AFTER: Duration = Duration::from_secs(1);
const TEMPLATE: &str = "{msg:10} {bar:40} {pos}/{len} {prefix}  {per_sec}  ETA {eta}";

/// One bar over the stages of a command (reading, checking, writing…).
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    terminal: bool,
}

impl Progress {
    /// A bar counting `unit`s (`rows`, `events`, `localities`), hidden for now.
    pub fn new(unit: &'static str) -> Self {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(TEMPLATE) {
            bar.set_style(style);
        }
        bar.set_prefix(unit);
        Progress {
            bar,
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// Starts a stage of `total` units.
    pub fn stage(&self, message: &'static str, total: u64) {
        self.bar.set_message(message);
        self.bar.set_length(total);
        self.bar.reset();
        self.reveal();
    }

    pub fn inc(&self, n: u64) {
        self.bar.inc(n);
        self.reveal();
    }

    /// Removes the bar (the command prints its summary afterwards).
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    /// Seconds since the command started.
    pub fn elapsed(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    fn reveal(&self) {
        if self.terminal && self.bar.is_hidden() && self.started.elapsed() >= SHOW_AFTER {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}

/// `n` per second over `seconds`, for summaries.
pub fn rate(n: usize, seconds: f64) -> f64 {
    n as f64 / seconds.max(1e-9)
}
