//! The daily digest for moderators who chose it (`quotidien`): once per interval, one e-mail per
//! membership listing the organisation's requests still waiting for a check that arrived since
//! the previous digest (none: no e-mail). Several workers, in one process or several, may run it
//! at once: a membership is claimed by a conditional update of `last_digest_at`, in the
//! transaction that enqueues its e-mail, so each digest goes out once.
//!
//! A request's `created_at` is read before its transaction commits, so a digest taken at `now`
//! could miss one created a moment before and committed a moment after. Each digest therefore
//! covers the requests created up to `now - settle` (a tenth of the interval, at most 5 s) and
//! records that time in `last_digest_at`: the next digest starts exactly there.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::{account, help_request, membership, organisation};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

use crate::Config;
use crate::error::DomainError;
use crate::messages::emails::Digest;
use crate::messages::{self, Message};
use crate::organisations::NOTIFY_DIGEST;
use entity::states::RequestStatus;
use entity::states::Role;

/// How often the worker looks for digests due: a twelfth of the interval, between 1 second and
/// 5 minutes (so a daily digest leaves within 5 minutes of being due).
pub fn poll_period(interval: Duration) -> Duration {
    (interval / 12).clamp(Duration::from_secs(1), Duration::from_secs(300))
}

/// How far behind `now` a digest stops: younger requests wait for the next one.
fn settle(interval: Duration) -> chrono::Duration {
    chrono::Duration::from_std((interval / 10).min(Duration::from_secs(5)))
        .unwrap_or(chrono::Duration::seconds(5))
}

/// Memberships whose digest is due at `now`: never sent, or sent at least `interval` ago.
fn due(now: DateTime<Utc>, interval: Duration) -> Condition {
    let cutoff = now - chrono::Duration::from_std(interval).unwrap_or(chrono::Duration::days(1));
    Condition::any()
        .add(membership::Column::LastDigestAt.is_null())
        .add(membership::Column::LastDigestAt.lte(cutoff))
}

/// Sends every digest due at `now`; returns how many e-mails were enqueued.
pub async fn send_due(
    db: &DatabaseConnection,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<usize, DomainError> {
    let interval = config.moderation_digest_interval;
    let memberships = membership::Entity::find()
        .find_also_related(account::Entity)
        .filter(membership::Column::Notification.eq(NOTIFY_DIGEST))
        .filter(due(now, interval))
        .filter(account::Column::Role.eq(Role::Moderateur.slug()))
        .filter(account::Column::DeletedAt.is_null())
        // Not before they chose their password.
        .filter(account::Column::EmailVerifiedAt.is_not_null())
        .order_by_asc(membership::Column::Id)
        .all(db)
        .await?;
    if memberships.is_empty() {
        return Ok(0);
    }
    let organisations: HashMap<i64, organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(memberships.iter().map(|(m, _)| m.organisation_id)))
        .filter(organisation::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut sent = 0;
    for (membership, account) in memberships {
        let (Some(account), Some(organisation)) =
            (account, organisations.get(&membership.organisation_id))
        else {
            continue;
        };
        if send_one(db, config, &membership, organisation, &account, now).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Claims `membership`'s digest and enqueues it, in one transaction; false when another worker
/// claimed it first or nothing new arrived.
async fn send_one(
    db: &DatabaseConnection,
    config: &Config,
    membership: &membership::Model,
    organisation: &organisation::Model,
    moderator: &account::Model,
    now: DateTime<Utc>,
) -> Result<bool, DomainError> {
    let interval = config.moderation_digest_interval;
    let until = now - settle(interval);
    let txn = db.begin().await?;
    let claimed = membership::Entity::update_many()
        .col_expr(membership::Column::LastDigestAt, Expr::value(until))
        .filter(membership::Column::Id.eq(membership.id))
        .filter(membership::Column::Notification.eq(NOTIFY_DIGEST))
        .filter(due(now, interval))
        .exec(&txn)
        .await?
        .rows_affected;
    if claimed == 0 {
        return Ok(false);
    }
    let mut waiting = help_request::Entity::find()
        .filter(help_request::Column::OrganisationId.eq(organisation.id))
        .filter(help_request::Column::Status.eq(RequestStatus::Nouvelle.slug()))
        .filter(help_request::Column::CreatedAt.lte(until));
    if let Some(since) = membership.last_digest_at {
        waiting = waiting.filter(help_request::Column::CreatedAt.gt(since));
    }
    // Not the requests they entered themselves.
    waiting = waiting.filter(
        Condition::any()
            .add(help_request::Column::EnteredBy.is_null())
            .add(help_request::Column::EnteredBy.ne(moderator.id)),
    );
    let requests = waiting
        .order_by_asc(help_request::Column::CreatedAt)
        .order_by_asc(help_request::Column::Id)
        .all(&txn)
        .await?;
    if !requests.is_empty() {
        let email = Digest::new(config, moderator, organisation, &requests, now);
        messages::queue(
            &txn,
            config,
            &moderator.email,
            &email,
            &Message::ModerationDigest {
                membership: membership.id,
                until_micros: until.timestamp_micros(),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(!requests.is_empty())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{poll_period, settle};

    #[test]
    fn the_worker_looks_often_enough_but_not_too_often() {
        assert_eq!(
            poll_period(Duration::from_secs(86_400)),
            Duration::from_secs(300)
        );
        assert_eq!(poll_period(Duration::from_secs(1)), Duration::from_secs(1));
        assert_eq!(poll_period(Duration::from_secs(60)), Duration::from_secs(5));
    }

    #[test]
    fn a_digest_leaves_the_last_moments_to_the_next_one() {
        assert_eq!(
            settle(Duration::from_secs(86_400)),
            chrono::Duration::seconds(5)
        );
        assert_eq!(
            settle(Duration::from_secs(1)),
            chrono::Duration::milliseconds(100)
        );
    }
}
