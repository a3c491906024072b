//! The last run of a periodic job, shared by every worker so that one of them runs it per period.

use sea_orm::entity::prelude::*;

/// A job's last run: when, by which worker, and how many runs so far.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job_lease")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub job: String,
    pub last_run_at: DateTimeUtc,
    pub owner: String,
    pub runs: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
