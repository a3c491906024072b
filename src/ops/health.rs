//! How each figure is judged: fine, to watch, or to act on. The operator's page shows the verdict
//! in words next to each figure, with what to do when it is "à traiter".

use chrono::{DateTime, Utc};

use super::PoolUsage;
use super::figures::Backlog;
use super::jobs::JobRun;
use crate::accounts::password::HashQueue;

/// An e-mail waiting longer than this (seconds) is worth watching…
pub const OUTBOX_WATCH_AFTER_SECONDS: i64 = 10 * 60;
/// …and longer than this, acting on: deliveries are stuck.
pub const OUTBOX_ACT_AFTER_SECONDS: i64 = 60 * 60;
/// A database larger than this (bytes) is worth watching (disk, backups).
pub const DATABASE_WATCH_BYTES: i64 = 5 * 1024 * 1024 * 1024;
/// Passwords waiting for a hashing slot, per slot, beyond which logins are slowed down for real.
pub const PASSWORDS_ACT_WAITING_PER_SLOT: usize = 4;

/// The verdict on one figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Nothing to do.
    Ok,
    /// Not wrong yet; look again later.
    Watch,
    /// Something is wrong: act.
    Act,
}

impl Level {
    /// The verdict in words, as the page shows it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Watch => "à surveiller",
            Self::Act => "à traiter",
        }
    }

    /// The CSS class of the badge beside the words (colour only repeats them).
    pub fn badge_class(self) -> &'static str {
        match self {
            Self::Ok => "badge",
            Self::Watch => "badge badge-rappel",
            Self::Act => "badge badge-priorite",
        }
    }

    /// Whether the figure needs acting on.
    pub fn is_act(self) -> bool {
        self == Self::Act
    }
}

/// The outbox queue: how long its oldest waiting message has waited.
pub fn outbox_backlog(backlog: &Backlog, now: DateTime<Utc>) -> Level {
    match backlog.oldest_pending_age_seconds(now) {
        age if age > OUTBOX_ACT_AFTER_SECONDS => Level::Act,
        age if age > OUTBOX_WATCH_AFTER_SECONDS => Level::Watch,
        _ => Level::Ok,
    }
}

/// Delivery failures: any message given up on within the day needs acting on.
pub fn outbox_failures(backlog: &Backlog) -> Level {
    if backlog.failed_last_day > 0 {
        Level::Act
    } else if backlog.retrying > 0 || backlog.count(crate::mail::outbox::FAILED) > 0 {
        Level::Watch
    } else {
        Level::Ok
    }
}

/// A periodic job: late (no success for three periods) or whose last run failed.
pub fn job(run: &JobRun, now: DateTime<Utc>) -> Level {
    if run.is_late(now) {
        Level::Act
    } else if run.last_run_failed() {
        Level::Watch
    } else {
        Level::Ok
    }
}

/// New requests waiting too long for a moderator.
pub fn moderation(overdue: u64) -> Level {
    if overdue > 0 { Level::Act } else { Level::Ok }
}

/// The database's size.
pub fn database(bytes: Option<i64>) -> Level {
    match bytes {
        Some(b) if b > DATABASE_WATCH_BYTES => Level::Watch,
        _ => Level::Ok,
    }
}

/// The connection pool: every connection lent means requests queue for one. A pool of one
/// (SQLite's default: it writes one thing at a time anyway) is busy by design and not judged.
pub fn pool(usage: PoolUsage) -> Level {
    if usage.max > 1 && usage.in_use >= usage.max {
        Level::Watch
    } else {
        Level::Ok
    }
}

/// Password hashing: logins queue behind the hashes running.
pub fn passwords(queue: HashQueue) -> Level {
    if queue.waiting >= PASSWORDS_ACT_WAITING_PER_SLOT * queue.capacity.max(1) {
        Level::Act
    } else if queue.waiting > 0 {
        Level::Watch
    } else {
        Level::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backlog(oldest_minutes: Option<i64>, failed_last_day: u64, retrying: u64) -> Backlog {
        let now = Utc::now();
        Backlog {
            channel: "email",
            states: vec![("failed", failed_last_day)],
            oldest_pending: oldest_minutes.map(|m| now - chrono::Duration::minutes(m)),
            failed_last_day,
            retrying,
        }
    }

    #[test]
    fn the_outbox_is_judged_by_its_oldest_message_and_its_failures() {
        let now = Utc::now() + chrono::Duration::seconds(1);
        assert_eq!(outbox_backlog(&backlog(None, 0, 0), now), Level::Ok);
        assert_eq!(outbox_backlog(&backlog(Some(5), 0, 0), now), Level::Ok);
        assert_eq!(outbox_backlog(&backlog(Some(30), 0, 0), now), Level::Watch);
        assert_eq!(outbox_backlog(&backlog(Some(90), 0, 0), now), Level::Act);
        assert_eq!(outbox_failures(&backlog(None, 0, 0)), Level::Ok);
        assert_eq!(outbox_failures(&backlog(None, 0, 2)), Level::Watch);
        assert_eq!(outbox_failures(&backlog(None, 1, 0)), Level::Act);
    }

    #[test]
    fn password_queue_and_pool_are_watched_when_full() {
        let queue = |waiting| HashQueue {
            running: 2,
            waiting,
            capacity: 2,
        };
        assert_eq!(passwords(queue(0)), Level::Ok);
        assert_eq!(passwords(queue(3)), Level::Watch);
        assert_eq!(passwords(queue(8)), Level::Act);
        let usage = |in_use| PoolUsage {
            in_use,
            idle: 0,
            max: 4,
        };
        assert_eq!(pool(usage(3)), Level::Ok);
        assert_eq!(pool(usage(4)), Level::Watch);
        let single = PoolUsage {
            in_use: 1,
            idle: 0,
            max: 1,
        };
        assert_eq!(pool(single), Level::Ok);
        assert_eq!(Level::Act.label(), "à traiter");
    }
}
