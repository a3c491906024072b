//! One login attempt, as throttling counts them.

use sea_orm::entity::prelude::*;

/// An attempt: the SHA-256 of the normalised e-mail and of the IP address (never the raw IP).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_attempt")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub email_key: String,
    pub ip_key: String,
    /// Whether the password was right.
    pub success: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
