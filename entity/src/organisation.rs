//! An association or public body whose moderators triage the requests of its territory.

use sea_orm::entity::prelude::*;

/// One organisation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub contact_email: String,
    /// Covers the whole country (then `departements` is empty).
    pub national: bool,
    /// The département codes of its territory, space-separated (`"51 08"`).
    #[sea_orm(column_type = "Text")]
    pub departements: String,
    /// New requests open for matching at once, without a moderator's check.
    pub auto_approve: bool,
    /// Only volunteers vetted by a moderator may help in person.
    pub vetting_required: bool,
    /// A deactivated organisation receives no new request.
    pub active: bool,
    /// The number people may call with a question, in international form (`+33…`).
    pub telephone: Option<String>,
    /// When someone answers it, in words (`du lundi au vendredi, 9 h–17 h`).
    pub horaires: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::membership::Entity")]
    Memberships,
}

impl Related<super::membership::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Memberships.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
