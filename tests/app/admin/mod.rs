//! Admin pages and the `entraide admin create` command.

mod access;
mod cli;
mod dashboard;
mod desk;
mod invitation;
mod journal;
mod moderators;
mod organisations;
mod outbox;

use entity::audit_log;
use sea_orm::EntityTrait;

use crate::helpers::TestApp;

/// How many audit entries there are in all.
pub async fn audit_count(app: &TestApp) -> usize {
    audit_log::Entity::find().all(&app.db).await.unwrap().len()
}

/// Ends the session of the app's client.
pub async fn log_out(app: &TestApp) {
    app.server.post("/deconnexion").await;
}
