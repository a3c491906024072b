//! The first answer given to a partner's call with an `Idempotency-Key`, so that a retry of the
//! same call gets it again instead of acting twice.

use sea_orm::entity::prelude::*;

/// One remembered answer, per key and `Idempotency-Key`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_idempotency")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub api_key_id: i64,
    /// The `Idempotency-Key` header as the partner sent it.
    pub idempotency_key: String,
    /// SHA-256 of the call's body: a retry with another body is refused.
    pub request_hash: String,
    /// The HTTP status of the first answer.
    pub status: i32,
    /// The JSON body of the first answer.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
