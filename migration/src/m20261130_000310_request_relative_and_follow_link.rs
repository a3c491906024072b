//! What a request needs for the person to come back and for a relative's request:
//! `help_request.follow_token_sealed` (the follow-up link's secret, encrypted under a key derived
//! from SECRET_KEY, so that every e-mail can carry the link and the reference plus the telephone
//! can open it; erased with the rest), and for a request made for a relative, the relative's
//! telephone (`telephone_proche`), the requester's tie to them (`lien_proche`: `fille`, `voisin`…)
//! and whether the volunteer should call the relative rather than the requester
//! (`contacter_proche`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        for column in [
            HelpRequest::FollowTokenSealed,
            HelpRequest::TelephoneProche,
            HelpRequest::LienProche,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(HelpRequest::Table)
                        .add_column(ColumnDef::new(column).string().null())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(HelpRequest::Table)
                    .add_column(
                        ColumnDef::new(HelpRequest::ContacterProche)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            HelpRequest::FollowTokenSealed,
            HelpRequest::TelephoneProche,
            HelpRequest::LienProche,
            HelpRequest::ContacterProche,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(HelpRequest::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum HelpRequest {
    Table,
    FollowTokenSealed,
    TelephoneProche,
    LienProche,
    ContacterProche,
}
