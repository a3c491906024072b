//! A citizen's opinion on the help received, once their request was resolved (one per request).

use sea_orm::entity::prelude::*;

/// One answer to the feedback form.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "feedback")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub request_id: i64,
    /// How satisfied the person is (see `entraide::requests::feedback::Satisfaction`).
    pub satisfaction: String,
    /// Whether the problem is solved (see `entraide::requests::feedback::Solved`).
    pub solved: String,
    /// What the person wrote, if anything; erased with the request's personal data.
    #[sea_orm(column_type = "Text", nullable)]
    pub comment: Option<String>,
    /// « La personne qui vous a aidé vous a-t-elle demandé de l'argent, un mot de passe ou un
    /// code ? »: `true` is a safety report (the moderators were alerted); none: not answered.
    pub asked_money_or_code: Option<bool>,
    /// The volunteer who held the request when the person answered.
    pub volunteer_id: Option<i64>,
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
