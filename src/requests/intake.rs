//! A citizen's request, from the form to the database: checking each field (French messages next
//! to it), then storing the request, its first timeline entry and its confirmation e-mail in one
//! transaction. A moderator may type one in for someone who phoned (same checks, marked as theirs).

use chrono::Utc;
use entity::{help_request, organisation};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, Set, SqlErr,
    TransactionTrait,
};
use serde::Deserialize;

use super::lifecycle;
use super::reference_code::new_reference;
use super::status::{Actor, RequestStatus};
use crate::Config;
use crate::accounts::Role;
use crate::audit::{self, AuditActor, Target};
use crate::contact::{EmailAddress, PhoneNumber};
use crate::error::AppError;
use crate::geo::Commune;
use crate::mail;
use crate::matching;
use crate::organisations::{self, Scope};
use crate::reference::{CategorySet, ModeSet, language_label};
use crate::tokens::new_token;
use crate::web::forms::FieldErrors;

/// The longest description accepted, in characters.
pub const MAX_DESCRIPTION: usize = 2000;
/// The most categories one request may ask for.
pub const MAX_CATEGORIES: usize = 3;
/// The first event's details when a moderator typed the request in.
pub const ENTERED_BY_STAFF: &str = "saisie par un modérateur pour une personne qui a appelé";

/// The form as sent (field names are part of the product).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct RequestInput {
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub modes: Vec<String>,
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub commune_insee: Option<String>,
    #[serde(default)]
    pub prenom: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub telephone: String,
    #[serde(default)]
    pub langue: String,
    #[serde(default)]
    pub pour_un_proche: Option<String>,
    #[serde(default)]
    pub prenom_proche: String,
    #[serde(default)]
    pub consentement: Option<String>,
    /// Honeypot: hidden from people, filled by robots.
    #[serde(default)]
    pub site_web: String,
    /// When the form was shown, signed (see `crate::requests::form_timer`).
    #[serde(default)]
    pub debut: String,
}

/// A request whose every field was checked.
#[derive(Clone, Debug)]
pub struct NewRequest {
    pub categories: CategorySet,
    pub description: Option<String>,
    pub modes: ModeSet,
    pub commune_insee: String,
    pub departement: String,
    pub latitude: f64,
    pub longitude: f64,
    pub prenom: String,
    pub email: Option<EmailAddress>,
    pub telephone: Option<PhoneNumber>,
    pub langue: Option<String>,
    pub prenom_proche: Option<String>,
}

/// Checks every field of `input`; `commune` is what the "where" field resolved to (its own error,
/// if any, is already in `errors`).
pub fn validate(
    input: &RequestInput,
    commune: Option<&Commune>,
    mut errors: FieldErrors,
) -> Result<NewRequest, FieldErrors> {
    let categories = check_categories(&input.categories, &mut errors);

    let description = input.description.trim();
    if description.chars().count() > MAX_DESCRIPTION {
        errors.add(
            "description",
            format!("Votre texte est trop long : {MAX_DESCRIPTION} caractères au plus."),
        );
    }

    let modes = check_modes(&input.modes, &mut errors);
    let prenom = check_prenom(&input.prenom, &mut errors);
    let (email, telephone) = check_contact(&input.email, &input.telephone, &mut errors);
    let langue = check_langue(&input.langue, &mut errors);

    let prenom_proche = if input.pour_un_proche.is_some() {
        let name = input.prenom_proche.trim();
        if name.is_empty() {
            errors.add(
                "prenom_proche",
                "Indiquez le prénom de la personne que vous aidez.",
            );
        } else if name.chars().count() > 100 {
            errors.add("prenom_proche", "Ce prénom est trop long.");
        }
        Some(name.to_owned())
    } else {
        None
    };

    if input.consentement.is_none() {
        errors.add(
            "consentement",
            "Pour que nous puissions traiter votre demande, cochez la case d'accord.",
        );
    }

    match commune {
        Some(commune) if errors.is_empty() => Ok(NewRequest {
            categories,
            description: (!description.is_empty()).then(|| description.to_owned()),
            modes,
            commune_insee: commune.insee.as_str().to_owned(),
            departement: commune.departement.as_str().to_owned(),
            latitude: commune.point.lat,
            longitude: commune.point.lon,
            prenom,
            email,
            telephone,
            langue,
            prenom_proche,
        }),
        _ => Err(errors),
    }
}

/// The requested categories: 1 to [`MAX_CATEGORIES`] known slugs.
pub fn check_categories(slugs: &[String], errors: &mut FieldErrors) -> CategorySet {
    match CategorySet::from_slugs(slugs) {
        Ok(set) if set.is_empty() => {
            errors.add("categories", "Choisissez au moins un sujet.");
            set
        }
        Ok(set) if set.len() > MAX_CATEGORIES => {
            errors.add(
                "categories",
                "Choisissez au plus 3 sujets : les plus importants pour vous.",
            );
            set
        }
        Ok(set) => set,
        Err(_) => {
            errors.add(
                "categories",
                "Un des sujets choisis n'existe pas. Choisissez dans la liste.",
            );
            CategorySet::default()
        }
    }
}

