//! The JSON bodies of the partner API, with the French field names of the pages; their OpenAPI
//! schemas are generated from these types.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::partners::view as partner_view;
use crate::reference::{CategorySet, ModeSet};
use crate::requests::RequestStatus;
use crate::requests::intake::RequestInput;

/// A request filed for someone who called: the fields of the `/demande` form.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NouvelleDemande {
    /// 1 to 3 subjects: `appareil`, `internet`, `email`, `proches`, `demarches`, `sante`,
    /// `emploi`, `argent`, `securite`, `scolarite`, `documents`.
    #[schema(example = json!(["demarches"]))]
    pub categories: Option<Vec<String>>,
    /// At least one way of being helped: `telephone`, `visio`, `presentiel`.
    #[schema(example = json!(["telephone"]))]
    pub modes: Option<Vec<String>>,
    /// The commune as a person types it: its postcode and name (`51100 Reims`), or a name, or a
    /// postcode. Not needed when `commune_insee` is given alone.
    #[schema(example = "51100 Reims")]
    pub commune: Option<String>,
    /// The commune's INSEE code (`51454`); with `commune`, it chooses among the communes that
    /// text matches.
    #[schema(example = "51454")]
    pub commune_insee: Option<String>,
    /// The first name of the person who called.
    #[schema(example = "Jeanne")]
    pub prenom: Option<String>,
    /// Their e-mail address: an e-mail with the follow-up link is sent to it.
    pub email: Option<String>,
    /// Their telephone number (at least one of `email` and `telephone`).
    #[schema(example = "03 26 00 00 00")]
    pub telephone: Option<String>,
    /// What they need, in their words (2000 characters at most).
    pub description: Option<String>,
    /// A language other than French: `en`, `ar`, `es`… (see the form's list); empty or `fr`: French.
    pub langue: Option<String>,
    /// The request is for a relative of the person who called.
    pub pour_un_proche: Option<bool>,
    /// For a relative: their first name.
    pub prenom_proche: Option<String>,
    /// For a relative: their telephone.
    pub telephone_proche: Option<String>,
    /// For a relative: who the caller is to them (`fille`, `fils`, `voisin`… as on the form).
    pub lien_proche: Option<String>,
    /// For a relative: whom the volunteer calls, `moi` (the caller, the default) or `proche`.
    pub qui_appeler: Option<String>,
    /// The person agreed that their request and details are kept and passed on to a volunteer
    /// (required, as the form's box).
    #[schema(example = true)]
    pub consentement: Option<bool>,
}

impl NouvelleDemande {
    /// The same input as the form's, for the same checks.
    pub fn to_input(&self) -> RequestInput {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        RequestInput {
            categories: self.categories.clone().unwrap_or_default(),
            description: text(&self.description),
            modes: self.modes.clone().unwrap_or_default(),
            commune: text(&self.commune),
            commune_insee: self.commune_insee.clone(),
            prenom: text(&self.prenom),
            email: text(&self.email),
            telephone: text(&self.telephone),
            langue: text(&self.langue),
            pour_un_proche: self
                .pour_un_proche
                .map(|yes| if yes { "oui" } else { "non" }.to_owned()),
            prenom_proche: text(&self.prenom_proche),
            telephone_proche: text(&self.telephone_proche),
            lien_proche: text(&self.lien_proche),
            qui_appeler: text(&self.qui_appeler),
            consentement: (self.consentement == Some(true)).then(|| "oui".to_owned()),
            ..RequestInput::default()
        }
    }
}

/// The answer to a filed request.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DemandeCreee {
    /// The short reference to read out to the person (`ENT-7K3F9Q`).
    #[schema(example = "ENT-7K3F9Q")]
    pub reference: String,
    /// Where it stands (see `Demande.statut`).
    pub statut: Statut,
    /// The status in words.
    pub libelle_statut: String,
    /// The person's private follow-up page, to read out or send to them.
    pub lien_suivi: String,
}

