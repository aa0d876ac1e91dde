//! Failed authentications per client address (or per username, for people's sign-in): past
//! the limit, its credentials are not even checked until its window ends, which makes guessing
//! secrets and passwords pointless.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Addresses remembered before the expired windows are swept.
const SWEEP_AT: usize = 10_000;

pub struct FailureLimiter<K = IpAddr> {
    limit: u32,
    window: Duration,
    failures: Mutex<HashMap<K, (Instant, u32)>>,
}

impl<K: Eq + Hash + Clone> FailureLimiter<K> {
    /// At most `limit` failures per key within `window`.
    pub fn new(limit: u32, window: Duration) -> Self {
        FailureLimiter {
            limit,
            window,
            failures: Mutex::default(),
        }
    }

    /// Whether `client` used up its failures for the current window.
    pub fn is_blocked(&self, client: &K) -> bool {
        let now = Instant::now();
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures
            .get(client)
            .is_some_and(|(since, n)| now.duration_since(*since) < self.window && *n >= self.limit)
    }

    pub fn record_failure(&self, client: K) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() >= SWEEP_AT {
            failures.retain(|_, (since, _)| now.duration_since(*since) < self.window);
        }
        let entry = failures.entry(client).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
    }

    /// Forgets `client`'s failures (a successful sign-in).
    pub fn clear(&self, client: &K) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(client);
    }
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};
    use std::time::Duration;

    use super::FailureLimiter;

    #[test]
    fn an_address_is_blocked_after_its_failures_and_released_after_the_window() {
        let limiter = FailureLimiter::<IpAddr>::new(3, Duration::from_millis(200));
        let (a, b) = (
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
        );
        for _ in 0..3 {
            assert!(!limiter.is_blocked(&a));
            limiter.record_failure(a);
        }
        assert!(limiter.is_blocked(&a));
        assert!(!limiter.is_blocked(&b), "other addresses are not affected");
        std::thread::sleep(Duration::from_millis(250));
        assert!(!limiter.is_blocked(&a));
    }
}
