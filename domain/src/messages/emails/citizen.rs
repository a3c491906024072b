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
