//! A citizen's request, from the form to the database: checking each field (French messages next
//! to it), then storing the request, its first timeline entry and its confirmation e-mail in one
//! transaction. A moderator may type one in for someone who phoned (same checks, marked as theirs).

mod checks;

use chrono::Utc;
use entity::states::AuditAction;
use entity::{help_request, organisation};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, Set, SqlErr,
};

use super::anti_abuse;
use super::reference_code::new_reference;
use super::status::{Actor, RequestStatus};
use crate::Config;
use crate::audit::{self, AuditActor, Target};
use crate::error::DomainError;
use crate::lifecycle;
use crate::matching;
use crate::messages::{self, Message};
use crate::organisations::{self, Scope};
use crate::tokens::new_token;
use entity::states::EventKind;
use entity::states::Role;

/// The first event's details when a moderator typed the request in.
pub const ENTERED_BY_STAFF: &str = "saisie par un modérateur pour une personne qui a appelé";
/// The first event's details when a partner filed the request through the API.
pub const ENTERED_BY_PARTNER: &str = "saisie par un partenaire pour une personne qui a appelé";

pub use checks::{
    MAX_CATEGORIES, MAX_DESCRIPTION, NewRequest, RequestInput, check_categories, check_contact,
    check_langue, check_modes, check_prenom, validate,
};

/// A stored request, and the secret of its follow-up link (shown once, never stored).
#[derive(Clone, Debug)]
pub struct Created {
    pub request: help_request::Model,
    pub follow_secret: String,
}

/// Stores `new` as `nouvelle`, with its first timeline entry and, when there is an address, the
/// confirmation e-mail — all or nothing.
pub async fn create(
    db: &DatabaseConnection,
    config: &Config,
    new: &NewRequest,
    submitter_key: Option<String>,
) -> Result<Created, DomainError> {
    let source = Source::Public {
        submitter_key,
        per_hour: None,
    };
    let created = create_from(db, config, new, &source).await?;
    created.ok_or_else(|| anyhow::anyhow!("a request without limit was refused").into())
}

/// [`create`] for the public form, within the limit of `per_hour` requests an hour from the address
/// whose keyed hash is `submitter_key`; `None` (nothing written) beyond it. The count and the new
/// request are one transaction serialised per address, so concurrent submissions cannot pass
/// the limit together.
pub async fn create_limited(
    db: &DatabaseConnection,
    config: &Config,
    new: &NewRequest,
    submitter_key: String,
    per_hour: u64,
) -> Result<Option<Created>, DomainError> {
    let source = Source::Public {
        submitter_key: Some(submitter_key),
        per_hour: Some(per_hour),
    };
    create_from(db, config, new, &source).await
}

/// Who typed a request in.
#[derive(Clone, Debug)]
pub enum Source {
    /// The person (or a relative) on the public form; the keyed hash of their IP address, and how
    /// many requests it may file an hour.
    Public {
        submitter_key: Option<String>,
        per_hour: Option<u64>,
    },
    /// A moderator or admin, for someone who phoned: the request is theirs to triage.
    Staff {
        account_id: i64,
        role: Role,
        scope: Scope,
    },
    /// A partner organisation, through the API with one of its keys: the request stays within
    /// that organisation.
    Partner {
        api_key_id: i64,
        organisation_id: i64,
    },
}

/// [`create`] for a request typed in by a staff member for someone who phoned: marked as entered
/// by them, written to the audit log, and kept within their organisations — the routed one when
/// it is theirs, else their first (admins: routing decides).
pub async fn create_entered(
    db: &DatabaseConnection,
    config: &Config,
    new: &NewRequest,
    account_id: i64,
    role: Role,
    scope: Scope,
) -> Result<Created, DomainError> {
    let source = Source::Staff {
        account_id,
        role,
        scope,
    };
    let created = create_from(db, config, new, &source).await?;
    created.ok_or_else(|| anyhow::anyhow!("a request without limit was refused").into())
}