/// The accepted modes of help: at least one known slug.
pub fn check_modes(slugs: &[String], errors: &mut FieldErrors) -> ModeSet {
    match ModeSet::from_slugs(slugs) {
        Ok(set) if set.is_empty() => {
            errors.add("modes", "Choisissez au moins une façon d'être aidé.");
            set
        }
        Ok(set) => set,
        Err(_) => {
            errors.add("modes", "Choisissez dans la liste.");
            ModeSet::default()
        }
    }
}

/// The first name, trimmed: present, at most 100 characters, no control character.
pub fn check_prenom(typed: &str, errors: &mut FieldErrors) -> String {
    let prenom = typed.trim();
    if prenom.is_empty() {
        errors.add("prenom", "Indiquez votre prénom.");
    } else if prenom.chars().count() > 100 || prenom.chars().any(char::is_control) {
        errors.add("prenom", "Ce prénom est trop long.");
    }
    prenom.to_owned()
}

/// The ways to reach the person: an e-mail address, a telephone number, at least one of them.
pub fn check_contact(
    email: &str,
    telephone: &str,
    errors: &mut FieldErrors,
) -> (Option<EmailAddress>, Option<PhoneNumber>) {
    let parsed_email = match email.trim() {
        "" => None,
        typed => EmailAddress::parse(typed)
            .map_err(|m| errors.add("email", m))
            .ok(),
    };
    let parsed_telephone = match telephone.trim() {
        "" => None,
        typed => PhoneNumber::parse(typed)
            .map_err(|m| errors.add("telephone", m))
            .ok(),
    };
    if email.trim().is_empty() && telephone.trim().is_empty() {
        errors.add(
            "email",
            "Indiquez au moins un moyen de vous joindre : une adresse e-mail ou un numéro de téléphone.",
        );
    }
    (parsed_email, parsed_telephone)
}

/// A language other than French, from the list (`""` or `fr`: none).
pub fn check_langue(typed: &str, errors: &mut FieldErrors) -> Option<String> {
    match typed.trim() {
        "" | "fr" => None,
        code if language_label(code).is_some() => Some(code.to_owned()),
        _ => {
            errors.add("langue", "Choisissez une langue dans la liste.");
            None
        }
    }
}

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
) -> Result<Created, AppError> {
    create_from(db, config, new, &Source::Public { submitter_key }).await
}

/// Who typed a request in.
#[derive(Clone, Debug)]
pub enum Source {
    /// The person (or a relative) on the public form; the keyed hash of their IP address.
    Public { submitter_key: Option<String> },
    /// A moderator or admin, for someone who phoned: the request is theirs to triage.
    Staff {
        account_id: i64,
        role: Role,
        scope: Scope,
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
) -> Result<Created, AppError> {
    let source = Source::Staff {
        account_id,
        role,
        scope,
    };
    create_from(db, config, new, &source).await
}

async fn create_from(
    db: &DatabaseConnection,
    config: &Config,
    new: &NewRequest,
    source: &Source,
) -> Result<Created, AppError> {
    for _ in 0..5 {
        match try_create(db, config, new, source).await {
            Ok(created) => return Ok(created),
            // A reference already taken (one chance in a billion): draw another.
            Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                continue;
            }
            Err(err) => return Err(err.into()),
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
        _ => Ok(routed),
    }
}

async fn try_create(
    db: &DatabaseConnection,
    config: &Config,
    new: &NewRequest,
    source: &Source,
) -> Result<Created, DbErr> {
    let token = new_token();
    let now = Utc::now();
    let txn = db.begin().await?;
    let organisation = organisation_for(&txn, &new.departement, source).await?;
    let (submitter_key, entered_by) = match source {
        Source::Public { submitter_key } => (submitter_key.clone(), None),
        Source::Staff { account_id, .. } => (None, Some(*account_id)),
    };
    let request = help_request::ActiveModel {
        reference: Set(new_reference()),
        follow_token_hash: Set(token.hash.clone()),
        status: Set(RequestStatus::Nouvelle.slug().to_owned()),
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
        a_rappeler: Set(new.email.is_none()),
        submitter_key: Set(submitter_key),
        consent_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        closed_at: Set(None),
        organisation_id: Set(organisation.as_ref().map(|o| o.id)),
        entered_by: Set(entered_by),
        erased_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    match source {
        Source::Public { .. } => {
            lifecycle::record(
                &txn,
                request.id,
                Actor::Citoyen,
                None,
                "creee",
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
                "creee",
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
                "demande.saisir",
                Target::Request(request.id),
                request.organisation_id,
                Some(format!("référence {}", request.reference)),
            )
            .await?;
        }
    }
    if let Some(email) = &new.email {
        let message = super::emails::RequestReceived::new(config, &request, &token.secret);
        mail::send_later(
            &txn,
            config,
            email.as_str(),
            &message,
            &format!("request_received:{}", request.id),
        )
        .await
        .map_err(|e| DbErr::Custom(format!("{e:?}")))?;
    }
    if organisation.as_ref().is_none_or(|o| !o.auto_approve) {
        crate::moderation::notify::request_to_triage(&txn, config, &request).await?;
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
        .await
        .map_err(|e| DbErr::Custom(format!("{e:?}")))?;
    }
    // Auto-approval moved it on: hand back the request as it now stands.
    let request = help_request::Entity::find_by_id(request.id)
        .one(&txn)
        .await?
        .unwrap_or(request);
    txn.commit().await?;
    Ok(Created {
        request,
        follow_secret: token.secret,
    })
}
