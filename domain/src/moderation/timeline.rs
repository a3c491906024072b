//! A request's timeline for moderators: its events, the audit entries about it and the internal
//! notes, merged oldest first, each saying who did what in plain French.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{account, audit_log, help_request, moderation_note, request_event};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::notes::{self, NOTE_ACTION};
use super::refusal::RefusalReason;
use crate::audit::{self, Target};
use crate::requests::follow;
use entity::states::{Actor, EventKind};

/// Where a timeline entry comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The request's event log.
    Event,
    /// The audit log.
    Audit,
    /// An internal note.
    Note,
}

/// One entry of the timeline.
#[derive(Clone, Debug)]
pub struct Item {
    pub at: DateTime<Utc>,
    pub source: Source,
    /// Who acted, e.g. "Paul (modération)".
    pub who: String,
    /// What happened.
    pub what: String,
    /// More about it (the note's text, a reason, the fields changed…).
    pub details: Option<String>,
}

/// The timeline of `request`, oldest first.
pub async fn of_request<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
) -> Result<Vec<Item>, DbErr> {
    let events = follow::all_events(db, request.id).await?;
    let entries: Vec<audit_log::Model> = audit::for_target(db, Target::Request(request.id))
        .await?
        .into_iter()
        .filter(|e| e.action != NOTE_ACTION)
        .collect();
    let notes = notes::of_request(db, request.id).await?;
    let mentioned = events
        .iter()
        .filter_map(|e| e.details.as_deref())
        .chain(entries.iter().filter_map(|e| e.details.as_deref()))
        .flat_map(mentions);
    let ids: Vec<i64> = events
        .iter()
        .filter_map(|e| e.actor_id)
        .chain(entries.iter().filter_map(|e| e.actor_id))
        .chain(notes.iter().map(|n| n.author_id))
        .chain(mentioned)
        .collect();
    let names = first_names(db, &ids).await?;
    let name = |id: Option<i64>| id.and_then(|id| names.get(&id).cloned());
    let mut items: Vec<Item> = Vec::new();
    items.extend(events.iter().map(|e| event_item(e, name(e.actor_id))));
    items.extend(entries.iter().map(|e| Item {
        at: e.at,
        source: Source::Audit,
        who: who(Actor::from_slug(&e.actor_role), name(e.actor_id)),
        what: format!("Journal d'audit : {}", e.action.timeline_label()),
        details: e.details.as_deref().map(readable_reason),
    }));
    for item in &mut items {
        if let Some(details) = &item.details {
            item.details = Some(with_names(details, &names));
        }
    }
    items.extend(notes.iter().map(|n| note_item(n, name(Some(n.author_id)))));
    // A stable sort keeps an action's event before its audit entry when they share a time.
    items.sort_by_key(|i| i.at);
    Ok(items)
}

/// The first names of these accounts.
pub async fn first_names<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, String>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.prenom))
        .collect())
}

/// The account ids a detail mentions as `#ID` (the event log keeps ids, not names, so that it
/// holds no personal data of its own).
fn mentions(details: &str) -> impl Iterator<Item = i64> + '_ {
    details
        .split('#')
        .skip(1)
        .filter_map(|rest| mention(rest).map(|(id, _)| id))
}

/// The account id at the start of `rest` (what follows a `#`), and what comes after it.
fn mention(rest: &str) -> Option<(i64, &str)> {
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    Some((rest[..digits].parse().ok()?, &rest[digits..]))
}

/// `details` with each `#ID` written as the account's first name, e.g. "#12" → "Marie" (internal
/// numbers are not for people to read).
fn with_names(details: &str, names: &HashMap<i64, String>) -> String {
    let mut parts = details.split('#');
    let mut out = parts.next().unwrap_or_default().to_owned();
    for rest in parts {
        match mention(rest) {
            Some((id, after)) => {
                let name = names.get(&id).map_or("compte supprimé", String::as_str);
                out.push_str(name);
                out.push_str(after);
            }
            None => {
                out.push('#');
                out.push_str(rest);
            }
        }
    }
    out
}

/// An audit detail with a refusal reason's slug ("motif : hors_champ") written as its label.
fn readable_reason(details: &str) -> String {
    match details
        .strip_prefix("motif : ")
        .and_then(RefusalReason::from_slug)
    {
        Some(reason) => format!("motif : {}", reason.label()),
        None => details.to_owned(),
    }
}

fn who(actor: Option<Actor>, name: Option<String>) -> String {
    let name = name.unwrap_or_else(|| "compte supprimé".to_owned());
    match actor {
        Some(Actor::Citoyen) => "La personne qui demande".to_owned(),
        Some(Actor::Benevole) => format!("{name} (bénévole)"),
        Some(Actor::Moderateur) => format!("{name} (modération)"),
        Some(Actor::Admin) => format!("{name} (administration)"),
        Some(Actor::Systeme) | None => "Entraide (automatique)".to_owned(),
    }
}

fn event_item(event: &request_event::Model, name: Option<String>) -> Item {
    let what = event
        .kind
        .staff_label()
        .map_or_else(|| follow::event_label(event), str::to_owned);
    let details = match (event.kind, event.details.as_deref()) {
        (EventKind::Refused, Some(slug)) => Some(
            RefusalReason::from_slug(slug)
                .map_or_else(|| slug.to_owned(), |r| format!("motif : {}", r.label())),
        ),
        (_, details) => details.map(str::to_owned),
    };
    Item {
        at: event.at,
        source: Source::Event,
        who: who(Some(event.actor), name),
        what,
        details,
    }
}

fn note_item(note: &moderation_note::Model, name: Option<String>) -> Item {
    Item {
        at: note.at,
        source: Source::Note,
        who: who(Some(Actor::Moderateur), name),
        what: "Note interne".to_owned(),
        details: Some(note.body.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentioned_accounts_are_named() {
        let details = "tour 2 : proposée à #12 (80 sur 100), #7 (64 sur 100)";
        assert_eq!(mentions(details).collect::<Vec<_>>(), vec![12, 7]);
        let names = HashMap::from([(12, "Marie".to_owned())]);
        assert_eq!(
            with_names(details, &names),
            "tour 2 : proposée à Marie (80 sur 100), compte supprimé (64 sur 100)"
        );
    }

    #[test]
    fn refusal_reasons_are_written_as_words() {
        assert_eq!(
            readable_reason("motif : hors_champ"),
            "motif : Hors du champ de l'aide numérique"
        );
        assert_eq!(readable_reason("motif : inconnu"), "motif : inconnu");
    }

    #[test]
    fn a_hash_sign_without_a_number_stays() {
        let names = HashMap::new();
        assert_eq!(mentions("note #a # b").count(), 0);
        assert_eq!(with_names("note #a # b", &names), "note #a # b");
    }
}
