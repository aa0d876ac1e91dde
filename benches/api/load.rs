//! The load driver: `clients` concurrent HTTP loops for a fixed time, each timing its requests.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::queries::Read;

/// Where a read is sent: the real app's `/graphql` (with its response cache, or with none),
/// or the bare baseline.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    Api,
    Uncached,
    Baseline,
}

/// The two servers of one run, and the runtime of the clients that load them.
#[derive(Clone)]
pub struct Servers {
    pub client: reqwest::Client,
    pub api: String,
    /// The same app with its response cache off: every query computed.
    pub uncached: String,
    pub baseline: String,
    /// The clients run here, not among the servers' tasks, where a ready server task would
    /// queue behind up to 16 clients on the same two workers.
    pub clients: tokio::runtime::Handle,
}

/// Throughput and latency of one measurement.
#[derive(Clone, Copy, Debug)]
pub struct Figures {
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl Servers {
    /// Request `k` of `read` to `target`; panics on anything but a 200, so that errors never
    /// pass for speed.
    /// `compressed`: asks for gzip, as a browser does (the body is then only counted).
    async fn send(
        &self,
        target: Target,
        read: &Read,
        k: usize,
        compressed: bool,
    ) -> reqwest::Response {
        let graphql = |base: &str| {
            self.client
                .post(format!("{base}/graphql"))
                .json(&json!({ "query": read.document, "variables": (read.variables)(k) }))
        };
        let request = match target {
            Target::Api => graphql(&self.api),
            Target::Uncached => graphql(&self.uncached),
            Target::Baseline => self
                .client
                .get(format!("{}{}", self.baseline, (read.path)(k))),
        };
        let request = if compressed {
            request.header("accept-encoding", "gzip")
        } else {
            request
        };
        let response = request.send().await.expect("request");
        assert!(
            response.status().is_success(),
            "{target:?} answered {}",
            response.status()
        );
        response
    }

    /// Request `k` of `read` to `target`, parsed.
    pub async fn fetch(&self, target: Target, read: Arc<Read>, k: usize) -> Value {
        let servers = self.clone();
        let request = async move {
            let response = servers.send(target, &read, k, false).await;
            response.json().await.expect("JSON")
        };
        self.clients.spawn(request).await.expect("client")
    }

    /// Two targets under `clients` loops each, measured in turns: `rounds` times `warmup`
    /// unmeasured then `duration / rounds`, the first target first. Taking turns spreads the
    /// machine's slower moments over both sides instead of one.
    pub async fn compare(
        &self,
        sides: (Target, Target),
        read: &Arc<Read>,
        clients: usize,
        rounds: u32,
        warmup: Duration,
        duration: Duration,
    ) -> (Figures, Figures) {
        let (mut first, mut second) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            let turn = duration / rounds;
            first.extend(
                self.drive(sides.0, read.clone(), clients, warmup, turn)
                    .await,
            );
            second.extend(
                self.drive(sides.1, read.clone(), clients, warmup, turn)
                    .await,
            );
        }
        (figures(first, duration), figures(second, duration))
    }

    /// `clients` loops sending `read` to `target` for `warmup` unmeasured, then `duration`:
    /// the latencies of the measured requests.
    async fn drive(
        &self,
        target: Target,
        read: Arc<Read>,
        clients: usize,
        warmup: Duration,
        duration: Duration,
    ) -> Vec<Duration> {
        let next = Arc::new(AtomicUsize::new(0));
        let measured_from = Instant::now() + warmup;
        let until = measured_from + duration;
        let loops: Vec<_> = (0..clients)
            .map(|_| {
                let (servers, read, next) = (self.clone(), read.clone(), next.clone());
                self.clients.spawn(async move {
                    let mut latencies = Vec::new();
                    while Instant::now() < until {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let started = Instant::now();
                        let response = servers.send(target, &read, k, true).await;
                        response.bytes().await.expect("body");
                        if started >= measured_from {
                            latencies.push(started.elapsed());
                        }
                    }
                    latencies
                })
            })
            .collect();
        let mut latencies = Vec::new();
        for one in loops {
            latencies.extend(one.await.expect("client"));
        }
        latencies
    }
}

fn figures(mut latencies: Vec<Duration>, duration: Duration) -> Figures {
    assert!(
        !latencies.is_empty(),
        "no request started in the measured window: a longer NTM_BENCH_SECONDS"
    );
    latencies.sort();
    let at = |q: usize| latencies[(latencies.len() * q / 100).min(latencies.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    Figures {
        per_second: latencies.len() as f64 / duration.as_secs_f64(),
        p50_ms: ms(at(50)),
        p99_ms: ms(at(99)),
    }
}
