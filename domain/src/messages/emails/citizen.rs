//! What every e-mail to a citizen carries, and their pages show too: the way back to the
//! follow-up page ("Suivre ma demande") and a human to call about the request.

use entity::{help_request, organisation};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

use crate::Config;
use crate::contact::display_fr;
use crate::tokens::open_follow_secret;

pub use crate::mail::follow_up::{FollowUp, Helpline};

impl Helpline {
    fn new(name: &str, international: &str, hours: Option<&str>) -> Self {
        Self {
            name: name.to_owned(),
            telephone: display_fr(international),
            tel_uri: international.to_owned(),
            hours: hours
                .map(str::trim)
                .filter(|h| !h.is_empty())
                .map(str::to_owned),
        }
    }
}

/// The helpline for `request`: its organisation's number, else the operator's (none when neither
/// has one).
pub async fn helpline<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
) -> Result<Option<Helpline>, DbErr> {
    let organisation = match request.organisation_id {
        Some(id) => organisation::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    if let Some(o) = &organisation
        && let Some(telephone) = o.telephone.as_deref()
    {
        return Ok(Some(Helpline::new(
            &o.name,
            telephone,
            o.horaires.as_deref(),
        )));
    }
    Ok(config.operator_phone.as_deref().map(|telephone| {
        Helpline::new(
            &config.operator_name,
            telephone,
            config.operator_hours.as_deref(),
        )
    }))
}

/// The address of `request`'s follow-up page: its private link when its sealed secret opens,
/// else `/suivi`, where the reference and the telephone digits lead back to it.
pub fn follow_link(config: &Config, request: &help_request::Model) -> String {
    match request
        .follow_token_sealed
        .as_deref()
        .and_then(|sealed| open_follow_secret(&config.secret_key, &request.reference, sealed))
    {
        Some(secret) => super::follow_url(config, &secret),
        None => config.link("/suivi"),
    }
}

impl FollowUp {
    /// The block for `request`, read in the caller's transaction.
    pub async fn load<C: ConnectionTrait>(
        db: &C,
        config: &Config,
        request: &help_request::Model,
    ) -> Result<Self, DbErr> {
        Ok(Self {
            reference: request.reference.clone(),
            follow_url: follow_link(config, request),
            helpline: helpline(db, config, request).await?,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use entity::states::RequestStatus;

    use super::*;
    use crate::mail::{Composed, compose};
    use crate::messages::emails::{
        NoVolunteerYet, RequestAbandoned, RequestCancelled, RequestReceived, RequestResolved,
        VolunteerFound,
    };
    use crate::messages::{CATALOGUE, Channel, Recipient};
    use crate::moderation::refusal::{RefusalReason, RequestRefused};

    fn request() -> help_request::Model {
        let now = Utc::now();
        help_request::Model {
            id: 1,
            reference: "ENT-7K3F9Q".into(),
            follow_token_hash: "0".repeat(64),
            status: RequestStatus::PriseEnCharge,
            categories: 1,
            modes: 1,
            description: None,
            commune_insee: "51454".into(),
            departement: "51".into(),
            latitude: 49.26,
            longitude: 4.03,
            prenom: "Josette".into(),
            email: Some("josette@example.org".into()),
            telephone: Some("+33612345678".into()),
            langue: None,
            pour_un_proche: false,
            prenom_proche: None,
            a_rappeler: false,
            submitter_key: None,
            consent_at: now,
            created_at: now,
            updated_at: now,
            volunteer_id: None,
            closed_at: None,
            organisation_id: None,
            entered_by: None,
            erased_at: None,
            follow_token_sealed: None,
            telephone_proche: None,
            lien_proche: None,
            contacter_proche: false,
            message_benevole: None,
            mot_de_confiance: None,
            sms_aussi: false,
            api_key_id: None,
        }
    }

    fn volunteer() -> entity::account::Model {
        let now = Utc::now();
        entity::account::Model {
            id: 3,
            email: "karim@example.org".into(),
            password_hash: String::new(),
            prenom: "Karim".into(),
            nom: None,
            role: entity::states::Role::Benevole,
            email_verified_at: Some(now),
            session_epoch: 0,
            deleted_at: None,
            created_at: now,
            updated_at: now,
        }
    }

    fn proposal() -> entity::proposal::Model {
        let now = Utc::now();
        entity::proposal::Model {
            id: 9,
            request_id: 1,
            volunteer_id: 3,
            round: 1,
            rank: 1,
            score: 90.0,
            breakdown: String::new(),
            distance_km: 2.0,
            status: entity::states::ProposalStatus::Accepted,
            token_hash: String::new(),
            created_at: now,
            expires_at: now,
            answered_at: Some(now),
            reminded_at: None,
        }
    }

    /// Every citizen e-mail kind of the catalogue, rendered for one request: a new kind without a
    /// sample here fails the test below, so none can leave out the way back.
    fn sample(config: &Config, kind: &str, follow: FollowUp) -> Composed {
        let r = request();
        let to = "josette@example.org";
        let base = &config.base_url;
        match kind {
            "request_received" => compose(
                base,
                to,
                &RequestReceived::new(config, &r, &"a".repeat(64), follow),
            ),
            "request_refused" => compose(
                base,
                to,
                &RequestRefused::new(config, &r, RefusalReason::HorsChamp, None, follow),
            ),
            "volunteer_found" => {
                let p = proposal();
                compose(
                    base,
                    to,
                    &VolunteerFound::new(config, &r, &volunteer(), &p, follow),
                )
            }
            "no_volunteer" => compose(base, to, &NoVolunteerYet::new(config, &r, follow)),
            "request_resolved" => compose(
                base,
                to,
                &RequestResolved::new(config, &r, Some("Karim".into()), &"b".repeat(64), follow),
            ),
            "request_cancelled" => compose(base, to, &RequestCancelled::new(config, &r, follow)),
            "request_abandoned" => {
                compose(base, to, &RequestAbandoned::new(config, &r, 90, follow))
            }
            other => panic!("no sample for the citizen e-mail {other}: add one here"),
        }
        .unwrap()
    }

    #[test]
    fn every_citizen_email_of_the_catalogue_has_the_follow_link_and_whom_to_call() {
        let config = Config::from_lookup(|_| None).unwrap();
        let follow_url = format!("{}/suivi/{}", "http://localhost:3000", "c".repeat(64));
        let follow = FollowUp {
            reference: "ENT-7K3F9Q".into(),
            follow_url: follow_url.clone(),
            helpline: Some(Helpline::new(
                "Entraide Numérique Paris",
                "+33145678910",
                Some("du lundi au vendredi, 9 h–17 h"),
            )),
        };
        let call = "Appelez Entraide Numérique Paris au 01 45 67 89 10 (du lundi au vendredi, 9 h–17 h) et donnez votre numéro";
        let kinds: Vec<&str> = CATALOGUE
            .iter()
            .filter(|e| e.recipient == Recipient::Citizen && e.channel == Channel::Email)
            .map(|e| e.kind)
            .collect();
        assert!(kinds.len() >= 7, "{kinds:?}");
        for kind in kinds {
            let email = sample(&config, kind, follow.clone());
            assert!(
                email
                    .text
                    .contains(&format!("Suivre ma demande : {follow_url}")),
                "{kind}: {}",
                email.text
            );
            assert!(
                email.html.contains(&format!("href=\"{follow_url}\"")),
                "{kind}"
            );
            assert!(email.html.contains(">Suivre ma demande</a>"), "{kind}");
            assert!(email.text.contains(call), "{kind}: {}", email.text);
            assert!(email.text.contains("ENT-7K3F9Q"), "{kind}");
        }
    }

    #[test]
    fn long_links_wrap_in_the_html_of_every_email() {
        let layout = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../templates/emails/layout.html"),
        )
        .unwrap();
        assert!(layout.contains("overflow-wrap:anywhere"));
    }
}
