//! The feedback form's safety question (issue 16): `feedback.asked_money_or_code` — whether the
//! person says the one who helped them asked for money, a password or a code (`true`: the
//! organisation's moderators were alerted; null: not answered) — and `feedback.volunteer_id`, the
//! volunteer who held the request when the person answered, so that a report stays on that
//! volunteer's page whatever becomes of the request.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Feedback::Table)
                    .add_column(ColumnDef::new(Feedback::AskedMoneyOrCode).boolean().null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Feedback::Table)
                    .add_column(ColumnDef::new(Feedback::VolunteerId).big_integer().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Feedback::AskedMoneyOrCode, Feedback::VolunteerId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Feedback::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Feedback {
    Table,
    AskedMoneyOrCode,
    VolunteerId,
}
