//! What an account may do, stored as its slug in `account.role`.

use sea_orm::entity::prelude::*;

/// What an account may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum Role {
    /// A volunteer (bénévole).
    #[sea_orm(string_value = "benevole")]
    Benevole,
    /// A moderator of an organisation.
    #[sea_orm(string_value = "moderateur")]
    Moderateur,
    /// An administrator.
    #[sea_orm(string_value = "admin")]
    Admin,
}

impl Role {
    /// The stored form.
    pub const fn slug(self) -> &'static str {
        match self {
            Self::Benevole => "benevole",
            Self::Moderateur => "moderateur",
            Self::Admin => "admin",
        }
    }

    /// The role stored as `slug`.
    pub fn from_slug(slug: &str) -> Option<Self> {
        [Self::Benevole, Self::Moderateur, Self::Admin]
            .into_iter()
            .find(|r| r.slug() == slug)
    }
}
