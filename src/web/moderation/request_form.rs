//! The request form moderators fill, to enter a request for someone who phoned or to correct one:
//! the public form's fields and checks, worded for the person on the other end of the line
//! (`templates/moderation/champs_demande.html`).

use entity::help_request;

use crate::contact::display_fr;
use crate::geo::{Commune, Communes, InseeCode, PlaceAnswer, resolve_place};
use crate::moderation::edit::MAX_MESSAGE_FOR_VOLUNTEER;
use crate::reference::{Category, CategorySet, HelpMode, LANGUAGES, ModeSet};
use crate::requests::intake::RequestInput;
use crate::web::commune_field::CommuneField;
use crate::web::forms::FieldErrors;
use crate::web::volunteers::form::Choice;

/// The form as the template shows it.
#[derive(Clone, Debug)]
pub struct RequestFields {
    /// What was typed.
    pub input: RequestInput,
    /// What is to be corrected.
    pub errors: FieldErrors,
    /// The "where" field.
    pub field: CommuneField,
    /// The categories to tick.
    pub categories: Vec<Choice>,
    /// The modes to tick.
    pub modes: Vec<Choice>,
    /// The languages to choose from.
    pub languages: Vec<Choice>,
    /// The whole form (entering a request) or only what a correction may change.
    pub full: bool,
    /// The message for the volunteer, as typed (corrections only).
    pub message_benevole: String,
    /// Its longest length.
    pub max_message: usize,
}

fn commune_field() -> CommuneField {
    CommuneField::new(CommuneField::DEFAULT_NAME, "Commune de la personne")
}

fn mode_label(mode: HelpMode) -> &'static str {
    match mode {
        HelpMode::Telephone => "Par téléphone",
        HelpMode::Visio => "Par appel vidéo",
        HelpMode::Presentiel => "En personne, près de chez elle",
    }
}

impl RequestFields {
    /// The form showing `input`, its errors and the "where" field as resolved.
    pub fn new(input: RequestInput, errors: FieldErrors, field: CommuneField, full: bool) -> Self {
        let categories = Category::ALL
            .iter()
            .map(|c| Choice {
                value: c.slug(),
                label: c.label().to_owned(),
                checked: input.categories.iter().any(|s| s == c.slug()),
            })
            .collect();
        let modes = HelpMode::ALL
            .iter()
            .map(|m| Choice {
                value: m.slug(),
                label: mode_label(*m).to_owned(),
                checked: input.modes.iter().any(|s| s == m.slug()),
            })
            .collect();
        let languages = LANGUAGES
            .iter()
            .map(|(code, label)| Choice {
                value: code,
                label: (*label).to_owned(),
                checked: input.langue == *code,
            })
            .collect();
        Self {
            message_benevole: input.message_benevole.clone(),
            max_message: MAX_MESSAGE_FOR_VOLUNTEER,
            input,
            errors,
            field,
            categories,
            modes,
            languages,
            full,
        }
    }

    /// An empty form to enter a request.
    pub fn empty() -> Self {
        Self::new(
            RequestInput::default(),
            FieldErrors::new(),
            commune_field(),
            true,
        )
    }

    /// The correction form, filled with what `request` holds.
    pub fn from_request(communes: &Communes, request: &help_request::Model) -> Self {
        let field = match InseeCode::parse(&request.commune_insee)
            .ok()
            .and_then(|code| communes.get(code))
        {
            Some(found) => {
                let typed = found.nom.clone();
                let answer = resolve_place(communes, &typed, Some(&request.commune_insee));
                commune_field().with_answer(&typed, &answer)
            }
            None => commune_field(),
        };
        let input = RequestInput {
            categories: slugs(CategorySet::from_bits(request.categories).slugs()),
            modes: slugs(ModeSet::from_bits(request.modes).slugs()),
            commune: field.value.clone(),
            commune_insee: Some(request.commune_insee.clone()),
            prenom: request.prenom.clone(),
            email: request.email.clone().unwrap_or_default(),
            telephone: request
                .telephone
                .as_deref()
                .map(display_fr)
                .unwrap_or_default(),
            langue: request.langue.clone().unwrap_or_default(),
            description: request.description.clone().unwrap_or_default(),
            message_benevole: request.message_benevole.clone().unwrap_or_default(),
            ..RequestInput::default()
        };
        Self::new(input, FieldErrors::new(), field, false)
    }
}

/// The checks' messages, written for the moderator on the phone: about "the person", not "you"
/// (the public form's checks speak to the person filling it in).
pub fn about_the_person(errors: FieldErrors) -> FieldErrors {
    let mut worded = FieldErrors::new();
    for (field, message) in errors.all() {
        let replaced = match *field {
            "prenom" if message.starts_with("Indiquez") => {
                "Indiquez le prénom de la personne.".to_owned()
            }
            "consentement" => {
                "Cochez si la personne a donné son accord : sans son accord, la demande ne peut \
                 pas être enregistrée."
                    .to_owned()
            }
            "email" if message.starts_with("Indiquez au moins") => {
                "Indiquez au moins un moyen de joindre la personne : son numéro de téléphone ou \
                 son adresse e-mail."
                    .to_owned()
            }
            "description" => message.replace("Votre texte", "Ce texte"),
            _ => message.clone(),
        };
        worded.add(field, replaced);
    }
    worded
}

fn slugs(list: Vec<&'static str>) -> Vec<String> {
    list.into_iter().map(str::to_owned).collect()
}

/// Reads the "where" field of `input`: the field to show again, and the commune when there is
/// exactly one (otherwise the reason is added to `errors`).
pub fn read_commune<'a>(
    communes: &'a Communes,
    input: &RequestInput,
    errors: &mut FieldErrors,
) -> (CommuneField, Option<&'a Commune>) {
    let answer = resolve_place(communes, &input.commune, input.commune_insee.as_deref());
    let field = commune_field().with_answer(&input.commune, &answer);
    let commune = match &answer {
        PlaceAnswer::Resolved { commune, .. } => Some(commune.commune),
        PlaceAnswer::Choose { prompt, .. } => {
            errors.add("commune", prompt.clone());
            None
        }
        PlaceAnswer::Invalid(message) => {
            errors.add("commune", message.clone());
            None
        }
    };
    (field, commune)
}
