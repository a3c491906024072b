//! Signed webhooks for partner organisations (issue 17): the addresses an organisation registers
//! ([`endpoints`]), the events of its requests written to a durable outbox in the transaction of
//! the change they report ([`events`], queued through `messages::queue_webhook`), claimed under a
//! lease and retried for a day ([`outbox`]), and POSTed, signed, by a worker that refuses private
//! and local addresses ([`worker`], [`address`]).
//!
//! This module imports neither `messages` nor `lifecycle` (which call it).

pub mod address;
pub mod endpoints;
pub mod events;
pub mod outbox;
pub mod signature;
pub mod worker;

/// An event sent to the webhooks of the organisation a request belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// A request was filed (form, moderator entry, partner API).
    Created,
    /// A volunteer took it.
    Taken,
    /// Matching ended without a volunteer (or the person said it was not solved).
    WithoutVolunteer,
    /// It is solved.
    Resolved,
    /// The person cancelled it.
    Cancelled,
}

impl Event {
    /// Every event, in the order the README lists them.
    pub const ALL: [Event; 5] = [
        Self::Created,
        Self::Taken,
        Self::WithoutVolunteer,
        Self::Resolved,
        Self::Cancelled,
    ];

    /// The `type` of its payload.
    pub const fn slug(self) -> &'static str {
        match self {
            Self::Created => "demande.creee",
            Self::Taken => "demande.prise_en_charge",
            Self::WithoutVolunteer => "demande.sans_benevole",
            Self::Resolved => "demande.resolue",
            Self::Cancelled => "demande.annulee",
        }
    }

    /// The event with this `type`.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.slug() == slug)
    }

    /// What the deliveries page calls it.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Created => "Nouvelle demande",
            Self::Taken => "Prise en charge",
            Self::WithoutVolunteer => "Sans bénévole",
            Self::Resolved => "Résolue",
            Self::Cancelled => "Annulée",
        }
    }
}
