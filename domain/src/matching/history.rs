//! Volunteers' track records as matching scores them: requests held now, when they last took
//! one, how many proposals they received and answered.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{help_request, proposal};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};

/// A volunteer's track record, as the score needs it.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// Requests they hold now.
    pub active: i32,
    /// When they last took a request.
    pub last_taken: Option<DateTime<Utc>>,
    /// Proposals received (withdrawn ones left aside).
    pub received: u32,
    /// Of those, the ones they answered.
    pub answered: u32,
}

/// The track records of the volunteers `ids` (those with none are missing from the map).
pub async fn history<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, History>, DbErr> {
    let mut map: HashMap<i64, History> = HashMap::new();
    for chunk in ids.chunks(500) {
        history_chunk(db, chunk, &mut map).await?;
    }
    Ok(map)
}

async fn history_chunk<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
    map: &mut HashMap<i64, History>,
) -> Result<(), DbErr> {
    #[derive(FromQueryResult)]
    struct Held {
        volunteer_id: i64,
        n: i64,
    }
    #[derive(FromQueryResult)]
    struct Answers {
        volunteer_id: i64,
        received: i64,
        answered: i64,
        last_taken: Option<DateTime<Utc>>,
    }
    let held = help_request::Entity::find()
        .select_only()
        .column(help_request::Column::VolunteerId)
        .column_as(help_request::Column::Id.count(), "n")
        .filter(
            help_request::Column::Status.eq(entity::states::RequestStatus::PriseEnCharge.slug()),
        )
        .filter(help_request::Column::VolunteerId.is_in(ids.iter().copied()))
        .group_by(help_request::Column::VolunteerId)
        .into_model::<Held>()
        .all(db)
        .await?;
    for h in held {
        map.entry(h.volunteer_id).or_default().active = h.n as i32;
    }
    let answers = proposal::Entity::find()
        .select_only()
        .column(proposal::Column::VolunteerId)
        .column_as(proposal::Column::Id.count(), "received")
        .column_as(proposal::Column::AnsweredAt.count(), "answered")
        .column_as(
            Expr::cust("MAX(CASE WHEN status = 'acceptee' THEN answered_at END)"),
            "last_taken",
        )
        .filter(proposal::Column::Status.ne(super::rounds::WITHDRAWN))
        .filter(proposal::Column::VolunteerId.is_in(ids.iter().copied()))
        .group_by(proposal::Column::VolunteerId)
        .into_model::<Answers>()
        .all(db)
        .await?;
    for a in answers {
        let entry = map.entry(a.volunteer_id).or_default();
        entry.received = a.received as u32;
        entry.answered = a.answered as u32;
        entry.last_taken = a.last_taken;
    }
    Ok(())
}
