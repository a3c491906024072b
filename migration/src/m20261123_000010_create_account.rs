//! Accounts shared by every role (volunteers, moderators, admins) and the volunteer profile.

use sea_orm_migration::prelude::*;

use crate::indexes::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Account::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Account::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Account::Email)
                            .string_len(320)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Account::PasswordHash).text().not_null())
                    .col(ColumnDef::new(Account::Prenom).string_len(100).not_null())
                    .col(ColumnDef::new(Account::Nom).string_len(100).null())
                    .col(ColumnDef::new(Account::Role).string_len(16).not_null())
                    .col(
                        ColumnDef::new(Account::EmailVerifiedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Account::SessionEpoch)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(
                        ColumnDef::new(Account::DeletedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Account::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Account::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        // One account per address whatever the case of its letters (also what logins look up).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX IF NOT EXISTS idx_account_email_lower ON account (LOWER(email))",
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(VolunteerProfile::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(VolunteerProfile::AccountId)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(VolunteerProfile::CommuneInsee)
                            .string_len(5)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(VolunteerProfile::Departement)
                            .string_len(3)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(VolunteerProfile::Latitude)
                            .double()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(VolunteerProfile::Longitude)
                            .double()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(VolunteerProfile::RayonKm)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(VolunteerProfile::Modes).integer().not_null())
                    .col(
                        ColumnDef::new(VolunteerProfile::Categories)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(VolunteerProfile::Langues)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(VolunteerProfile::MaxDemandes)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(VolunteerProfile::Disponibilites)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(VolunteerProfile::PausedUntil)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(VolunteerProfile::VettedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(VolunteerProfile::SuspendedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(VolunteerProfile::SuspensionReason)
                            .text()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_volunteer_profile_account")
                            .from(VolunteerProfile::Table, VolunteerProfile::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_volunteer_profile_position",
                VolunteerProfile::Table,
                [VolunteerProfile::Latitude, VolunteerProfile::Longitude],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_volunteer_profile_categories",
                VolunteerProfile::Table,
                [VolunteerProfile::Categories],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(VolunteerProfile::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Account::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub(crate) enum Account {
    Table,
    Id,
    Email,
    PasswordHash,
    Prenom,
    Nom,
    Role,
    EmailVerifiedAt,
    SessionEpoch,
    DeletedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum VolunteerProfile {
    Table,
    AccountId,
    CommuneInsee,
    Departement,
    Latitude,
    Longitude,
    RayonKm,
    Modes,
    Categories,
    Langues,
    MaxDemandes,
    Disponibilites,
    PausedUntil,
    VettedAt,
    SuspendedAt,
    SuspensionReason,
}
