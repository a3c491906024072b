//! The e-mail an admin's invitation sends to a moderator: the link to choose their password for
//! a new account, or the news that an existing moderator now also moderates an organisation.

use crate::email_templates;
use crate::mail::Email;

/// "Vous êtes invité à modérer les demandes de …".
#[derive(Clone, Debug)]
pub struct ModeratorInvitation {
    /// The moderator's first name.
    pub prenom: String,
    /// The organisation they now moderate.
    pub organisation: String,
    /// The invitation link, when they still have to choose their password.
    pub link: Option<String>,
    /// The moderation space, for those who already have a password.
    pub moderation_url: String,
}

impl Email for ModeratorInvitation {
    const KIND: &'static str = "moderator_invitation";

    fn reason(&self) -> String {
        format!(
            "un administrateur d'Entraide vous a inscrit comme modérateur de l'organisation « {} »",
            self.organisation
        )
    }
}

email_templates!(
    ModeratorInvitation,
    "emails/moderator_invitation/subject.txt",
    "emails/moderator_invitation/body.txt",
    "emails/moderator_invitation/body.html"
);
