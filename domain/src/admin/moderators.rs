//! Moderators as admins manage them: the list with their organisations, the invitation by
//! e-mail (a new account, or a new organisation for an existing moderator) and the removal from
//! an organisation.

use entity::states::AuditAction;
use std::collections::HashMap;

use chrono::Utc;
use entity::{account, membership, organisation};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde::Deserialize;

use crate::accounts::find_by_email;
use crate::accounts::staff::{issue_invitation, new_account};
use crate::audit::{self, AuditActor, Target};
use crate::config::Config;
use crate::contact::{EmailAddress, FirstName, FirstNameError};
use crate::error::DomainError;
use crate::forms::FieldErrors;
use crate::messages::emails::ModeratorInvitation;
use crate::messages::{self, Message};
use crate::organisations::NOTIFY_IMMEDIATE;
use entity::states::Role;

/// A moderator with the organisations they moderate.
#[derive(Clone, Debug)]
pub struct Listed {
    pub account: account::Model,
    /// Whether they have not chosen their password yet.
    pub pending: bool,
    pub organisations: Vec<organisation::Model>,
}

/// Every live moderator, by first name, with their organisations by name.
pub async fn list<C: ConnectionTrait>(db: &C) -> Result<Vec<Listed>, DbErr> {
    let accounts = account::Entity::find()
        .filter(account::Column::Role.eq(Role::Moderateur.slug()))
        .filter(account::Column::DeletedAt.is_null())
        .order_by_asc(account::Column::Prenom)
        .order_by_asc(account::Column::Id)
        .all(db)
        .await?;
    let mut by_account: HashMap<i64, Vec<organisation::Model>> = HashMap::new();
    for (m, o) in membership::Entity::find()
        .find_also_related(organisation::Entity)
        .filter(membership::Column::AccountId.is_in(accounts.iter().map(|a| a.id)))
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?
    {
        if let Some(o) = o {
            by_account.entry(m.account_id).or_default().push(o);
        }
    }
    Ok(accounts
        .into_iter()
        .map(|account| Listed {
            pending: account.email_verified_at.is_none(),
            organisations: by_account.remove(&account.id).unwrap_or_default(),
            account,
        })
        .collect())
}

/// The invitation form as sent.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct InviteInput {
    pub prenom: String,
    pub email: String,
    pub organisation: String,
}

/// What an invitation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invited {
    /// A new moderator account, with the link to choose a password.
    NewAccount,
    /// An existing moderator now also moderates the organisation.
    Added,
    /// A moderator who never chose a password got a fresh link.
    Reinvited,
}

/// The checked form: who, and for which active organisation.
async fn check<C: ConnectionTrait>(
    db: &C,
    input: &InviteInput,
) -> Result<Result<(String, EmailAddress, organisation::Model), FieldErrors>, DbErr> {
    let mut errors = FieldErrors::new();
    let prenom = match FirstName::parse(&input.prenom) {
        Ok(name) => name.into_string(),
        Err(FirstNameError::Missing) => {
            errors.add("prenom", "Indiquez le prénom de la personne.");
            String::new()
        }
        Err(other) => {
            errors.add("prenom", other.message());
            String::new()
        }
    };
    let email = EmailAddress::parse(&input.email)
        .map_err(|message| errors.add("email", message))
        .ok();
    let organisation = match input.organisation.trim().parse::<i64>() {
        Ok(id) => {
            organisation::Entity::find_by_id(id)
                .filter(organisation::Column::Active.eq(true))
                .one(db)
                .await?
        }
        Err(_) => None,
    };
    if organisation.is_none() {
        errors.add(
            "organisation",
            "Choisissez l'organisation dans la liste (seules les organisations actives y sont).",
        );
    }
    Ok(match (email, organisation) {
        (Some(email), Some(organisation)) if errors.is_empty() => Ok((prenom, email, organisation)),
        _ => Err(errors),
    })
}

fn refuse(field: &'static str, message: impl Into<String>) -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    errors
}

