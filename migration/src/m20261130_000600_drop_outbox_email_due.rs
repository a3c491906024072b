//! Drops `idx_outbox_email_due (status, next_attempt_at)`: `idx_outbox_email_claim (status,
//! next_attempt_at, id)` serves every query it served (the same leading columns), and each index
//! is one more page to write for every e-mail queued and for each of its two changes of status.

use sea_orm_migration::prelude::*;

use crate::indexes::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_outbox_email_due")
                    .table(OutboxEmail::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(index(
                "idx_outbox_email_due",
                OutboxEmail::Table,
                [OutboxEmail::Status, OutboxEmail::NextAttemptAt],
            ))
            .await
    }
}

#[derive(DeriveIden)]
enum OutboxEmail {
    Table,
    Status,
    NextAttemptAt,
}
