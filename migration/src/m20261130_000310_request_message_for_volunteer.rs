//! `help_request.message_benevole`: what a moderator wants the volunteer to know before calling
//! (« Elle entend mal, parlez fort »), shown with the proposal; personal data, erased with the
//! request's other personal data.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(HelpRequest::Table)
                    .add_column(ColumnDef::new(HelpRequest::MessageBenevole).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(HelpRequest::Table)
                    .drop_column(HelpRequest::MessageBenevole)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum HelpRequest {
    Table,
    MessageBenevole,
}
