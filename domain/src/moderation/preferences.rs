//! A moderator's e-mail preferences: for each organisation they belong to, new requests one by
//! one as they arrive (`immediat`) or in a daily digest (`quotidien`).

use entity::states::AuditAction;
use entity::{membership, organisation};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};

use crate::audit::{self, AuditActor, Target};
use crate::error::DomainError;
use crate::organisations::{NOTIFY_DIGEST, NOTIFY_IMMEDIATE};

/// The stored preference for a value sent by the form (anything else: `None`).
pub fn parse_notification(value: &str) -> Option<&'static str> {
    [NOTIFY_IMMEDIATE, NOTIFY_DIGEST]
        .into_iter()
        .find(|known| *known == value.trim())
}

/// How a preference reads in French.
pub fn notification_label(value: &str) -> &'static str {
    if value == NOTIFY_DIGEST {
        "un résumé par jour"
    } else {
        "un e-mail par nouvelle demande"
    }
}

/// The memberships of `account_id` in active organisations, by organisation name.
pub async fn memberships(
    db: &DatabaseConnection,
    account_id: i64,
) -> Result<Vec<(membership::Model, organisation::Model)>, DbErr> {
    let rows = membership::Entity::find()
        .find_also_related(organisation::Entity)
        .filter(membership::Column::AccountId.eq(account_id))
        .filter(organisation::Column::Active.eq(true))
        .order_by_asc(organisation::Column::Name)
        .order_by_asc(membership::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(m, o)| o.map(|o| (m, o)))
        .collect())
}

/// Stores `choices` (organisation id, preference already parsed) for `account_id`'s memberships,
/// with one audit entry per organisation whose preference changed; choices for organisations
/// they do not belong to are ignored. Returns how many preferences changed.
pub async fn save(
    db: &DatabaseConnection,
    actor: AuditActor,
    account_id: i64,
    choices: &[(i64, &'static str)],
) -> Result<usize, DomainError> {
    let txn = db.begin().await?;
    let mine = membership::Entity::find()
        .filter(membership::Column::AccountId.eq(account_id))
        .all(&txn)
        .await?;
    let mut changed = 0;
    for membership in mine {
        let Some((_, choice)) = choices
            .iter()
            .find(|(organisation, _)| *organisation == membership.organisation_id)
        else {
            continue;
        };
        if membership.notification == *choice {
            continue;
        }
        membership::Entity::update_many()
            .col_expr(membership::Column::Notification, Expr::value(*choice))
            .filter(membership::Column::Id.eq(membership.id))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            actor,
            AuditAction::NotificationsChanged,
            Target::Account(account_id),
            Some(membership.organisation_id),
            Some(format!(
                "Nouvelles demandes : {}",
                notification_label(choice)
            )),
        )
        .await?;
        changed += 1;
    }
    txn.commit().await?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::parse_notification;

    #[test]
    fn only_the_two_preferences_are_accepted() {
        assert_eq!(parse_notification("immediat"), Some("immediat"));
        assert_eq!(parse_notification("quotidien"), Some("quotidien"));
        assert_eq!(parse_notification("hebdomadaire"), None);
    }
}
