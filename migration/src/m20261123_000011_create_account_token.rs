//! Single-use links sent by e-mail (verify an address, reset a password, confirm a new address)
//! and the log of login attempts that throttling counts.

use sea_orm_migration::prelude::*;

use crate::indexes::index;

use crate::m20261123_000010_create_account::Account;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountToken::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(AccountToken::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AccountToken::AccountId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountToken::Purpose)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountToken::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(AccountToken::NewEmail)
                            .string_len(320)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(AccountToken::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountToken::UsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(AccountToken::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_account_token_account")
                            .from(AccountToken::Table, AccountToken::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_account_token_account",
                AccountToken::Table,
                [AccountToken::AccountId],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginAttempt::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(LoginAttempt::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(LoginAttempt::EmailKey)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LoginAttempt::IpKey)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(LoginAttempt::Success).boolean().not_null())
                    .col(
                        ColumnDef::new(LoginAttempt::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_login_attempt_email", LoginAttempt::EmailKey),
            ("idx_login_attempt_ip", LoginAttempt::IpKey),
        ] {
            manager
                .create_index(index(
                    name,
                    LoginAttempt::Table,
                    [column, LoginAttempt::CreatedAt],
                ))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LoginAttempt::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AccountToken::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AccountToken {
    Table,
    Id,
    AccountId,
    Purpose,
    TokenHash,
    NewEmail,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LoginAttempt {
    Table,
    Id,
    EmailKey,
    IpKey,
    Success,
    CreatedAt,
}
