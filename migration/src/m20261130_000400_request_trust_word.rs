//! `help_request.mot_de_confiance`: the trust word drawn when a volunteer takes the request, which
//! the volunteer says at the start of the first call so the person knows the call is genuine;
//! personal data, erased with the request's other personal data.

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
                    .add_column(ColumnDef::new(HelpRequest::MotDeConfiance).string().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(HelpRequest::Table)
                    .drop_column(HelpRequest::MotDeConfiance)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum HelpRequest {
    Table,
    MotDeConfiance,
}
