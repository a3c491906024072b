//! The e-mails of matching: a proposal to a volunteer (no contact details), the confirmation to
//! the volunteer who took the request (with them), the news for the citizen, and what the
//! volunteer holding a request hears later (the person cancelled; a reminder after some days).

use entity::{account, help_request, organisation, proposal};

use crate::Config;
use crate::contact::display_fr;
use crate::dates::date_time_fr;
use crate::email_templates;
use crate::mail::Email;
use crate::reference::{CategorySet, ModeSet, language_label};
use crate::trust_words::{CitizenNotice, FirstContact, NEVER_ASKS};

/// The first name of the person to help: the relative's when the request is made for one.
pub fn helped_name(request: &help_request::Model) -> String {
    request
        .prenom_proche
        .clone()
        .unwrap_or_else(|| request.prenom.clone())
}

/// Who asked, when the request is made for a relative: « Demande faite par Sandrine pour
/// Josette » (or « Demande faite par un proche » without the relative's name).
pub fn relative_line(request: &help_request::Model) -> Option<String> {
    if !request.pour_un_proche && request.prenom_proche.is_none() {
        return None;
    }
    Some(match &request.prenom_proche {
        Some(relative) => format!("Demande faite par {} pour {relative}", request.prenom),
        None => format!("Demande faite par un proche ({})", request.prenom),
    })
}

/// The language the help is asked in: French unless another is asked for.
pub fn language_of(request: &help_request::Model) -> &'static str {
    request.langue.as_deref().map_or("français", |code| {
        language_label(code).unwrap_or("français")
    })
}

