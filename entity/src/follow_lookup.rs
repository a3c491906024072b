//! One attempt to open a follow-up page with a reference and telephone digits, as throttling
//! counts them.

use sea_orm::entity::prelude::*;

/// An attempt: keyed hashes of the client's address and of the reference typed (never the raw
/// values).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "follow_lookup")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub ip_key: String,
    pub reference_key: String,
    /// Whether the reference and the digits matched.
    pub success: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
