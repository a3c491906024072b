//! One use of a per-address limit, as the limit counts them over its window.

use sea_orm::entity::prelude::*;

/// A use: the limit's name and a keyed hash of what it counts by (never the raw address).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "limit_hit")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub key_hash: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
