//! The runs of the periodic jobs of this process: when each last succeeded, how long it took, its
//! failures. Kept in memory, per process: a web instance started with `WORKERS=false` has none, and
//! the figures of `entraide worker` are in that process.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};

/// What is known of one periodic job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobRun {
    /// The job's name (`mail-outbox`, `proposal-expiry`…), the only label its metrics carry.
    pub name: &'static str,
    /// How often it runs.
    pub period: Duration,
    /// When it was started in this process.
    pub started_at: DateTime<Utc>,
    /// When its last successful run ended.
    pub last_success: Option<DateTime<Utc>>,
    /// How long its last run took, successful or not.
    pub last_duration: Option<Duration>,
    /// When its last failed run ended.
    pub last_failure: Option<DateTime<Utc>>,
    /// How many runs failed since the process started.
    pub failures: u64,
}

impl JobRun {
    /// How long without a success before the job counts as late: three periods, and at least
    /// five minutes (a run may take a while).
    pub fn late_after(&self) -> Duration {
        (self.period * 3).max(Duration::from_secs(300))
    }

    /// Whether the job has not succeeded for longer than [`JobRun::late_after`] at `now`.
    pub fn is_late(&self, now: DateTime<Utc>) -> bool {
        let since = self.last_success.unwrap_or(self.started_at);
        let limit = chrono::Duration::from_std(self.late_after()).unwrap_or(chrono::Duration::MAX);
        now - since > limit
    }

    /// Whether its last run failed.
    pub fn last_run_failed(&self) -> bool {
        match (self.last_failure, self.last_success) {
            (Some(failure), Some(success)) => failure > success,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

/// The record of every periodic job of the process; clones share it.
#[derive(Clone, Debug, Default)]
pub struct JobRuns(Arc<Mutex<BTreeMap<&'static str, JobRun>>>);

impl JobRuns {
    /// Notes that the job `name` runs every `period` from `now` on.
    pub fn register(&self, name: &'static str, period: Duration, now: DateTime<Utc>) {
        self.with(|runs| {
            runs.insert(
                name,
                JobRun {
                    name,
                    period,
                    started_at: now,
                    last_success: None,
                    last_duration: None,
                    last_failure: None,
                    failures: 0,
                },
            );
        });
    }

    /// Records a run of `name` that ended at `at` after `took`.
    pub fn record(&self, name: &'static str, at: DateTime<Utc>, took: Duration, succeeded: bool) {
        self.with(|runs| {
            if let Some(run) = runs.get_mut(name) {
                run.last_duration = Some(took);
                if succeeded {
                    run.last_success = Some(at);
                } else {
                    run.last_failure = Some(at);
                    run.failures += 1;
                }
            }
        });
    }

    /// Every job, by name.
    pub fn all(&self) -> Vec<JobRun> {
        self.with(|runs| runs.values().cloned().collect())
    }

    fn with<T>(&self, f: impl FnOnce(&mut BTreeMap<&'static str, JobRun>) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_is_late_after_three_periods_without_success() {
        let runs = JobRuns::default();
        let start = Utc::now();
        runs.register("mail-outbox", Duration::from_secs(600), start);
        let job = &runs.all()[0];
        assert!(!job.is_late(start + chrono::Duration::minutes(29)));
        assert!(job.is_late(start + chrono::Duration::minutes(31)));

        runs.record(
            "mail-outbox",
            start + chrono::Duration::minutes(20),
            Duration::from_millis(12),
            true,
        );
        let job = &runs.all()[0];
        assert!(!job.is_late(start + chrono::Duration::minutes(49)));
        assert!(job.is_late(start + chrono::Duration::minutes(51)));
        assert!(!job.last_run_failed());

        runs.record(
            "mail-outbox",
            start + chrono::Duration::minutes(30),
            Duration::from_millis(5),
            false,
        );
        let job = &runs.all()[0];
        assert!(job.last_run_failed());
        assert_eq!(job.failures, 1);
        assert_eq!(job.last_duration, Some(Duration::from_millis(5)));
    }
}
