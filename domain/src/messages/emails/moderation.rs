//! The e-mails of moderation: to moderators (a new request to triage, the daily digest, a request
//! without volunteer) and to a volunteer who was suspended. Moderators' e-mails summarise a
//! request without the person's name or contact details: those stay behind the login.

use chrono::{DateTime, Utc};
use entity::{account, help_request, organisation};

use crate::Config;
use crate::dates::date_time_fr;
use crate::email_templates;
use crate::mail::Email;
use crate::reference::{CategorySet, ModeSet, language_label};

/// What a moderator's e-mail tells of a request: no name, no contact details.
#[derive(Clone, Debug)]
pub struct RequestSummary {
    /// The public reference, `ENT-…`.
    pub reference: String,
    /// The commune's name.
    pub commune: String,
    /// The département's code.
    pub departement: String,
    /// The French labels of the categories asked for.
    pub categories: Vec<&'static str>,
    /// The French labels of the modes accepted.
    pub modes: Vec<&'static str>,
    /// A language other than French, if asked for.
    pub langue: Option<&'static str>,
    /// Reachable by telephone only: a moderator must call back.
    pub a_rappeler: bool,
    /// When it arrived, in the département's time.
    pub received: String,
    /// How long it has waited, in words.
    pub waiting: String,
    /// Its page for moderators.
    pub link: String,
}

impl RequestSummary {
    /// The summary of `request`, its age counted at `now`.
    pub fn new(config: &Config, request: &help_request::Model, now: DateTime<Utc>) -> Self {
        Self {
            reference: request.reference.clone(),
            commune: crate::geo::commune_name(&request.commune_insee),
            departement: request.departement.clone(),
            categories: CategorySet::from_bits(request.categories).labels(),
            modes: ModeSet::from_bits(request.modes).labels(),
            langue: request.langue.as_deref().and_then(language_label),
            a_rappeler: request.a_rappeler,
            received: date_time_fr(request.created_at, &request.departement),
            waiting: waiting_fr(request.created_at, now),
            link: config.link(&format!("/moderation/demandes/{}", request.id)),
        }
    }
}

/// How long a request has waited, in words: "moins d'une heure", "5 heures", "3 jours".
pub fn waiting_fr(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let hours = (now - since).num_hours().max(0);
    match hours {
        0 => "moins d'une heure".to_owned(),
        1 => "1 heure".to_owned(),
        2..48 => format!("{hours} heures"),
        _ => format!("{} jours", hours / 24),
    }
}

/// Why a staff member receives a moderation e-mail: their organisation, or (none) because they
/// administer the service.
fn staff_reason(organisation: Option<&str>) -> String {
    match organisation {
        Some(name) => format!("vous modérez les demandes de l'organisation {name} sur Entraide"),
        None => "vous administrez Entraide et aucune organisation ne couvre cette demande".into(),
    }
}

/// "Nouvelle demande à traiter": one request waiting for a moderator's check.
#[derive(Clone, Debug)]
pub struct NewRequestToTriage {
    pub prenom: String,
    pub organisation: Option<String>,
    pub request: RequestSummary,
}

impl Email for NewRequestToTriage {
    const KIND: &'static str = "moderation_new_request";

    fn reason(&self) -> String {
        staff_reason(self.organisation.as_deref())
    }

    fn unsubscribe_path(&self) -> Option<String> {
        self.organisation
            .as_ref()
            .map(|_| "/moderation/preferences".to_owned())
    }
}

email_templates!(
    NewRequestToTriage,
    "emails/moderation_new_request/subject.txt",
    "emails/moderation_new_request/body.txt",
    "emails/moderation_new_request/body.html"
);

/// The daily digest: the organisation's requests still waiting that arrived since the last one.
#[derive(Clone, Debug)]
pub struct Digest {
    pub prenom: String,
    pub organisation: String,
    pub requests: Vec<RequestSummary>,
    pub queue_link: String,
}

impl Digest {
    /// The digest for `moderator` of `organisation`, listing `requests`.
    pub fn new(
        config: &Config,
        moderator: &account::Model,
        organisation: &organisation::Model,
        requests: &[help_request::Model],
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            prenom: moderator.prenom.clone(),
            organisation: organisation.name.clone(),
            requests: requests
                .iter()
                .map(|r| RequestSummary::new(config, r, now))
                .collect(),
            queue_link: config.link("/moderation?statut=nouvelle"),
        }
    }
}

impl Email for Digest {
    const KIND: &'static str = "moderation_digest";

    fn reason(&self) -> String {
        format!(
            "vous modérez les demandes de l'organisation {} sur Entraide et avez choisi un résumé quotidien",
            self.organisation
        )
    }

    fn unsubscribe_path(&self) -> Option<String> {
        Some("/moderation/preferences".to_owned())
    }
}

