//! The events of a request for its organisation's webhooks: one delivery row per active endpoint,
//! written through the caller's connection (the transaction of the change it reports), with the
//! payload partners receive — the reference, the state and its label, the time of the change and
//! the volunteer's first name once taken; never contact details nor internal notes.

use chrono::{DateTime, SecondsFormat, Utc};
use entity::states::{Actor, OutboxStatus, RequestStatus};
use entity::{account, help_request, request_event, webhook_delivery, webhook_endpoint};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;

use super::Event;

/// The JSON body of a webhook.
#[derive(Debug, Serialize)]
pub struct Payload {
    /// The event's id (the same for every endpoint): partners de-duplicate on it.
    pub id: String,
    /// `demande.creee`, `demande.resolue`…
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// When the event was written (RFC 3339, UTC).
    pub cree_le: String,
    /// The request as it stands after the change.
    pub donnees: Data,
}

/// What a webhook says of the request.
#[derive(Debug, Serialize)]
pub struct Data {
    /// Its reference (`ENT-…`), as the person and the partner know it.
    pub reference: String,
    /// Its state's slug (`prise_en_charge`…).
    pub statut: &'static str,
    /// Its state in words.
    pub statut_libelle: &'static str,
    /// When it last changed (RFC 3339, UTC).
    pub mis_a_jour_le: String,
    /// The first name of the volunteer who took it, once taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prenom_benevole: Option<String>,
}

/// Writes `event` about `request` for every active endpoint of its organisation, through `db`
/// (the caller's transaction), once per endpoint for `dedupe_key`. Returns how many deliveries
/// were written (none: the request has no organisation, or it has no endpoint).
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    event: Event,
    request: &help_request::Model,
    dedupe_key: &str,
) -> Result<usize, DbErr> {
    let Some(organisation_id) = request.organisation_id else {
        return Ok(0);
    };
    let endpoints: Vec<i64> = webhook_endpoint::Entity::find()
        .select_only()
        .column(webhook_endpoint::Column::Id)
        .filter(webhook_endpoint::Column::OrganisationId.eq(organisation_id))
        .filter(webhook_endpoint::Column::DisabledAt.is_null())
        .order_by_asc(webhook_endpoint::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    if endpoints.is_empty() {
        return Ok(0);
    }
    let now = Utc::now();
    let event_id = uuid::Uuid::new_v4().to_string();
    let body = serde_json::to_string(&Payload {
        id: event_id.clone(),
        kind: event.slug(),
        cree_le: rfc3339(now),
        donnees: Data {
            reference: request.reference.clone(),
            statut: request.status.slug(),
            statut_libelle: request.status.label(),
            mis_a_jour_le: rfc3339(request.updated_at),
            prenom_benevole: volunteer_first_name(db, event, request).await?,
        },
    })
    .map_err(|e| DbErr::Custom(e.to_string()))?;
    let mut written = 0;
    for endpoint_id in endpoints {
        let row = webhook_delivery::ActiveModel {
            endpoint_id: Set(endpoint_id),
            request_id: Set(Some(request.id)),
            event_id: Set(event_id.clone()),
            event_type: Set(event.slug().to_owned()),
            dedupe_key: Set(format!("{dedupe_key}:{endpoint_id}")),
            body: Set(body.clone()),
            status: Set(OutboxStatus::Pending),
            attempts: Set(0),
            next_attempt_at: Set(now),
            locked_by: Set(None),
            locked_until: Set(None),
            last_error: Set(None),
            last_status_code: Set(None),
            created_at: Set(now),
            delivered_at: Set(None),
            ..Default::default()
        };
        written += webhook_delivery::Entity::insert(row)
            .on_conflict(
                OnConflict::column(webhook_delivery::Column::DedupeKey)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await? as usize;
    }
    Ok(written)
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The first name of the volunteer holding the request, for the events that name one: the
/// request's volunteer, or (a volunteer accepting is recorded before the request names them) the
/// volunteer of its latest acceptance.
async fn volunteer_first_name<C: ConnectionTrait>(
    db: &C,
    event: Event,
    request: &help_request::Model,
) -> Result<Option<String>, DbErr> {
    if !matches!(event, Event::Taken | Event::Resolved)
        || !matches!(
            request.status,
            RequestStatus::PriseEnCharge | RequestStatus::Resolue
        )
    {
        return Ok(None);
    }
    let volunteer = match request.volunteer_id {
        Some(id) => Some(id),
        None => request_event::Entity::find()
            .select_only()
            .column(request_event::Column::ActorId)
            .filter(request_event::Column::RequestId.eq(request.id))
            .filter(request_event::Column::Actor.eq(Actor::Benevole))
            .filter(request_event::Column::ToStatus.eq(RequestStatus::PriseEnCharge))
            .order_by_desc(request_event::Column::Id)
            .into_tuple::<Option<i64>>()
            .one(db)
            .await?
            .flatten(),
    };
    let Some(id) = volunteer else {
        return Ok(None);
    };
    Ok(account::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|a| a.prenom.trim().to_owned())
        .filter(|p| !p.is_empty()))
}
