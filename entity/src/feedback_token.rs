//! The link e-mailed to a citizen to give their opinion on a resolved request.

use sea_orm::entity::prelude::*;

/// One link per request: only the SHA-256 of its secret is kept.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "feedback_token")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub request_id: i64,
    #[sea_orm(unique)]
    pub token_hash: String,
    /// At the latest when the request's personal data is erased.
    pub expires_at: DateTimeUtc,
    /// When an answer was given (through this link or the follow-up page).
    pub used_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::help_request::Entity",
        from = "Column::RequestId",
        to = "super::help_request::Column::Id",
        on_delete = "Cascade"
    )]
    Request,
}

impl Related<super::help_request::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Request.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
