//! The citizens' feedback on resolved requests: one answer per request (`feedback`), and the
//! single-use links e-mailed to ask for it (`feedback_token`, only the SHA-256 of the secret).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Feedback::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Feedback::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Feedback::RequestId)
                            .big_integer()
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(Feedback::Satisfaction)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Feedback::Solved).string_len(16).not_null())
                    .col(ColumnDef::new(Feedback::Comment).text().null())
                    .col(
                        ColumnDef::new(Feedback::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_feedback_request")
                            .from(Feedback::Table, Feedback::RequestId)
                            .to(HelpRequest::Table, HelpRequest::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FeedbackToken::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(FeedbackToken::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(FeedbackToken::RequestId)
                            .big_integer()
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(FeedbackToken::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(FeedbackToken::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(FeedbackToken::UsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(FeedbackToken::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_feedback_token_request")
                            .from(FeedbackToken::Table, FeedbackToken::RequestId)
                            .to(HelpRequest::Table, HelpRequest::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FeedbackToken::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Feedback::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Feedback {
    Table,
    Id,
    RequestId,
    Satisfaction,
    Solved,
    Comment,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FeedbackToken {
    Table,
    Id,
    RequestId,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HelpRequest {
    Table,
    Id,
}
