//! How far long work is, told to whoever shows it: the command line draws bars on a terminal;
//! tests and benchmarks pass [`Quiet`].

/// Receives the stages of one piece of work (loading, checking, writing…) and how far each is.
pub trait Progress: Send + Sync {
    /// A new stage named `name`, of `total` units; `None`: one step of unknown length (a large
    /// atomic append).
    fn stage(&self, name: &str, total: Option<u64>);

    /// `n` more units of the current stage are done.
    fn inc(&self, n: u64);

    /// What a finished step did, in a line worth keeping once the progress display is gone.
    fn note(&self, line: &str);
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Progress for Quiet {
    fn stage(&self, _name: &str, _total: Option<u64>) {}
    fn inc(&self, _n: u64) {}
    fn note(&self, _line: &str) {}
}
