//! Progress on stderr for imports and exports: drawn only on a terminal, with rows/s.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

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
