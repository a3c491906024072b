//! What moderators do to a volunteer of their territory: vet them for in-person help (or withdraw
//! it), suspend them with a reason (their waiting proposals are withdrawn, the requests they hold
//! go back to matching, and they are told by e-mail), reinstate them (told by e-mail too). Each action is one
//! transaction with its audit entry; an action the volunteer's state makes pointless changes
//! nothing.

use chrono::{DateTime, Utc};
use entity::states::AuditAction;
use entity::{organisation, volunteer_profile};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    TransactionTrait,
};

use super::volunteers::find_in_scope;
use crate::Config;
use crate::audit::{self, Target};
use crate::error::DomainError;
use crate::matching::release::{Reason, release_volunteer};
use crate::messages::emails::{VolunteerReinstated, VolunteerSuspended};
use crate::messages::{self, Message};
use crate::organisations::{self, Scope};
use crate::staff::Staff;

/// The longest suspension reason, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// What an action did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The volunteer's state changed.
    Done,
    /// The volunteer already was in that state: nothing changed.
    Unchanged,
}

/// The simple switches of a volunteer's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Switch {
    /// Vetted for in-person help.
    Vet,
    /// No longer vetted.
    Unvet,
    /// Suspension lifted.
    Reinstate,
}

impl Switch {
    /// The audit log's action slug.
    pub fn action(self) -> AuditAction {
        match self {
            Self::Vet => AuditAction::VolunteerVetted,
            Self::Unvet => AuditAction::VettingWithdrawn,
            Self::Reinstate => AuditAction::VolunteerReinstated,
        }
    }

    /// The update, and the state the volunteer must be in for it to apply.
    fn update(self) -> Vec<(volunteer_profile::Column, SimpleExpr)> {
        use volunteer_profile::Column;
        match self {
            Self::Vet => vec![(Column::VettedAt, Expr::value(Some(Utc::now())))],
            Self::Unvet => vec![(Column::VettedAt, Expr::value(None::<DateTime<Utc>>))],
            Self::Reinstate => vec![
                (Column::SuspendedAt, Expr::value(None::<DateTime<Utc>>)),
                (
                    Column::SuspensionReason,
                    Expr::value(Option::<String>::None),
                ),
            ],
        }
    }

    fn precondition(self) -> sea_orm::Condition {
        use volunteer_profile::Column;
        let cond = match self {
            Self::Vet => Column::VettedAt.is_null(),
            Self::Unvet => Column::VettedAt.is_not_null(),
            Self::Reinstate => Column::SuspendedAt.is_not_null(),
        };
        sea_orm::Condition::all().add(cond)
    }
}

/// The organisation of `scope` whose territory covers `departement`, else (a volunteer from
/// elsewhere, proposed one of its requests) the first of `scope` (admins: none), for the audit
/// log and the suspension e-mail's contact.
async fn organisation_for<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    departement: &str,
) -> Result<Option<organisation::Model>, DbErr> {
    let Scope::Organisations(ids) = scope else {
        return Ok(None);
    };
    let mine = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(organisations::covering(&mine, departement)
        .or_else(|| mine.first())
        .cloned())
}

