//! Citizens' help requests and their append-only event log.

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
                    .table(HelpRequest::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(HelpRequest::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(HelpRequest::Reference)
                            .string_len(16)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(HelpRequest::FollowTokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(HelpRequest::Status)
                            .string_len(20)
                            .not_null(),
                    )
                    .col(ColumnDef::new(HelpRequest::Categories).integer().not_null())
                    .col(ColumnDef::new(HelpRequest::Modes).integer().not_null())
                    .col(ColumnDef::new(HelpRequest::Description).text().null())
                    .col(
                        ColumnDef::new(HelpRequest::CommuneInsee)
                            .string_len(5)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(HelpRequest::Departement)
                            .string_len(3)
                            .not_null(),
                    )
                    .col(ColumnDef::new(HelpRequest::Latitude).double().not_null())
                    .col(ColumnDef::new(HelpRequest::Longitude).double().not_null())
                    .col(
                        ColumnDef::new(HelpRequest::Prenom)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(ColumnDef::new(HelpRequest::Email).string_len(320).null())
                    .col(ColumnDef::new(HelpRequest::Telephone).string_len(20).null())
                    .col(ColumnDef::new(HelpRequest::Langue).string_len(8).null())
                    .col(
                        ColumnDef::new(HelpRequest::PourUnProche)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(HelpRequest::PrenomProche)
                            .string_len(100)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(HelpRequest::ARappeler)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(HelpRequest::SubmitterKey)
                            .string_len(64)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(HelpRequest::ConsentAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(HelpRequest::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(HelpRequest::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(HelpRequest::ClosedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_help_request_status", HelpRequest::Status),
            ("idx_help_request_departement", HelpRequest::Departement),
            ("idx_help_request_submitter", HelpRequest::SubmitterKey),
        ] {
            manager
                .create_index(index(name, HelpRequest::Table, [column]))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(RequestEvent::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(RequestEvent::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(RequestEvent::RequestId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RequestEvent::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RequestEvent::Actor)
                            .string_len(20)
                            .not_null(),
                    )
                    .col(ColumnDef::new(RequestEvent::ActorId).big_integer().null())
                    .col(ColumnDef::new(RequestEvent::Kind).string_len(32).not_null())
                    .col(
                        ColumnDef::new(RequestEvent::FromStatus)
                            .string_len(20)
                            .null(),
                    )
                    .col(ColumnDef::new(RequestEvent::ToStatus).string_len(20).null())
                    .col(ColumnDef::new(RequestEvent::Details).text().null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_request_event_request")
                            .from(RequestEvent::Table, RequestEvent::RequestId)
                            .to(HelpRequest::Table, HelpRequest::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_request_event_request",
                RequestEvent::Table,
                [RequestEvent::RequestId, RequestEvent::Id],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RequestEvent::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(HelpRequest::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum HelpRequest {
    Table,
    Id,
    Reference,
    FollowTokenHash,
    Status,
    Categories,
    Modes,
    Description,
    CommuneInsee,
    Departement,
    Latitude,
    Longitude,
    Prenom,
    Email,
    Telephone,
    Langue,
    PourUnProche,
    PrenomProche,
    #[sea_orm(iden = "a_rappeler")]
    ARappeler,
    SubmitterKey,
    ConsentAt,
    CreatedAt,
    UpdatedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum RequestEvent {
    Table,
    Id,
    RequestId,
    At,
    Actor,
    ActorId,
    Kind,
    FromStatus,
    ToStatus,
    Details,
}
