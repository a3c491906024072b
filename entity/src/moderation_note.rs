//! A moderator's internal note on a request (never shown to the citizen or volunteers).

use sea_orm::entity::prelude::*;

/// One note.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "moderation_note")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub request_id: i64,
    pub author_id: i64,
    pub at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub body: String,
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
