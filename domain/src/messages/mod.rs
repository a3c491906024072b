//! The catalogue of every message the service sends: who receives it, what triggers it, its
//! template and channel ([`CATALOGUE`]), and the event it stands for ([`Message`]), from which its
//! dedupe key is derived — never retyped at a call site. Every e-mail of the domain is queued
//! through [`queue`]; the README's table of messages is generated from the catalogue (a test keeps
//! them in step).

use sea_orm::ConnectionTrait;

pub mod emails;
pub mod texts;

use crate::Config;
use crate::error::DomainError;
use crate::mail::{self, Email};
use crate::webhooks::{self, Event};
use entity::help_request;

/// Who a message is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recipient {
    /// The person who asked for help (when they gave an e-mail address).
    Citizen,
    /// A volunteer (or someone signing up).
    Volunteer,
    /// A moderator (or an admin).
    Moderator,
    /// Whoever runs the service.
    Operator,
    /// The webhooks an organisation registered (issue 17).
    Partner,
}

impl Recipient {
    /// How the README names them.
    pub fn label(self) -> &'static str {
        match self {
            Self::Citizen => "citizen",
            Self::Volunteer => "volunteer",
            Self::Moderator => "moderator",
            Self::Operator => "operator",
            Self::Partner => "partner webhooks",
        }
    }
}

/// How a message travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// The e-mail outbox (templates in `templates/emails/<kind>/`).
    Email,
    /// The webhook outbox: a signed JSON POST to each endpoint of the request's organisation
    /// (`domain/src/webhooks/`).
    Webhook,
    /// The SMS outbox (templates in `templates/sms/<kind>.txt`; see [`texts`]).
    Sms,
}

impl Channel {
    /// How the README names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Email => "e-mail",
            Self::Webhook => "webhook",
            Self::Sms => "SMS",
        }
    }
}

/// One kind of message, as the catalogue lists it.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// The template's name (`templates/emails/<kind>/`), and the `kind` of its outbox rows.
    pub kind: &'static str,
    /// Who receives it.
    pub recipient: Recipient,
    /// How it travels.
    pub channel: Channel,
    /// When it is sent.
    pub trigger: &'static str,
}

const fn email(kind: &'static str, recipient: Recipient, trigger: &'static str) -> Entry {
    Entry {
        kind,
        recipient,
        channel: Channel::Email,
        trigger,
    }
}

const fn webhook(event: Event, trigger: &'static str) -> Entry {
    Entry {
        kind: event.slug(),
        recipient: Recipient::Partner,
        channel: Channel::Webhook,
        trigger,
    }
}

const fn sms(kind: &'static str, recipient: Recipient, trigger: &'static str) -> Entry {
    Entry {
        kind,
        recipient,
        channel: Channel::Sms,
        trigger,
    }
}

