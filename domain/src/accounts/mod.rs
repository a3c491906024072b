//! Accounts (../shared/PRODUCT.md §1, §7): volunteers sign up and confirm their address, everyone
//! logs in the same way, resets a forgotten password, and volunteers keep their profile, pause,
//! export their data and delete their account.
//!
//! Each function here is one state change over the database, done in one transaction together with
//! the e-mail it causes (through the outbox), so that nothing is half-written.

pub mod data;
pub mod details;
pub mod links;
pub mod login;
pub mod password;
pub mod profile;
pub mod reset;
pub mod signup;
pub mod staff;
pub mod verification;

use entity::account;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

pub use details::VolunteerDetails;
pub use password::Passwords;

pub use entity::states::Role;

/// The live account with this address, whatever the case of its letters (phones capitalise the
/// first letter; deleted accounts have no address).
pub async fn find_by_email<C: ConnectionTrait>(
    db: &C,
    email: &str,
) -> Result<Option<account::Model>, DbErr> {
    account::Entity::find()
        .filter(
            Expr::expr(Func::lower(Expr::col(account::Column::Email)))
                .eq(Func::lower(Expr::val(email))),
        )
        .filter(account::Column::DeletedAt.is_null())
        .one(db)
        .await
}

/// The live account with this id.
pub async fn find_by_id<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<account::Model>, DbErr> {
    account::Entity::find_by_id(id)
        .filter(account::Column::DeletedAt.is_null())
        .one(db)
        .await
}

/// Stores a new password (argon2id PHC string) for `account`, which also confirms its address (the
/// link that led here was e-mailed to it) and ends every session opened before. Call it inside the
/// transaction that spends the link.
pub async fn store_new_password<C: ConnectionTrait>(
    db: &C,
    account: &account::Model,
    password_hash: String,
) -> Result<(), DbErr> {
    let now = chrono::Utc::now();
    account::Entity::update_many()
        .col_expr(account::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(
            account::Column::SessionEpoch,
            Expr::col(account::Column::SessionEpoch).add(1),
        )
        .col_expr(
            account::Column::EmailVerifiedAt,
            Expr::value(account.email_verified_at.unwrap_or(now)),
        )
        .col_expr(account::Column::UpdatedAt, Expr::value(now))
        .filter(account::Column::Id.eq(account.id))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn roles_round_trip_through_their_slug() {
        for role in [Role::Benevole, Role::Moderateur, Role::Admin] {
            assert_eq!(Role::from_slug(role.slug()), Some(role));
        }
        assert_eq!(Role::from_slug("visiteur"), None);
    }
}
