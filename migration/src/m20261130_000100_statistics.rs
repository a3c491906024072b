//! The daily roll-up behind the public statistics (`/statistiques`): one row per month ×
//! département × category (`toutes` for every category) × organisation (`stat_cell`), one row per
//! volunteer with the months they answered a proposal (`stat_volunteer`), and when the roll-up
//! last ran (`stat_rollup`). Rebuilt in full by the `statistics-rollup` job; nothing else writes
//! them.

use sea_orm_migration::prelude::*;

use crate::indexes::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut cell = Table::create();
        cell.table(StatCell::Table)
            .if_not_exists()
            .col(
                ColumnDef::new(StatCell::Id)
                    .big_integer()
                    .not_null()
                    .auto_increment()
                    .primary_key(),
            )
            .col(ColumnDef::new(StatCell::Month).string_len(7).not_null())
            .col(
                ColumnDef::new(StatCell::Departement)
                    .string_len(3)
                    .not_null(),
            )
            .col(ColumnDef::new(StatCell::Category).string_len(16).not_null())
            .col(
                ColumnDef::new(StatCell::OrganisationId)
                    .big_integer()
                    .not_null(),
            );
        for count in COUNTS {
            cell.col(ColumnDef::new(count).big_integer().not_null().default(0));
        }
        cell.col(ColumnDef::new(StatCell::DelaiPrise).text().not_null())
            .col(ColumnDef::new(StatCell::DelaiResolution).text().not_null());
        manager.create_table(cell.to_owned()).await?;
        manager
            .create_index(index(
                "idx_stat_cell_month",
                StatCell::Table,
                [StatCell::Month, StatCell::Departement],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StatVolunteer::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(StatVolunteer::VolunteerId)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(StatVolunteer::Departement)
                            .string_len(3)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(StatVolunteer::RegisteredMonth)
                            .string_len(7)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(StatVolunteer::ActiveMonths)
                            .text()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StatRollup::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(StatRollup::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(StatRollup::Generation)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(StatRollup::ComputedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(StatCell::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(StatVolunteer::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(StatRollup::Table).to_owned())
            .await
    }
}

const COUNTS: [StatCell; 14] = [
    StatCell::Recues,
    StatCell::Ouvertes,
    StatCell::Prises,
    StatCell::Resolues,
    StatCell::SansBenevole,
    StatCell::Refusees,
    StatCell::Annulees,
    StatCell::TelephoneSeulement,
    StatCell::ModeTelephone,
    StatCell::ModeVisio,
    StatCell::ModePresentiel,
    StatCell::Avis,
    StatCell::AvisSatisfaits,
    StatCell::AvisRegles,
];

#[derive(DeriveIden, Clone, Copy)]
enum StatCell {
    Table,
    Id,
    Month,
    Departement,
    Category,
    OrganisationId,
    Recues,
    Ouvertes,
    Prises,
    Resolues,
    SansBenevole,
    Refusees,
    Annulees,
    TelephoneSeulement,
    ModeTelephone,
    ModeVisio,
    ModePresentiel,
    Avis,
    AvisSatisfaits,
    AvisRegles,
    DelaiPrise,
    DelaiResolution,
}

#[derive(DeriveIden)]
enum StatVolunteer {
    Table,
    VolunteerId,
    Departement,
    RegisteredMonth,
    ActiveMonths,
}

#[derive(DeriveIden)]
enum StatRollup {
    Table,
    Id,
    Generation,
    ComputedAt,
}