/// Every message the service sends.
pub const CATALOGUE: &[Entry] = &[
    email(
        "request_received",
        Recipient::Citizen,
        "a request is filed with an e-mail address: its reference and private follow-up link",
    ),
    email(
        "request_refused",
        Recipient::Citizen,
        "a moderator refuses the request, with the reason",
    ),
    email(
        "volunteer_found",
        Recipient::Citizen,
        "a volunteer takes the request: their first name, how they will help, what happens next",
    ),
    email(
        "no_volunteer",
        Recipient::Citizen,
        "matching ends without a volunteer (moderators take over)",
    ),
    email(
        "request_resolved",
        Recipient::Citizen,
        "the request is solved, whoever says so: thanks and the feedback link (once)",
    ),
    email(
        "request_cancelled",
        Recipient::Citizen,
        "the person cancels the request from the follow-up page",
    ),
    email(
        "request_abandoned",
        Recipient::Citizen,
        "the request waited `STALE_REQUEST_DAYS` without any change and is closed",
    ),
    email(
        "verify_email",
        Recipient::Volunteer,
        "sign-up, or a new confirmation link asked for",
    ),
    email(
        "signup_existing_address",
        Recipient::Volunteer,
        "someone signs up with an address that has an account (at most once an hour)",
    ),
    email(
        "reset_password",
        Recipient::Volunteer,
        "a forgotten password (volunteers and staff alike)",
    ),
    email(
        "confirm_new_email",
        Recipient::Volunteer,
        "an address change, sent to the new address before it applies",
    ),
    email(
        "proposal",
        Recipient::Volunteer,
        "a round proposes them a request: a summary without contact details, accept / decline",
    ),
    email(
        "proposal_confirmed",
        Recipient::Volunteer,
        "they accepted first: the person's contact details",
    ),
    email(
        "request_cancelled_volunteer",
        Recipient::Volunteer,
        "the person cancels a request they hold",
    ),
    email(
        "volunteer_reminder",
        Recipient::Volunteer,
        "`VOLUNTEER_REMINDER_DAYS` after taking a request that is not solved yet (once)",
    ),
    email(
        "volunteer_suspended",
        Recipient::Volunteer,
        "a moderator suspends them: the reason and whom to contact",
    ),
    email(
        "volunteer_reinstated",
        Recipient::Volunteer,
        "a moderator reinstates them",
    ),
    email(
        "moderator_invitation",
        Recipient::Moderator,
        "an admin invites them to an organisation (with a link to choose a password if they have none)",
    ),
    email(
        "moderation_new_request",
        Recipient::Moderator,
        "a new request to triage, for those who chose immediate e-mails",
    ),
    email(
        "moderation_digest",
        Recipient::Moderator,
        "the daily summary of new requests, for those who chose the digest",
    ),
    email(
        "moderation_no_volunteer",
        Recipient::Moderator,
        "a request of their organisation ends without volunteer",
    ),
    email(
        "moderation_safety_report",
        Recipient::Moderator,
        "a person answers « oui » to the feedback's safety question (asked for money, a password or a code): at once, once per feedback",
    ),
    email(
        "test_email",
        Recipient::Operator,
        "`entraide mail test --to ADDRESS`",
    ),
    webhook(
        Event::Created,
        "a request of the organisation is filed (form, moderator entry, partner API)",
    ),
    webhook(
        Event::Taken,
        "a volunteer takes a request of the organisation",
    ),
    webhook(
        Event::WithoutVolunteer,
        "a request of the organisation ends without volunteer, or is said not solved",
    ),
    webhook(Event::Resolved, "a request of the organisation is solved"),
    webhook(
        Event::Cancelled,
        "the person cancels a request of the organisation",
    ),
    sms(
        "sms_request_received",
        Recipient::Citizen,
        "a request is filed with a mobile number and no e-mail (or « aussi par SMS »): its reference and a short follow-up link",
    ),
    sms(
        "sms_volunteer_found",
        Recipient::Citizen,
        "a volunteer takes the request: their first name, how they will contact, the trust word",
    ),
    sms(
        "sms_no_volunteer",
        Recipient::Citizen,
        "matching ends without a volunteer: we keep looking, a short follow-up link",
    ),
    sms(
        "sms_request_resolved",
        Recipient::Citizen,
        "the request is solved: where to give an opinion (short follow-up link)",
    ),
    sms(
        "sms_request_cancelled",
        Recipient::Citizen,
        "the person cancels the request",
    ),
    sms(
        "sms_proposal",
        Recipient::Volunteer,
        "a round proposes them a request and they chose SMS too: the commune and a short link",
    ),
    sms(
        "sms_test",
        Recipient::Operator,
        "`entraide sms test --to NUMBER`",
    ),
];

/// The event a message stands for: the object it is about, from which its dedupe key follows (one
/// event, one message).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    RequestReceived {
        request: i64,
    },
    RequestRefused {
        request: i64,
    },
    VolunteerFound {
        request: i64,
        proposal: i64,
    },
    NoVolunteer {
        request: i64,
        round: i32,
    },
    RequestResolved {
        request: i64,
    },
    RequestCancelled {
        request: i64,
    },
    RequestAbandoned {
        request: i64,
    },
    VerifyEmail {
        token_hash: String,
    },
    SignupExistingAddress {
        account: i64,
        hour: String,
    },
    ResetPassword {
        token_hash: String,
    },
    ConfirmNewEmail {
        token_hash: String,
    },
    Proposal {
        proposal: i64,
    },
    ProposalConfirmed {
        proposal: i64,
    },
    RequestCancelledVolunteer {
        request: i64,
    },
    VolunteerReminder {
        proposal: i64,
    },
    VolunteerSuspended {
        account: i64,
        at_micros: i64,
    },
    VolunteerReinstated {
        account: i64,
        at_micros: i64,
    },
    /// An invitation with a link to choose a password.
    ModeratorInvitation {
        token_hash: String,
    },
    /// An account that has a password, added to an organisation.
    ModeratorAdded {
        membership: i64,
    },
    /// `moderation_new_request` or `moderation_no_volunteer` (`kind`) to one moderator, about the
    /// request as it stood at `updated_micros`.
    ModerationAlert {
        kind: &'static str,
        request: i64,
        organisation: String,
        account: i64,
        updated_micros: i64,
    },
    ModerationDigest {
        membership: i64,
        until_micros: i64,
    },
    /// The safety report of `feedback` on `request`, to one moderator.
    ModerationSafetyReport {
        request: i64,
        feedback: i64,
        account: i64,
    },
    TestEmail {
        id: String,
    },
    /// `event` about `request`, to its organisation's webhooks, for the change made at
    /// `at_micros` (the request's `updated_at`): one delivery per endpoint.
    Webhook {
        event: Event,
        request: i64,
        at_micros: i64,
    },
    /// `entraide sms test` (its SMS kind is `sms_test`).
    TestSms {
        id: String,
    },
}

