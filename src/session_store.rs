//! A tower-sessions store on sea-orm.
//!
//! Written here because the maintained sqlx-based stores still depend on sqlx 0.8 while sea-orm 2
//! uses sqlx 0.9; it is small and follows the `SessionStore` contract (create never overwrites).

use async_trait::async_trait;
use entity::session;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

/// Sessions kept in the `session` table.
#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    /// A store writing through `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    async fn insert(&self, record: &Record, overwrite: bool) -> Result<u64, sea_orm::DbErr> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
        let row = session::ActiveModel {
            id: Set(record.id.to_string()),
            data: Set(data),
            expires_at: Set(record.expiry_date.unix_timestamp()),
        };
        let mut conflict = OnConflict::column(session::Column::Id);
        if overwrite {
            conflict.update_columns([session::Column::Data, session::Column::ExpiresAt]);
        } else {
            conflict.do_nothing();
        }
        session::Entity::insert(row)
            .on_conflict(conflict)
            .exec_without_returning(&self.db)
            .await
    }
}

fn backend(err: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh random id colliding is astronomically unlikely, but never overwrite someone else's session.
        loop {
            if self.insert(record, false).await.map_err(backend)? == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.insert(record, true).await.map(|_| ()).map_err(backend)
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let Some(row) = session::Entity::find_by_id(session_id.to_string())
            .filter(session::Column::ExpiresAt.gt(now))
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp(row.expires_at)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *session_id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        session::Entity::delete_by_id(session_id.to_string())
            .exec(&self.db)
            .await
            .map(|_| ())
            .map_err(backend)
    }
}

impl DbSessionStore {
    /// Deletes the sessions expired at `now` (Unix seconds); returns how many.
    pub async fn delete_expired_at(&self, now: i64) -> Result<u64, sea_orm::DbErr> {
        session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lte(now))
            .exec(&self.db)
            .await
            .map(|r| r.rows_affected)
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        self.delete_expired_at(OffsetDateTime::now_utc().unix_timestamp())
            .await
            .map(|_| ())
            .map_err(backend)
    }
}
