//! E-mails to moderators: a new request to triage (immediately, or in the daily digest, as each
//! moderator chose), a request left without volunteer, and a person's safety report. Requests no organisation covers go to
//! the admins. Both are written to the outbox in the caller's transaction, once per request,
//! recipient and event (the dedupe key). A moderator is not written to about a request they
//! entered or relaunched themselves, nor before they chose their password (account activated).

use chrono::Utc;
use entity::states::EventKind;
use entity::{account, feedback, help_request, organisation, request_event};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::mail::Email;
use crate::messages::emails::{NewRequestToTriage, NoVolunteerAlert, RequestSummary, SafetyReport};
use crate::messages::{self, Message};
use crate::organisations::{self, NOTIFY_IMMEDIATE};
use crate::{Config, error::DomainError};

/// Who hears about a request: the organisation (none: the admins) and the accounts to write to.
struct Recipients {
    organisation: Option<organisation::Model>,
    accounts: Vec<account::Model>,
}

/// The moderators of `request`'s organisation (only those whose membership says `immediat` when
/// `immediate_only`); for a request without organisation, or whose organisation is gone or
/// inactive (its moderators no longer see its requests), the admins. Accounts not activated yet
/// and the staff member `except` (who caused the e-mail) are left out.
async fn recipients<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
    immediate_only: bool,
    except: Option<i64>,
) -> Result<Recipients, DbErr> {
    let organisation = match request.organisation_id {
        Some(id) => organisation::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|o| o.active),
        None => None,
    };
    let accounts = match &organisation {
        Some(o) => organisations::moderators(db, o.id)
            .await?
            .into_iter()
            .filter(|(m, _)| !immediate_only || m.notification == NOTIFY_IMMEDIATE)
            .map(|(_, a)| a)
            .collect(),
        None => organisations::admins(db).await?,
    };
    let accounts = accounts
        .into_iter()
        .filter(|a| a.email_verified_at.is_some() && Some(a.id) != except)
        .collect();
    Ok(Recipients {
        organisation,
        accounts,
    })
}

/// The staff member who last relaunched the search for `request_id`, if anyone did.
async fn relaunched_by<C: ConnectionTrait>(db: &C, request_id: i64) -> Result<Option<i64>, DbErr> {
    Ok(request_event::Entity::find()
        .filter(request_event::Column::RequestId.eq(request_id))
        .filter(request_event::Column::Kind.eq(EventKind::Relaunched))
        .order_by_desc(request_event::Column::Id)
        .one(db)
        .await?
        .and_then(|e| e.actor_id))
}

/// Enqueues `email(account)` for each recipient, under `kind:request:organisation:account:event`.
async fn send_each<C, E>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
    to: &Recipients,
    email: impl Fn(&account::Model) -> E,
) -> Result<(), DomainError>
where
    C: ConnectionTrait,
    E: Email,
{
    let organisation = to
        .organisation
        .as_ref()
        .map_or_else(|| "admin".to_owned(), |o| o.id.to_string());
    for account in &to.accounts {
        let key = Message::ModerationAlert {
            kind: E::KIND,
            request: request.id,
            organisation: organisation.clone(),
            account: account.id,
            updated_micros: request.updated_at.timestamp_micros(),
        };
        messages::queue(db, config, &account.email, &email(account), &key).await?;
    }
    Ok(())
}

/// Tells the moderators of `request`'s organisation who want immediate e-mails that a new request
/// waits for them (the others get it in their digest). Call it inside the transaction that
/// stores or transfers the request.
pub async fn request_to_triage<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
) -> Result<(), DomainError> {
    let to = recipients(db, request, true, request.entered_by).await?;
    let summary = RequestSummary::new(config, request, Utc::now());
    let organisation = to.organisation.as_ref().map(|o| o.name.clone());
    send_each(db, config, request, &to, |account| NewRequestToTriage {
        prenom: account.prenom.clone(),
        organisation: organisation.clone(),
        request: summary.clone(),
    })
    .await
}

/// Alerts the moderators of `request`'s organisation that matching found nobody. Call it inside
/// the transaction that moved the request to `sans_benevole`.
pub async fn request_without_volunteer<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
) -> Result<(), DomainError> {
    let to = recipients(db, request, false, relaunched_by(db, request.id).await?).await?;
    let summary = RequestSummary::new(config, request, Utc::now());
    let organisation = to.organisation.as_ref().map(|o| o.name.clone());
    send_each(db, config, request, &to, |account| NoVolunteerAlert {
        prenom: account.prenom.clone(),
        organisation: organisation.clone(),
        request: summary.clone(),
        not_solved: false,
    })
    .await
}

/// Alerts the moderators of `request`'s organisation that the person says the request marked
/// solved is not ("Ce n'est pas réglé"). Call it inside the transaction of that move.
pub async fn request_not_solved<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
) -> Result<(), DomainError> {
    let to = recipients(db, request, false, None).await?;
    let summary = RequestSummary::new(config, request, Utc::now());
    let organisation = to.organisation.as_ref().map(|o| o.name.clone());
    send_each(db, config, request, &to, |account| NoVolunteerAlert {
        prenom: account.prenom.clone(),
        organisation: organisation.clone(),
        request: summary.clone(),
        not_solved: true,
    })
    .await
}

/// Alerts every moderator of `request`'s organisation (none: the admins) at once that the person
/// answered « oui » to the feedback's safety question (`report`): someone asked them for money, a
/// password or a code. Call it inside the transaction that keeps the answer.
pub async fn safety_report<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
    report: &feedback::Model,
) -> Result<(), DomainError> {
    let to = recipients(db, request, false, None).await?;
    let summary = RequestSummary::new(config, request, Utc::now());
    let organisation = to.organisation.as_ref().map(|o| o.name.clone());
    let volunteer = match report.volunteer_id {
        Some(id) => account::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let volunteer_name = volunteer.as_ref().map(|v| match &v.nom {
        Some(nom) => format!("{} {nom}", v.prenom),
        None => v.prenom.clone(),
    });
    let volunteer_link = volunteer
        .as_ref()
        .map(|v| config.link(&format!("/moderation/benevoles/{}", v.id)));
    for account in &to.accounts {
        let email = SafetyReport {
            prenom: account.prenom.clone(),
            organisation: organisation.clone(),
            request: summary.clone(),
            volunteer: volunteer_name.clone(),
            volunteer_link: volunteer_link.clone(),
        };
        let key = Message::ModerationSafetyReport {
            request: request.id,
            feedback: report.id,
            account: account.id,
        };
        messages::queue(db, config, &account.email, &email, &key).await?;
    }
    Ok(())
}
