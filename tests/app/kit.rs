//! The test kit: readers of what the application stored (a request, its proposals, audit entries,
//! a volunteer's profile), shared by every test file instead of a copy in each.
//! Call them qualified (`kit::request(&app, id)`) so that a test reads as what it checks.

use entity::{audit_log, help_request, proposal, volunteer_profile};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::helpers::TestApp;

/// The help request `id` as stored now.
pub async fn request(app: &TestApp, id: i64) -> help_request::Model {
    help_request::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the request exists")
}

/// The proposals made for request `request_id`, oldest first.
pub async fn proposals_of(app: &TestApp, request_id: i64) -> Vec<proposal::Model> {
    proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(request_id))
        .order_by_asc(proposal::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// The audit entries of `action` (about anything), oldest first.
pub async fn audit_entries_for_action(app: &TestApp, action: &str) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .order_by_asc(audit_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// The audit entries about request `request_id` (whatever the action), oldest first.
pub async fn audit_entries_about_request(app: &TestApp, request_id: i64) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::TargetType.eq("demande"))
        .filter(audit_log::Column::TargetId.eq(request_id))
        .order_by_asc(audit_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// The volunteer profile of account `account_id` as stored now.
pub async fn volunteer_profile(app: &TestApp, account_id: i64) -> volunteer_profile::Model {
    volunteer_profile::Entity::find_by_id(account_id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the volunteer profile exists")
}
