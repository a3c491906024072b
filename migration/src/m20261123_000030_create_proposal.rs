//! Matching: proposals of a request to volunteers, and the volunteer holding a request.

use sea_orm_migration::prelude::*;

use crate::indexes::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(HelpRequest::Table)
                    .add_column(
                        ColumnDef::new(HelpRequest::VolunteerId)
                            .big_integer()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_help_request_volunteer",
                HelpRequest::Table,
                [HelpRequest::VolunteerId],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Proposal::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Proposal::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Proposal::RequestId).big_integer().not_null())
                    .col(
                        ColumnDef::new(Proposal::VolunteerId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Proposal::Round).integer().not_null())
                    .col(ColumnDef::new(Proposal::Rank).integer().not_null())
                    .col(ColumnDef::new(Proposal::Score).double().not_null())
                    .col(ColumnDef::new(Proposal::Breakdown).text().not_null())
                    .col(ColumnDef::new(Proposal::DistanceKm).double().not_null())
                    .col(ColumnDef::new(Proposal::Status).string_len(16).not_null())
                    .col(
                        ColumnDef::new(Proposal::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(Proposal::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Proposal::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Proposal::AnsweredAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_proposal_request")
                            .from(Proposal::Table, Proposal::RequestId)
                            .to(HelpRequest::Table, HelpRequest::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_proposal_volunteer")
                            .from(Proposal::Table, Proposal::VolunteerId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            (
                "idx_proposal_request",
                vec![Proposal::RequestId, Proposal::Status],
            ),
            (
                "idx_proposal_volunteer",
                vec![Proposal::VolunteerId, Proposal::Status],
            ),
            (
                "idx_proposal_expiry",
                vec![Proposal::Status, Proposal::ExpiresAt],
            ),
        ] {
            manager
                .create_index(index(name, Proposal::Table, columns))
                .await?;
        }
        // At most one accepted proposal per request, whatever the race: a partial unique index
        // (the same SQL on SQLite and PostgreSQL).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX IF NOT EXISTS uq_proposal_one_accepted ON proposal (request_id) \
                 WHERE status = 'acceptee'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Proposal::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(HelpRequest::Table)
                    .drop_column(HelpRequest::VolunteerId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum HelpRequest {
    Table,
    Id,
    VolunteerId,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Proposal {
    Table,
    Id,
    RequestId,
    VolunteerId,
    Round,
    Rank,
    Score,
    Breakdown,
    DistanceKm,
    Status,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    AnsweredAt,
}
