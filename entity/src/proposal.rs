//! A request proposed to a volunteer by matching.

use sea_orm::entity::prelude::*;

/// One proposal: who, in which round, how well they fit, and their answer.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "proposal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub request_id: i64,
    /// The volunteer's account.
    pub volunteer_id: i64,
    /// The matching round (1, 2, 3…) and the rank within it.
    pub round: i32,
    pub rank: i32,
    /// The score out of 100 and its parts (JSON of `entraide::matching::Breakdown`).
    pub score: f64,
    #[sea_orm(column_type = "Text")]
    pub breakdown: String,
    pub distance_km: f64,
    /// Where it stands in its lifecycle.
    pub status: crate::states::ProposalStatus,
    /// SHA-256 of the proposal's link token.
    #[sea_orm(unique)]
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub answered_at: Option<DateTimeUtc>,
    /// When the volunteer who accepted was reminded of the request (at most once per taking).
    pub reminded_at: Option<DateTimeUtc>,
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
