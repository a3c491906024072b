//! A person who logs in: volunteer, moderator or admin.

use sea_orm::entity::prelude::*;

/// One account. A deleted account keeps its row (so that past events still point somewhere) with
/// every personal field erased.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The login address: trimmed, domain lower-cased, unique.
    #[sea_orm(unique)]
    pub email: String,
    /// The argon2id PHC string (empty for a deleted account: no password matches it).
    #[sea_orm(column_type = "Text")]
    pub password_hash: String,
    pub prenom: String,
    pub nom: Option<String>,
    /// What the account may do.
    pub role: crate::states::Role,
    /// When the address was confirmed; an unconfirmed account cannot log in.
    pub email_verified_at: Option<DateTimeUtc>,
    /// Sessions opened under another epoch are refused: raised to end every session.
    pub session_epoch: i32,
    /// When the account was deleted (its personal data erased).
    pub deleted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_one = "super::volunteer_profile::Entity")]
    VolunteerProfile,
    #[sea_orm(has_many = "super::account_token::Entity")]
    AccountToken,
}

impl Related<super::volunteer_profile::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VolunteerProfile.def()
    }
}

impl Related<super::account_token::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AccountToken.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
