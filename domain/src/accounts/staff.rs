//! Staff accounts (moderators and admins): nobody signs up as staff. An admin is created from the
//! command line and a moderator is invited by an admin; either way the account starts with an
//! unconfirmed address and no usable password, and an invitation link (single use, 7 days) lets
//! the person choose their password, which also confirms the address.

use chrono::Utc;
use entity::account;
use entity::states::AuditAction;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, Set, TransactionTrait,
};

use super::links::{self, Lookup, Purpose};
use super::{Role, find_by_email, find_by_id};
use crate::audit::{self, AuditActor, Target};
use crate::contact::{EmailAddress, FirstName};
use crate::tokens::NewToken;

/// The first name given to an admin created without `--prenom`.
pub const DEFAULT_ADMIN_PRENOM: &str = "Administrateur";

/// Why a staff account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    /// The address already belongs to an account of another role.
    #[error("this address belongs to an account of role {}", .0.slug())]
    OtherRole(Role),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// An admin account and the link that lets them choose their password.
#[derive(Clone, Debug)]
pub struct AdminInvitation {
    /// The account, as stored.
    pub account: account::Model,
    /// Whether the account is new (otherwise an existing admin got a fresh link).
    pub created: bool,
    /// The secret of the link, to put in `/invitation/{secret}`; never stored.
    pub secret: String,
}

/// Creates an admin account for `email` (or, if an admin already has it, gives them a fresh
/// link), with its invitation link and an audit entry, in one transaction.
pub async fn create_admin(
    db: &DatabaseConnection,
    email: &EmailAddress,
    prenom: Option<&FirstName>,
) -> Result<AdminInvitation, StaffError> {
    let txn = db.begin().await?;
    let (account, created) = match find_by_email(&txn, email.as_str()).await? {
        Some(existing) if existing.role == Role::Admin => (existing, false),
        Some(other) => {
            return Err(StaffError::OtherRole(other.role));
        }
        None => {
            let prenom = prenom.map_or(DEFAULT_ADMIN_PRENOM, FirstName::as_str);
            (new_account(&txn, email, prenom, Role::Admin).await?, true)
        }
    };
    let token = issue_invitation(&txn, account.id).await?;
    let (action, details) = if created {
        (AuditAction::AdminCreated, "compte administrateur créé")
    } else {
        (
            AuditAction::AdminLinkIssued,
            "nouveau lien pour un administrateur existant",
        )
    };
    audit::record(
        &txn,
        AuditActor::CommandLine,
        action,
        Target::Account(account.id),
        None,
        Some(details.to_owned()),
    )
    .await?;
    txn.commit().await?;
    Ok(AdminInvitation {
        account,
        created,
        secret: token.secret,
    })
}

/// Writes a staff account of `role` with an unconfirmed address and no usable password (an
/// empty hash matches nothing).
pub async fn new_account<C: ConnectionTrait>(
    db: &C,
    email: &EmailAddress,
    prenom: &str,
    role: Role,
) -> Result<account::Model, DbErr> {
    let now = Utc::now();
    account::ActiveModel {
        email: Set(email.as_str().to_owned()),
        password_hash: Set(String::new()),
        prenom: Set(prenom.to_owned()),
        nom: Set(None),
        role: Set(role),
        email_verified_at: Set(None),
        session_epoch: Set(0),
        deleted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Issues a fresh invitation link for `account_id`; the older unused ones stop working, so that
/// only the latest link sent is live.
pub async fn issue_invitation<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
) -> Result<NewToken, DbErr> {
    links::spend_all(db, account_id, Purpose::Invitation).await?;
    links::issue(db, account_id, Purpose::Invitation, None).await
}

/// What an invitation link is.
#[derive(Clone, Debug)]
pub enum InvitationLink {
    /// Usable, for this account.
    Valid(account::Model),
    /// Too old; the account has this role.
    Expired(Role),
    /// Used before; the account has this role.
    Spent(Role),
    /// No such link.
    Unknown,
}

async fn role_of<C: ConnectionTrait>(db: &C, account_id: i64) -> Result<Role, DbErr> {
    Ok(find_by_id(db, account_id)
        .await?
        .map(|a| a.role)
        .unwrap_or(Role::Moderateur))
}

async fn classify<C: ConnectionTrait>(db: &C, secret: &str) -> Result<InvitationLink, DbErr> {
    Ok(
        match links::look_up(db, Purpose::Invitation, secret).await? {
            Lookup::Valid(token) => match find_by_id(db, token.account_id).await? {
                Some(account) => InvitationLink::Valid(account),
                None => InvitationLink::Unknown,
            },
            Lookup::Expired(token) => InvitationLink::Expired(role_of(db, token.account_id).await?),
            Lookup::Used(token) => InvitationLink::Spent(role_of(db, token.account_id).await?),
            Lookup::Unknown => InvitationLink::Unknown,
        },
    )
}

/// Looks at an invitation link without spending it.
pub async fn check_invitation(
    db: &DatabaseConnection,
    secret: &str,
) -> Result<InvitationLink, DbErr> {
    classify(db, secret).await
}

/// Spends the link and sets the first password (already hashed): the address counts as
/// confirmed, and any other session of the account ends. Returns the account as updated; a link
/// spent meanwhile (double submission) answers [`InvitationLink::Spent`] and changes nothing.
pub async fn accept_invitation(
    db: &DatabaseConnection,
    secret: &str,
    password_hash: String,
) -> Result<InvitationLink, DbErr> {
    let txn = db.begin().await?;
    let token = match links::look_up(&txn, Purpose::Invitation, secret).await? {
        Lookup::Valid(token) => token,
        _ => return classify(&txn, secret).await,
    };
    let Some(account) = find_by_id(&txn, token.account_id).await? else {
        return Ok(InvitationLink::Unknown);
    };
    if !links::spend(&txn, token.id).await? {
        let role = account.role;
        return Ok(InvitationLink::Spent(role));
    }
    super::store_new_password(&txn, &account, password_hash).await?;
    let updated = find_by_id(&txn, account.id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the invited account".into()))?;
    txn.commit().await?;
    Ok(InvitationLink::Valid(updated))
}
