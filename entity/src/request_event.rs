//! One entry of a request's append-only event log (the timeline).

use sea_orm::entity::prelude::*;

/// Who did what to a request, and when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "request_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub request_id: i64,
    pub at: DateTimeUtc,
    /// Who did it.
    pub actor: crate::states::Actor,
    /// The account that acted, when there is one.
    pub actor_id: Option<i64>,
    /// What happened.
    pub kind: crate::states::EventKind,
    pub from_status: Option<crate::states::RequestStatus>,
    pub to_status: Option<crate::states::RequestStatus>,
    #[sea_orm(column_type = "Text", nullable)]
    pub details: Option<String>,
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
