//! What admins do (../shared/PRODUCT.md §1): manage organisations and their moderators, watch the
//! e-mail outbox and read the audit log. Every change is one transaction that also writes its
//! audit entry.

pub mod journal;
pub mod labels;
pub mod moderators;
pub mod organisation_form;
pub mod organisations;
pub mod outbox;

use entity::{account, audit_log, organisation, outbox_email};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};

use crate::mail;
use crate::requests::feedback::{self, Statistics};
use entity::states::Role;

/// The counts the admin home page shows next to each section.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dashboard {
    /// Organisations receiving requests.
    pub organisations_active: u64,
    /// Deactivated organisations.
    pub organisations_inactive: u64,
    /// Live moderator accounts.
    pub moderators: u64,
    /// Of those, the ones who have not chosen their password yet.
    pub moderators_pending: u64,
    /// E-mails given up on.
    pub emails_failed: u64,
    /// E-mails waiting to be sent.
    pub emails_pending: u64,
    /// Entries in the audit log.
    pub journal_entries: u64,
    /// The citizens' answers to the feedback form.
    pub feedback: Statistics,
}

/// Counts everything the admin home page shows.
pub async fn dashboard<C: ConnectionTrait>(db: &C) -> Result<Dashboard, DbErr> {
    let organisations = |active: bool| {
        organisation::Entity::find()
            .filter(organisation::Column::Active.eq(active))
            .count(db)
    };
    let moderators = || {
        account::Entity::find()
            .filter(account::Column::Role.eq(Role::Moderateur.slug()))
            .filter(account::Column::DeletedAt.is_null())
    };
    let emails = |status: mail::outbox::OutboxStatus| {
        outbox_email::Entity::find()
            .filter(outbox_email::Column::Status.eq(status))
            .count(db)
    };
    Ok(Dashboard {
        organisations_active: organisations(true).await?,
        organisations_inactive: organisations(false).await?,
        moderators: moderators().count(db).await?,
        moderators_pending: moderators()
            .filter(account::Column::EmailVerifiedAt.is_null())
            .count(db)
            .await?,
        emails_failed: emails(mail::outbox::FAILED).await?,
        emails_pending: emails(mail::outbox::PENDING).await?,
        journal_entries: audit_log::Entity::find().count(db).await?,
        feedback: feedback::statistics(db).await?,
    })
}
