//! The volunteer form shared by sign-up and the profile page: what the browser sends, how it is
//! checked (each error next to its field, in French), and how it is shown again.

use serde::Deserialize;

use crate::accounts::VolunteerDetails;
use crate::accounts::details::{
    self, DEFAULT_MAX_DEMANDES, DEFAULT_RAYON_KM, parse_categories, parse_disponibilites,
    parse_langues, parse_max_demandes, parse_modes, parse_nom, parse_prenom, parse_rayon_km,
};
use crate::geo::{Communes, PlaceAnswer, resolve_place};
use crate::reference::{Category, CategorySet, HelpMode, LANGUAGES, ModeSet};
use crate::web::commune_field::CommuneField;
use crate::web::forms::FieldErrors;

/// What the sign-up and profile forms send (the profile form leaves out the account fields).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct VolunteerForm {
    /// First name.
    pub prenom: String,
    /// Last name (optional).
    pub nom: String,
    /// Login address (sign-up only).
    pub email: String,
    /// Chosen password (sign-up only).
    pub password: String,
    /// The same, typed again.
    pub password_confirm: String,
    /// The "where" field's text.
    pub commune: String,
    /// The commune chosen among candidates.
    pub commune_insee: Option<String>,
    /// Travel radius in km.
    pub rayon_km: String,
    /// Modes of help (repeated).
    pub modes: Vec<String>,
    /// Categories (repeated).
    pub categories: Vec<String>,
    /// Languages (repeated).
    pub langues: Vec<String>,
    /// Simultaneous requests.
    pub max_demandes: String,
    /// Availability note.
    pub disponibilites: String,
    /// The charter accepted (sign-up only).
    pub charte: Option<String>,
}

/// One box to tick.
#[derive(Clone, Debug)]
pub struct Choice {
    /// The value sent.
    pub value: &'static str,
    /// What people read.
    pub label: String,
    /// Whether it is ticked.
    pub checked: bool,
}

/// The form as the template shows it: what was typed (never a password) and the choices.
#[derive(Clone, Debug)]
pub struct FormView {
    /// First name.
    pub prenom: String,
    /// Last name.
    pub nom: String,
    /// Login address.
    pub email: String,
    /// The "where" field.
    pub commune: CommuneField,
    /// Travel radius as typed.
    pub rayon_km: String,
    /// Modes of help.
    pub modes: Vec<Choice>,
    /// Categories.
    pub categories: Vec<Choice>,
    /// Languages.
    pub langues: Vec<Choice>,
    /// Simultaneous requests as typed.
    pub max_demandes: String,
    /// Availability note.
    pub disponibilites: String,
    /// Whether the charter box is ticked.
    pub charte: bool,
}

impl FormView {
    /// An empty sign-up form with the defaults.
    pub fn blank() -> Self {
        Self::from_values(
            VolunteerForm {
                rayon_km: DEFAULT_RAYON_KM.to_string(),
                max_demandes: DEFAULT_MAX_DEMANDES.to_string(),
                ..VolunteerForm::default()
            },
            CommuneField::new("commune", "Votre commune"),
        )
    }

    /// The form showing what was sent, with the commune field as resolved.
    pub fn from_values(form: VolunteerForm, commune: CommuneField) -> Self {
        let modes = HelpMode::ALL
            .into_iter()
            .map(|m| Choice {
                value: m.slug(),
                label: format!("Aider {}", m.label()),
                checked: form.modes.iter().any(|v| v == m.slug()),
            })
            .collect();
        let categories = Category::ALL
            .into_iter()
            .map(|c| Choice {
                value: c.slug(),
                label: c.label().to_owned(),
                checked: form.categories.iter().any(|v| v == c.slug()),
            })
            .collect();
        let langues = LANGUAGES
            .iter()
            .map(|(code, label)| Choice {
                value: code,
                label: (*label).to_owned(),
                checked: form.langues.iter().any(|v| v == code),
            })
            .collect();
        Self {
            prenom: form.prenom,
            nom: form.nom,
            email: form.email,
            commune,
            rayon_km: form.rayon_km,
            modes,
            categories,
            langues,
            max_demandes: form.max_demandes,
            disponibilites: form.disponibilites,
            charte: form.charte.is_some(),
        }
    }

