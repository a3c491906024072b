//! Safe in-person help (issue 20, point 1): when a request's organisation wants in-person help
//! from vetted volunteers only, a volunteer it has not vetted is proposed the request for its
//! remote modes only — the score already leaves in-person help out of what both sides share — and
//! every page and e-mail he sees about it says so, from the proposal to the contact details.

use entity::{help_request, volunteer_profile};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

use super::candidates::vetting_required;
use crate::reference::{HelpMode, ModeSet};

/// How one volunteer may help with one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HelpWays {
    /// The request's modes this volunteer may help in.
    pub modes: ModeSet,
    /// In-person help was asked for but is kept from this volunteer: the organisation has not
    /// vetted them.
    pub remote_only: bool,
}

impl HelpWays {
    /// The ways a volunteer (`vetted` or not) may help with a request asking for `requested`, from
    /// an organisation that does (`vetting_required`) or does not want vetted volunteers in homes.
    pub fn of(requested: ModeSet, vetting_required: bool, vetted: bool) -> Self {
        let remote_only = requested.contains(HelpMode::Presentiel) && vetting_required && !vetted;
        let modes = if remote_only {
            requested
                .items()
                .into_iter()
                .filter(|m| *m != HelpMode::Presentiel)
                .collect()
        } else {
            requested
        };
        Self { modes, remote_only }
    }

    /// The French labels of [`Self::modes`].
    pub fn labels(&self) -> Vec<&'static str> {
        self.modes.labels()
    }

    /// What the volunteer reads when in-person help is kept from them, naming the person:
    /// « Vous pouvez aider Josette par téléphone ou en vidéo. L'aide chez la personne demande
    /// d'avoir été rencontré par l'association. »
    pub fn notice(&self, prenom: &str) -> Option<String> {
        if !self.remote_only {
            return None;
        }
        let ways: Vec<&str> = self
            .modes
            .items()
            .into_iter()
            .filter_map(|m| match m {
                HelpMode::Telephone => Some("par téléphone"),
                HelpMode::Visio => Some("en vidéo"),
                HelpMode::Presentiel => None,
            })
            .collect();
        Some(format!(
            "Vous pouvez aider {prenom} {}. L'aide chez la personne demande d'avoir été rencontré par l'association.",
            ways.join(" ou ")
        ))
    }
}

/// How volunteer `volunteer_id` may help with `request` now: the request's organisation and the
/// volunteer's vetting read from the database.
pub async fn ways_for<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
    volunteer_id: i64,
) -> Result<HelpWays, DbErr> {
    let requested = ModeSet::from_bits(request.modes);
    if !requested.contains(HelpMode::Presentiel) {
        return Ok(HelpWays::of(requested, false, false));
    }
    let vetted = volunteer_profile::Entity::find_by_id(volunteer_id)
        .one(db)
        .await?
        .is_some_and(|p| p.vetted_at.is_some());
    Ok(HelpWays::of(
        requested,
        vetting_required(db, request).await?,
        vetted,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modes(slugs: &[&str]) -> ModeSet {
        ModeSet::from_slugs(slugs).unwrap()
    }

    #[test]
    fn an_unvetted_volunteer_helps_from_afar_where_vetting_is_required() {
        let ways = HelpWays::of(modes(&["telephone", "visio", "presentiel"]), true, false);
        assert!(ways.remote_only);
        assert_eq!(ways.modes, modes(&["telephone", "visio"]));
        assert_eq!(
            ways.notice("Josette").unwrap(),
            "Vous pouvez aider Josette par téléphone ou en vidéo. L'aide chez la personne demande d'avoir été rencontré par l'association."
        );
        let phone = HelpWays::of(modes(&["telephone", "presentiel"]), true, false);
        assert_eq!(
            phone.notice("Josette").unwrap(),
            "Vous pouvez aider Josette par téléphone. L'aide chez la personne demande d'avoir été rencontré par l'association."
        );
    }

    #[test]
    fn vetted_volunteers_and_organisations_without_the_rule_keep_every_mode() {
        let all = modes(&["telephone", "presentiel"]);
        for (required, vetted) in [(true, true), (false, false), (false, true)] {
            let ways = HelpWays::of(all, required, vetted);
            assert!(!ways.remote_only);
            assert_eq!(ways.modes, all);
            assert_eq!(ways.notice("Josette"), None);
        }
        let remote = HelpWays::of(modes(&["visio"]), true, false);
        assert!(!remote.remote_only, "nothing kept from them");
    }
}