/// The states of a request.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Statut {
    Nouvelle,
    Ouverte,
    PriseEnCharge,
    Resolue,
    SansBenevole,
    Refusee,
    Annulee,
    Abandonnee,
}

impl From<RequestStatus> for Statut {
    fn from(status: RequestStatus) -> Self {
        match status {
            RequestStatus::Nouvelle => Self::Nouvelle,
            RequestStatus::Ouverte => Self::Ouverte,
            RequestStatus::PriseEnCharge => Self::PriseEnCharge,
            RequestStatus::Resolue => Self::Resolue,
            RequestStatus::SansBenevole => Self::SansBenevole,
            RequestStatus::Refusee => Self::Refusee,
            RequestStatus::Annulee => Self::Annulee,
            RequestStatus::Abandonnee => Self::Abandonnee,
        }
    }
}

/// One step of a request's timeline, as the person reads it on her follow-up page.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Etape {
    pub date: DateTime<Utc>,
    #[schema(example = "Demande envoyée")]
    pub libelle: String,
}

/// A request of the organisation, as its partner may read it (no contact details of the
/// volunteer, no internal notes).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Demande {
    #[schema(example = "ENT-7K3F9Q")]
    pub reference: String,
    pub statut: Statut,
    /// The status in words, as the person reads it.
    #[schema(example = "En attente de validation")]
    pub libelle_statut: String,
    pub categories: Vec<String>,
    pub modes: Vec<String>,
    /// The commune's INSEE code.
    pub commune_insee: String,
    pub creee_le: DateTime<Utc>,
    pub modifiee_le: DateTime<Utc>,
    /// When it ended (resolved, refused, cancelled, closed), if it did.
    pub terminee_le: Option<DateTime<Utc>>,
    /// The first name of the volunteer who took it, once one did.
    pub prenom_benevole: Option<String>,
    /// Filed through the partner API (else: the form, or a moderator).
    pub saisie_par_api: bool,
    /// The timeline, oldest first.
    pub historique: Vec<Etape>,
}

impl From<partner_view::PartnerRequest> for Demande {
    fn from(found: partner_view::PartnerRequest) -> Self {
        let request = found.request;
        Self {
            reference: request.reference,
            statut: request.status.into(),
            libelle_statut: request.status.citizen_label().to_owned(),
            categories: slugs(CategorySet::from_bits(request.categories).slugs()),
            modes: slugs(ModeSet::from_bits(request.modes).slugs()),
            commune_insee: request.commune_insee,
            creee_le: request.created_at,
            modifiee_le: request.updated_at,
            terminee_le: request.closed_at,
            prenom_benevole: found.volunteer_first_name,
            saisie_par_api: request.api_key_id.is_some(),
            historique: found
                .timeline
                .into_iter()
                .map(|(date, libelle)| Etape {
                    date,
                    libelle: libelle.to_owned(),
                })
                .collect(),
        }
    }
}

fn slugs(slugs: Vec<&'static str>) -> Vec<String> {
    slugs.into_iter().map(str::to_owned).collect()
}

/// A request in the list.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DemandeResume {
    #[schema(example = "ENT-7K3F9Q")]
    pub reference: String,
    pub statut: Statut,
    pub libelle_statut: String,
    pub creee_le: DateTime<Utc>,
    pub modifiee_le: DateTime<Utc>,
    pub terminee_le: Option<DateTime<Utc>>,
}

impl From<&entity::help_request::Model> for DemandeResume {
    fn from(request: &entity::help_request::Model) -> Self {
        Self {
            reference: request.reference.clone(),
            statut: request.status.into(),
            libelle_statut: request.status.citizen_label().to_owned(),
            creee_le: request.created_at,
            modifiee_le: request.updated_at,
            terminee_le: request.closed_at,
        }
    }
}

/// A page of the organisation's requests.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PageDemandes {
    /// Newest changes first.
    pub demandes: Vec<DemandeResume>,
    /// To pass as `curseur` for the next page; none: this is the last page.
    pub curseur_suivant: Option<String>,
}
