//! The moderator's desk between requests: validating several requests of the queue together
//! (each one its own transaction and audit entry), the next request waiting for a moderator
//! (« Demande suivante → »), and « J'ai rappelé la personne », which clears "à rappeler".

use entity::help_request;
use entity::states::{AuditAction, RequestStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

use super::actions::{self, ActionError, ActionResult};
use crate::Config;
use crate::error::DomainError;
use crate::organisations::Scope;
use crate::staff::Staff;

/// The most requests validated together (a page of the queue).
pub const MAX_TOGETHER: usize = super::queue::PAGE_SIZE as usize;

/// What validating several requests did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validated {
    /// The references validated.
    pub done: Vec<String>,
    /// The references left as they were, with the reason.
    pub refused: Vec<(String, String)>,
}

/// Validates each request of `ids` within `staff`'s scope, one transaction and one audit entry
/// each, as the request's page would; a request that cannot be validated any more (someone else
/// did, it was refused) is left as it is and named in [`Validated::refused`]. Requests outside
/// the scope are ignored, like ids that do not exist.
pub async fn validate_together(
    db: &DatabaseConnection,
    config: &Config,
    staff: &Staff,
    ids: &[i64],
) -> Result<Validated, DomainError> {
    let mut outcome = Validated::default();
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for id in ids.into_iter().take(MAX_TOGETHER) {
        let Some(request) = actions::find_in_scope(db, &staff.scope, id).await? else {
            continue;
        };
        match actions::validate(db, config, staff, id).await {
            Ok(_) => outcome.done.push(request.reference),
            Err(ActionError::Refused(why)) => outcome.refused.push((request.reference, why)),
            Err(ActionError::Rule(DomainError::NotFound)) => {}
            Err(ActionError::Rule(err)) => return Err(err),
        }
    }
    Ok(outcome)
}

/// The request a moderator should open after `current`: the oldest of `scope` waiting for a
/// moderator (new, then without volunteer), other than `current`.
pub async fn next_request<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    current: i64,
) -> Result<Option<help_request::Model>, DbErr> {
    for status in [RequestStatus::Nouvelle, RequestStatus::SansBenevole] {
        let found = help_request::Entity::find()
            .filter(scope.request_condition())
            .filter(help_request::Column::Status.eq(status.slug()))
            .filter(help_request::Column::Id.ne(current))
            .order_by_asc(help_request::Column::CreatedAt)
            .order_by_asc(help_request::Column::Id)
            .one(db)
            .await?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// « J'ai rappelé la personne »: the request is no longer "à rappeler"; the timeline says who
/// called and when (an audit entry on the request).
pub async fn called_back(db: &DatabaseConnection, staff: &Staff, id: i64) -> ActionResult<()> {
    let txn = db.begin().await?;
    let request = actions::find_in_scope(&txn, &staff.scope, id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let changed = help_request::Entity::update_many()
        .col_expr(help_request::Column::ARappeler, Expr::value(false))
        .filter(help_request::Column::Id.eq(id))
        .filter(help_request::Column::ARappeler.eq(true))
        .exec(&txn)
        .await?
        .rows_affected;
    if changed == 0 {
        return Err(ActionError::Refused(
            "Cette personne n'était pas à rappeler : rien n'a été modifié.".into(),
        ));
    }
    actions::record(&txn, staff, AuditAction::PersonCalledBack, &request, None).await?;
    txn.commit().await?;
    Ok(())
}
