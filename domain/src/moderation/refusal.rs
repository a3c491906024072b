//! Refusing a new request: the reason (spam, out of scope, duplicate, other), an optional message
//! to the person, and the e-mail telling them when they gave an address.

use entity::help_request;
use entity::states::AuditAction;
use sea_orm::DatabaseConnection;

use super::actions::{self, ActionError, ActionResult, not_now, transition_refused};
use crate::Config;
use crate::email_templates;
use crate::lifecycle;
use crate::mail::Email;
use crate::messages::{self, Message};
use crate::staff::Staff;
use entity::states::EventKind;
use entity::states::RequestStatus;

/// The longest message to the person, in characters.
pub const MAX_MESSAGE: usize = 2000;

/// Why a request is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefusalReason {
    Spam,
    HorsChamp,
    Doublon,
    Autre,
}

impl RefusalReason {
    /// Every reason, in the order the form offers them.
    pub const ALL: [RefusalReason; 4] = [Self::Spam, Self::HorsChamp, Self::Doublon, Self::Autre];

    /// The stable slug (form value, event details).
    pub fn slug(self) -> &'static str {
        match self {
            Self::Spam => "spam",
            Self::HorsChamp => "hors_champ",
            Self::Doublon => "doublon",
            Self::Autre => "autre",
        }
    }

    /// The reason with this slug.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.slug() == slug)
    }

    /// What moderators read.
    pub fn label(self) -> &'static str {
        match self {
            Self::Spam => "Indésirable (spam, message sans rapport)",
            Self::HorsChamp => "Hors du champ de l'aide numérique",
            Self::Doublon => "Doublon d'une autre demande",
            Self::Autre => "Autre raison",
        }
    }

    /// What the person reads in the e-mail.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Spam => "elle ne ressemble pas à une demande d'aide au numérique.",
            Self::HorsChamp => {
                "elle ne fait pas partie de l'aide que proposent nos bénévoles : l'aide aux outils numériques."
            }
            Self::Doublon => {
                "vous nous avez déjà envoyé la même demande. Nous gardons l'autre : vous n'avez rien à faire."
            }
            Self::Autre => "l'association de votre territoire ne peut pas y donner suite.",
        }
    }
}

/// Refuser: a new request is refused for `reason`; the person is told by e-mail if they gave an
/// address, with the moderator's `message` if any.
pub async fn refuse(
    db: &DatabaseConnection,
    config: &Config,
    staff: &Staff,
    id: i64,
    reason: RefusalReason,
    message: Option<String>,
) -> ActionResult<()> {
    let (txn, request, status, allowed) = actions::begin(db, staff, id).await?;
    if !allowed.refuse {
        return Err(not_now("la refuser", status));
    }
    let refused = lifecycle::apply(
        &txn,
        config,
        &request,
        RequestStatus::Refusee,
        staff.request_actor(),
        Some(staff.account.id),
        EventKind::Refused,
        Some(reason.slug().to_owned()),
    )
    .await
    .map_err(|e| transition_refused(e, "la refuser", status))?;
    if let Some(email) = &refused.email {
        let follow_up = crate::messages::emails::FollowUp::load(&txn, config, &refused).await?;
        let letter = RequestRefused::new(config, &refused, reason, message, follow_up);
        messages::queue(
            &txn,
            config,
            email,
            &letter,
            &Message::RequestRefused {
                request: refused.id,
            },
        )
        .await
        .map_err(ActionError::Rule)?;
    }
    actions::record(
        &txn,
        staff,
        AuditAction::RequestRefused,
        &request,
        Some(format!("motif : {}", reason.slug())),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// "Votre demande n'a pas pu être acceptée": the reason, the moderator's message, and that a new
/// request is always possible.
#[derive(Clone, Debug)]
pub struct RequestRefused {
    pub prenom: String,
    pub reference: String,
    pub explanation: &'static str,
    pub message: Option<String>,
    pub new_request_url: String,
    pub follow_up: crate::messages::emails::FollowUp,
}

impl RequestRefused {
    /// The e-mail for `request`, just refused.
    pub fn new(
        config: &Config,
        request: &help_request::Model,
        reason: RefusalReason,
        message: Option<String>,
        follow_up: crate::messages::emails::FollowUp,
    ) -> Self {
        Self {
            follow_up,
            prenom: request.prenom.clone(),
            reference: request.reference.clone(),
            explanation: reason.explanation(),
            message,
            new_request_url: config.link("/demande"),
        }
    }
}

impl Email for RequestRefused {
    const KIND: &'static str = "request_refused";

    fn reason(&self) -> String {
        format!(
            "vous avez fait une demande d'aide sur Entraide (référence {})",
            self.reference
        )
    }

    fn follow_up(&self) -> Option<&crate::messages::emails::FollowUp> {
        Some(&self.follow_up)
    }
}

email_templates!(
    RequestRefused,
    "emails/request_refused/subject.txt",
    "emails/request_refused/body.txt",
    "emails/request_refused/body.html"
);
