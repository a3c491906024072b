//! Every SMS the service sends, as data for its template (`templates/sms/<kind>.txt`), and who
//! receives them: the person who asked for help when they gave a French mobile number and no
//! e-mail address, or ticked « Prévenez-moi aussi par SMS »; a volunteer who chose to receive new
//! proposals by SMS too; never moderators. The catalogue ([`super::CATALOGUE`]) lists them.
//!
//! Texts are plain French in the GSM alphabet (values such as communes and first names are
//! brought into it), at most 2 segments with the longest realistic values (a test below).

use askama::Template;
use chrono::Utc;
use entity::{account, help_request, proposal, volunteer_profile};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::{Channel, Message};
use crate::Config;
use crate::error::DomainError;
use crate::sms::links::{self, Target};
use crate::sms::numbers::stored_mobile;
use crate::sms::segments::to_gsm;
use crate::sms::{About, Sms, outbox};

/// An SMS the service sends: its data and (from `#[derive(Template)]`) its text.
pub trait Text: Template {
    /// The template's name (`templates/sms/<KIND>.txt`), also recorded in the outbox.
    const KIND: &'static str;
}

macro_rules! text {
    ($ty:ident, $kind:literal) => {
        impl Text for $ty {
            const KIND: &'static str = $kind;
        }
    };
}

/// « Votre demande est enregistrée »: the reference and a short follow-up link.
#[derive(Template)]
#[template(path = "sms/sms_request_received.txt", escape = "none")]
pub struct RequestReceivedText {
    pub reference: String,
    pub link: String,
}
text!(RequestReceivedText, "sms_request_received");

/// « Un bénévole va vous aider »: their first name, how they will contact, the trust word.
#[derive(Template)]
#[template(path = "sms/sms_volunteer_found.txt", escape = "none")]
pub struct VolunteerFoundText {
    pub volunteer: String,
    pub reference: String,
    /// The volunteer calls the person's relative.
    pub relative: bool,
    pub word: Option<String>,
}
text!(VolunteerFoundText, "sms_volunteer_found");

/// « Pas encore de bénévole ».
#[derive(Template)]
#[template(path = "sms/sms_no_volunteer.txt", escape = "none")]
pub struct NoVolunteerText {
    pub reference: String,
    pub link: String,
}
text!(NoVolunteerText, "sms_no_volunteer");

/// « Votre demande est résolue »: where to give an opinion (the follow-up page).
#[derive(Template)]
#[template(path = "sms/sms_request_resolved.txt", escape = "none")]
pub struct RequestResolvedText {
    pub reference: String,
    pub link: String,
}
text!(RequestResolvedText, "sms_request_resolved");

/// « Votre demande est annulée »: where to ask again.
#[derive(Template)]
#[template(path = "sms/sms_request_cancelled.txt", escape = "none")]
pub struct RequestCancelledText {
    pub reference: String,
    pub link: String,
}
text!(RequestCancelledText, "sms_request_cancelled");

/// A new proposal for a volunteer who chose SMS: the commune and a short link to the proposal.
#[derive(Template)]
#[template(path = "sms/sms_proposal.txt", escape = "none")]
pub struct ProposalText {
    pub prenom: String,
    pub commune: String,
    pub link: String,
}
text!(ProposalText, "sms_proposal");

/// `entraide sms test --to NUMBER`.
#[derive(Template)]
#[template(path = "sms/sms_test.txt", escape = "none")]
pub struct TestText {
    pub id: String,
}
text!(TestText, "sms_test");

/// The mobile number the SMS about `request` go to: its telephone, when it is a French mobile
/// number and the person gave no e-mail address or asked for SMS too.
pub fn citizen_mobile(request: &help_request::Model) -> Option<String> {
    if request.erased_at.is_some() {
        return None;
    }
    mobile_for(
        request.email.as_deref(),
        request.sms_aussi,
        request.telephone.as_deref(),
    )
}

/// The number SMS go to for a person who gave `email` and `telephone` and ticked « Prévenez-moi
/// aussi par SMS » (`sms_aussi`).
pub fn mobile_for(email: Option<&str>, sms_aussi: bool, telephone: Option<&str>) -> Option<String> {
    if email.is_some() && !sms_aussi {
        return None;
    }
    telephone.and_then(stored_mobile)
}

/// Whether the person who asked can be told anything in writing (e-mail or SMS); if not, the
/// moderators must call them back.
pub fn reachable_in_writing(email: Option<&str>, telephone: Option<&str>) -> bool {
    email.is_some() || telephone.and_then(stored_mobile).is_some()
}

