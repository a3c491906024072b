//! The durable e-mail outbox.

use sea_orm_migration::prelude::*;

use crate::indexes::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutboxEmail::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(OutboxEmail::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(OutboxEmail::Kind).string_len(64).not_null())
                    .col(
                        ColumnDef::new(OutboxEmail::Recipient)
                            .string_len(320)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OutboxEmail::Subject)
                            .string_len(500)
                            .not_null(),
                    )
                    .col(ColumnDef::new(OutboxEmail::BodyText).text().not_null())
                    .col(ColumnDef::new(OutboxEmail::BodyHtml).text().not_null())
                    .col(ColumnDef::new(OutboxEmail::Headers).text().not_null())
                    .col(
                        ColumnDef::new(OutboxEmail::MessageId)
                            .string_len(255)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(OutboxEmail::DedupeKey)
                            .string_len(255)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(OutboxEmail::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OutboxEmail::Attempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(
                        ColumnDef::new(OutboxEmail::NextAttemptAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(OutboxEmail::LockedBy).string_len(128).null())
                    .col(
                        ColumnDef::new(OutboxEmail::LockedUntil)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(OutboxEmail::LastError).text().null())
                    .col(
                        ColumnDef::new(OutboxEmail::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OutboxEmail::SentAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_outbox_email_due",
                OutboxEmail::Table,
                [OutboxEmail::Status, OutboxEmail::NextAttemptAt],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OutboxEmail::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum OutboxEmail {
    Table,
    Id,
    Kind,
    Recipient,
    Subject,
    BodyText,
    BodyHtml,
    Headers,
    MessageId,
    DedupeKey,
    Status,
    Attempts,
    NextAttemptAt,
    LockedBy,
    LockedUntil,
    LastError,
    CreatedAt,
    SentAt,
}
