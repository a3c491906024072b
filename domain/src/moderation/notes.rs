//! Internal notes on a request: written by moderators for moderators, shown on the request's
//! moderation page only (never to the person who asked, never to volunteers).

use chrono::Utc;
use entity::moderation_note;
use entity::states::AuditAction;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set,
};

use super::actions::{self, ActionResult};
use crate::error::DomainError;
use crate::forms::FieldErrors;
use crate::staff::Staff;

/// The longest note, in characters.
pub const MAX_NOTE: usize = 2000;

/// Checks a note as typed: not empty, at most [`MAX_NOTE`] characters.
pub fn check(typed: &str) -> Result<String, FieldErrors> {
    let note = typed.trim();
    let mut errors = FieldErrors::new();
    if note.is_empty() {
        errors.add("note", "Écrivez la note avant de l'enregistrer.");
    } else if note.chars().count() > MAX_NOTE {
        errors.add(
            "note",
            format!("Cette note est trop longue : {MAX_NOTE} caractères au plus."),
        );
    }
    if errors.is_empty() {
        Ok(note.to_owned())
    } else {
        Err(errors)
    }
}

/// Adds a note (already checked) to the request `id`, with its audit entry.
pub async fn add(
    db: &DatabaseConnection,
    staff: &Staff,
    id: i64,
    body: String,
) -> ActionResult<moderation_note::Model> {
    let (txn, request, _, _) = actions::begin(db, staff, id).await?;
    let note = moderation_note::ActiveModel {
        request_id: Set(request.id),
        author_id: Set(staff.account.id),
        at: Set(Utc::now()),
        body: Set(body),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // Read again after the write: a transfer committed meanwhile takes the request out of reach.
    if actions::find_in_scope(&txn, &staff.scope, id)
        .await?
        .is_none()
    {
        txn.rollback().await?;
        return Err(DomainError::NotFound.into());
    }
    actions::record(&txn, staff, NOTE_ACTION, &request, None).await?;
    txn.commit().await?;
    Ok(note)
}

/// The audit action of a note (the note itself shows on the timeline, this entry does not).
pub const NOTE_ACTION: AuditAction = AuditAction::NoteAdded;

/// The notes of a request, oldest first.
pub async fn of_request<C: ConnectionTrait>(
    db: &C,
    request_id: i64,
) -> Result<Vec<moderation_note::Model>, DbErr> {
    moderation_note::Entity::find()
        .filter(moderation_note::Column::RequestId.eq(request_id))
        .order_by_asc(moderation_note::Column::Id)
        .all(db)
        .await
}