/// [`create`] for a request filed through the partner API with key `api_key_id` of
/// `organisation_id`: marked as the key's, written to the audit log, and kept within that
/// organisation (the routed one when it is that one, else it).
pub async fn create_by_partner(
    db: &DatabaseConnection,
    config: &Config,
    new: &NewRequest,
    api_key_id: i64,
    organisation_id: i64,
) -> Result<Created, DomainError> {
    let source = Source::Partner {
        api_key_id,
        organisation_id,
    };
    let created = create_from(db, config, new, &source).await?;
    created.ok_or_else(|| anyhow::anyhow!("a request without limit was refused").into())
}

async fn create_from(
    db: &DatabaseConnection,
    config: &Config,
    new: &NewRequest,
    source: &Source,
) -> Result<Option<Created>, DomainError> {
    for _ in 0..5 {
        match try_create(db, config, new, source).await {
            Ok(created) => return Ok(created),
            // A reference already taken (one chance in a billion): draw another.
            Err(DomainError::Database(err))
                if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
            {
                continue;
            }
            Err(err) => return Err(err),
        }
    }
    Err(anyhow::anyhow!("could not draw a free request reference").into())
}

/// The organisation a new request belongs to: routing decides, but a moderator keeps what they
/// type in within their own organisations.
async fn organisation_for<C: ConnectionTrait>(
    db: &C,
    departement: &str,
    source: &Source,
) -> Result<Option<organisation::Model>, DbErr> {
    let routed = organisations::route(db, departement).await?;
    match source {
        Source::Staff {
            scope: Scope::Organisations(ids),
            ..
        } if !routed.as_ref().is_some_and(|o| ids.contains(&o.id)) => match ids.first() {
            Some(id) => organisation::Entity::find_by_id(*id).one(db).await,
            None => Ok(routed),
        },
        Source::Partner {
            organisation_id, ..
        } if routed.as_ref().is_none_or(|o| o.id != *organisation_id) => {
            organisation::Entity::find_by_id(*organisation_id)
                .one(db)
                .await
        }
        _ => Ok(routed),
    }
}

