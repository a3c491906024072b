//! The request lifecycle's states (../shared/PRODUCT.md §4), stored as their slugs in
//! `help_request.status`: their French labels, and which moves are allowed to whom.

use std::fmt;

use sea_orm::entity::prelude::*;

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum RequestStatus {
    /// Waiting for a moderator's check.
    #[sea_orm(string_value = "nouvelle")]
    Nouvelle,
    /// Matching looks for a volunteer.
    #[sea_orm(string_value = "ouverte")]
    Ouverte,
    /// A volunteer took it.
    #[sea_orm(string_value = "prise_en_charge")]
    PriseEnCharge,
    /// Solved.
    #[sea_orm(string_value = "resolue")]
    Resolue,
    /// Nobody could be found yet: moderators act.
    #[sea_orm(string_value = "sans_benevole")]
    SansBenevole,
    /// Refused by a moderator.
    #[sea_orm(string_value = "refusee")]
    Refusee,
    /// Cancelled by the citizen.
    #[sea_orm(string_value = "annulee")]
    Annulee,
    /// Closed by the service after `STALE_REQUEST_DAYS` without any change while waiting
    /// (`nouvelle`, `ouverte` or `sans_benevole`), so that retention applies to it.
    #[sea_orm(string_value = "abandonnee")]
    Abandonnee,
}

/// Who moves a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum Actor {
    /// The person who asked, through the follow-up page.
    #[sea_orm(string_value = "citoyen")]
    Citoyen,
    /// A volunteer.
    #[sea_orm(string_value = "benevole")]
    Benevole,
    /// A moderator of the request's organisation.
    #[sea_orm(string_value = "moderateur")]
    Moderateur,
    /// An administrator.
    #[sea_orm(string_value = "admin")]
    Admin,
    /// The service itself (matching, expiry).
    #[sea_orm(string_value = "systeme")]
    Systeme,
}

impl Actor {
    /// Every actor.
    pub const ALL: [Actor; 5] = [
        Self::Citoyen,
        Self::Benevole,
        Self::Moderateur,
        Self::Admin,
        Self::Systeme,
    ];

    /// The actor stored as `slug`.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.slug() == slug)
    }

    /// The stored form.
    pub const fn slug(self) -> &'static str {
        match self {
            Self::Citoyen => "citoyen",
            Self::Benevole => "benevole",
            Self::Moderateur => "moderateur",
            Self::Admin => "admin",
            Self::Systeme => "systeme",
        }
    }
}

impl RequestStatus {
    /// Every state.
    pub const ALL: [RequestStatus; 8] = [
        Self::Nouvelle,
        Self::Ouverte,
        Self::PriseEnCharge,
        Self::Resolue,
        Self::SansBenevole,
        Self::Refusee,
        Self::Annulee,
        Self::Abandonnee,
    ];

    /// The stored form.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Nouvelle => "nouvelle",
            Self::Ouverte => "ouverte",
            Self::PriseEnCharge => "prise_en_charge",
            Self::Resolue => "resolue",
            Self::SansBenevole => "sans_benevole",
            Self::Refusee => "refusee",
            Self::Annulee => "annulee",
            Self::Abandonnee => "abandonnee",
        }
    }

    /// The state with this stored form.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// The short French label moderators and citizens see.
    pub fn label(self) -> &'static str {
        match self {
            Self::Nouvelle => "En attente de validation",
            Self::Ouverte => "Recherche d'un bénévole",
            Self::PriseEnCharge => "Un bénévole s'en occupe",
            Self::Resolue => "Résolue",
            Self::SansBenevole => "Aucun bénévole trouvé",
            Self::Refusee => "Refusée",
            Self::Annulee => "Annulée",
            Self::Abandonnee => "Abandonnée (sans suite)",
        }
    }

    /// The label the person who asked sees (plainer where the moderators' one would hurt).
    pub fn citizen_label(self) -> &'static str {
        match self {
            Self::Abandonnee => "Close faute de suite",
            other => other.label(),
        }
    }

    /// What it means for the person who asked, in plain words.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Nouvelle => {
                "Votre demande est bien arrivée. Une association de votre territoire va la lire, en général sous deux jours ouvrés."
            }
            Self::Ouverte => {
                "Votre demande est validée. Nous cherchons un bénévole près de chez vous."
            }
            Self::PriseEnCharge => "Un bénévole a accepté de vous aider. Il va vous contacter.",
            Self::Resolue => "Votre demande est terminée : le problème est résolu.",
            Self::SansBenevole => {
                "Nous n'avons pas encore trouvé de bénévole disponible. L'association de votre territoire cherche une solution."
            }
            Self::Refusee => "Votre demande n'a pas pu être acceptée.",
            Self::Annulee => {
                "Vous avez annulé votre demande. Vous pouvez en faire une nouvelle à tout moment."
            }
            Self::Abandonnee => {
                "Votre demande est restée longtemps sans suite : nous l'avons close. Si vous avez encore besoin d'aide, vous pouvez faire une nouvelle demande à tout moment."
            }
        }
    }

    /// Whether nothing more can happen to the request.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Resolue | Self::Refusee | Self::Annulee | Self::Abandonnee
        )
    }

    /// Whether `actor` may move a request from this state to `to` (the table of PRODUCT.md §4).
    pub fn allows(self, to: RequestStatus, actor: Actor) -> bool {
        use Actor::*;
        use RequestStatus::*;
        let staff = matches!(actor, Moderateur | Admin);
        match (self, to) {
            (Nouvelle, Ouverte) => staff || actor == Systeme,
            (Nouvelle, Refusee) => staff,
            (Ouverte, PriseEnCharge) => actor == Benevole || staff,
            (Ouverte, SansBenevole) => actor == Systeme,
            (SansBenevole, Ouverte) => staff,
            (PriseEnCharge, Ouverte) => actor == Benevole || staff || actor == Systeme,
            (PriseEnCharge, Resolue) => matches!(actor, Benevole | Citoyen) || staff,
            // "Ce n'est pas réglé": the person says a request someone else marked solved is not,
            // and it goes back to the moderators (the one move out of a final state).
            (Resolue, SansBenevole) => actor == Citoyen,
            (from, Annulee) => !from.is_final() && actor == Citoyen,
            (Nouvelle | Ouverte | SansBenevole, Abandonnee) => actor == Systeme,
            _ => false,
        }
    }
}

