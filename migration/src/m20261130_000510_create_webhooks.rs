//! Partner webhooks (issue 17): `webhook_endpoint`, the addresses an organisation registered (their
//! signing secret sealed under a key derived from SECRET_KEY), and `webhook_delivery`, the durable
//! outbox of the events sent to them.

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
                    .table(WebhookEndpoint::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(WebhookEndpoint::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(WebhookEndpoint::OrganisationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookEndpoint::Url)
                            .string_len(2048)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookEndpoint::SecretSealed)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookEndpoint::CreatedBy)
                            .big_integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(WebhookEndpoint::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookEndpoint::RotatedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(WebhookEndpoint::DisabledAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_endpoint_organisation")
                            .from(WebhookEndpoint::Table, WebhookEndpoint::OrganisationId)
                            .to(Organisation::Table, Organisation::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_webhook_endpoint_organisation",
                WebhookEndpoint::Table,
                [WebhookEndpoint::OrganisationId],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDelivery::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(WebhookDelivery::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(WebhookDelivery::EndpointId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookDelivery::RequestId)
                            .big_integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(WebhookDelivery::EventId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookDelivery::EventType)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookDelivery::DedupeKey)
                            .string_len(255)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(WebhookDelivery::Body).text().not_null())
                    .col(
                        ColumnDef::new(WebhookDelivery::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookDelivery::Attempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(
                        ColumnDef::new(WebhookDelivery::NextAttemptAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookDelivery::LockedBy)
                            .string_len(128)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(WebhookDelivery::LockedUntil)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(WebhookDelivery::LastError).text().null())
                    .col(
                        ColumnDef::new(WebhookDelivery::LastStatusCode)
                            .integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(WebhookDelivery::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookDelivery::DeliveredAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_delivery_endpoint")
                            .from(WebhookDelivery::Table, WebhookDelivery::EndpointId)
                            .to(WebhookEndpoint::Table, WebhookEndpoint::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_delivery_request")
                            .from(WebhookDelivery::Table, WebhookDelivery::RequestId)
                            .to(HelpRequest::Table, HelpRequest::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_webhook_delivery_due",
                WebhookDelivery::Table,
                [WebhookDelivery::Status, WebhookDelivery::NextAttemptAt],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_webhook_delivery_endpoint",
                WebhookDelivery::Table,
                [WebhookDelivery::EndpointId, WebhookDelivery::Id],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WebhookDelivery::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(WebhookEndpoint::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum WebhookEndpoint {
    Table,
    Id,
    OrganisationId,
    Url,
    SecretSealed,
    CreatedBy,
    CreatedAt,
    RotatedAt,
    DisabledAt,
}

#[derive(DeriveIden)]
enum WebhookDelivery {
    Table,
    Id,
    EndpointId,
    RequestId,
    EventId,
    EventType,
    DedupeKey,
    Body,
    Status,
    Attempts,
    NextAttemptAt,
    LockedBy,
    LockedUntil,
    LastError,
    LastStatusCode,
    CreatedAt,
    DeliveredAt,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum HelpRequest {
    Table,
    Id,
}