email_templates!(
    Digest,
    "emails/moderation_digest/subject.txt",
    "emails/moderation_digest/body.txt",
    "emails/moderation_digest/body.html"
);

/// "Aucun bénévole trouvé": matching found nobody for a request, moderators must act.
#[derive(Clone, Debug)]
pub struct NoVolunteerAlert {
    pub prenom: String,
    pub organisation: Option<String>,
    pub request: RequestSummary,
    /// The person said a request marked solved is not ("Ce n'est pas réglé"), rather than
    /// matching finding nobody.
    pub not_solved: bool,
}

impl Email for NoVolunteerAlert {
    const KIND: &'static str = "moderation_no_volunteer";

    fn reason(&self) -> String {
        staff_reason(self.organisation.as_deref())
    }
}

email_templates!(
    NoVolunteerAlert,
    "emails/moderation_no_volunteer/subject.txt",
    "emails/moderation_no_volunteer/body.txt",
    "emails/moderation_no_volunteer/body.html"
);

/// "Signalement": the person says the one who helped them asked for money, a password or a code.
#[derive(Clone, Debug)]
pub struct SafetyReport {
    pub prenom: String,
    pub organisation: Option<String>,
    pub request: RequestSummary,
    /// The volunteer who held the request (first name and name), if known.
    pub volunteer: Option<String>,
    /// Their page for moderators.
    pub volunteer_link: Option<String>,
}

impl Email for SafetyReport {
    const KIND: &'static str = "moderation_safety_report";

    fn reason(&self) -> String {
        staff_reason(self.organisation.as_deref())
    }
}

email_templates!(
    SafetyReport,
    "emails/moderation_safety_report/subject.txt",
    "emails/moderation_safety_report/body.txt",
    "emails/moderation_safety_report/body.html"
);

/// "Votre compte de bénévole est suspendu": the reason, and whom to contact.
#[derive(Clone, Debug)]
pub struct VolunteerSuspended {
    pub prenom: String,
    pub motif: String,
    pub contact_name: String,
    pub contact_email: String,
}

impl VolunteerSuspended {
    /// The e-mail for `volunteer`, suspended for `motif`; `contact` is the organisation of their
    /// territory (none: the service's operator).
    pub fn new(
        config: &Config,
        volunteer: &account::Model,
        motif: &str,
        contact: Option<&organisation::Model>,
    ) -> Self {
        let (contact_name, contact_email) = match contact {
            Some(o) => (o.name.clone(), o.contact_email.clone()),
            None => (config.operator_name.clone(), config.privacy_contact.clone()),
        };
        Self {
            prenom: volunteer.prenom.clone(),
            motif: motif.to_owned(),
            contact_name,
            contact_email,
        }
    }
}

impl Email for VolunteerSuspended {
    const KIND: &'static str = "volunteer_suspended";

    fn reason(&self) -> String {
        "votre compte de bénévole sur Entraide vient d'être suspendu".into()
    }
}

email_templates!(
    VolunteerSuspended,
    "emails/volunteer_suspended/subject.txt",
    "emails/volunteer_suspended/body.txt",
    "emails/volunteer_suspended/body.html"
);

/// "Votre compte de bénévole est rétabli": proposals will come again.
#[derive(Clone, Debug)]
pub struct VolunteerReinstated {
    pub prenom: String,
    pub propositions_url: String,
    pub profil_url: String,
}

impl VolunteerReinstated {
    /// The e-mail for `volunteer`, whose suspension was just lifted.
    pub fn new(config: &Config, volunteer: &account::Model) -> Self {
        Self {
            prenom: volunteer.prenom.clone(),
            propositions_url: config.link("/benevole/propositions"),
            profil_url: config.link("/benevole/profil"),
        }
    }
}

impl Email for VolunteerReinstated {
    const KIND: &'static str = "volunteer_reinstated";

    fn reason(&self) -> String {
        "la suspension de votre compte de bénévole sur Entraide vient d'être levée".into()
    }
}

email_templates!(
    VolunteerReinstated,
    "emails/volunteer_reinstated/subject.txt",
    "emails/volunteer_reinstated/body.txt",
    "emails/volunteer_reinstated/body.html"
);

#[cfg(test)]
mod tests {
    use chrono::{Duration, Utc};

    use super::waiting_fr;

    #[test]
    fn waiting_time_reads_in_french() {
        let now = Utc::now();
        assert_eq!(waiting_fr(now, now), "moins d'une heure");
        assert_eq!(waiting_fr(now - Duration::minutes(70), now), "1 heure");
        assert_eq!(waiting_fr(now - Duration::hours(30), now), "30 heures");
        assert_eq!(waiting_fr(now - Duration::hours(80), now), "3 jours");
    }
}
