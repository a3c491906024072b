//! `idx_outbox_email_claim` on `outbox_email (status, next_attempt_at, id)`: the outbox worker's claim
//! walks it in order and stops after one batch, whatever the backlog (without `id` in the index,
//! PostgreSQL read and sorted every due e-mail to order them by `next_attempt_at, id`).

use sea_orm_migration::prelude::*;

use crate::indexes::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(index(
                "idx_outbox_email_claim",
                OutboxEmail::Table,
                [
                    OutboxEmail::Status,
                    OutboxEmail::NextAttemptAt,
                    OutboxEmail::Id,
                ],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_outbox_email_claim")
                    .table(OutboxEmail::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum OutboxEmail {
    Table,
    Id,
    Status,
    NextAttemptAt,
}
