//! `follow_lookup`: the attempts to open a follow-up page with a reference and the last four
//! digits of a telephone number (`/suivi`), counted per address and per reference (keyed hashes,
//! never the raw values) so that guessing is throttled across instances; rows older than a day are
//! deleted with the login attempts.

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
                    .table(FollowLookup::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(FollowLookup::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(FollowLookup::IpKey).string().not_null())
                    .col(
                        ColumnDef::new(FollowLookup::ReferenceKey)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(FollowLookup::Success).boolean().not_null())
                    .col(
                        ColumnDef::new(FollowLookup::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_follow_lookup_ip",
                FollowLookup::Table,
                [FollowLookup::IpKey, FollowLookup::CreatedAt],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_follow_lookup_reference",
                FollowLookup::Table,
                [FollowLookup::ReferenceKey, FollowLookup::CreatedAt],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FollowLookup::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum FollowLookup {
    Table,
    Id,
    IpKey,
    ReferenceKey,
    Success,
    CreatedAt,
}