/// Applies `switch` to volunteer `id` of `who`'s territory (`NotFound` outside it); a reinstated
/// volunteer is told by e-mail that proposals will come again.
pub async fn apply(
    db: &DatabaseConnection,
    config: &Config,
    staff: &Staff,
    id: i64,
    switch: Switch,
) -> Result<Outcome, DomainError> {
    let txn = db.begin().await?;
    let (account, profile) = find_in_scope(&txn, &staff.scope, id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut update = volunteer_profile::Entity::update_many();
    for (column, value) in switch.update() {
        update = update.col_expr(column, value);
    }
    let changed = update
        .filter(volunteer_profile::Column::AccountId.eq(id))
        .filter(switch.precondition())
        .exec(&txn)
        .await?
        .rows_affected;
    if changed == 0 {
        return Ok(Outcome::Unchanged);
    }
    let organisation = organisation_for(&txn, &staff.scope, &profile.departement).await?;
    if switch == Switch::Reinstate {
        let email = VolunteerReinstated::new(config, &account);
        messages::queue(
            &txn,
            config,
            &account.email,
            &email,
            &Message::VolunteerReinstated {
                account: id,
                at_micros: Utc::now().timestamp_micros(),
            },
        )
        .await?;
    }
    audit::record(
        &txn,
        staff.audit_actor(),
        switch.action(),
        Target::Volunteer(id),
        organisation.map(|o| o.id),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(Outcome::Done)
}

/// The reason as typed, trimmed, or the French message saying what is wrong with it.
pub fn check_reason(typed: &str) -> Result<String, String> {
    let reason = typed.trim();
    let count = reason.chars().count();
    if reason.is_empty() {
        Err("Indiquez le motif de la suspension : le bénévole le lira dans l'e-mail qui le prévient.".into())
    } else if count > MAX_REASON_CHARS {
        Err(format!(
            "Le motif ne doit pas dépasser {MAX_REASON_CHARS} caractères (il en compte {count})."
        ))
    } else {
        Ok(reason.to_owned())
    }
}

/// Suspends volunteer `id` of `who`'s territory for `reason` (already checked with
/// [`check_reason`]): the suspension is stored first, so that matching skips them, then their
/// waiting proposals are withdrawn and the requests they hold go back to matching; they receive
/// an e-mail saying why and whom to contact.
pub async fn suspend(
    db: &DatabaseConnection,
    config: &Config,
    staff: &Staff,
    id: i64,
    reason: &str,
) -> Result<Outcome, DomainError> {
    let txn = db.begin().await?;
    crate::db::lock_names(&txn, &[&crate::matching::answers::volunteer_lock(id)]).await?;
    let (account, profile) = find_in_scope(&txn, &staff.scope, id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let now = Utc::now();
    let changed = volunteer_profile::Entity::update_many()
        .col_expr(volunteer_profile::Column::SuspendedAt, Expr::value(now))
        .col_expr(
            volunteer_profile::Column::SuspensionReason,
            Expr::value(reason),
        )
        .filter(volunteer_profile::Column::AccountId.eq(id))
        .filter(volunteer_profile::Column::SuspendedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if changed == 0 {
        return Ok(Outcome::Unchanged);
    }
    let released = release_volunteer(
        &txn,
        config,
        id,
        staff.request_actor(),
        Some(staff.account.id),
        Reason::Suspended,
    )
    .await?;
    let organisation = organisation_for(&txn, &staff.scope, &profile.departement).await?;
    let contact = match &organisation {
        Some(o) => Some(o.clone()),
        None => organisations::route(&txn, &profile.departement).await?,
    };
    let email = VolunteerSuspended::new(config, &account, reason, contact.as_ref());
    messages::queue(
        &txn,
        config,
        &account.email,
        &email,
        &Message::VolunteerSuspended {
            account: id,
            at_micros: now.timestamp_micros(),
        },
    )
    .await?;
    let details = format!(
        "Motif : {reason} — demandes remises en recherche : {}, propositions retirées : {}",
        released.requests, released.proposals
    );
    audit::record(
        &txn,
        staff.audit_actor(),
        AuditAction::VolunteerSuspended,
        Target::Volunteer(id),
        organisation.map(|o| o.id),
        Some(details),
    )
    .await?;
    txn.commit().await?;
    Ok(Outcome::Done)
}

#[cfg(test)]
mod tests {
    use super::{MAX_REASON_CHARS, check_reason};

    #[test]
    fn a_reason_is_required_and_bounded() {
        assert!(check_reason("   ").is_err());
        assert_eq!(
            check_reason("  Propos déplacés ").unwrap(),
            "Propos déplacés"
        );
        assert!(check_reason(&"é".repeat(MAX_REASON_CHARS)).is_ok());
        let long = check_reason(&"é".repeat(MAX_REASON_CHARS + 1)).unwrap_err();
        assert!(long.contains("501"));
    }
}
