//! What a partner reads of its organisation's requests: one request by its reference (status,
//! dates, the volunteer's first name once taken, the timeline as the person sees it — no contact
//! details of the volunteer, no internal notes) and the list of requests, newest changes first,
//! page after page behind an opaque cursor.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, SecondsFormat, Utc};
use entity::help_request::{self, Column};
use entity::states::RequestStatus;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::requests::follow;

/// The most requests one page lists.
pub const MAX_PAGE: u64 = 100;

/// One request as its partner sees it.
#[derive(Clone, Debug)]
pub struct PartnerRequest {
    pub request: help_request::Model,
    /// The first name of the volunteer who took it, if one did.
    pub volunteer_first_name: Option<String>,
    /// What the person would read on her follow-up page: (when, what), oldest first.
    pub timeline: Vec<(DateTime<Utc>, &'static str)>,
}

/// Request `reference` of `organisation_id`, if it exists and is that organisation's: another
/// organisation's request is `None` like an unknown one.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    organisation_id: i64,
    reference: &str,
) -> Result<Option<PartnerRequest>, DbErr> {
    let Some(request) = help_request::Entity::find()
        .filter(Column::Reference.eq(reference.trim().to_uppercase()))
        .filter(Column::OrganisationId.eq(organisation_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let volunteer_first_name = match request.volunteer_id {
        Some(id) => entity::account::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|a| a.prenom),
        None => None,
    };
    let events = follow::timeline(db, request.id).await?;
    let timeline = follow::citizen_timeline(&events);
    Ok(Some(PartnerRequest {
        request,
        volunteer_first_name,
        timeline,
    }))
}

/// Where a page of the list starts: after the request changed at `updated_at` with id `id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub updated_at: DateTime<Utc>,
    pub id: i64,
}

impl Cursor {
    /// The opaque text given to the partner.
    pub fn encode(&self) -> String {
        let text = format!(
            "{}|{}",
            self.updated_at.to_rfc3339_opts(SecondsFormat::Nanos, true),
            self.id
        );
        URL_SAFE_NO_PAD.encode(text)
    }

    /// The cursor `text` stands for, if it is one this service gave.
    pub fn decode(text: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let (at, id) = text.split_once('|')?;
        Some(Self {
            updated_at: DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc),
            id: id.parse().ok()?,
        })
    }
}

/// Which requests to list.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    /// Only those in this state.
    pub status: Option<RequestStatus>,
    /// Only those changed at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only those after this point of the order (the next page).
    pub after: Option<Cursor>,
    /// How many at most (capped at [`MAX_PAGE`]).
    pub limit: u64,
}

/// One page of the list, and the cursor of the next page when there is one.
#[derive(Clone, Debug)]
pub struct Page {
    pub requests: Vec<help_request::Model>,
    pub next: Option<Cursor>,
}

/// The requests of `organisation_id`, newest changes first (then highest id). A request inserted
/// or changed while a partner pages through comes before the cursor, so the pages already given
/// do not shift.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    organisation_id: i64,
    query: &ListQuery,
) -> Result<Page, DbErr> {
    let limit = query.limit.clamp(1, MAX_PAGE);
    let mut select =
        help_request::Entity::find().filter(Column::OrganisationId.eq(organisation_id));
    if let Some(status) = query.status {
        select = select.filter(Column::Status.eq(status));
    }
    if let Some(since) = query.since {
        select = select.filter(Column::UpdatedAt.gte(since));
    }
    if let Some(after) = query.after {
        select = select.filter(
            Condition::any()
                .add(Column::UpdatedAt.lt(after.updated_at))
                .add(
                    Condition::all()
                        .add(Column::UpdatedAt.eq(after.updated_at))
                        .add(Column::Id.lt(after.id)),
                ),
        );
    }
    let mut requests = select
        .order_by_desc(Column::UpdatedAt)
        .order_by_desc(Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let next = if requests.len() as u64 > limit {
        requests.truncate(limit as usize);
        requests.last().map(|r| Cursor {
            updated_at: r.updated_at,
            id: r.id,
        })
    } else {
        None
    };
    Ok(Page { requests, next })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let cursor = Cursor {
            updated_at: DateTime::parse_from_rfc3339("2026-11-30T10:11:12.123456Z")
                .unwrap()
                .with_timezone(&Utc),
            id: 42,
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        assert_eq!(Cursor::decode("pas-un-curseur"), None);
        assert_eq!(Cursor::decode(""), None);
    }
}