/// Renders `text` for `to` and writes it to the SMS outbox through `db` (the caller's
/// transaction) as `message`: it leaves after the commit, once per event, outside quiet hours.
pub async fn queue<C: ConnectionTrait, T: Text>(
    db: &C,
    config: &Config,
    to: &str,
    about: About,
    text: &T,
    message: &Message,
) -> Result<bool, DomainError> {
    let kind = sms_kind(message);
    let entry = super::CATALOGUE
        .iter()
        .find(|e| e.kind == kind && e.channel == Channel::Sms);
    if T::KIND != kind || entry.is_none() {
        return Err(anyhow::anyhow!("message {kind} rendered with the text {}", T::KIND).into());
    }
    let body = text
        .render()
        .map_err(|e| anyhow::Error::new(e).context("SMS template"))?;
    let sms = Sms {
        kind: T::KIND,
        to: to.to_owned(),
        body: to_gsm(body.trim()),
    };
    let key = format!("sms_{}", message.dedupe_key());
    Ok(outbox::enqueue(db, &config.sms.quiet, &sms, &about, &key, Utc::now()).await?)
}

/// The SMS kind standing for `message` (`sms_` and the e-mail's kind).
pub fn sms_kind(message: &Message) -> String {
    format!("sms_{}", message.kind())
}

fn about(request: &help_request::Model) -> About {
    About {
        request_id: Some(request.id),
        account_id: None,
        departement: Some(request.departement.clone()),
    }
}

/// A new short link to `request`'s follow-up page, as a full address.
async fn follow_link<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
) -> Result<String, DomainError> {
    let code = links::create(
        db,
        &config.secret_key,
        Target::FollowUp {
            request_id: request.id,
        },
    )
    .await?;
    Ok(config.link(&format!("{}{code}", links::PREFIX)))
}

/// Tells the person who asked, by SMS when they can receive one, `message` rendered by `text`
/// (given a short link to their follow-up page when `with_link`).
async fn tell<C, T>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
    message: Message,
    with_link: bool,
    text: impl FnOnce(Option<String>) -> T,
) -> Result<(), DomainError>
where
    C: ConnectionTrait,
    T: Text,
{
    let Some(to) = citizen_mobile(request) else {
        return Ok(());
    };
    let link = match with_link {
        true => Some(follow_link(db, config, request).await?),
        false => None,
    };
    queue(db, config, &to, about(request), &text(link), &message).await?;
    Ok(())
}

/// The request was just stored.
pub async fn request_received<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
) -> Result<(), DomainError> {
    let message = Message::RequestReceived {
        request: request.id,
    };
    tell(db, config, request, message, true, |link| {
        RequestReceivedText {
            reference: request.reference.clone(),
            link: link.unwrap_or_default(),
        }
    })
    .await
}

/// `volunteer` took the request (through `proposal`); `request` as it stands now (its trust
/// word read from the row).
pub async fn volunteer_found<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
    volunteer: &account::Model,
    proposal: &proposal::Model,
) -> Result<(), DomainError> {
    // The trust word is drawn in the same transaction: read the row as it stands.
    let request = help_request::Entity::find_by_id(request.id)
        .one(db)
        .await?
        .unwrap_or_else(|| request.clone());
    let message = Message::VolunteerFound {
        request: request.id,
        proposal: proposal.id,
    };
    tell(db, config, &request, message, false, |_| {
        VolunteerFoundText {
            volunteer: volunteer.prenom.clone(),
            reference: request.reference.clone(),
            relative: request.contacter_proche,
            word: request
                .mot_de_confiance
                .clone()
                .filter(|w| !w.trim().is_empty()),
        }
    })
    .await
}

/// Matching ended round `round` without a volunteer.
pub async fn no_volunteer<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
    round: i32,
) -> Result<(), DomainError> {
    let message = Message::NoVolunteer {
        request: request.id,
        round,
    };
    tell(db, config, request, message, true, |link| NoVolunteerText {
        reference: request.reference.clone(),
        link: link.unwrap_or_default(),
    })
    .await
}

/// The request is solved.
pub async fn request_resolved<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
) -> Result<(), DomainError> {
    let message = Message::RequestResolved {
        request: request.id,
    };
    tell(db, config, request, message, true, |link| {
        RequestResolvedText {
            reference: request.reference.clone(),
            link: link.unwrap_or_default(),
        }
    })
    .await
}

