//! The request form's fields, as sent and once checked: each check adds its French message next
//! to the field it concerns. The moderators' correction form reuses the single-field checks.

use serde::Deserialize;

use crate::contact::{EmailAddress, FirstName, FirstNameError, PhoneNumber};
use crate::forms::FieldErrors;
use crate::geo::Commune;
use crate::reference::{CategorySet, Kin, ModeSet, language_label};

/// The longest description accepted, in characters.
pub const MAX_DESCRIPTION: usize = 2000;
/// The most categories one request may ask for.
pub const MAX_CATEGORIES: usize = 3;

/// The form as sent (field names are part of the product).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct RequestInput {
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub modes: Vec<String>,
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub commune_insee: Option<String>,
    #[serde(default)]
    pub prenom: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub telephone: String,
    #[serde(default)]
    pub langue: String,
    #[serde(default)]
    pub pour_un_proche: Option<String>,
    #[serde(default)]
    pub prenom_proche: String,
    /// The relative's telephone, if any.
    #[serde(default)]
    pub telephone_proche: String,
    /// Who the person asking is to the relative (a [`Kin`] slug).
    #[serde(default)]
    pub lien_proche: String,
    /// Whom the volunteer calls for a relative's request: `proche` or `moi` (the default).
    #[serde(default)]
    pub qui_appeler: String,
    #[serde(default)]
    pub consentement: Option<String>,
    /// « Prévenez-moi aussi par SMS » (`oui` when ticked).
    #[serde(default)]
    pub sms_aussi: Option<String>,
    /// Honeypot: hidden from people, filled by robots.
    #[serde(default)]
    pub site_web: String,
    /// When the form was shown, signed (see `crate::requests::form_timer`).
    #[serde(default)]
    pub debut: String,
    /// A moderator's message for the volunteer (the correction form only).
    #[serde(default)]
    pub message_benevole: String,
    /// `oui` when the correction form carried the description and the message (a form without
    /// them leaves them as they are).
    #[serde(default)]
    pub textes: String,
}

impl RequestInput {
    /// Whether the request is for a relative (« Pour un proche »: `pour_un_proche=oui`).
    pub fn for_relative(&self) -> bool {
        self.pour_un_proche.as_deref() == Some("oui")
    }

    /// Whether « Pour moi » was chosen.
    pub fn for_self(&self) -> bool {
        self.pour_un_proche.as_deref() == Some("non")
    }

    /// Whether the volunteer should call the relative.
    pub fn call_relative(&self) -> bool {
        self.qui_appeler == "proche"
    }
}

/// A request whose every field was checked.
#[derive(Clone, Debug)]
pub struct NewRequest {
    pub categories: CategorySet,
    pub description: Option<String>,
    pub modes: ModeSet,
    pub commune_insee: String,
    pub departement: String,
    pub latitude: f64,
    pub longitude: f64,
    pub prenom: String,
    pub email: Option<EmailAddress>,
    pub telephone: Option<PhoneNumber>,
    pub langue: Option<String>,
    pub prenom_proche: Option<String>,
    /// For a relative: their telephone.
    pub telephone_proche: Option<PhoneNumber>,
    /// For a relative: who the person asking is to them.
    pub lien_proche: Option<Kin>,
    /// For a relative: the volunteer calls them, not the person asking.
    pub contacter_proche: bool,
    /// The person gave an e-mail address and a mobile number and ticked « Prévenez-moi aussi par
    /// SMS ».
    pub sms_aussi: bool,
}

/// Checks every field of `input`; `commune` is what the "where" field resolved to (its own error,
/// if any, is already in `errors`).
pub fn validate(
    input: &RequestInput,
    commune: Option<&Commune>,
    mut errors: FieldErrors,
) -> Result<NewRequest, FieldErrors> {
    let categories = check_categories(&input.categories, &mut errors);

    let description = input.description.trim();
    if description.chars().count() > MAX_DESCRIPTION {
        errors.add(
            "description",
            format!("Votre texte est trop long : {MAX_DESCRIPTION} caractères au plus."),
        );
    }

    let modes = check_modes(&input.modes, &mut errors);
    let prenom = check_prenom(&input.prenom, &mut errors);
    let (email, telephone) = check_contact(&input.email, &input.telephone, &mut errors);
    let langue = check_langue(&input.langue, &mut errors);

    let for_relative = input.for_relative();
    let prenom_proche = for_relative.then(|| {
        check_first_name(
            "prenom_proche",
            &input.prenom_proche,
            "Indiquez le prénom de la personne que vous aidez.",
            &mut errors,
        )
    });
    let telephone_proche = match input.telephone_proche.trim() {
        "" => None,
        _ if !for_relative => None,
        typed => PhoneNumber::parse(typed)
            .map_err(|m| errors.add("telephone_proche", m))
            .ok(),
    };
    let lien_proche = match input.lien_proche.trim() {
        "" => None,
        _ if !for_relative => None,
        slug => match Kin::from_slug(slug) {
            Some(kin) => Some(kin),
            None => {
                errors.add("lien_proche", "Choisissez dans la liste.");
                None
            }
        },
    };
    let contacter_proche = for_relative && input.call_relative();
    if contacter_proche && input.telephone_proche.trim().is_empty() {
        errors.add(
            "telephone_proche",
            "Pour que le bénévole appelle votre proche, indiquez son numéro de téléphone. Sinon, choisissez « Moi ».",
        );
    }

    if input.consentement.is_none() {
        errors.add(
            "consentement",
            "Pour que nous puissions traiter votre demande, cochez la case d'accord.",
        );
    }

    let sms_aussi =
        input.sms_aussi.as_deref() == Some("oui") && email_and_mobile(&email, &telephone);
    match commune {
        Some(commune) if errors.is_empty() => Ok(NewRequest {
            categories,
            description: (!description.is_empty()).then(|| description.to_owned()),
            modes,
            commune_insee: commune.insee.as_str().to_owned(),
            departement: commune.departement.as_str().to_owned(),
            latitude: commune.point.lat,
            longitude: commune.point.lon,
            prenom,
            email,
            telephone,
            langue,
            prenom_proche,
            telephone_proche,
            lien_proche,
            contacter_proche,
            sms_aussi,
        }),
        _ => Err(errors),
    }
}

