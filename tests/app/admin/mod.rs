//! Admin pages and the `entraide admin create` command.

mod access;
mod cli;
mod dashboard;
mod invitation;
mod journal;
mod moderators;
mod organisations;
mod outbox;

use entity::audit_log;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::helpers::TestApp;

/// The audit entries of `action`, oldest first.
pub async fn audit_entries(app: &TestApp, action: &str) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .order_by_asc(audit_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// How many audit entries there are in all.
pub async fn audit_count(app: &TestApp) -> usize {
    audit_log::Entity::find().all(&app.db).await.unwrap().len()
}

/// Ends the session of the app's client.
pub async fn log_out(app: &TestApp) {
    app.server.post("/deconnexion").await;
}
