//! The kinds of entries of a request's timeline (`request_event.kind`), with what the person who
//! asked and the moderators read for each: one list, one place for the labels.

use sea_orm::entity::prelude::*;

/// What happened to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum EventKind {
    #[sea_orm(string_value = "creee")]
    Created,
    #[sea_orm(string_value = "validee")]
    Validated,
    #[sea_orm(string_value = "propositions")]
    Proposed,
    #[sea_orm(string_value = "proposition_choisie")]
    ProposedToChosen,
    #[sea_orm(string_value = "propositions_retirees")]
    ProposalsWithdrawn,
    #[sea_orm(string_value = "acceptee")]
    Accepted,
    #[sea_orm(string_value = "sans_benevole")]
    NoVolunteer,
    #[sea_orm(string_value = "relancee")]
    Relaunched,
    #[sea_orm(string_value = "rouverte")]
    Reopened,
    #[sea_orm(string_value = "refusee")]
    Refused,
    #[sea_orm(string_value = "abandonnee")]
    Abandoned,
    #[sea_orm(string_value = "annulee")]
    Cancelled,
    #[sea_orm(string_value = "resolue")]
    Resolved,
    #[sea_orm(string_value = "modifiee")]
    Edited,
    #[sea_orm(string_value = "transferee")]
    Transferred,
    #[sea_orm(string_value = "rendue")]
    GivenBack,
    #[sea_orm(string_value = "proposition_declinee")]
    Declined,
    #[sea_orm(string_value = "donnees_effacees")]
    DataErased,
    /// The person said a request marked solved is not: back to the moderators.
    #[sea_orm(string_value = "pas_regle")]
    NotSolved,
}

impl EventKind {
    /// Every kind.
    pub const ALL: [EventKind; 19] = [
        Self::Created,
        Self::Validated,
        Self::Proposed,
        Self::ProposedToChosen,
        Self::ProposalsWithdrawn,
        Self::Accepted,
        Self::NoVolunteer,
        Self::Relaunched,
        Self::Reopened,
        Self::Refused,
        Self::Abandoned,
        Self::Cancelled,
        Self::Resolved,
        Self::Edited,
        Self::Transferred,
        Self::GivenBack,
        Self::Declined,
        Self::DataErased,
        Self::NotSolved,
    ];

    /// The stored form.
    pub const fn slug(self) -> &'static str {
        match self {
            Self::Created => "creee",
            Self::Validated => "validee",
            Self::Proposed => "propositions",
            Self::ProposedToChosen => "proposition_choisie",
            Self::ProposalsWithdrawn => "propositions_retirees",
            Self::Accepted => "acceptee",
            Self::NoVolunteer => "sans_benevole",
            Self::Relaunched => "relancee",
            Self::Reopened => "rouverte",
            Self::Refused => "refusee",
            Self::Abandoned => "abandonnee",
            Self::Cancelled => "annulee",
            Self::Resolved => "resolue",
            Self::Edited => "modifiee",
            Self::Transferred => "transferee",
            Self::GivenBack => "rendue",
            Self::Declined => "proposition_declinee",
            Self::DataErased => "donnees_effacees",
            Self::NotSolved => "pas_regle",
        }
    }

    /// The kind stored as `slug`.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// Whether the person who asked sees this entry on their follow-up page (a volunteer's
    /// "Je ne peux pas" is for the moderators).
    pub fn shown_to_citizen(self) -> bool {
        !matches!(self, Self::Declined)
    }

    /// What the person reads for a timeline entry, if anything: the steps she understands, not the
    /// rounds of matching (every proposal, withdrawal or relaunch reads "Nous cherchons un bénévole").
    pub const fn citizen_step(self) -> Option<&'static str> {
        Some(match self {
            Self::Created => "Demande envoyée",
            Self::Validated => "Demande validée par l'association",
            Self::Proposed
            | Self::ProposedToChosen
            | Self::ProposalsWithdrawn
            | Self::Relaunched
            | Self::Reopened => "Nous cherchons un bénévole",
            Self::Accepted => "Un bénévole a accepté de vous aider",
            Self::NoVolunteer => "Pas encore de bénévole : l'association cherche une solution",
            Self::GivenBack => "Le bénévole ne peut plus vous aider : nous en cherchons un autre",
            Self::Refused => "Demande refusée",
            Self::Edited => "Demande mise à jour par l'association",
            Self::Transferred => "Demande confiée à une autre association",
            Self::Cancelled => "Demande annulée",
            Self::Abandoned => "Demande close faute de suite",
            Self::Resolved => "Problème résolu",
            Self::NotSolved => "Vous avez signalé que le problème n'est pas réglé",
            // A volunteer's reason for declining is for the moderators.
            Self::DataErased | Self::Declined => return None,
        })
    }

    /// What the person who asked reads, when the kind says more than the state it led to
    /// (otherwise the new state's label is shown).
    pub fn citizen_label(self) -> Option<&'static str> {
        Some(match self {
            Self::Created => "Demande envoyée",
            Self::Cancelled => "Demande annulée",
            Self::Abandoned => "Demande close faute de suite",
            Self::Resolved => "Problème résolu",
            Self::Edited => "Demande mise à jour par l'association",
            Self::Transferred => "Demande confiée à une autre association",
            Self::Proposed => "Proposée à des bénévoles",
            Self::ProposalsWithdrawn => "Recherche d'un bénévole mise à jour",
            Self::ProposedToChosen => "Proposée à un bénévole",
            Self::DataErased => "Données personnelles effacées",
            Self::NotSolved => "Vous avez signalé que le problème n'est pas réglé",
            _ => return None,
        })
    }

    /// What moderators read (otherwise what the person reads).
    pub fn staff_label(self) -> Option<&'static str> {
        Some(match self {
            Self::Created => "Demande enregistrée",
            Self::Validated => "Demande validée : recherche d'un bénévole",
            Self::Proposed => "Proposée à des bénévoles",
            Self::ProposedToChosen => "Proposée à un bénévole choisi",
            Self::ProposalsWithdrawn => "Propositions retirées",
            Self::Accepted => "Un bénévole a accepté",
            Self::NoVolunteer => "Aucun bénévole trouvé",
            Self::Relaunched => "Recherche relancée",
            Self::Reopened => "Demande rouverte",
            Self::Refused => "Demande refusée",
            Self::Abandoned => "Demande abandonnée : restée sans suite",
            Self::Edited => "Demande modifiée",
            Self::Transferred => "Demande transférée",
            Self::GivenBack => "Rendue par le bénévole",
            Self::Declined => "Un bénévole ne peut pas aider",
            Self::NotSolved => "La personne dit que ce n'est pas réglé",
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_slug_and_has_a_label_for_someone() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::from_slug(kind.slug()), Some(kind));
            assert!(kind.staff_label().or(kind.citizen_label()).is_some());
        }
    }
}
