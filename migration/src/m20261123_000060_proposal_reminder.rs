//! When a volunteer holding a request was reminded of it: `proposal.reminded_at`, set once per
//! accepted proposal (one taking of a request) by the reminder job, which finds the accepted
//! proposals not yet reminded by when they were accepted.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Proposal::Table)
                    .add_column(
                        ColumnDef::new(Proposal::RemindedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        // Only the accepted proposals still waiting for their reminder, by acceptance time: a
        // partial index (the same SQL on SQLite and PostgreSQL).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX IF NOT EXISTS idx_proposal_reminder_due ON proposal (answered_at) \
                 WHERE status = 'acceptee' AND reminded_at IS NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_proposal_reminder_due")
                    .table(Proposal::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Proposal::Table)
                    .drop_column(Proposal::RemindedAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Proposal {
    Table,
    RemindedAt,
}
