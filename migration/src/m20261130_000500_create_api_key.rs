//! The partner API (issue 17): `api_key` (an organisation's keys: the secret is kept as a keyed
//! hash only, with a short prefix to recognise it), `api_idempotency` (the first answer to each
//! `Idempotency-Key`, so that a retried call returns it again) and `help_request.api_key_id` (the
//! key a request was filed with, when a partner filed it).

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
                    .table(ApiKey::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ApiKey::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ApiKey::OrganisationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ApiKey::Name).string().not_null())
                    .col(ColumnDef::new(ApiKey::Prefix).string().not_null())
                    .col(ColumnDef::new(ApiKey::SecretHash).string().not_null())
                    .col(ColumnDef::new(ApiKey::CreatedBy).big_integer().null())
                    .col(
                        ColumnDef::new(ApiKey::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ApiKey::LastUsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ApiKey::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_key_organisation")
                            .from(ApiKey::Table, ApiKey::OrganisationId)
                            .to(Organisation::Table, Organisation::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_key_created_by")
                            .from(ApiKey::Table, ApiKey::CreatedBy)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "idx_api_key_secret_hash",
                    ApiKey::Table,
                    [ApiKey::SecretHash],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_api_key_organisation",
                ApiKey::Table,
                [ApiKey::OrganisationId],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiIdempotency::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ApiIdempotency::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ApiIdempotency::ApiKeyId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ApiIdempotency::IdempotencyKey)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ApiIdempotency::RequestHash)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ApiIdempotency::Status).integer().not_null())
                    .col(ColumnDef::new(ApiIdempotency::Body).text().not_null())
                    .col(
                        ColumnDef::new(ApiIdempotency::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_idempotency_key")
                            .from(ApiIdempotency::Table, ApiIdempotency::ApiKeyId)
                            .to(ApiKey::Table, ApiKey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "idx_api_idempotency_key",
                    ApiIdempotency::Table,
                    [ApiIdempotency::ApiKeyId, ApiIdempotency::IdempotencyKey],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(HelpRequest::Table)
                    .add_column(ColumnDef::new(HelpRequest::ApiKeyId).big_integer().null())
                    .to_owned(),
            )
            .await?;
        // The partner's listing: its organisation's requests, newest changes first.
        manager
            .create_index(index(
                "idx_help_request_organisation_updated",
                HelpRequest::Table,
                [
                    HelpRequest::OrganisationId,
                    HelpRequest::UpdatedAt,
                    HelpRequest::Id,
                ],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_help_request_organisation_updated")
                    .table(HelpRequest::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(HelpRequest::Table)
                    .drop_column(HelpRequest::ApiKeyId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(ApiIdempotency::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ApiKey::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ApiKey {
    Table,
    Id,
    OrganisationId,
    Name,
    Prefix,
    SecretHash,
    CreatedBy,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum ApiIdempotency {
    Table,
    Id,
    ApiKeyId,
    IdempotencyKey,
    RequestHash,
    Status,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HelpRequest {
    Table,
    ApiKeyId,
    OrganisationId,
    UpdatedAt,
    Id,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}
