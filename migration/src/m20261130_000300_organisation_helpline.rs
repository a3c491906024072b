//! A human to call: an organisation's telephone number and opening hours
//! (`organisation.telephone`, `organisation.horaires`), shown to the people whose requests it
//! triages on their confirmation page, their follow-up page and in every e-mail they receive.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        for column in [Organisation::Telephone, Organisation::Horaires] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Organisation::Table)
                        .add_column(ColumnDef::new(column).string().null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Organisation::Telephone, Organisation::Horaires] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Organisation::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Telephone,
    Horaires,
}