impl fmt::Display for RequestStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::Actor::*;
    use super::RequestStatus::*;
    use super::*;

    #[test]
    fn the_citizen_cancels_any_unfinished_request_and_nothing_else() {
        for from in RequestStatus::ALL {
            assert_eq!(from.allows(Annulee, Citoyen), !from.is_final(), "{from:?}");
            assert!(!from.allows(Annulee, Benevole));
        }
    }

    #[test]
    fn only_a_taken_request_can_be_marked_solved() {
        assert!(PriseEnCharge.allows(Resolue, Citoyen));
        assert!(PriseEnCharge.allows(Resolue, Benevole));
        assert!(!Ouverte.allows(Resolue, Citoyen));
        assert!(!Nouvelle.allows(Resolue, Citoyen));
    }

    #[test]
    fn final_states_go_nowhere() {
        for from in [Resolue, Refusee, Annulee, Abandonnee] {
            for to in RequestStatus::ALL {
                for actor in [Citoyen, Benevole, Moderateur, Admin, Systeme] {
                    if (from, to, actor) == (Resolue, SansBenevole, Citoyen) {
                        continue; // the one exception, checked below
                    }
                    assert!(!from.allows(to, actor), "{from:?} → {to:?} by {actor:?}");
                }
            }
        }
    }

    #[test]
    fn only_the_person_reopens_a_solved_request_and_only_to_the_moderators() {
        for to in RequestStatus::ALL {
            for actor in [Citoyen, Benevole, Moderateur, Admin, Systeme] {
                let allowed = (to, actor) == (SansBenevole, Citoyen);
                assert_eq!(Resolue.allows(to, actor), allowed, "{to:?} by {actor:?}");
            }
        }
    }

    #[test]
    fn an_open_request_leaves_only_when_taken_without_volunteer_or_cancelled() {
        // Each of these exits deals with the proposals still waiting: accepting withdraws the
        // others, `sans_benevole` happens only once none waits, cancelling and abandoning withdraw
        // them all. A new exit must do the same, or volunteers could still answer a request that
        // moved on.
        let exits: Vec<RequestStatus> = RequestStatus::ALL
            .into_iter()
            .filter(|to| {
                [Citoyen, Benevole, Moderateur, Admin, Systeme]
                    .into_iter()
                    .any(|actor| Ouverte.allows(*to, actor))
            })
            .collect();
        assert_eq!(exits, [PriseEnCharge, SansBenevole, Annulee, Abandonnee]);
    }

    #[test]
    fn only_the_service_abandons_and_only_requests_left_waiting() {
        for from in RequestStatus::ALL {
            let waiting = matches!(from, Nouvelle | Ouverte | SansBenevole);
            assert_eq!(from.allows(Abandonnee, Systeme), waiting, "{from:?}");
            for actor in [Citoyen, Benevole, Moderateur, Admin] {
                assert!(!from.allows(Abandonnee, actor), "{from:?} by {actor:?}");
            }
        }
    }

    #[test]
    fn slugs_round_trip() {
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::from_slug(s.slug()), Some(s));
        }
    }
}
