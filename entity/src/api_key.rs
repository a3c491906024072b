//! An organisation's key to the partner API: the secret itself is never stored, only its keyed
//! hash and a short prefix to recognise it in a list.

use sea_orm::entity::prelude::*;

/// One key: who it acts for, who made it, when it was last used, and whether it was revoked.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The organisation the key acts for: it sees that organisation's requests only.
    pub organisation_id: i64,
    /// What the organisation calls it (« Standard téléphonique », « Logiciel du CCAS »).
    pub name: String,
    /// The secret's first characters (`ent_` and a few more), shown in lists.
    pub prefix: String,
    /// The keyed hash (HMAC-SHA-256 under SECRET_KEY) of the whole secret.
    #[sea_orm(unique)]
    pub secret_hash: String,
    /// The staff account that created it (none once that account is gone).
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub last_used_at: Option<DateTimeUtc>,
    /// When it was revoked: from then on it opens nothing.
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
