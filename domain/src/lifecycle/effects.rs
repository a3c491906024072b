//! What follows a move of a request, decided in one place from the state it leaves and the one
//! it reaches, whoever moved it, and applied in the transaction of the move ([`super::apply`]):
//!
//! | move to | effects |
//! |---|---|
//! | `resolue` | the person is thanked and asked for their opinion (feedback link; by SMS too) |
//! | `annulee` | waiting proposals withdrawn; the volunteer who held it told; the person told (and by SMS) |
//! | `abandonnee` | waiting proposals withdrawn; the person told why and that they may ask again |
//! | `sans_benevole` | the moderators alerted; the person told that we are still looking (and by SMS) |
//! | `resolue` → `sans_benevole` | "ce n'est pas réglé": the volunteer let go of, the moderators alerted |
//!
//! Moves to `prise_en_charge`, `sans_benevole`, `resolue` and `annulee` are also sent to the
//! organisation's webhooks (`demande.prise_en_charge`…: [`partner_event`]).
//!
//! Moves whose effects need what only their caller knows (the proposal a volunteer accepted, a
//! refusal's reason and message, the first round of matching) apply them at their call site,
//! in the same transaction.

use chrono::{Duration, Utc};
use entity::{account, feedback_token, help_request};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

use super::{alerts, proposals};
use crate::Config;
use crate::error::DomainError;
use crate::mail::Email;
use crate::messages::emails::{
    FollowUp, NoVolunteerYet, RequestAbandoned, RequestCancelled, RequestCancelledVolunteer,
    RequestResolved,
};
use crate::messages::{self, Message, texts};
use crate::tokens::new_token;
use crate::webhooks::Event;
use entity::states::RequestStatus;

/// Applies what follows `moved` arriving in its state from `from`.
pub(super) async fn effects<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    from: RequestStatus,
    moved: &help_request::Model,
) -> Result<(), DomainError> {
    match moved.status {
        RequestStatus::Resolue => invite_feedback(db, config, moved).await,
        RequestStatus::Annulee => cancelled(db, config, from, moved).await,
        RequestStatus::Abandonnee => abandoned(db, config, moved).await,
        RequestStatus::SansBenevole if from == RequestStatus::Resolue => {
            not_solved(db, config, moved).await
        }
        RequestStatus::SansBenevole => without_volunteer(db, config, moved).await,
        RequestStatus::Nouvelle
        | RequestStatus::Ouverte
        | RequestStatus::PriseEnCharge
        | RequestStatus::Refusee => Ok(()),
    }?;
    partner_event(db, moved).await
}

/// Tells the organisation's webhooks of the moves partners follow (one delivery per endpoint
/// and per move).
async fn partner_event<C: ConnectionTrait>(
    db: &C,
    moved: &help_request::Model,
) -> Result<(), DomainError> {
    let event = match moved.status {
        RequestStatus::PriseEnCharge => Event::Taken,
        RequestStatus::SansBenevole => Event::WithoutVolunteer,
        RequestStatus::Resolue => Event::Resolved,
        RequestStatus::Annulee => Event::Cancelled,
        RequestStatus::Nouvelle
        | RequestStatus::Ouverte
        | RequestStatus::Refusee
        | RequestStatus::Abandonnee => return Ok(()),
    };
    let message = Message::Webhook {
        event,
        request: moved.id,
        at_micros: moved.updated_at.timestamp_micros(),
    };
    messages::queue_webhook(db, moved, &message).await?;
    Ok(())
}

/// Queues `message(config, request)` to the person who asked, when they gave an e-mail address.
async fn tell_citizen<C, E>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
    message: impl FnOnce(&Config, &help_request::Model, FollowUp) -> (E, Message),
) -> Result<(), DomainError>
where
    C: ConnectionTrait,
    E: Email,
{
    let Some(email) = &request.email else {
        return Ok(());
    };
    let follow_up = FollowUp::load(db, config, request).await?;
    let (message, key) = message(config, request, follow_up);
    messages::queue(db, config, email, &message, &key).await?;
    Ok(())
}

/// Closed after `STALE_REQUEST_DAYS` without change: nobody holds a waiting request, so only the
/// proposals still waiting are let go of; the person is told.
async fn abandoned<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    closed: &help_request::Model,
) -> Result<(), DomainError> {
    proposals::withdraw_waiting(db, closed.id, None).await?;
    tell_citizen(db, config, closed, |c, r, f| {
        (
            RequestAbandoned::new(c, r, c.stale_request_days, f),
            Message::RequestAbandoned { request: r.id },
        )
    })
    .await
}

/// Nobody found: the moderators are alerted, and the person is told that we are still looking
/// (once per round that found nobody).
async fn without_volunteer<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    moved: &help_request::Model,
) -> Result<(), DomainError> {
    alerts::request_without_volunteer(db, config, moved).await?;
    let round = proposals::last_round(db, moved.id).await? + 1;
    texts::no_volunteer(db, config, moved, round).await?;
    tell_citizen(db, config, moved, |c, r, f| {
        (
            NoVolunteerYet::new(c, r, f),
            Message::NoVolunteer {
                request: r.id,
                round,
            },
        )
    })
    .await
}

