//! An address an organisation registered to receive the events of its requests (issue 17).

use sea_orm::entity::prelude::*;

/// One webhook endpoint of an organisation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoint")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organisation_id: i64,
    /// Where the events are POSTed.
    pub url: String,
    /// The signing secret (`whsec_…`), sealed under a key derived from SECRET_KEY: it must be read
    /// back to sign, so it cannot be stored hashed.
    #[sea_orm(column_type = "Text")]
    pub secret_sealed: String,
    /// The staff account that registered it.
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    /// When its secret was last replaced.
    pub rotated_at: Option<DateTimeUtc>,
    /// A disabled endpoint receives nothing more.
    pub disabled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
