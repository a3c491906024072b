//! What matching needs to know about a volunteer.

use sea_orm::entity::prelude::*;

/// A volunteer's profile, keyed by their account.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "volunteer_profile")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: i64,
    /// The INSEE code of their commune.
    pub commune_insee: String,
    pub departement: String,
    /// The commune's centre.
    pub latitude: f64,
    pub longitude: f64,
    /// How far they travel to help in person, in km.
    pub rayon_km: i32,
    /// The modes of help offered (`reference::ModeSet` bits).
    pub modes: i32,
    /// The categories offered (`reference::CategorySet` bits).
    pub categories: i32,
    /// Languages spoken besides French: space-separated codes.
    pub langues: String,
    /// How many requests they take at the same time.
    pub max_demandes: i32,
    /// When they are usually available, in their words.
    #[sea_orm(column_type = "Text")]
    pub disponibilites: String,
    /// No proposal before this time.
    pub paused_until: Option<DateTimeUtc>,
    /// When a moderator vetted them (needed by some organisations for in-person help).
    pub vetted_at: Option<DateTimeUtc>,
    /// When a moderator suspended them, and why.
    pub suspended_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub suspension_reason: Option<String>,
    /// The mobile number (international form) new proposals are also sent to by SMS, if they
    /// chose to.
    pub telephone_sms: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id",
        on_delete = "Cascade"
    )]
    Account,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
