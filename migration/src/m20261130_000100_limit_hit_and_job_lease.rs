//! What several instances must share: `limit_hit`, one row per use of a per-address limit (the
//! public account forms), counted over a sliding window; and `job_lease`, one row per periodic job,
//! so that among several workers only one runs each job per period.

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
                    .table(LimitHit::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(LimitHit::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(LimitHit::Name).string_len(40).not_null())
                    .col(ColumnDef::new(LimitHit::KeyHash).string_len(64).not_null())
                    .col(
                        ColumnDef::new(LimitHit::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_limit_hit_key",
                LimitHit::Table,
                [LimitHit::Name, LimitHit::KeyHash, LimitHit::At],
            ))
            .await?;
        manager
            .create_index(index("idx_limit_hit_at", LimitHit::Table, [LimitHit::At]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(JobLease::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(JobLease::Job)
                            .string_len(40)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(JobLease::LastRunAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(JobLease::Owner).string_len(100).not_null())
                    .col(ColumnDef::new(JobLease::Runs).big_integer().not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(JobLease::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(LimitHit::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum LimitHit {
    Table,
    Id,
    Name,
    KeyHash,
    At,
}

#[derive(DeriveIden)]
enum JobLease {
    Table,
    Job,
    LastRunAt,
    Owner,
    Runs,
}