/// Invites a moderator to an organisation, in one transaction: a new address gets an account
/// (unconfirmed, no password), the membership and an e-mail with the link to choose a password;
/// an existing moderator gets the membership and an e-mail telling them. Addresses of volunteers
/// and admins are refused.
pub async fn invite(
    db: &DatabaseConnection,
    config: &Config,
    actor: AuditActor,
    input: &InviteInput,
) -> Result<Result<Invited, FieldErrors>, DomainError> {
    let txn = db.begin().await?;
    let (prenom, email, organisation) = match check(&txn, input).await? {
        Ok(checked) => checked,
        Err(errors) => return Ok(Err(errors)),
    };
    let (account, outcome) = match find_by_email(&txn, email.as_str()).await? {
        None => (
            new_account(&txn, &email, &prenom, Role::Moderateur).await?,
            Invited::NewAccount,
        ),
        Some(a) if a.role == Role::Benevole => {
            return Ok(Err(refuse(
                "email",
                "Cette adresse est celle d'un compte bénévole : un même compte ne peut pas être \
                 bénévole et modérateur. Demandez à la personne une autre adresse e-mail.",
            )));
        }
        Some(a) if a.role == Role::Admin => {
            return Ok(Err(refuse(
                "email",
                "Cette adresse est celle d'un administrateur, qui voit déjà toutes les organisations.",
            )));
        }
        Some(a) => {
            let member = membership::Entity::find()
                .filter(membership::Column::AccountId.eq(a.id))
                .filter(membership::Column::OrganisationId.eq(organisation.id))
                .one(&txn)
                .await?
                .is_some();
            match (member, a.email_verified_at.is_some()) {
                (true, true) => {
                    return Ok(Err(refuse(
                        "organisation",
                        format!("{} modère déjà « {} ».", a.prenom, organisation.name),
                    )));
                }
                (true, false) => (a, Invited::Reinvited),
                (false, _) => (a, Invited::Added),
            }
        }
    };
    let membership_id = if outcome == Invited::Reinvited {
        None
    } else {
        let added = membership::ActiveModel {
            organisation_id: Set(organisation.id),
            account_id: Set(account.id),
            notification: Set(NOTIFY_IMMEDIATE.to_owned()),
            last_digest_at: Set(None),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        Some(added.id)
    };
    // Whoever has not chosen a password yet needs a (fresh) link.
    let (link, key) = if account.email_verified_at.is_none() {
        let token = issue_invitation(&txn, account.id).await?;
        let link = config.link(&format!("/invitation/{}", token.secret));
        let key = Message::ModeratorInvitation {
            token_hash: token.hash.clone(),
        };
        (Some(link), key)
    } else {
        let key = Message::ModeratorAdded {
            membership: membership_id.unwrap_or_default(),
        };
        (None, key)
    };
    let message = ModeratorInvitation {
        prenom: account.prenom.clone(),
        organisation: organisation.name.clone(),
        link,
        moderation_url: config.link("/moderation"),
    };
    messages::queue(&txn, config, &account.email, &message, &key).await?;
    let details = match outcome {
        Invited::NewAccount => "nouveau compte, invitation envoyée",
        Invited::Added => "compte existant, ajouté à l'organisation",
        Invited::Reinvited => "nouvelle invitation envoyée",
    };
    audit::record(
        &txn,
        actor,
        AuditAction::ModeratorInvited,
        Target::Account(account.id),
        Some(organisation.id),
        Some(details.to_owned()),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(outcome))
}

/// Removes the moderator `account_id` from `organisation_id` (they then see nothing of it), with
/// its audit entry; `false` when they were not a member.
pub async fn remove(
    db: &DatabaseConnection,
    actor: AuditActor,
    account_id: i64,
    organisation_id: i64,
) -> Result<bool, DomainError> {
    let txn = db.begin().await?;
    let deleted = membership::Entity::delete_many()
        .filter(membership::Column::AccountId.eq(account_id))
        .filter(membership::Column::OrganisationId.eq(organisation_id))
        .exec(&txn)
        .await?;
    if deleted.rows_affected == 0 {
        return Ok(false);
    }
    audit::record(
        &txn,
        actor,
        AuditAction::ModeratorRemoved,
        Target::Account(account_id),
        Some(organisation_id),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// « Renvoyer l'invitation »: a moderator who has not chosen a password yet gets a fresh link
/// (the old ones stop working), with its audit entry; `false` for anyone else (unknown, deleted,
/// not a moderator, or already active).
pub async fn resend_invitation(
    db: &DatabaseConnection,
    config: &Config,
    actor: AuditActor,
    account_id: i64,
) -> Result<bool, DomainError> {
    let txn = db.begin().await?;
    let Some(account) = account::Entity::find_by_id(account_id)
        .filter(account::Column::Role.eq(Role::Moderateur.slug()))
        .filter(account::Column::DeletedAt.is_null())
        .filter(account::Column::EmailVerifiedAt.is_null())
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    let organisations: Vec<organisation::Model> = membership::Entity::find()
        .find_also_related(organisation::Entity)
        .filter(membership::Column::AccountId.eq(account.id))
        .order_by_asc(organisation::Column::Name)
        .all(&txn)
        .await?
        .into_iter()
        .filter_map(|(_, o)| o)
        .collect();
    let token = issue_invitation(&txn, account.id).await?;
    let message = ModeratorInvitation {
        prenom: account.prenom.clone(),
        organisation: organisations
            .iter()
            .map(|o| o.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        link: Some(config.link(&format!("/invitation/{}", token.secret))),
        moderation_url: config.link("/moderation"),
    };
    let key = Message::ModeratorInvitation {
        token_hash: token.hash.clone(),
    };
    messages::queue(&txn, config, &account.email, &message, &key).await?;
    audit::record(
        &txn,
        actor,
        AuditAction::InvitationResent,
        Target::Account(account.id),
        organisations.first().map(|o| o.id),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}
