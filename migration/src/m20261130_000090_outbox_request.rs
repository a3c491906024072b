//! What an outbox e-mail is about: `outbox_email.request_id` (the help request it concerns) and
//! `outbox_email.account_id` (the account it was addressed to), both nullable and indexed, so that
//! erasing a request or deleting an account also deletes the copies of the e-mails about them,
//! whatever address they went to, and so that a failed e-mail is only sent again while its reason
//! still holds.

use sea_orm_migration::prelude::*;

use crate::indexes::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        for column in [OutboxEmail::RequestId, OutboxEmail::AccountId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(OutboxEmail::Table)
                        .add_column(ColumnDef::new(column).big_integer().null())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(index(
                "idx_outbox_email_request",
                OutboxEmail::Table,
                [OutboxEmail::RequestId],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_outbox_email_account",
                OutboxEmail::Table,
                [OutboxEmail::AccountId],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["idx_outbox_email_request", "idx_outbox_email_account"] {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(OutboxEmail::Table)
                        .to_owned(),
                )
                .await?;
        }
        for column in [OutboxEmail::RequestId, OutboxEmail::AccountId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(OutboxEmail::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum OutboxEmail {
    Table,
    RequestId,
    AccountId,
}
