//! A short link (`/s/XXXXXXXX`) carried by an SMS.

use sea_orm::entity::prelude::*;

/// One short link: a keyed hash of its code, and what it opens.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "short_link")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Keyed hash of the 8-character code (the code itself is never stored).
    #[sea_orm(unique)]
    pub code_hash: String,
    /// `suivi` (the request's follow-up page) or `proposition` (a proposal's page).
    pub kind: String,
    /// The request it is about: erasing the request deletes the link.
    pub request_id: i64,
    /// The proposal it opens, for `proposition`.
    pub proposal_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