    /// The form filled with what is stored.
    pub fn from_profile(
        communes: &Communes,
        account: &entity::account::Model,
        profile: &entity::volunteer_profile::Model,
    ) -> Self {
        let commune = CommuneField::new("commune", "Votre commune");
        let commune = match crate::geo::InseeCode::parse(&profile.commune_insee)
            .ok()
            .and_then(|code| communes.get(code))
        {
            Some(found) => {
                let typed = found.nom.clone();
                let answer = resolve_place(communes, &typed, Some(&profile.commune_insee));
                commune.with_answer(&typed, &answer)
            }
            None => commune,
        };
        let form = VolunteerForm {
            prenom: account.prenom.clone(),
            nom: account.nom.clone().unwrap_or_default(),
            rayon_km: profile.rayon_km.to_string(),
            modes: slugs(ModeSet::from_bits(profile.modes).slugs()),
            categories: slugs(CategorySet::from_bits(profile.categories).slugs()),
            langues: details::split_langues(&profile.langues),
            max_demandes: profile.max_demandes.to_string(),
            disponibilites: profile.disponibilites.clone(),
            ..VolunteerForm::default()
        };
        Self::from_values(form, commune)
    }
}

fn slugs(list: Vec<&'static str>) -> Vec<String> {
    list.into_iter().map(str::to_owned).collect()
}

/// Checks the profile fields: the details if all are right, and the field to show again.
pub fn check_details(
    communes: &Communes,
    form: &VolunteerForm,
    errors: &mut FieldErrors,
) -> (Option<VolunteerDetails>, CommuneField) {
    let mut note = |field: &'static str, result: Result<(), &str>| {
        if let Err(message) = result {
            errors.add(field, message);
        }
    };
    let prenom = parse_prenom(&form.prenom);
    note("prenom", prenom.as_ref().map(|_| ()).map_err(|e| *e));
    let nom = parse_nom(&form.nom);
    note("nom", nom.as_ref().map(|_| ()).map_err(|e| *e));

    let answer = resolve_place(communes, &form.commune, form.commune_insee.as_deref());
    let field = CommuneField::new("commune", "Votre commune").with_answer(&form.commune, &answer);
    let place = match &answer {
        PlaceAnswer::Resolved { commune, .. } => Some(details::place_of(commune.commune)),
        PlaceAnswer::Choose { .. } => {
            note("commune", Err("Choisissez votre commune dans la liste."));
            None
        }
        PlaceAnswer::Invalid(message) => {
            note("commune", Err(message));
            None
        }
    };

    let rayon = parse_rayon_km(&form.rayon_km);
    note("rayon_km", rayon.map(|_| ()));
    let modes = parse_modes(&form.modes);
    note("modes", modes.map(|_| ()));
    let categories = parse_categories(&form.categories);
    note("categories", categories.map(|_| ()));
    let langues = parse_langues(&form.langues);
    note("langues", langues.as_ref().map(|_| ()).map_err(|e| *e));
    let max = parse_max_demandes(&form.max_demandes);
    note("max_demandes", max.map(|_| ()));
    let dispo = parse_disponibilites(&form.disponibilites);
    note("disponibilites", dispo.as_ref().map(|_| ()).map_err(|e| *e));

    let details = match (
        prenom, nom, place, rayon, modes, categories, langues, max, dispo,
    ) {
        (
            Ok(prenom),
            Ok(nom),
            Some(place),
            Ok(rayon_km),
            Ok(modes),
            Ok(categories),
            Ok(langues),
            Ok(max_demandes),
            Ok(disponibilites),
        ) => {
            let (commune_insee, departement, latitude, longitude) = place;
            Some(VolunteerDetails {
                prenom,
                nom,
                commune_insee,
                departement,
                latitude,
                longitude,
                rayon_km,
                modes,
                categories,
                langues,
                max_demandes,
                disponibilites,
            })
        }
        _ => None,
    };
    (details, field)
}
