//! Transferring a request to another organisation: its moderators triage it from now on (and are
//! told at once if it still waits for validation); the moderators who gave it away no longer see
//! it, unless they belong to both.

use chrono::Utc;
use entity::states::AuditAction;
use entity::{help_request, organisation};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::actions::{self, ActionError, ActionResult, CHANGED_MEANWHILE, not_now};
use crate::Config;
use crate::lifecycle;
use crate::staff::Staff;
use entity::states::EventKind;
use entity::states::RequestStatus;

/// What a transfer did.
#[derive(Clone, Debug)]
pub struct Transferred {
    /// The organisation that has the request now.
    pub to: organisation::Model,
    /// Whether the staff member who transferred it still sees it.
    pub still_visible: bool,
}

/// The name of a request's organisation as the timeline tells it.
async fn name_of(
    db: &impl sea_orm::ConnectionTrait,
    organisation_id: Option<i64>,
) -> Result<String, sea_orm::DbErr> {
    let found = match organisation_id {
        Some(id) => organisation::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    Ok(found.map_or_else(
        || "aucune organisation (administrateurs)".to_owned(),
        |o| o.name,
    ))
}

/// Transférer: the request `id` now belongs to the active organisation `organisation_id`.
pub async fn transfer(
    db: &DatabaseConnection,
    config: &Config,
    staff: &Staff,
    id: i64,
    organisation_id: i64,
) -> ActionResult<Transferred> {
    let (txn, request, status, allowed) = actions::begin(db, staff, id).await?;
    if !allowed.transfer {
        return Err(not_now("la transférer", status));
    }
    let target = organisation::Entity::find_by_id(organisation_id)
        .filter(organisation::Column::Active.eq(true))
        .one(&txn)
        .await?
        .filter(|o| Some(o.id) != request.organisation_id)
        .ok_or_else(|| {
            ActionError::Refused(
                "Choisissez dans la liste une autre organisation, encore active : rien n'a été transféré."
                    .into(),
            )
        })?;
    let now = Utc::now();
    let moved = help_request::Entity::update_many()
        .col_expr(help_request::Column::OrganisationId, Expr::value(target.id))
        .col_expr(help_request::Column::UpdatedAt, Expr::value(now))
        .filter(lifecycle::as_seen(&request))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(ActionError::Refused(CHANGED_MEANWHILE.into()));
    }
    let details = format!(
        "de « {} » à « {} »",
        name_of(&txn, request.organisation_id).await?,
        target.name
    );
    lifecycle::record(
        &txn,
        request.id,
        staff.request_actor(),
        Some(staff.account.id),
        EventKind::Transferred,
        None,
        None,
        Some(details.clone()),
    )
    .await?;
    actions::record(
        &txn,
        staff,
        AuditAction::RequestTransferred,
        &request,
        Some(details),
    )
    .await?;
    let mut transferred = request.clone();
    transferred.organisation_id = Some(target.id);
    transferred.updated_at = now;
    if status == RequestStatus::Nouvelle {
        crate::lifecycle::alerts::request_to_triage(&txn, config, &transferred).await?;
    }
    // The new organisation may want vetted volunteers for in-person help.
    crate::matching::recheck::withdraw_unfit(&txn, config, &transferred).await?;
    txn.commit().await?;
    Ok(Transferred {
        still_visible: staff.scope.covers_request(&transferred),
        to: target,
    })
}

/// The organisations a request of `current` may be transferred to: the other active ones, by name.
pub async fn targets(
    db: &impl sea_orm::ConnectionTrait,
    current: Option<i64>,
) -> Result<Vec<organisation::Model>, sea_orm::DbErr> {
    Ok(crate::organisations::active(db)
        .await?
        .into_iter()
        .filter(|o| Some(o.id) != current)
        .collect())
}
