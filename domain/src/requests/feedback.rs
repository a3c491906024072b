//! The citizen's feedback once their request is resolved: "Votre demande est résolue" with a
//! single-use link (sent in the transaction that resolves the request, whoever resolves it), and
//! the one answer kept per request — a « oui » to the safety question alerts the moderators at
//! once, in the same transaction; the form's questions and checks are in [`answer`].

pub mod answer;

pub use answer::{Answer, FeedbackInput, MAX_COMMENT, SAFETY_CHOICES, Satisfaction, Solved, check};

use chrono::Utc;
use entity::{feedback, feedback_token, help_request};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};

use super::status::RequestStatus;
use crate::Config;
use crate::accounts::signup::is_unique_violation;
use crate::error::DomainError;
use crate::lifecycle::alerts;
use crate::tokens::hash_token;

/// The request whose feedback link carries `secret`, while the link is valid.
pub async fn find_by_secret<C: ConnectionTrait>(
    db: &C,
    secret: &str,
) -> Result<Option<help_request::Model>, DbErr> {
    if secret.len() != 64 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some(token) = feedback_token::Entity::find()
        .filter(feedback_token::Column::TokenHash.eq(hash_token(secret)))
        .filter(feedback_token::Column::ExpiresAt.gt(Utc::now()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    help_request::Entity::find_by_id(token.request_id)
        .filter(help_request::Column::ErasedAt.is_null())
        .one(db)
        .await
}

/// Where a request stands as far as feedback goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Not resolved: no form.
    NotResolved,
    /// Resolved, waiting for the person's answer.
    Open,
    /// Answered already.
    Answered(feedback::Model),
}

/// The answer given for `request_id`, if any.
pub async fn of_request<C: ConnectionTrait>(
    db: &C,
    request_id: i64,
) -> Result<Option<feedback::Model>, DbErr> {
    feedback::Entity::find()
        .filter(feedback::Column::RequestId.eq(request_id))
        .one(db)
        .await
}

/// Where `request` stands as far as feedback goes.
pub async fn stage<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
) -> Result<Stage, DbErr> {
    if let Some(answer) = of_request(db, request.id).await? {
        return Ok(Stage::Answered(answer));
    }
    Ok(if request.status == RequestStatus::Resolue {
        Stage::Open
    } else {
        Stage::NotResolved
    })
}

/// What became of an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// Kept.
    Saved,
    /// The request already had one: nothing changed.
    AlreadyReceived,
    /// The request is not resolved: nothing kept.
    NotResolved,
}

/// Keeps `answer` for request `request_id`: only a resolved request, only one answer per request
/// (a unique constraint decides between two sent at once). The feedback link is used up. A « oui »
/// to the safety question alerts the organisation's moderators in the same transaction.
pub async fn record(
    db: &DatabaseConnection,
    config: &Config,
    request_id: i64,
    answer: &Answer,
) -> Result<Recorded, DomainError> {
    let txn = db.begin().await?;
    let request = help_request::Entity::find_by_id(request_id)
        .filter(help_request::Column::ErasedAt.is_null())
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    match stage(&txn, &request).await? {
        Stage::NotResolved => return Ok(Recorded::NotResolved),
        Stage::Answered(_) => return Ok(Recorded::AlreadyReceived),
        Stage::Open => {}
    }
    let now = Utc::now();
    let inserted = feedback::ActiveModel {
        request_id: Set(request.id),
        satisfaction: Set(answer.satisfaction.slug().to_owned()),
        solved: Set(answer.solved.slug().to_owned()),
        comment: Set(answer.comment.clone()),
        asked_money_or_code: Set(answer.asked_money_or_code),
        volunteer_id: Set(request.volunteer_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let kept = match inserted {
        Ok(kept) => kept,
        Err(err) if is_unique_violation(&err) => return Ok(Recorded::AlreadyReceived),
        Err(err) => return Err(err.into()),
    };
    if kept.asked_money_or_code == Some(true) {
        alerts::safety_report(&txn, config, &request, &kept).await?;
    }
    feedback_token::Entity::update_many()
        .col_expr(feedback_token::Column::UsedAt, Expr::value(now))
        .filter(feedback_token::Column::RequestId.eq(request.id))
        .filter(feedback_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(Recorded::Saved)
}

/// How many answers there are, and how many of them satisfied.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Statistics {
    pub answers: u64,
    pub satisfied: u64,
}

impl Statistics {
    /// The share of satisfied answers, in whole percent (none without answers).
    pub fn satisfied_percent(&self) -> Option<u64> {
        (self.answers > 0).then(|| (self.satisfied * 100 + self.answers / 2) / self.answers)
    }
}

/// Counts every answer kept.
pub async fn statistics<C: ConnectionTrait>(db: &C) -> Result<Statistics, DbErr> {
    Ok(Statistics {
        answers: feedback::Entity::find().count(db).await?,
        satisfied: feedback::Entity::find()
            .filter(
                feedback::Column::Satisfaction
                    .is_in(Satisfaction::SATISFIED.map(|s| s.slug().to_owned())),
            )
            .count(db)
            .await?,
    })
}
