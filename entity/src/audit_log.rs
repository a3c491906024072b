//! The append-only audit log of moderator and admin actions (database triggers refuse any change
//! or deletion).

use sea_orm::entity::prelude::*;

/// Who did what to what, and when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    /// The account that acted (none: the command line).
    pub actor_id: Option<i64>,
    /// `moderateur`, `admin` or `systeme` (the command line).
    pub actor_role: String,
    /// What was done, e.g. `demande.valider`, `organisation.creer`.
    pub action: crate::states::AuditAction,
    /// What it was done to: `demande`, `organisation`, `compte`, `benevole`, `email`.
    pub target_type: String,
    pub target_id: Option<i64>,
    /// The organisation concerned, when there is one.
    pub organisation_id: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub details: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
