//! Moving proposals: [`apply`] is the one function that does it (checked against the table of
//! moves of [`ProposalStatus`], a conditional update from the state the caller expects, so that a
//! proposal answered meanwhile stays as it is); [`withdraw`] and [`withdraw_waiting`] are its
//! most common use.

use chrono::{DateTime, Utc};
use entity::proposal::{self, Column, Entity as Proposal};
use sea_orm::sea_query::{Expr, IntoCondition};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

pub use entity::states::ProposalStatus;

/// Moves the proposals matching `condition` from `from` to `to` (recording `answered_at` when
/// given), in one conditional update; returns the proposals moved. A move the lifecycle does not
/// allow changes nothing and is an error.
pub async fn apply<C: ConnectionTrait>(
    db: &C,
    condition: impl IntoCondition,
    from: ProposalStatus,
    to: ProposalStatus,
    answered_at: Option<DateTime<Utc>>,
) -> Result<Vec<proposal::Model>, DbErr> {
    if !from.allows(to) {
        return Err(DbErr::Custom(format!(
            "proposal move not allowed: {} → {}",
            from.slug(),
            to.slug()
        )));
    }
    let mut update = Proposal::update_many().col_expr(Column::Status, Expr::value(to.slug()));
    if let Some(at) = answered_at {
        update = update.col_expr(Column::AnsweredAt, Expr::value(at));
    }
    update
        .filter(Column::Status.eq(from.slug()))
        .filter(condition)
        .exec_with_returning(db)
        .await
}

/// Withdraws the proposals of `request_id` still waiting for an answer, except `except` (the one
/// just accepted), inside the caller's transaction: they are no longer listed nor answerable.
/// Returns how many were withdrawn.
pub async fn withdraw_waiting<C: ConnectionTrait>(
    db: &C,
    request_id: i64,
    except: Option<i64>,
) -> Result<u64, DbErr> {
    let mut condition = sea_orm::Condition::all().add(proposal::Column::RequestId.eq(request_id));
    if let Some(except) = except {
        condition = condition.add(proposal::Column::Id.ne(except));
    }
    withdraw(db, condition).await
}

/// Marks the waiting proposals that match `condition` as withdrawn, answered now.
pub async fn withdraw<C: ConnectionTrait>(
    db: &C,
    condition: impl sea_orm::sea_query::IntoCondition,
) -> Result<u64, DbErr> {
    let withdrawn = apply(
        db,
        condition,
        ProposalStatus::Waiting,
        ProposalStatus::Withdrawn,
        Some(Utc::now()),
    )
    .await?;
    Ok(withdrawn.len() as u64)
}

/// The number of the request's latest round (0: none yet).
pub async fn last_round<C: ConnectionTrait>(db: &C, request_id: i64) -> Result<i32, DbErr> {
    Ok(proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(request_id))
        .order_by_desc(proposal::Column::Round)
        .one(db)
        .await?
        .map_or(0, |p| p.round))
}

#[cfg(test)]
mod tests {
    use super::ProposalStatus::*;
    use super::*;

    #[test]
    fn only_a_waiting_proposal_is_answered_and_only_an_accepted_one_given_back() {
        for to in [Accepted, Declined, Expired, Withdrawn] {
            assert!(Waiting.allows(to));
        }
        assert!(Accepted.allows(Declined));
        assert!(!Accepted.allows(Withdrawn));
        for from in [Declined, Expired, Withdrawn] {
            for to in ProposalStatus::ALL {
                assert!(!from.allows(to), "{from:?} is final");
            }
        }
        for status in ProposalStatus::ALL {
            assert_eq!(ProposalStatus::from_slug(status.slug()), Some(status));
        }
    }

    #[test]
    fn a_waiting_proposal_past_its_deadline_reads_as_expired() {
        let now = Utc::now();
        let past = now - chrono::Duration::minutes(1);
        assert_eq!(Waiting.as_seen(past, now), Expired);
        assert_eq!(
            Waiting.as_seen(now + chrono::Duration::hours(1), now),
            Waiting
        );
        assert_eq!(Accepted.as_seen(past, now), Accepted);
    }
}