impl Message {
    /// The template and outbox kind of this message.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::RequestReceived { .. } => "request_received",
            Self::RequestRefused { .. } => "request_refused",
            Self::VolunteerFound { .. } => "volunteer_found",
            Self::NoVolunteer { .. } => "no_volunteer",
            Self::RequestResolved { .. } => "request_resolved",
            Self::RequestCancelled { .. } => "request_cancelled",
            Self::RequestAbandoned { .. } => "request_abandoned",
            Self::VerifyEmail { .. } => "verify_email",
            Self::SignupExistingAddress { .. } => "signup_existing_address",
            Self::ResetPassword { .. } => "reset_password",
            Self::ConfirmNewEmail { .. } => "confirm_new_email",
            Self::Proposal { .. } => "proposal",
            Self::ProposalConfirmed { .. } => "proposal_confirmed",
            Self::RequestCancelledVolunteer { .. } => "request_cancelled_volunteer",
            Self::VolunteerReminder { .. } => "volunteer_reminder",
            Self::VolunteerSuspended { .. } => "volunteer_suspended",
            Self::VolunteerReinstated { .. } => "volunteer_reinstated",
            Self::ModeratorInvitation { .. } | Self::ModeratorAdded { .. } => {
                "moderator_invitation"
            }
            Self::ModerationAlert { kind, .. } => kind,
            Self::ModerationDigest { .. } => "moderation_digest",
            Self::ModerationSafetyReport { .. } => "moderation_safety_report",
            Self::TestEmail { .. } => "test_email",
            Self::Webhook { event, .. } => event.slug(),
            Self::TestSms { .. } => "test",
        }
    }

    /// The key naming this event in the outbox: a second message with the same key is not queued.
    pub fn dedupe_key(&self) -> String {
        let kind = self.kind();
        match self {
            Self::RequestReceived { request }
            | Self::RequestRefused { request }
            | Self::RequestResolved { request }
            | Self::RequestCancelled { request }
            | Self::RequestAbandoned { request }
            | Self::RequestCancelledVolunteer { request } => format!("{kind}:{request}"),
            Self::VolunteerFound { request, proposal } => format!("{kind}:{request}:{proposal}"),
            Self::NoVolunteer { request, round } => format!("{kind}:{request}:{round}"),
            Self::VerifyEmail { token_hash }
            | Self::ResetPassword { token_hash }
            | Self::ConfirmNewEmail { token_hash }
            | Self::ModeratorInvitation { token_hash } => format!("{kind}:{token_hash}"),
            Self::SignupExistingAddress { account, hour } => format!("{kind}:{account}:{hour}"),
            Self::Proposal { proposal }
            | Self::ProposalConfirmed { proposal }
            | Self::VolunteerReminder { proposal } => format!("{kind}:{proposal}"),
            Self::VolunteerSuspended { account, at_micros }
            | Self::VolunteerReinstated { account, at_micros } => {
                format!("{kind}:{account}:{at_micros}")
            }
            Self::ModeratorAdded { membership } => format!("moderator_added:{membership}"),
            Self::ModerationAlert {
                request,
                organisation,
                account,
                updated_micros,
                ..
            } => format!("{kind}:{request}:{organisation}:{account}:{updated_micros}"),
            Self::ModerationDigest {
                membership,
                until_micros,
            } => format!("{kind}:{membership}:{until_micros}"),
            Self::TestEmail { id } | Self::TestSms { id } => format!("{kind}:{id}"),
            Self::Webhook {
                request, at_micros, ..
            } => format!("{kind}:{request}:{at_micros}"),
            Self::ModerationSafetyReport {
                request,
                feedback,
                account,
            } => format!("{kind}:{request}:{feedback}:{account}"),
        }
    }

    /// Its entry in the [`CATALOGUE`] (its e-mail's; [`texts::sms_kind`] names its SMS).
    pub fn entry(&self) -> &'static Entry {
        let kind = self.kind();
        CATALOGUE
            .iter()
            .find(|entry| entry.kind == kind)
            .or_else(|| {
                let sms = texts::sms_kind(self);
                CATALOGUE.iter().find(|entry| entry.kind == sms)
            })
            .expect("every message kind is in the catalogue")
    }
}