async fn try_create(
    db: &DatabaseConnection,
    config: &Config,
    new: &NewRequest,
    source: &Source,
) -> Result<Option<Created>, DomainError> {
    let token = new_token();
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    let (submitter_key, entered_by, api_key_id) = match source {
        Source::Public { submitter_key, .. } => (submitter_key.clone(), None, None),
        Source::Staff { account_id, .. } => (None, Some(*account_id), None),
        Source::Partner { api_key_id, .. } => (None, None, Some(*api_key_id)),
    };
    let limit = match source {
        Source::Public {
            submitter_key: Some(key),
            per_hour: Some(per_hour),
        } => Some((key.as_str(), *per_hour)),
        _ => None,
    };
    if let Some((key, _)) = limit {
        crate::db::lock_names(&txn, &[&format!("submitter:{key}")]).await?;
    }
    let organisation = organisation_for(&txn, &new.departement, source).await?;
    let reference = new_reference();
    let request = help_request::ActiveModel {
        reference: Set(reference.clone()),
        follow_token_hash: Set(token.hash.clone()),
        status: Set(RequestStatus::Nouvelle),
        categories: Set(new.categories.bits()),
        modes: Set(new.modes.bits()),
        description: Set(new.description.clone()),
        commune_insee: Set(new.commune_insee.clone()),
        departement: Set(new.departement.clone()),
        latitude: Set(new.latitude),
        longitude: Set(new.longitude),
        prenom: Set(new.prenom.clone()),
        email: Set(new.email.as_ref().map(|e| e.as_str().to_owned())),
        telephone: Set(new.telephone.as_ref().map(|t| t.as_str().to_owned())),
        langue: Set(new.langue.clone()),
        pour_un_proche: Set(new.prenom_proche.is_some()),
        prenom_proche: Set(new.prenom_proche.clone()),
        a_rappeler: Set(!crate::messages::texts::reachable_in_writing(
            new.email.as_ref().map(|e| e.as_str()),
            new.telephone.as_ref().map(|t| t.as_str()),
        )),
        submitter_key: Set(submitter_key),
        consent_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        closed_at: Set(None),
        organisation_id: Set(organisation.as_ref().map(|o| o.id)),
        entered_by: Set(entered_by),
        erased_at: Set(None),
        message_benevole: Set(None),
        follow_token_sealed: Set(Some(crate::tokens::seal_follow_secret(
            &config.secret_key,
            &reference,
            &token.secret,
        ))),
        telephone_proche: Set(new.telephone_proche.as_ref().map(|t| t.as_str().to_owned())),
        lien_proche: Set(new.lien_proche.map(|k| k.slug().to_owned())),
        contacter_proche: Set(new.contacter_proche),
        sms_aussi: Set(new.sms_aussi),
        api_key_id: Set(api_key_id),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // Written first, counted after: the new request is among the ones counted.
    if let Some((key, per_hour)) = limit
        && anti_abuse::recent_requests(&txn, key).await? > per_hour
    {
        txn.rollback().await?;
        return Ok(None);
    }
    match source {
        Source::Public { .. } => {
            lifecycle::record(
                &txn,
                request.id,
                Actor::Citoyen,
                None,
                EventKind::Created,
                None,
                Some(RequestStatus::Nouvelle),
                None,
            )
            .await?;
        }
        Source::Staff {
            account_id, role, ..
        } => {
            let actor = match role {
                Role::Admin => Actor::Admin,
                _ => Actor::Moderateur,
            };
            lifecycle::record(
                &txn,
                request.id,
                actor,
                Some(*account_id),
                EventKind::Created,
                None,
                Some(RequestStatus::Nouvelle),
                Some(ENTERED_BY_STAFF.to_owned()),
            )
            .await?;
            let audit_actor = AuditActor::Staff {
                account_id: *account_id,
                role: *role,
            };
            audit::record(
                &txn,
                audit_actor,
                AuditAction::RequestEntered,
                Target::Request(request.id),
                request.organisation_id,
                Some(format!("référence {}", request.reference)),
            )
            .await?;
        }
        Source::Partner { api_key_id, .. } => {
            lifecycle::record(
                &txn,
                request.id,
                Actor::Systeme,
                None,
                EventKind::Created,
                None,
                Some(RequestStatus::Nouvelle),
                Some(ENTERED_BY_PARTNER.to_owned()),
            )
            .await?;
            audit::record(
                &txn,
                AuditActor::ApiKey,
                AuditAction::RequestEntered,
                Target::Request(request.id),
                request.organisation_id,
                Some(format!(
                    "référence {}, clé d'API n° {api_key_id}",
                    request.reference
                )),
            )
            .await?;
        }
    }
    if let Some(email) = &new.email {
        let follow_up = crate::messages::emails::FollowUp {
            reference: request.reference.clone(),
            follow_url: crate::messages::emails::follow_url(config, &token.secret),
            helpline: crate::messages::emails::helpline(&txn, config, &request).await?,
        };
        let message = crate::messages::emails::RequestReceived::new(
            config,
            &request,
            &token.secret,
            follow_up,
        );
        messages::queue(
            &txn,
            config,
            email.as_str(),
            &message,
            &Message::RequestReceived {
                request: request.id,
            },
        )
        .await?;
    }
    // Partners hear of it before any automatic validation moves it on.
    messages::queue_webhook(
        &txn,
        &request,
        &Message::Webhook {
            event: crate::webhooks::Event::Created,
            request: request.id,
            at_micros: request.created_at.timestamp_micros(),
        },
    )
    .await?;
    crate::messages::texts::request_received(&txn, config, &request).await?;
    if organisation.as_ref().is_none_or(|o| !o.auto_approve) {
        crate::lifecycle::alerts::request_to_triage(&txn, config, &request).await?;
    }
    if let Some(organisation) = organisation.as_ref().filter(|o| o.auto_approve) {
        matching::rounds::open_within(
            &txn,
            config,
            &request,
            Actor::Systeme,
            None,
            Some(format!("validation automatique ({})", organisation.name)),
        )
        .await?;
    }
    // Auto-approval moved it on: hand back the request as it now stands.
    // Only an automatic validation moved the request on since its insert: read it again then.
    let request = if organisation.as_ref().is_some_and(|o| o.auto_approve) {
        help_request::Entity::find_by_id(request.id)
            .one(&txn)
            .await?
            .unwrap_or(request)
    } else {
        request
    };
    txn.commit().await?;
    Ok(Some(Created {
        request,
        follow_secret: token.secret,
    }))
}