/// The needs in a few words, for a subject line: « appels vidéo avec ses proches et une démarche
/// en ligne ».
pub fn needs_of(request: &help_request::Model) -> String {
    let needs: Vec<&str> = CategorySet::from_bits(request.categories)
        .items()
        .into_iter()
        .map(|c| c.need())
        .collect();
    match needs.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} et {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// A commune's name as people say it: « Paris 14e », not « Paris 14e Arrondissement ».
pub fn short_commune(name: &str) -> String {
    name.strip_suffix(" Arrondissement")
        .unwrap_or(name)
        .to_owned()
}

/// A telephone number for a `tel:` link: `+33612345678` stays as it is, spaces removed.
pub fn tel_href(telephone: &str) -> String {
    let digits: String = telephone.chars().filter(|c| !c.is_whitespace()).collect();
    format!("tel:{digits}")
}

use super::FollowUp;

fn labels(request: &help_request::Model) -> (Vec<&'static str>, Vec<&'static str>) {
    (
        CategorySet::from_bits(request.categories).labels(),
        ModeSet::from_bits(request.modes).labels(),
    )
}

/// For a relative's request, who asked and whom to call, in the requester's own words:
/// « Demande faite par sa fille Sandrine, qui sera votre contact ».
pub fn requested_by(request: &help_request::Model) -> Option<String> {
    let relative = request.prenom_proche.as_deref()?;
    let by = match request
        .lien_proche
        .as_deref()
        .and_then(crate::reference::Kin::from_slug)
        .filter(|k| k.slug() != "autre")
    {
        Some(kin) => format!("Demande faite par {} {}", kin.phrase(), request.prenom),
        None => format!("Demande faite pour {relative} par {}", request.prenom),
    };
    Some(if request.contacter_proche {
        format!("{by} ; votre contact sera {relative}")
    } else {
        format!("{by}, qui sera votre contact")
    })
}

/// "Une personne a besoin d'aide près de chez vous": a summary and the link to answer.
#[derive(Clone, Debug)]
pub struct NewProposal {
    pub volunteer: String,
    pub prenom: String,
    pub commune: String,
    pub distance_km: String,
    pub categories: Vec<&'static str>,
    /// The needs in a few words, for the subject.
    pub needs: String,
    pub modes: Vec<&'static str>,
    /// Why in-person help is not proposed to this volunteer, when it is not.
    pub notice: Option<String>,
    /// The language asked for.
    pub langue: &'static str,
    /// Who asked, for a relative.
    pub relative: Option<String>,
    pub description: Option<String>,
    /// What the moderators want the volunteer to know.
    pub message_benevole: Option<String>,
    pub link: String,
    pub hours: u64,
    /// For a relative's request: who asked, and who the contact is.
    pub requested_by: Option<String>,
}

impl NewProposal {
    /// The proposal e-mail for `volunteer`.
    pub fn new(
        config: &Config,
        request: &help_request::Model,
        proposal: &proposal::Model,
        volunteer: &account::Model,
    ) -> Self {
        let (categories, modes) = labels(request);
        Self {
            volunteer: volunteer.prenom.clone(),
            prenom: helped_name(request),
            commune: short_commune(&crate::geo::commune_name(&request.commune_insee)),
            distance_km: format!("{:.0}", proposal.distance_km.max(1.0)),
            categories,
            needs: needs_of(request),
            modes,
            notice: None,
            langue: language_of(request),
            relative: relative_line(request),
            description: request.description.clone(),
            message_benevole: request.message_benevole.clone(),
            link: config.link(&format!("/benevole/propositions/{}", proposal.id)),
            hours: config.matching.proposal_ttl.as_secs() / 3600,
            requested_by: requested_by(request),
        }
    }

    /// The same, for a volunteer who may help in `modes` only, and why (`notice`).
    pub fn restricted(mut self, modes: Vec<&'static str>, notice: Option<String>) -> Self {
        self.modes = modes;
        self.notice = notice;
        self
    }
}

impl Email for NewProposal {
    const KIND: &'static str = "proposal";

    fn reason(&self) -> String {
        "vous êtes bénévole sur Entraide et votre profil correspond à cette demande".into()
    }

    fn unsubscribe_path(&self) -> Option<String> {
        Some("/benevole/profil".into())
    }
}

email_templates!(
    NewProposal,
    "emails/proposal/subject.txt",
    "emails/proposal/body.txt",
    "emails/proposal/body.html"
);

/// "Merci ! Voici les coordonnées": sent to the volunteer who took the request.
#[derive(Clone, Debug)]
pub struct ProposalConfirmed {
    pub volunteer: String,
    pub prenom: String,
    pub for_relative: Option<String>,
    pub reference: String,
    pub commune: String,
    pub telephone: Option<String>,
    /// The telephone as a `tel:` link.
    pub telephone_href: Option<String>,
    pub email: Option<String>,
    pub categories: Vec<&'static str>,
    pub modes: Vec<&'static str>,
    /// Why in-person help is not for this volunteer, when it is not.
    pub notice: Option<String>,
    /// The language asked for.
    pub langue: &'static str,
    pub description: Option<String>,
    /// What the moderators want the volunteer to know.
    pub message_benevole: Option<String>,
    pub link: String,
    /// For a relative's request: who asked, and who the contact is.
    pub requested_by: Option<String>,
    /// The volunteer calls the relative, at this number (else the requester).
    pub relative_telephone: Option<String>,
    pub call_relative: bool,
    /// The trust word to say at the start of the first call.
    pub word: Option<String>,
}

impl ProposalConfirmed {
    /// The confirmation for `volunteer`, who took `request`.
    pub fn new(
        config: &Config,
        request: &help_request::Model,
        volunteer: &account::Model,
        _proposal: &proposal::Model,
    ) -> Self {
        let (categories, modes) = labels(request);
        Self {
            volunteer: volunteer.prenom.clone(),
            prenom: request.prenom.clone(),
            for_relative: request.prenom_proche.clone(),
            reference: request.reference.clone(),
            commune: crate::geo::commune_name(&request.commune_insee),
            telephone: request.telephone.as_deref().map(display_fr),
            telephone_href: request.telephone.as_deref().map(tel_href),
            email: request.email.clone(),
            categories,
            modes,
            notice: None,
            langue: language_of(request),
            description: request.description.clone(),
            message_benevole: request.message_benevole.clone(),
            link: config.link("/benevole/demandes"),
            requested_by: requested_by(request),
            relative_telephone: request.telephone_proche.as_deref().map(display_fr),
            call_relative: request.contacter_proche,
            word: request.mot_de_confiance.clone(),
        }
    }

    /// The same, for a volunteer who may help in `modes` only, and why (`notice`).
    pub fn restricted(mut self, modes: Vec<&'static str>, notice: Option<String>) -> Self {
        self.modes = modes;
        self.notice = notice;
        self
    }
}

impl Email for ProposalConfirmed {
    const KIND: &'static str = "proposal_confirmed";

    fn reason(&self) -> String {
        format!("vous avez accepté d'aider {} sur Entraide", self.prenom)
    }
}

email_templates!(
    ProposalConfirmed,
    "emails/proposal_confirmed/subject.txt",
    "emails/proposal_confirmed/body.txt",
    "emails/proposal_confirmed/body.html"
);

/// The sentence giving the person `request`'s trust word, once `volunteer` (first name) took it:
/// they call `telephone` (the relative `called`, when it is not the person asking) or, without
/// one, write first. None before a word was drawn.
pub fn citizen_notice(
    request: &help_request::Model,
    volunteer: &str,
    telephone: Option<&str>,
    called: Option<&str>,
) -> Option<CitizenNotice> {
    let contact = match (telephone, called) {
        (None, _) => FirstContact::Writes,
        (Some(_), Some(relative)) => FirstContact::CallsRelative(relative),
        (Some(_), None) => FirstContact::Calls,
    };
    let word = request.mot_de_confiance.as_deref()?;
    Some(CitizenNotice::new(volunteer, word, contact))
}

/// "Un bénévole va vous aider": the volunteer's first name, how, and what happens next.
#[derive(Clone, Debug)]
pub struct VolunteerFound {
    pub prenom: String,
    pub volunteer: String,
    pub reference: String,
    pub modes: Vec<&'static str>,
    /// The number the volunteer will call, as read aloud (none: they write).
    pub telephone: Option<String>,
    /// The relative the volunteer will call, when it is not the person asking.
    pub called: Option<String>,
    /// The trust word the volunteer will say, in its sentence.
    pub trust: Option<CitizenNotice>,
    /// « Un bénévole ne vous demandera jamais d'argent… »
    pub never_asks: &'static str,
    pub follow_up: FollowUp,
}

impl VolunteerFound {
    /// The news for the citizen whose `request` `volunteer` took.
    pub fn new(
        _config: &Config,
        request: &help_request::Model,
        volunteer: &account::Model,
        _proposal: &proposal::Model,
        follow_up: FollowUp,
    ) -> Self {
        let telephone = if request.contacter_proche {
            request.telephone_proche.as_deref()
        } else {
            request.telephone.as_deref()
        };
        let called = request
            .contacter_proche
            .then(|| request.prenom_proche.clone())
            .flatten();
        Self {
            follow_up,
            prenom: request.prenom.clone(),
            volunteer: volunteer.prenom.clone(),
            reference: request.reference.clone(),
            modes: labels(request).1,
            trust: citizen_notice(request, &volunteer.prenom, telephone, called.as_deref()),
            never_asks: NEVER_ASKS,
            telephone: telephone.map(display_fr),
            called,
        }
    }
}

citizen_email!(VolunteerFound, "volunteer_found");

email_templates!(
    VolunteerFound,
    "emails/volunteer_found/subject.txt",
    "emails/volunteer_found/body.txt",
    "emails/volunteer_found/body.html"
);

/// "Nous n'avons pas encore trouvé de bénévole".
#[derive(Clone, Debug)]
pub struct NoVolunteerYet {
    pub prenom: String,
    pub reference: String,
    pub follow_up: FollowUp,
}

impl NoVolunteerYet {
    /// The news for the citizen whose `request` found nobody yet.
    pub fn new(_config: &Config, request: &help_request::Model, follow_up: FollowUp) -> Self {
        Self {
            follow_up,
            prenom: request.prenom.clone(),
            reference: request.reference.clone(),
        }
    }
}

citizen_email!(NoVolunteerYet, "no_volunteer");

email_templates!(
    NoVolunteerYet,
    "emails/no_volunteer/subject.txt",
    "emails/no_volunteer/body.txt",
    "emails/no_volunteer/body.html"
);

/// "La demande ENT-… a été annulée": the person cancelled the request the volunteer held.
#[derive(Clone, Debug)]
pub struct RequestCancelledVolunteer {
    pub volunteer: String,
    pub prenom: String,
    pub commune: String,
    pub reference: String,
    pub link: String,
}

impl RequestCancelledVolunteer {
    /// The news for `volunteer`, who held `request`, just cancelled.
    pub fn new(config: &Config, request: &help_request::Model, volunteer: &account::Model) -> Self {
        Self {
            volunteer: volunteer.prenom.clone(),
            prenom: request.prenom.clone(),
            commune: crate::geo::commune_name(&request.commune_insee),
            reference: request.reference.clone(),
            link: config.link("/benevole/demandes"),
        }
    }
}

impl Email for RequestCancelledVolunteer {
    const KIND: &'static str = "request_cancelled_volunteer";

    fn reason(&self) -> String {
        format!("vous aviez accepté d'aider {} sur Entraide", self.prenom)
    }
}

email_templates!(
    RequestCancelledVolunteer,
    "emails/request_cancelled_volunteer/subject.txt",
    "emails/request_cancelled_volunteer/body.txt",
    "emails/request_cancelled_volunteer/body.html"
);

/// "Où en est la demande de … ?": the reminder to the volunteer holding a request for some days.
#[derive(Clone, Debug)]
pub struct VolunteerReminder {
    pub volunteer: String,
    pub prenom: String,
    pub reference: String,
    /// When the volunteer accepted, as French people read it.
    pub accepted_on: String,
    pub link: String,
    /// Who can help: the request's organisation (else the service's operator) and its address.
    pub contact_name: String,
    pub contact_email: String,
}

impl VolunteerReminder {
    /// The reminder for `volunteer`, who took `request` through `accepted`; `organisation` is the
    /// request's, whose moderators can help (without one, the service's operator).
    pub fn new(
        config: &Config,
        request: &help_request::Model,
        volunteer: &account::Model,
        accepted: &proposal::Model,
        organisation: Option<&organisation::Model>,
    ) -> Self {
        let (contact_name, contact_email) = match organisation {
            Some(o) => (o.name.clone(), o.contact_email.clone()),
            None => (config.operator_name.clone(), config.privacy_contact.clone()),
        };
        Self {
            volunteer: volunteer.prenom.clone(),
            prenom: request.prenom.clone(),
            reference: request.reference.clone(),
            accepted_on: date_time_fr(
                accepted.answered_at.unwrap_or(accepted.created_at),
                &request.departement,
            ),
            link: config.link("/benevole/demandes"),
            contact_name,
            contact_email,
        }
    }
}

impl Email for VolunteerReminder {
    const KIND: &'static str = "volunteer_reminder";

    fn reason(&self) -> String {
        format!("vous avez accepté d'aider {} sur Entraide", self.prenom)
    }
}

email_templates!(
    VolunteerReminder,
    "emails/volunteer_reminder/subject.txt",
    "emails/volunteer_reminder/body.txt",
    "emails/volunteer_reminder/body.html"
);
