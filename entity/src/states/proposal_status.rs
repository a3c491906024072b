//! The proposal lifecycle's states, stored as their slugs in `proposal.status`: their French
//! labels and the table of allowed moves (the domain's `matching::proposal_status::apply` makes them).

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;

/// Where a proposal stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum ProposalStatus {
    /// Waiting for the volunteer's answer.
    #[sea_orm(string_value = "en_attente")]
    Waiting,
    /// Accepted: the volunteer holds the request.
    #[sea_orm(string_value = "acceptee")]
    Accepted,
    /// Declined (or given back after accepting).
    #[sea_orm(string_value = "refusee")]
    Declined,
    /// Not answered in time.
    #[sea_orm(string_value = "expiree")]
    Expired,
    /// Withdrawn: someone else accepted first, the request ended, or it no longer fits them.
    #[sea_orm(string_value = "retiree")]
    Withdrawn,
}

/// The moves a proposal may make: `(from, to)`.
const MOVES: [(ProposalStatus, ProposalStatus); 5] = {
    use ProposalStatus::*;
    [
        (Waiting, Accepted),
        (Waiting, Declined),
        (Waiting, Expired),
        (Waiting, Withdrawn),
        // "Je ne peux plus aider": the volunteer gives the request back.
        (Accepted, Declined),
    ]
};

impl ProposalStatus {
    /// Every state.
    pub const ALL: [ProposalStatus; 5] = [
        Self::Waiting,
        Self::Accepted,
        Self::Declined,
        Self::Expired,
        Self::Withdrawn,
    ];

    /// The stored form.
    pub const fn slug(self) -> &'static str {
        match self {
            Self::Waiting => "en_attente",
            Self::Accepted => "acceptee",
            Self::Declined => "refusee",
            Self::Expired => "expiree",
            Self::Withdrawn => "retiree",
        }
    }

    /// The state stored as `slug`.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// Whether the lifecycle allows moving from `self` to `to`.
    pub fn allows(self, to: Self) -> bool {
        MOVES.contains(&(self, to))
    }

    /// The state a person should read: a waiting proposal past its deadline is expired, even
    /// before the expiry job has run.
    pub fn as_seen(self, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        if self == Self::Waiting && expires_at <= now {
            Self::Expired
        } else {
            self
        }
    }

    /// What moderators read on a volunteer's page (the proposals made to them).
    pub fn volunteer_page_label(self) -> &'static str {
        match self {
            Self::Waiting => "En attente de sa réponse",
            Self::Accepted => "Acceptée",
            Self::Declined => "Refusée",
            Self::Expired => "Expirée sans réponse",
            Self::Withdrawn => "Retirée",
        }
    }

    /// What moderators read on a request's page.
    pub fn staff_label(self) -> &'static str {
        match self {
            Self::Waiting => "En attente de réponse",
            Self::Accepted => "Acceptée",
            Self::Declined => "Refusée par le bénévole",
            Self::Expired => "Sans réponse à temps",
            Self::Withdrawn => "Retirée",
        }
    }
}
