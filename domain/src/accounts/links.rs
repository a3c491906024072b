//! Single-use links sent by e-mail: issued with a purpose and a lifetime, looked up by the hash of
//! their secret, and spent at most once (even when opened twice at the same moment).

use chrono::{Duration, Utc};
use entity::account_token::{self, Column, Entity as AccountToken};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, Set};

use crate::tokens::{NewToken, hash_token, new_token};

/// What a link is for, and how long it lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Confirms the address given at sign-up (48 hours).
    VerifyEmail,
    /// Chooses a new password (1 hour).
    ResetPassword,
    /// Confirms a new address, which takes effect then (48 hours).
    ChangeEmail,
    /// Chooses the first password of an invited moderator or a new admin, which also confirms
    /// the address (7 days).
    Invitation,
}

impl Purpose {
    /// The stored form.
    pub fn slug(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ResetPassword => "reset_password",
            Self::ChangeEmail => "change_email",
            Self::Invitation => "invitation",
        }
    }

    /// How long a link stays valid.
    pub fn lifetime(self) -> Duration {
        match self {
            Self::ResetPassword => Duration::hours(1),
            Self::VerifyEmail | Self::ChangeEmail => Duration::hours(48),
            Self::Invitation => Duration::days(7),
        }
    }
}

/// What a secret from a link turned out to be.
#[derive(Clone, Debug)]
pub enum Lookup {
    /// Valid: not used, not expired.
    Valid(account_token::Model),
    /// Valid once, but too old now.
    Expired(account_token::Model),
    /// Already used.
    Used(account_token::Model),
    /// No such link (or one for another purpose).
    Unknown,
}

/// Issues a link for `account_id`; the secret goes in the e-mail, only its hash is stored.
pub async fn issue<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    purpose: Purpose,
    new_email: Option<String>,
) -> Result<NewToken, DbErr> {
    let token = new_token();
    let now = Utc::now();
    AccountToken::insert(account_token::ActiveModel {
        account_id: Set(account_id),
        purpose: Set(purpose.slug().to_owned()),
        token_hash: Set(token.hash.clone()),
        new_email: Set(new_email),
        expires_at: Set(now + purpose.lifetime()),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(token)
}

/// The most links of one purpose sent to an account in an hour: asking for more sends nothing
/// (against filling someone's mailbox).
pub const MAX_PER_HOUR: u64 = 3;

/// Whether another link of this purpose may be sent to the account now.
pub async fn may_issue<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    purpose: Purpose,
) -> Result<bool, DbErr> {
    let recent = AccountToken::find()
        .filter(Column::AccountId.eq(account_id))
        .filter(Column::Purpose.eq(purpose.slug()))
        .filter(Column::CreatedAt.gt(Utc::now() - Duration::hours(1)))
        .count(db)
        .await?;
    Ok(recent < MAX_PER_HOUR)
}

/// Finds the link whose secret is `secret`, if it has this purpose.
pub async fn look_up<C: ConnectionTrait>(
    db: &C,
    purpose: Purpose,
    secret: &str,
) -> Result<Lookup, DbErr> {
    let found = AccountToken::find()
        .filter(Column::TokenHash.eq(hash_token(secret)))
        .filter(Column::Purpose.eq(purpose.slug()))
        .one(db)
        .await?;
    Ok(match found {
        None => Lookup::Unknown,
        Some(token) if token.used_at.is_some() => Lookup::Used(token),
        Some(token) if token.expires_at <= Utc::now() => Lookup::Expired(token),
        Some(token) => Lookup::Valid(token),
    })
}

/// Spends the link: `false` if it was already spent (by a concurrent request).
pub async fn spend<C: ConnectionTrait>(db: &C, token_id: i64) -> Result<bool, DbErr> {
    let updated = AccountToken::update_many()
        .col_expr(Column::UsedAt, Expr::value(Utc::now()))
        .filter(Column::Id.eq(token_id))
        .filter(Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// Spends every other unused link of this purpose for the account (a new password makes older
/// reset links useless).
pub async fn spend_all<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    purpose: Purpose,
) -> Result<(), DbErr> {
    AccountToken::update_many()
        .col_expr(Column::UsedAt, Expr::value(Utc::now()))
        .filter(Column::AccountId.eq(account_id))
        .filter(Column::Purpose.eq(purpose.slug()))
        .filter(Column::UsedAt.is_null())
        .exec(db)
        .await
        .map(|_| ())
}
