//! The proposal lifecycle in one place: its states, their French labels, the table of allowed
//! moves, and [`apply`], the one function that moves proposals (a conditional update from the
//! state the caller expects, so that a proposal answered meanwhile stays as it is).

use chrono::{DateTime, Utc};
use entity::proposal::{self, Column, Entity as Proposal};
use sea_orm::sea_query::{Expr, IntoCondition};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

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