/// Queues `message`, rendered as `email` for `to`, through `db` (the caller's transaction): it goes
/// out once that transaction commits, once per event. Returns whether it was queued (false: the
/// same event was already). The template must be the message's own.
pub async fn queue<C, E>(
    db: &C,
    config: &Config,
    to: &str,
    email: &E,
    message: &Message,
) -> Result<bool, DomainError>
where
    C: ConnectionTrait,
    E: Email,
{
    if E::KIND != message.kind() {
        return Err(anyhow::anyhow!(
            "message {} rendered with the template {}",
            message.kind(),
            E::KIND
        )
        .into());
    }
    match message.entry().channel {
        Channel::Email => mail::send_later(db, config, to, email, &message.dedupe_key()).await,
        Channel::Webhook => Err(anyhow::anyhow!(
            "message {} is a webhook: queue it with queue_webhook",
            message.kind()
        )
        .into()),
        Channel::Sms => {
            Err(anyhow::anyhow!("{} is an SMS: queue it with texts::queue", message.kind()).into())
        }
    }
}

/// Queues the webhook `message` about `request` (as it stands after the change) for every active
/// endpoint of its organisation, through `db` (the caller's transaction), once per event and
/// endpoint. Returns how many deliveries were written.
pub async fn queue_webhook<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
    message: &Message,
) -> Result<usize, DomainError> {
    let Message::Webhook { event, .. } = message else {
        return Err(anyhow::anyhow!("message {} is not a webhook", message.kind()).into());
    };
    debug_assert_eq!(message.entry().channel, Channel::Webhook);
    Ok(webhooks::events::enqueue(db, *event, request, &message.dedupe_key()).await?)
}

/// The README's table of messages, generated from the [`CATALOGUE`].
pub fn readme_table() -> String {
    let mut table = String::from("| message | to | channel | when |\n|---|---|---|---|\n");
    for entry in CATALOGUE {
        table.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            entry.kind,
            entry.recipient.label(),
            entry.channel.label(),
            entry.trigger
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_folder_is_in_the_catalogue_and_every_entry_has_its_template() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates/emails");
        let mut templates: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        let texts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates/sms");
        templates.extend(
            std::fs::read_dir(&texts)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned()),
        );
        templates.sort();
        let mut kinds: Vec<String> = CATALOGUE
            .iter()
            // Webhooks have no template: their body is JSON (`webhooks::events`).
            .filter(|e| e.channel != Channel::Webhook)
            .map(|e| e.kind.to_owned())
            .collect();
        kinds.sort();
        assert_eq!(kinds, templates);
        for entry in CATALOGUE.iter().filter(|e| e.channel == Channel::Sms) {
            assert_ne!(
                entry.recipient,
                Recipient::Moderator,
                "moderators get no SMS"
            );
        }
    }

    #[test]
    fn the_readme_lists_the_catalogue() {
        let readme = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"),
        )
        .unwrap();
        assert!(
            readme.contains(&readme_table()),
            "README.md must hold the table below (regenerate it from messages::readme_table):\n{}",
            readme_table()
        );
    }

    #[test]
    fn messages_are_queued_through_the_catalogue_only() {
        let found: Vec<_> = crate::source_files::all()
            .into_iter()
            .filter(|(path, text)| {
                !path.starts_with("domain/src/messages") && text.contains("mail::send_later(")
            })
            .map(|(path, _)| path.display().to_string())
            .collect();
        assert!(
            found.is_empty(),
            "queue messages with messages::queue: {found:?}"
        );
    }

    #[test]
    fn every_webhook_event_is_in_the_catalogue_once() {
        for event in Event::ALL {
            let entries: Vec<_> = CATALOGUE
                .iter()
                .filter(|e| e.kind == event.slug())
                .collect();
            assert_eq!(entries.len(), 1, "{}", event.slug());
            assert_eq!(entries[0].channel, Channel::Webhook);
        }
        assert_eq!(
            Message::Webhook {
                event: Event::Resolved,
                request: 7,
                at_micros: 42
            }
            .dedupe_key(),
            "demande.resolue:7:42"
        );
    }

    #[test]
    fn keys_name_the_kind_and_the_object() {
        assert_eq!(
            Message::VolunteerFound {
                request: 7,
                proposal: 9
            }
            .dedupe_key(),
            "volunteer_found:7:9"
        );
        assert_eq!(
            Message::ModeratorAdded { membership: 3 }.dedupe_key(),
            "moderator_added:3"
        );
        assert_eq!(
            Message::Proposal { proposal: 4 }.entry().recipient,
            Recipient::Volunteer
        );
    }
}
