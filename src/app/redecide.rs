//! Deciding again after another writer moved a stream between a command's load and append.

use std::time::Duration;

/// How often, and after which pauses, a command without `expectedVersion` decides again when
/// another writer moved a stream between its load and its append: deciding again on the new
/// state is what such a client asked for. The pauses are "full jitter" exponential backoff
/// (a random wait in `0..min(cap, base × 2^n)` before attempt n + 1): writers that collided
/// once spread out instead of colliding again in the next group commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Redecide {
    /// Attempts in all, the first included; 1: a conflict fails the command at once.
    pub attempts: u32,
    pub base: Duration,
    pub cap: Duration,
    /// Commands of this process on the same locality wait for each other (see `turns.rs`),
    /// so that only writers in other processes can make them conflict.
    pub take_turns: bool,
}

impl Default for Redecide {
    /// Turns within the process; ten attempts, 4 ms doubling up to 160 ms, for the writers of
    /// other processes: the longest possible wait stays under a second.
    fn default() -> Self {
        Redecide {
            attempts: 10,
            base: Duration::from_millis(4),
            cap: Duration::from_millis(160),
            take_turns: true,
        }
    }
}

impl Redecide {
    /// Never decides again: the first conflict is the answer.
    pub const ONCE: Redecide = Redecide {
        attempts: 1,
        base: Duration::ZERO,
        cap: Duration::ZERO,
        take_turns: false,
    };

    /// The pause after the `failed`-th conflicting attempt (1-based).
    pub(super) fn pause(&self, failed: u32) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(1 << failed.saturating_sub(1).min(20))
            .min(self.cap);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        // The OS generator, not a seeded one: two servers started together must not pause alike.
        let random = getrandom::u64().unwrap_or(u64::from(failed));
        Duration::from_nanos(random % nanos.saturating_add(1))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::Redecide;

    #[test]
    fn pauses_grow_with_each_conflict_and_stay_under_the_cap() {
        let policy = Redecide::default();
        for failed in 1..=policy.attempts {
            let ceiling = (policy.base * 2u32.pow(failed - 1)).min(policy.cap);
            for _ in 0..50 {
                assert!(policy.pause(failed) <= ceiling, "attempt {failed}");
            }
        }
        let late: Vec<Duration> = (0..50).map(|_| policy.pause(9)).collect();
        assert!(
            late.iter().any(|p| *p != late[0]),
            "pauses are random: {late:?}"
        );
        assert_eq!(Redecide::ONCE.pause(1), Duration::ZERO);
    }
}