/// The person cancelled the request.
pub async fn request_cancelled<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
) -> Result<(), DomainError> {
    let message = Message::RequestCancelled {
        request: request.id,
    };
    tell(db, config, request, message, false, |_| {
        RequestCancelledText {
            reference: request.reference.clone(),
            link: config.link("/demande"),
        }
    })
    .await
}

/// A round proposes `request` to `volunteer` (`proposal`): an SMS too when they chose it.
pub async fn proposal<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
    proposal: &proposal::Model,
    volunteer: &account::Model,
) -> Result<(), DomainError> {
    let Some(profile) = volunteer_profile::Entity::find_by_id(volunteer.id)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let Some(to) = profile.telephone_sms.as_deref().and_then(stored_mobile) else {
        return Ok(());
    };
    let code = links::create(
        db,
        &config.secret_key,
        Target::Proposal {
            request_id: request.id,
            proposal_id: proposal.id,
        },
    )
    .await?;
    let commune = crate::geo::commune_name(&request.commune_insee);
    let text = ProposalText {
        prenom: volunteer.prenom.clone(),
        commune,
        link: config.link(&format!("{}{code}", links::PREFIX)),
    };
    let about = About {
        request_id: Some(request.id),
        account_id: Some(volunteer.id),
        departement: Some(profile.departement.clone()),
    };
    let message = Message::Proposal {
        proposal: proposal.id,
    };
    queue(db, config, &to, about, &text, &message).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sms::segments::{Encoding, segments};

    const LONG_NAME: &str = "Marie-Dominique-Jacqueline";
    const LINK: &str = "http://localhost:3000/s/ABCDEFGH";
    const REFERENCE: &str = "ENT-7K3F9Q";

    fn fits(text: &impl Text) {
        let body = to_gsm(text.render().unwrap().trim());
        let (encoding, parts) = segments(&body);
        assert_eq!(
            encoding,
            Encoding::Gsm7,
            "{}: {body}",
            std::any::type_name_of_val(text)
        );
        assert!(parts <= 2, "{} segments: {body}", parts);
    }

    #[test]
    fn every_text_fits_in_two_gsm_segments_with_the_longest_values() {
        let longest_commune = crate::geo::Communes::shared()
            .unwrap()
            .iter()
            .map(|c| c.nom.clone())
            .max_by_key(|n| n.chars().count())
            .unwrap();
        assert!(longest_commune.chars().count() > 30, "{longest_commune}");
        let name = "Marie-Dominique-Jacqueline-Françoise-Bénédicte-Éléonore"
            .chars()
            .take(crate::contact::FIRST_NAME_MAX)
            .collect::<String>();
        fits(&RequestReceivedText {
            reference: REFERENCE.into(),
            link: LINK.into(),
        });
        for (volunteer, relative) in [(LONG_NAME, false), (name.as_str(), true)] {
            fits(&VolunteerFoundText {
                volunteer: volunteer.into(),
                reference: REFERENCE.into(),
                relative,
                word: Some("chrysanthème".into()),
            });
        }
        fits(&NoVolunteerText {
            reference: REFERENCE.into(),
            link: LINK.into(),
        });
        fits(&RequestResolvedText {
            reference: REFERENCE.into(),
            link: LINK.into(),
        });
        fits(&RequestCancelledText {
            reference: REFERENCE.into(),
            link: "http://localhost:3000/demande".into(),
        });
        fits(&ProposalText {
            prenom: name.clone(),
            commune: longest_commune,
            link: LINK.into(),
        });
        fits(&TestText { id: "x".repeat(36) });
    }

    #[test]
    fn the_trust_word_is_in_the_volunteer_found_text() {
        let text = VolunteerFoundText {
            volunteer: "Marie".into(),
            reference: REFERENCE.into(),
            relative: false,
            word: Some("tournesol".into()),
        }
        .render()
        .unwrap();
        assert!(text.contains("le mot \"tournesol\""), "{text}");
        assert!(text.contains("Marie"));
    }

    #[test]
    fn who_receives_sms() {
        let mobile = Some("+33612345678");
        assert_eq!(mobile_for(None, false, mobile).as_deref(), mobile);
        assert_eq!(
            mobile_for(None, false, Some("+33326123456")),
            None,
            "a landline"
        );
        let email = Some("a@example.org");
        assert_eq!(
            mobile_for(email, false, mobile),
            None,
            "e-mail only, unless asked"
        );
        assert_eq!(mobile_for(email, true, mobile).as_deref(), mobile);
        assert!(!reachable_in_writing(None, Some("+33145678901")));
        assert!(reachable_in_writing(None, Some("+33712345678")));
    }
}
