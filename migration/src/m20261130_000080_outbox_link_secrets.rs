//! Secrets at rest in the outbox: `outbox_email.link_secrets` holds the tokens of an e-mail's
//! links, encrypted, while the stored bodies hold placeholders; it is emptied once the e-mail is
//! sent. E-mails already sent before this migration lose their bodies (they held live links);
//! kind, recipient, subject, dates and attempts stay for support. Sent e-mails are deleted after
//! a while, found by `sent_at`.

use sea_orm_migration::prelude::*;

use crate::indexes::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// What the bodies of e-mails sent before this migration become.
const REMOVED: &str = "[contenu retiré : il contenait des liens personnels]";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OutboxEmail::Table)
                    .add_column(ColumnDef::new(OutboxEmail::LinkSecrets).text().null())
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(OutboxEmail::Table)
                    .value(OutboxEmail::BodyText, REMOVED)
                    .value(OutboxEmail::BodyHtml, REMOVED)
                    .value(OutboxEmail::Headers, "[]")
                    .and_where(Expr::col(OutboxEmail::Status).eq("sent"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_outbox_email_sent_at",
                OutboxEmail::Table,
                [OutboxEmail::SentAt],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_outbox_email_sent_at")
                    .table(OutboxEmail::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OutboxEmail::Table)
                    .drop_column(OutboxEmail::LinkSecrets)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum OutboxEmail {
    Table,
    BodyText,
    BodyHtml,
    Headers,
    Status,
    SentAt,
    LinkSecrets,
}
