//! Progress on stderr for imports, exports and the demo: drawn only on a terminal, with
//! units/s, and only once the work has taken a second, so short runs print no bar.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::app::progress::Progress;

const SHOW_AFTER: Duration = Duration::from_secs(1);
const TEMPLATE: &str = "{msg:10} {bar:40} {pos}/{len} {prefix}  {per_sec}  ETA {eta}";
const SPINNER: &str = "{spinner} {msg}";

/// One bar over the stages of a command (reading, checking, writing…).
pub struct Bar {
    bar: ProgressBar,
    started: Instant,
    terminal: bool,
}

impl Bar {
    /// A bar counting `unit`s (`rows`, `events`, `localities`), hidden for now.
    pub fn new(unit: &'static str) -> Self {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        bar.set_prefix(unit);
        let bar = Bar {
            bar,
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
        };
        bar.style(TEMPLATE);
        bar
    }

    /// Removes the bar (the command prints its summary afterwards).
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    /// Seconds since the command started.
    pub fn elapsed(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    fn style(&self, template: &str) {
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.bar.set_style(style);
        }
    }

    /// Draws the bar once the command has run a second; a step of unknown length at once.
    fn reveal(&self, at_once: bool) {
        let late = at_once || self.started.elapsed() >= SHOW_AFTER;
        if self.terminal && self.bar.is_hidden() && late {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str, total: Option<u64>) {
        self.bar.set_message(name.to_owned());
        match total {
            Some(total) => {
                self.bar.disable_steady_tick();
                self.style(TEMPLATE);
                self.bar.set_length(total);
                self.bar.reset();
                self.reveal(false);
            }
            None => {
                self.style(SPINNER);
                self.bar.unset_length();
                self.bar.enable_steady_tick(Duration::from_millis(120));
                self.reveal(true);
            }
        }
    }

    fn inc(&self, n: u64) {
        self.bar.inc(n);
        self.reveal(false);
    }

    fn note(&self, line: &str) {
        self.bar.suspend(|| eprintln!("{line}"));
    }
}
