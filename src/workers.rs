//! Background workers running beside the web server, stopped together at shutdown.

use std::future::Future;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::ops::jobs::JobRuns;

/// The set of background tasks of one process; cloning it gives a handle on the same set.
#[derive(Clone, Debug, Default)]
pub struct Workers {
    cancel: CancellationToken,
    tracker: TaskTracker,
    runs: JobRuns,
}

impl Workers {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `job` every `period` (first run at once) until the workers stop. A failed run is
    /// logged and the next one happens as planned.
    pub fn spawn_periodic<F, Fut>(&self, name: &'static str, period: Duration, job: F)
    where
        F: Fn() -> Fut + Send + 'static,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        let cancel = self.cancel.clone();
        let runs = self.runs.clone();
        runs.register(name, period, chrono::Utc::now());
        self.tracker.spawn(async move {
            let mut ticks = tokio::time::interval(period);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    () = cancel.cancelled() => break,
                    _ = ticks.tick() => {
                        // A run in progress is finished before stopping, never cut in the middle.
                        let started = Instant::now();
                        let result = job().await;
                        runs.record(name, chrono::Utc::now(), started.elapsed(), result.is_ok());
                        if let Err(err) = result {
                            tracing::warn!(worker = name, error = ?err, "background job failed");
                        }
                    }
                }
            }
            tracing::debug!(worker = name, "stopped");
        });
    }

    /// When each periodic job last ran, as the metrics and the operator's page show it.
    pub fn runs(&self) -> JobRuns {
        self.runs.clone()
    }

    /// A token that is cancelled when the workers are asked to stop.
    pub fn cancellation(&self) -> CancellationToken {
        self.cancel.clone()
    }

    /// Asks every task to stop and waits until they have.
    pub async fn stop(&self) {
        self.cancel.cancel();
        self.tracker.close();
        self.tracker.wait().await;
    }
}
