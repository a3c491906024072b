//! The audit trail: every moderator and admin action, appended to `audit_log` in the transaction
//! that does the action. Nothing in the service updates or deletes an entry, and the database's
//! triggers refuse it anyway.

use chrono::Utc;
use entity::audit_log;
use entity::states::AuditAction;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use entity::states::Role;

/// Who acted: a logged-in staff member, or the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditActor {
    /// A moderator or admin, by account id.
    Staff { account_id: i64, role: Role },
    /// An operator at the command line.
    CommandLine,
    /// A partner's API key (the entry's target is the key).
    ApiKey,
}

impl AuditActor {
    fn columns(self) -> (Option<i64>, &'static str) {
        match self {
            Self::Staff { account_id, role } => (Some(account_id), role.slug()),
            Self::CommandLine => (None, "systeme"),
            Self::ApiKey => (None, API_KEY_ROLE),
        }
    }
}

/// `audit_log.actor_role` of the calls made with an API key.
pub const API_KEY_ROLE: &str = "cle_api";

/// What an action was done to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A help request, by id.
    Request(i64),
    /// An organisation, by id.
    Organisation(i64),
    /// An account (moderator, admin), by id.
    Account(i64),
    /// A volunteer, by account id.
    Volunteer(i64),
    /// An e-mail of the outbox, by id (none: all the failed ones).
    Email(Option<i64>),
    /// A partner API key, by id.
    ApiKey(i64),
}

impl Target {
    /// The stored (type, id).
    pub fn columns(self) -> (&'static str, Option<i64>) {
        let (kind, id) = match self {
            Self::Request(id) => (TargetKind::Request, Some(id)),
            Self::Organisation(id) => (TargetKind::Organisation, Some(id)),
            Self::Account(id) => (TargetKind::Account, Some(id)),
            Self::Volunteer(id) => (TargetKind::Volunteer, Some(id)),
            Self::Email(id) => (TargetKind::Email, id),
            Self::ApiKey(id) => (TargetKind::ApiKey, Some(id)),
        };
        (kind.slug(), id)
    }
}

/// The kinds of [`Target`], as stored in `audit_log.target_type`, with their French labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    Request,
    Organisation,
    Account,
    Volunteer,
    Email,
    ApiKey,
}

impl TargetKind {
    /// Every kind, in the order the journal's filter lists them.
    pub const ALL: [TargetKind; 6] = [
        Self::Request,
        Self::Organisation,
        Self::Account,
        Self::Volunteer,
        Self::Email,
        Self::ApiKey,
    ];

    /// The stored form.
    pub const fn slug(self) -> &'static str {
        match self {
            Self::Request => "demande",
            Self::Organisation => "organisation",
            Self::Account => "compte",
            Self::Volunteer => "benevole",
            Self::Email => "email",
            Self::ApiKey => "cle_api",
        }
    }

    /// The kind stored as `slug`.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// What the journal's filter calls them.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Request => "Demandes",
            Self::Organisation => "Organisations",
            Self::Account => "Comptes de l'équipe",
            Self::Volunteer => "Bénévoles",
            Self::Email => "E-mails",
            Self::ApiKey => "Clés d'API",
        }
    }
}

/// Appends one entry. `action` is a stable slug such as `demande.valider`; `details` must not
/// hold secrets (no password, no token).
pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: AuditActor,
    action: AuditAction,
    target: Target,
    organisation_id: Option<i64>,
    details: Option<String>,
) -> Result<audit_log::Model, DbErr> {
    let (actor_id, actor_role) = actor.columns();
    let (target_type, target_id) = target.columns();
    audit_log::ActiveModel {
        at: Set(Utc::now()),
        actor_id: Set(actor_id),
        actor_role: Set(actor_role.to_owned()),
        action: Set(action),
        target_type: Set(target_type.to_owned()),
        target_id: Set(target_id),
        organisation_id: Set(organisation_id),
        details: Set(details),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The entries about one target, oldest first (a request's timeline shows them).
pub async fn for_target<C: ConnectionTrait>(
    db: &C,
    target: Target,
) -> Result<Vec<audit_log::Model>, DbErr> {
    let (target_type, target_id) = target.columns();
    let mut query = audit_log::Entity::find()
        .filter(audit_log::Column::TargetType.eq(target_type))
        .order_by_asc(audit_log::Column::Id);
    if let Some(id) = target_id {
        query = query.filter(audit_log::Column::TargetId.eq(id));
    }
    query.all(db).await
}
