//! Organisations and moderation: organisations with their territory, their moderators
//! (memberships), the organisation a request belongs to, moderators' internal notes, and the
//! append-only audit log of every moderator and admin action.

use sea_orm_migration::prelude::*;

use crate::indexes::index;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organisation::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Organisation::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Organisation::Name)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Organisation::ContactEmail)
                            .string_len(254)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Organisation::National).boolean().not_null())
                    .col(ColumnDef::new(Organisation::Departements).text().not_null())
                    .col(
                        ColumnDef::new(Organisation::AutoApprove)
                            .boolean()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Organisation::VettingRequired)
                            .boolean()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Organisation::Active).boolean().not_null())
                    .col(
                        ColumnDef::new(Organisation::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Organisation::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Membership::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Membership::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Membership::OrganisationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Membership::AccountId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Membership::Notification)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Membership::LastDigestAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Membership::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_membership_organisation")
                            .from(Membership::Table, Membership::OrganisationId)
                            .to(Organisation::Table, Organisation::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_membership_account")
                            .from(Membership::Table, Membership::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_membership",
                    Membership::Table,
                    [Membership::OrganisationId, Membership::AccountId],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_membership_account",
                Membership::Table,
                [Membership::AccountId],
            ))
            .await?;

        // The organisation a request belongs to (none: admins triage it), and the moderator who
        // typed it in for someone who phoned.
        for column in [HelpRequest::OrganisationId, HelpRequest::EnteredBy] {
            manager
                .alter_table(
                    Table::alter()
                        .table(HelpRequest::Table)
                        .add_column(ColumnDef::new(column).big_integer().null())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(index(
                "idx_help_request_organisation",
                HelpRequest::Table,
                [
                    HelpRequest::OrganisationId,
                    HelpRequest::Status,
                    HelpRequest::CreatedAt,
                ],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ModerationNote::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ModerationNote::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ModerationNote::RequestId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ModerationNote::AuthorId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ModerationNote::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ModerationNote::Body).text().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_moderation_note_request")
                            .from(ModerationNote::Table, ModerationNote::RequestId)
                            .to(HelpRequest::Table, HelpRequest::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_moderation_note_author")
                            .from(ModerationNote::Table, ModerationNote::AuthorId)
                            .to(Account::Table, Account::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_moderation_note_request",
                ModerationNote::Table,
                [ModerationNote::RequestId],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(AuditLog::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AuditLog::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditLog::ActorId).big_integer().null())
                    .col(
                        ColumnDef::new(AuditLog::ActorRole)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditLog::Action).string_len(64).not_null())
                    .col(
                        ColumnDef::new(AuditLog::TargetType)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditLog::TargetId).big_integer().null())
                    .col(
                        ColumnDef::new(AuditLog::OrganisationId)
                            .big_integer()
                            .null(),
                    )
                    .col(ColumnDef::new(AuditLog::Details).text().null())
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("idx_audit_log_at", vec![AuditLog::At]),
            (
                "idx_audit_log_target",
                vec![AuditLog::TargetType, AuditLog::TargetId],
            ),
            ("idx_audit_log_actor", vec![AuditLog::ActorId]),
        ] {
            manager
                .create_index(index(name, AuditLog::Table, columns))
                .await?;
        }

        // Append-only, whatever the code does: the database itself refuses to change or delete
        // an entry.
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger \
                     LANGUAGE plpgsql AS $$ BEGIN \
                     RAISE EXCEPTION 'audit_log is append-only'; END $$",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log \
                     FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
                )
                .await?;
            }
            _ => {
                for operation in ["UPDATE", "DELETE"] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER IF NOT EXISTS audit_log_no_{op} BEFORE {operation} \
                         ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
                        op = operation.to_lowercase()
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS audit_log_append_only()")
                .await?;
        }
        manager
            .drop_table(Table::drop().table(ModerationNote::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_help_request_organisation")
                    .table(HelpRequest::Table)
                    .to_owned(),
            )
            .await?;
        for column in [HelpRequest::OrganisationId, HelpRequest::EnteredBy] {
            manager
                .alter_table(
                    Table::alter()
                        .table(HelpRequest::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Membership::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Organisation::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
    Name,
    ContactEmail,
    National,
    Departements,
    AutoApprove,
    VettingRequired,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Membership {
    Table,
    Id,
    OrganisationId,
    AccountId,
    Notification,
    LastDigestAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum HelpRequest {
    Table,
    Id,
    Status,
    CreatedAt,
    OrganisationId,
    EnteredBy,
}

#[derive(DeriveIden)]
enum ModerationNote {
    Table,
    Id,
    RequestId,
    AuthorId,
    At,
    Body,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorId,
    ActorRole,
    Action,
    TargetType,
    TargetId,
    OrganisationId,
    Details,
}