/// The person says a request someone marked solved is not: the volunteer who held it lets go of
/// it (their accepted proposal is given back, so that another may take it), and the moderators
/// are alerted to take it up again. The person sees it on their page; no e-mail.
async fn not_solved<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    moved: &help_request::Model,
) -> Result<(), DomainError> {
    help_request::Entity::update_many()
        .col_expr(
            help_request::Column::VolunteerId,
            sea_orm::sea_query::Expr::value(Option::<i64>::None),
        )
        .filter(help_request::Column::Id.eq(moved.id))
        .exec(db)
        .await?;
    proposals::apply(
        db,
        sea_orm::Condition::all().add(entity::proposal::Column::RequestId.eq(moved.id)),
        entity::states::ProposalStatus::Accepted,
        entity::states::ProposalStatus::Declined,
        None,
    )
    .await?;
    let mut moved = moved.clone();
    moved.volunteer_id = None;
    alerts::request_not_solved(db, config, &moved).await
}

/// Cancelled by the person: the proposals still waiting are withdrawn (their volunteers are not
/// e-mailed: the proposal page says the person cancelled), the volunteer who held the request, if
/// any, is told they have nothing more to do, and the person gets "Votre demande est annulée".
async fn cancelled<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    from: RequestStatus,
    cancelled: &help_request::Model,
) -> Result<(), DomainError> {
    proposals::withdraw_waiting(db, cancelled.id, None).await?;
    // Read inside the transaction that moved it: the holder now, not when the page was shown.
    let holder = match from {
        RequestStatus::PriseEnCharge => help_request::Entity::find_by_id(cancelled.id)
            .one(db)
            .await?
            .and_then(|r| r.volunteer_id),
        _ => None,
    };
    let volunteer = match holder {
        Some(id) => {
            account::Entity::find_by_id(id)
                .filter(account::Column::DeletedAt.is_null())
                .one(db)
                .await?
        }
        None => None,
    };
    if let Some(volunteer) = volunteer {
        let message = RequestCancelledVolunteer::new(config, cancelled, &volunteer);
        messages::queue(
            db,
            config,
            &volunteer.email,
            &message,
            &Message::RequestCancelledVolunteer {
                request: cancelled.id,
            },
        )
        .await?;
    }
    texts::request_cancelled(db, config, cancelled).await?;
    tell_citizen(db, config, cancelled, |c, r, f| {
        (
            RequestCancelled::new(c, r, f),
            Message::RequestCancelled { request: r.id },
        )
    })
    .await
}

/// Solved: when the person gave an e-mail address, writes their feedback link and queues "Votre
/// demande est résolue" (once per request); by SMS, the way to their follow-up page, where they
/// give their opinion.
async fn invite_feedback<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
) -> Result<(), DomainError> {
    texts::request_resolved(db, config, request).await?;
    let Some(email) = &request.email else {
        return Ok(());
    };
    let asked = feedback_token::Entity::find()
        .filter(feedback_token::Column::RequestId.eq(request.id))
        .count(db)
        .await?;
    if asked > 0 {
        return Ok(());
    }
    let token = new_token();
    let now = Utc::now();
    let ended = request.closed_at.unwrap_or(now);
    feedback_token::ActiveModel {
        request_id: Set(request.id),
        token_hash: Set(token.hash),
        // The retention job erases it then at the latest.
        expires_at: Set(ended + Duration::days(i64::from(config.retention_days))),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let volunteer = match request.volunteer_id {
        Some(id) => account::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|a| a.prenom)
            .filter(|p| !p.trim().is_empty()),
        None => None,
    };
    let follow_up = FollowUp::load(db, config, request).await?;
    let message = RequestResolved::new(config, request, volunteer, &token.secret, follow_up);
    messages::queue(
        db,
        config,
        email,
        &message,
        &Message::RequestResolved {
            request: request.id,
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_effects_of_a_move_are_written_here_only() {
        let effects = [
            "Message::RequestResolved",
            "Message::RequestCancelled ",
            "Message::RequestCancelledVolunteer",
            "Message::RequestAbandoned",
            "Message::NoVolunteer ",
            "request_without_volunteer(",
            "invite_feedback(",
            "Event::Taken",
            "Event::WithoutVolunteer",
            "Event::Resolved",
            "Event::Cancelled",
        ];
        let mut elsewhere = Vec::new();
        for (path, text) in crate::source_files::all() {
            let own = path.starts_with("domain/src/lifecycle")
                || path.starts_with("domain/src/messages")
                || path.starts_with("domain/src/webhooks");
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for effect in effects {
                if !own && code.contains(effect) {
                    elsewhere.push(format!("{}: {effect}", path.display()));
                }
            }
        }
        assert!(
            elsewhere.is_empty(),
            "the effects of a move belong to lifecycle::effects: {elsewhere:?}"
        );
    }
}
