//! The e-mails a citizen receives about their request.

use entity::help_request;

use crate::Config;
use crate::email_templates;
use crate::mail::Email;
use crate::reference::CategorySet;

use super::FollowUp;

/// "Nous avons bien reçu votre demande": the reference, the follow-up link, what happens next.
#[derive(Clone, Debug)]
pub struct RequestReceived {
    pub prenom: String,
    pub reference: String,
    pub follow_url: String,
    pub categories: Vec<&'static str>,
    pub for_relative: Option<String>,
    pub follow_up: FollowUp,
}

impl RequestReceived {
    /// The e-mail for a request just stored, whose follow-up secret is `follow_secret`.
    pub fn new(
        config: &Config,
        request: &help_request::Model,
        follow_secret: &str,
        follow_up: FollowUp,
    ) -> Self {
        Self {
            prenom: request.prenom.clone(),
            reference: request.reference.clone(),
            follow_url: follow_url(config, follow_secret),
            follow_up,
            categories: CategorySet::from_bits(request.categories).labels(),
            for_relative: request.prenom_proche.clone(),
        }
    }
}

citizen_email!(RequestReceived, "request_received");

email_templates!(
    RequestReceived,
    "emails/request_received/subject.txt",
    "emails/request_received/body.txt",
    "emails/request_received/body.html"
);

/// "Votre demande est annulée".
#[derive(Clone, Debug)]
pub struct RequestCancelled {
    pub prenom: String,
    pub reference: String,
    pub new_request_url: String,
    pub follow_up: FollowUp,
}

impl RequestCancelled {
    /// The e-mail for `request`, just cancelled.
    pub fn new(config: &Config, request: &help_request::Model, follow_up: FollowUp) -> Self {
        Self {
            prenom: request.prenom.clone(),
            reference: request.reference.clone(),
            new_request_url: config.link("/demande"),
            follow_up,
        }
    }
}

impl Email for RequestCancelled {
    const KIND: &'static str = "request_cancelled";

    fn reason(&self) -> String {
        format!(
            "vous avez annulé votre demande d'aide sur Entraide (référence {})",
            self.reference
        )
    }

    fn follow_up(&self) -> Option<&FollowUp> {
        Some(&self.follow_up)
    }
}

email_templates!(
    RequestCancelled,
    "emails/request_cancelled/subject.txt",
    "emails/request_cancelled/body.txt",
    "emails/request_cancelled/body.html"
);

/// "Votre demande est résolue": thanks, the volunteer's first name, the link to give one's
/// opinion, and where to go if the problem comes back.
#[derive(Clone, Debug)]
pub struct RequestResolved {
    pub prenom: String,
    pub reference: String,
    pub volunteer: Option<String>,
    pub feedback_url: String,
    pub new_request_url: String,
    /// Where the person says "Ce n'est pas réglé" (a confirmation page first).
    pub not_solved_url: String,
    pub follow_up: FollowUp,
}

impl RequestResolved {
    /// The e-mail for `request`, just resolved with the help of `volunteer` (their first name),
    /// whose feedback link carries `feedback_secret`.
    pub fn new(
        config: &Config,
        request: &help_request::Model,
        volunteer: Option<String>,
        feedback_secret: &str,
        follow_up: FollowUp,
    ) -> Self {
        Self {
            not_solved_url: if follow_up.follow_url.ends_with("/suivi") {
                follow_up.follow_url.clone()
            } else {
                format!("{}/pas-regle", follow_up.follow_url)
            },
            follow_up,
            prenom: request.prenom.clone(),
            reference: request.reference.clone(),
            volunteer,
            feedback_url: config.link(&format!("/avis/{feedback_secret}")),
            new_request_url: config.link("/demande"),
        }
    }
}

citizen_email!(RequestResolved, "request_resolved");

email_templates!(
    RequestResolved,
    "emails/request_resolved/subject.txt",
    "emails/request_resolved/body.txt",
    "emails/request_resolved/body.html"
);

/// The private follow-up page's address.
pub fn follow_url(config: &Config, follow_secret: &str) -> String {
    format!(
        "{}/suivi/{follow_secret}",
        config.base_url.as_str().trim_end_matches('/')
    )
}

/// "Votre demande est close faute de suite": how long it waited, and that a new request is always
/// possible.
#[derive(Clone, Debug)]
pub struct RequestAbandoned {
    pub prenom: String,
    pub reference: String,
    pub days: u32,
    pub new_request_url: String,
    pub follow_up: FollowUp,
}

impl RequestAbandoned {
    /// The e-mail for `request`, just closed after `days` days without change.
    pub fn new(
        config: &Config,
        request: &help_request::Model,
        days: u32,
        follow_up: FollowUp,
    ) -> Self {
        Self {
            follow_up,
            prenom: request.prenom.clone(),
            reference: request.reference.clone(),
            days,
            new_request_url: config.link("/demande"),
        }
    }
}

citizen_email!(RequestAbandoned, "request_abandoned");

email_templates!(
    RequestAbandoned,
    "emails/request_abandoned/subject.txt",
    "emails/request_abandoned/body.txt",
    "emails/request_abandoned/body.html"
);
