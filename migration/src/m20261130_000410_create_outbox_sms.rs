//! The text-message channel (issue 16): `outbox_sms`, the durable queue of SMS (claimed like the
//! e-mail outbox, see `domain::outbox_claim`); `short_link`, the short `/s/XXXXXXXX` links SMS carry
//! (only a keyed hash of the code is stored); `help_request.sms_aussi`, a citizen who gave both an
//! e-mail address and a mobile number asking for SMS too; `volunteer_profile.telephone_sms`, the
//! mobile number a volunteer receives new proposals on, if they chose to.

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
                    .table(OutboxSms::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(OutboxSms::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(OutboxSms::Kind).string_len(64).not_null())
                    .col(
                        ColumnDef::new(OutboxSms::Recipient)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(ColumnDef::new(OutboxSms::Body).text().not_null())
                    .col(
                        ColumnDef::new(OutboxSms::DedupeKey)
                            .string_len(255)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(OutboxSms::Status).string_len(16).not_null())
                    .col(
                        ColumnDef::new(OutboxSms::Attempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(
                        ColumnDef::new(OutboxSms::NextAttemptAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(OutboxSms::LockedBy).string_len(128).null())
                    .col(
                        ColumnDef::new(OutboxSms::LockedUntil)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(OutboxSms::LastError).text().null())
                    .col(
                        ColumnDef::new(OutboxSms::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OutboxSms::SentAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(OutboxSms::RequestId).big_integer().null())
                    .col(ColumnDef::new(OutboxSms::AccountId).big_integer().null())
                    .col(ColumnDef::new(OutboxSms::Departement).string_len(3).null())
                    .col(ColumnDef::new(OutboxSms::ProviderId).string_len(128).null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_outbox_sms_claim",
                OutboxSms::Table,
                [OutboxSms::Status, OutboxSms::NextAttemptAt, OutboxSms::Id],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_outbox_sms_request",
                OutboxSms::Table,
                [OutboxSms::RequestId],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ShortLink::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ShortLink::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ShortLink::CodeHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(ShortLink::Kind).string_len(16).not_null())
                    .col(
                        ColumnDef::new(ShortLink::RequestId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ShortLink::ProposalId).big_integer().null())
                    .col(
                        ColumnDef::new(ShortLink::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_short_link_request",
                ShortLink::Table,
                [ShortLink::RequestId],
            ))
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(HelpRequest::Table)
                    .add_column(
                        ColumnDef::new(HelpRequest::SmsAussi)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(VolunteerProfile::Table)
                    .add_column(
                        ColumnDef::new(VolunteerProfile::TelephoneSms)
                            .string_len(32)
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(VolunteerProfile::Table)
                    .drop_column(VolunteerProfile::TelephoneSms)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(HelpRequest::Table)
                    .drop_column(HelpRequest::SmsAussi)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(ShortLink::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(OutboxSms::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum OutboxSms {
    Table,
    Id,
    Kind,
    Recipient,
    Body,
    DedupeKey,
    Status,
    Attempts,
    NextAttemptAt,
    LockedBy,
    LockedUntil,
    LastError,
    CreatedAt,
    SentAt,
    RequestId,
    AccountId,
    Departement,
    ProviderId,
}

#[derive(DeriveIden)]
enum ShortLink {
    Table,
    Id,
    CodeHash,
    Kind,
    RequestId,
    ProposalId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HelpRequest {
    Table,
    SmsAussi,
}

#[derive(DeriveIden)]
enum VolunteerProfile {
    Table,
    TelephoneSms,
}
