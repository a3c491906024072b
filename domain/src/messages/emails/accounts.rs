//! The e-mails accounts send: confirm an address, someone signed up with yours, reset a password,
//! confirm a new address.

use crate::email_templates;
use crate::mail::Email;

/// Sent after sign-up (and on request): the link that confirms the address.
#[derive(Clone, Debug)]
pub struct VerifyEmail {
    /// The person's first name.
    pub prenom: String,
    /// The full link to open.
    pub link: String,
}

impl Email for VerifyEmail {
    const KIND: &'static str = "verify_email";

    fn reason(&self) -> String {
        "quelqu'un a créé un compte bénévole sur Entraide avec cette adresse".into()
    }
}

email_templates!(
    VerifyEmail,
    "emails/verify_email/subject.txt",
    "emails/verify_email/body.txt",
    "emails/verify_email/body.html"
);

/// Sent to the owner of an address someone tried to sign up with again.
#[derive(Clone, Debug)]
pub struct SignupExistingAddress {
    /// The owner's first name.
    pub prenom: String,
    /// The login page.
    pub login_link: String,
    /// The "forgotten password" page.
    pub reset_link: String,
}

impl Email for SignupExistingAddress {
    const KIND: &'static str = "signup_existing_address";

    fn reason(&self) -> String {
        "cette adresse est celle d'un compte Entraide".into()
    }
}

email_templates!(
    SignupExistingAddress,
    "emails/signup_existing_address/subject.txt",
    "emails/signup_existing_address/body.txt",
    "emails/signup_existing_address/body.html"
);

/// Sent on request: the link to choose a new password.
#[derive(Clone, Debug)]
pub struct ResetPassword {
    /// The person's first name.
    pub prenom: String,
    /// The full link to open.
    pub link: String,
}

impl Email for ResetPassword {
    const KIND: &'static str = "reset_password";

    fn reason(&self) -> String {
        "quelqu'un a demandé un nouveau mot de passe pour le compte Entraide de cette adresse"
            .into()
    }
}

email_templates!(
    ResetPassword,
    "emails/reset_password/subject.txt",
    "emails/reset_password/body.txt",
    "emails/reset_password/body.html"
);

/// Sent to a new address: the change takes effect when the link is opened.
#[derive(Clone, Debug)]
pub struct ConfirmNewEmail {
    /// The person's first name.
    pub prenom: String,
    /// The full link to open.
    pub link: String,
}

impl Email for ConfirmNewEmail {
    const KIND: &'static str = "confirm_new_email";

    fn reason(&self) -> String {
        "quelqu'un a demandé à utiliser cette adresse pour son compte Entraide".into()
    }
}

email_templates!(
    ConfirmNewEmail,
    "emails/confirm_new_email/subject.txt",
    "emails/confirm_new_email/body.txt",
    "emails/confirm_new_email/body.html"
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::compose;

    #[test]
    fn every_account_email_has_a_french_subject_and_the_link_in_text_and_html() {
        let base = url::Url::parse("https://entraide.example").unwrap();
        let link = "https://entraide.example/lien/abc".to_owned();
        let prenom = "Marie".to_owned();
        let composed = [
            compose(
                &base,
                "a@b.fr",
                &VerifyEmail {
                    prenom: prenom.clone(),
                    link: link.clone(),
                },
            ),
            compose(
                &base,
                "a@b.fr",
                &ResetPassword {
                    prenom: prenom.clone(),
                    link: link.clone(),
                },
            ),
            compose(
                &base,
                "a@b.fr",
                &ConfirmNewEmail {
                    prenom: prenom.clone(),
                    link: link.clone(),
                },
            ),
            compose(
                &base,
                "a@b.fr",
                &SignupExistingAddress {
                    prenom,
                    login_link: link.clone(),
                    reset_link: link.clone(),
                },
            ),
        ];
        for email in composed {
            let email = email.unwrap();
            assert!(email.subject.ends_with("— Entraide"), "{}", email.subject);
            assert!(email.text.starts_with("Bonjour Marie,"), "{}", email.kind);
            assert!(email.text.contains(&link), "{}", email.kind);
            assert!(email.html.contains(&link), "{}", email.kind);
            assert!(email.html.contains("<html lang=\"fr\">"));
        }
    }
}
