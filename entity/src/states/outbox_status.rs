//! Where a queued message stands, stored as its slug in `outbox_email.status`.

use sea_orm::entity::prelude::*;

/// Where a queued message stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum OutboxStatus {
    /// Waiting for its next attempt.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Claimed by a worker.
    #[sea_orm(string_value = "sending")]
    Sending,
    /// Handed to the mail server (or written to the folder).
    #[sea_orm(string_value = "sent")]
    Sent,
    /// Given up after too many attempts.
    #[sea_orm(string_value = "failed")]
    Failed,
}

impl OutboxStatus {
    /// Every state, in the order the pages list them.
    pub const ALL: [OutboxStatus; 4] = [Self::Pending, Self::Sending, Self::Sent, Self::Failed];

    /// The stored form.
    pub const fn slug(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    /// The state stored as `slug`.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// What admins read on the outbox page.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Pending => "En attente d'envoi",
            Self::Sending => "En cours d'envoi",
            Self::Sent => "Envoyés",
            Self::Failed => "En échec",
        }
    }
}