/// Whether the person gave both an e-mail address and a mobile number (« aussi par SMS » applies).
fn email_and_mobile(email: &Option<EmailAddress>, telephone: &Option<PhoneNumber>) -> bool {
    email.is_some()
        && telephone
            .as_ref()
            .is_some_and(|t| crate::sms::numbers::is_mobile(t.as_str()))
}

/// The requested categories: 1 to [`MAX_CATEGORIES`] known slugs.
pub fn check_categories(slugs: &[String], errors: &mut FieldErrors) -> CategorySet {
    match CategorySet::from_slugs(slugs) {
        Ok(set) if set.is_empty() => {
            errors.add("categories", "Choisissez au moins un sujet.");
            set
        }
        Ok(set) if set.len() > MAX_CATEGORIES => {
            errors.add(
                "categories",
                "Choisissez au plus 3 sujets : les plus importants pour vous.",
            );
            set
        }
        Ok(set) => set,
        Err(_) => {
            errors.add(
                "categories",
                "Un des sujets choisis n'existe pas. Choisissez dans la liste.",
            );
            CategorySet::default()
        }
    }
}

/// The accepted modes of help: at least one known slug.
pub fn check_modes(slugs: &[String], errors: &mut FieldErrors) -> ModeSet {
    match ModeSet::from_slugs(slugs) {
        Ok(set) if set.is_empty() => {
            errors.add("modes", "Choisissez au moins une façon d'être aidé.");
            set
        }
        Ok(set) => set,
        Err(_) => {
            errors.add("modes", "Choisissez dans la liste.");
            ModeSet::default()
        }
    }
}

/// The person's first name: required, a [`FirstName`] (what was typed is kept, trimmed, when it
/// is refused, for the form shown again).
pub fn check_prenom(typed: &str, errors: &mut FieldErrors) -> String {
    check_first_name("prenom", typed, "Indiquez votre prénom.", errors)
}

/// `typed` as a [`FirstName`], or the reason next to `field` (`missing`: when nothing was typed).
fn check_first_name(
    field: &'static str,
    typed: &str,
    missing: &'static str,
    errors: &mut FieldErrors,
) -> String {
    match FirstName::parse(typed) {
        Ok(name) => name.into_string(),
        Err(error) => {
            let message = match error {
                FirstNameError::Missing => missing,
                other => other.message(),
            };
            errors.add(field, message);
            typed.trim().to_owned()
        }
    }
}

/// The ways to reach the person: an e-mail address, a telephone number, at least one of them.
pub fn check_contact(
    email: &str,
    telephone: &str,
    errors: &mut FieldErrors,
) -> (Option<EmailAddress>, Option<PhoneNumber>) {
    let parsed_email = match email.trim() {
        "" => None,
        typed => EmailAddress::parse(typed)
            .map_err(|m| errors.add("email", m))
            .ok(),
    };
    let parsed_telephone = match telephone.trim() {
        "" => None,
        typed => PhoneNumber::parse(typed)
            .map_err(|m| errors.add("telephone", m))
            .ok(),
    };
    if email.trim().is_empty() && telephone.trim().is_empty() {
        errors.add(
            "email",
            "Indiquez au moins un moyen de vous joindre : une adresse e-mail ou un numéro de téléphone.",
        );
    }
    (parsed_email, parsed_telephone)
}

/// A language other than French, from the list (`""` or `fr`: none).
pub fn check_langue(typed: &str, errors: &mut FieldErrors) -> Option<String> {
    match typed.trim() {
        "" | "fr" => None,
        code if language_label(code).is_some() => Some(code.to_owned()),
        _ => {
            errors.add("langue", "Choisissez une langue dans la liste.");
            None
        }
    }
}
