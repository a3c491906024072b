//! E-mail templates: each e-mail is a subject, a plain-text body and an HTML body under
//! `templates/emails/<kind>/`, sharing a footer that says why the person receives it and, for
//! e-mails they may stop, how.

use std::ops::Deref;

use url::Url;

use super::Composed;

/// What every e-mail's footer shows.
#[derive(Clone, Debug)]
pub struct Footer {
    /// Completes "Vous recevez cet e-mail parce que …".
    pub reason: String,
    /// Where to stop receiving e-mails of this kind; `None` for essential e-mails.
    pub unsubscribe_url: Option<String>,
    /// The service's public address.
    pub site_url: String,
    /// For an e-mail to a citizen about their request: "Suivre ma demande" and whom to call.
    pub follow_up: Option<super::follow_up::FollowUp>,
}

/// An e-mail the service sends: its data, why it is sent, and (from `email_templates!`) its
/// three rendered parts.
pub trait Email: RenderParts {
    /// The template's name, also recorded in the outbox.
    const KIND: &'static str;

    /// Completes "Vous recevez cet e-mail parce que …".
    fn reason(&self) -> String;

    /// For non-essential e-mails, the page where the person stops them (a path on the site).
    fn unsubscribe_path(&self) -> Option<String> {
        None
    }

    /// For an e-mail to a citizen about their request: the follow-up link and helpline every such
    /// e-mail ends with (the shared layout shows them).
    fn follow_up(&self) -> Option<&super::follow_up::FollowUp> {
        None
    }
}

/// Renders subject, text and HTML; implemented by [`email_templates!`].
pub trait RenderParts {
    /// The subject, plain text and HTML of this e-mail.
    fn render_parts(&self, footer: &Footer) -> askama::Result<(String, String, String)>;
}

/// A template's view of an e-mail: its own fields (through `Deref`) and the shared footer.
pub struct View<'a, E> {
    /// The e-mail's data (a name no e-mail field uses: templates see the fields through `Deref`).
    pub payload: &'a E,
    /// The shared footer.
    pub footer: &'a Footer,
}

impl<E> Deref for View<'_, E> {
    type Target = E;

    fn deref(&self) -> &E {
        self.payload
    }
}

/// Declares the three templates of an e-mail type, given their paths (subject, text, HTML).
/// Templates see the e-mail's fields by name and the shared footer as `footer`.
#[macro_export]
macro_rules! email_templates {
    ($ty:ty, $subject:tt, $text:tt, $html:tt) => {
        const _: () = {
            use askama::Template as _;
            use $crate::mail::templates::{Footer, View};

            #[derive(askama::Template)]
            #[template(path = $subject, escape = "none")]
            struct Subject<'a> {
                view: View<'a, $ty>,
            }
            #[derive(askama::Template)]
            #[template(path = $text, escape = "none")]
            struct Text<'a> {
                view: View<'a, $ty>,
            }
            #[derive(askama::Template)]
            #[template(path = $html)]
            struct Html<'a> {
                view: View<'a, $ty>,
            }
            impl<'a> std::ops::Deref for Subject<'a> {
                type Target = View<'a, $ty>;
                fn deref(&self) -> &Self::Target {
                    &self.view
                }
            }
            impl<'a> std::ops::Deref for Text<'a> {
                type Target = View<'a, $ty>;
                fn deref(&self) -> &Self::Target {
                    &self.view
                }
            }
            impl<'a> std::ops::Deref for Html<'a> {
                type Target = View<'a, $ty>;
                fn deref(&self) -> &Self::Target {
                    &self.view
                }
            }

            impl $crate::mail::templates::RenderParts for $ty {
                fn render_parts(
                    &self,
                    footer: &Footer,
                ) -> askama::Result<(String, String, String)> {
                    let view = || View {
                        payload: self,
                        footer,
                    };
                    let subject = Subject { view: view() }.render()?;
                    let subject = subject.split_whitespace().collect::<Vec<_>>().join(" ");
                    Ok((
                        subject,
                        Text { view: view() }.render()?,
                        Html { view: view() }.render()?,
                    ))
                }
            }
        };
    };
}

/// Renders `email` for `to`, with links built from `base_url`.
pub fn compose<E: Email>(base_url: &Url, to: &str, email: &E) -> askama::Result<Composed> {
    let site_url = base_url.as_str().trim_end_matches('/').to_owned();
    let unsubscribe_url = email
        .unsubscribe_path()
        .map(|path| format!("{site_url}{path}"));
    let footer = Footer {
        reason: email.reason(),
        unsubscribe_url: unsubscribe_url.clone(),
        site_url,
        follow_up: email.follow_up().cloned(),
    };
    let (subject, text, html) = email.render_parts(&footer)?;
    let headers = unsubscribe_url
        .map(|url| vec![("List-Unsubscribe".to_owned(), format!("<{url}>"))])
        .unwrap_or_default();
    Ok(Composed {
        kind: E::KIND,
        to: to.to_owned(),
        subject,
        text,
        html,
        headers,
    })
}

/// An e-mail operators send to check that delivery works (`entraide mail test --to …`).
#[derive(Clone, Debug)]
pub struct TestEmail {
    /// When it was asked for, shown in the body to tell attempts apart.
    pub requested_at: String,
}

impl Email for TestEmail {
    const KIND: &'static str = "test_email";

    fn reason(&self) -> String {
        "un responsable technique d'Entraide a demandé un essai d'envoi vers cette adresse".into()
    }
}

email_templates!(
    TestEmail,
    "emails/test_email/subject.txt",
    "emails/test_email/body.txt",
    "emails/test_email/body.html"
);

#[cfg(test)]
mod tests {
    use super::*;

    struct Newsletter;

    impl Email for Newsletter {
        const KIND: &'static str = "test_email";
        fn reason(&self) -> String {
            "vous êtes inscrit".into()
        }
        fn unsubscribe_path(&self) -> Option<String> {
            Some("/benevole/preferences".into())
        }
    }

    impl RenderParts for Newsletter {
        fn render_parts(&self, footer: &Footer) -> askama::Result<(String, String, String)> {
            TestEmail {
                requested_at: "maintenant".into(),
            }
            .render_parts(footer)
        }
    }

    #[test]
    fn test_email_has_three_french_parts_and_a_footer() {
        let base = Url::parse("https://entraide.example/").unwrap();
        let email = TestEmail {
            requested_at: "23/11/2026 à 09:00".into(),
        };
        let composed = compose(&base, "marie@example.org", &email).unwrap();
        assert_eq!(composed.subject, "Essai d'envoi d'e-mail — Entraide");
        assert!(composed.text.contains("23/11/2026 à 09:00"));
        assert!(composed.text.contains("Vous recevez cet e-mail parce qu"));
        assert!(composed.html.contains("<html lang=\"fr\">"));
        assert!(composed.html.contains("https://entraide.example"));
        assert!(
            composed.headers.is_empty(),
            "essential e-mails have no unsubscribe header"
        );
    }

    #[test]
    fn optional_emails_say_how_to_stop_them() {
        let base = Url::parse("https://entraide.example").unwrap();
        let composed = compose(&base, "a@example.org", &Newsletter).unwrap();
        assert_eq!(
            composed.headers,
            vec![(
                "List-Unsubscribe".to_owned(),
                "<https://entraide.example/benevole/preferences>".to_owned()
            )]
        );
        assert!(
            composed
                .text
                .contains("https://entraide.example/benevole/preferences")
        );
        assert!(
            composed
                .html
                .contains("https://entraide.example/benevole/preferences")
        );
    }
}
