//! What an outbox e-mail is about, read from its dedupe key when it is queued: the help request it
//! concerns (`outbox_email.request_id`) and the account it is addressed to
//! (`outbox_email.account_id`). Retention erases a request's e-mails with it (the volunteers'
//! copies too), deleting an account erases the e-mails it received at any of its addresses, and
//! "retry failed e-mails" only sends again those whose reason still holds ([`still_due`]).

use chrono::Utc;
use entity::{account, account_token, help_request, outbox_email, proposal};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use entity::states::ProposalStatus;
use entity::states::RequestStatus;

/// Keys `kind:{proposal_id}…`: e-mails about one proposal, to its volunteer.
const ABOUT_A_PROPOSAL: [&str; 3] = ["proposal", "proposal_confirmed", "volunteer_reminder"];

/// Keys `kind:{request_id}…`: e-mails about one request (to the citizen, the volunteer who held
/// it, or moderators).
const ABOUT_A_REQUEST: [&str; 11] = [
    "request_received",
    "request_refused",
    "request_cancelled",
    "request_resolved",
    "request_abandoned",
    "request_cancelled_volunteer",
    "no_volunteer",
    "volunteer_found",
    "moderation_new_request",
    "moderation_no_volunteer",
    "moderation_safety_report",
];

/// The outbox columns that say what an e-mail with `dedupe_key` to `recipient` is about (every
/// other column left unset): `..about::columns(…)` completes the row being queued.
pub async fn columns<C: ConnectionTrait>(
    db: &C,
    dedupe_key: &str,
    recipient: &str,
) -> Result<outbox_email::ActiveModel, DbErr> {
    let (request_id, account_id) = about(db, dedupe_key, recipient).await?;
    Ok(outbox_email::ActiveModel {
        request_id: Set(request_id),
        account_id: Set(account_id),
        ..Default::default()
    })
}

/// The request and the account an e-mail is about.
async fn about<C: ConnectionTrait>(
    db: &C,
    dedupe_key: &str,
    recipient: &str,
) -> Result<(Option<i64>, Option<i64>), DbErr> {
    let (kind, id) = parse(dedupe_key);
    let (mut request_id, mut account_id) = (None, None);
    if ABOUT_A_PROPOSAL.contains(&kind) {
        if let Some(found) = find_proposal(db, id).await? {
            request_id = Some(found.request_id);
            account_id = Some(found.volunteer_id);
        }
    } else if ABOUT_A_REQUEST.contains(&kind) {
        request_id = id;
    } else if kind == "confirm_new_email" {
        // Sent to the address the account is moving to: it is not the account's address yet.
        account_id = account_token::Entity::find()
            .filter(account_token::Column::TokenHash.eq(dedupe_key[kind.len() + 1..].to_owned()))
            .one(db)
            .await?
            .map(|token| token.account_id);
    }
    if account_id.is_none() {
        account_id = account::Entity::find()
            .filter(account::Column::Email.eq(recipient))
            .filter(account::Column::DeletedAt.is_null())
            .one(db)
            .await?
            .map(|account| account.id);
    }
    Ok((request_id, account_id))
}

/// The kind of a dedupe key and the number that follows it, if any.
fn parse(dedupe_key: &str) -> (&str, Option<i64>) {
    let mut parts = dedupe_key.split(':');
    let kind = parts.next().unwrap_or_default();
    (kind, parts.next().and_then(|id| id.parse().ok()))
}

/// The proposal whose acceptance an e-mail tells about: `proposal_confirmed:{proposal}`,
/// `volunteer_reminder:{proposal}` (to the volunteer) or `volunteer_found:{request}:{proposal}`
/// (to the citizen).
fn accepted_proposal(dedupe_key: &str) -> Option<i64> {
    match parse(dedupe_key) {
        ("proposal_confirmed" | "volunteer_reminder", id) => id,
        ("volunteer_found", _) => dedupe_key.split(':').nth(2)?.parse().ok(),
        _ => None,
    }
}

async fn find_proposal<C: ConnectionTrait>(
    db: &C,
    id: Option<i64>,
) -> Result<Option<proposal::Model>, DbErr> {
    match id {
        Some(id) => proposal::Entity::find_by_id(id).one(db).await,
        None => Ok(None),
    }
}

/// Whether a failed e-mail (its dedupe key and request) still has a reason to go out: its request
/// is not erased; a new proposal is still waiting for an answer; the news of a taking (the
/// volunteer's confirmation with the contact details, their reminder, the citizen's "a volunteer
/// will call you") only while that volunteer still holds the request. The other e-mails about a
/// request (to the citizen, to moderators, "the person cancelled") stay due.
pub async fn still_due<C: ConnectionTrait>(
    db: &C,
    dedupe_key: &str,
    request_id: Option<i64>,
) -> Result<bool, DbErr> {
    let Some(request_id) = request_id else {
        return Ok(true);
    };
    let Some(request) = help_request::Entity::find_by_id(request_id).one(db).await? else {
        return Ok(false);
    };
    if request.erased_at.is_some() {
        return Ok(false);
    }
    let status = request.status;
    let (kind, id) = parse(dedupe_key);
    let (proposal_id, waiting) = match accepted_proposal(dedupe_key) {
        Some(accepted) => (Some(accepted), false),
        None if kind == "proposal" => (id, true),
        None => return Ok(true),
    };
    let Some(proposal) = find_proposal(db, proposal_id).await? else {
        return Ok(false);
    };
    Ok(if waiting {
        proposal.status == ProposalStatus::Waiting
            && proposal.expires_at > Utc::now()
            && status == RequestStatus::Ouverte
    } else {
        proposal.status == ProposalStatus::Accepted
            && status == RequestStatus::PriseEnCharge
            && request.volunteer_id == Some(proposal.volunteer_id)
    })
}

#[cfg(test)]
mod tests {
    use super::{accepted_proposal, parse};

    #[test]
    fn a_dedupe_key_names_its_kind_and_first_id() {
        assert_eq!(parse("proposal:42"), ("proposal", Some(42)));
        assert_eq!(parse("volunteer_found:7:42"), ("volunteer_found", Some(7)));
        assert_eq!(parse("confirm_new_email:ab12"), ("confirm_new_email", None));
        assert_eq!(parse("test_email"), ("test_email", None));
    }

    #[test]
    fn the_news_of_a_taking_names_the_accepted_proposal() {
        assert_eq!(accepted_proposal("proposal_confirmed:42"), Some(42));
        assert_eq!(accepted_proposal("volunteer_reminder:42"), Some(42));
        assert_eq!(accepted_proposal("volunteer_found:7:42"), Some(42));
        assert_eq!(accepted_proposal("proposal:42"), None);
        assert_eq!(accepted_proposal("request_received:7"), None);
    }
}
