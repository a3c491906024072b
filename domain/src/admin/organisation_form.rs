//! The organisation form: what an admin typed, checked field by field with French messages, and
//! what an edit changes, in words, for the audit log.

use entity::organisation;
use serde::Deserialize;

use crate::contact::{EmailAddress, PhoneNumber, display_fr};
use crate::forms::FieldErrors;
use crate::organisations::Territory;

/// The longest opening hours accepted, in characters.
pub const MAX_HOURS: usize = 120;

/// The longest organisation name accepted, in characters.
pub const MAX_NAME: usize = 200;

/// The organisation form as sent (field names are part of the product); checkboxes are present
/// when ticked.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrganisationInput {
    pub nom: String,
    pub email_contact: String,
    pub national: Option<String>,
    pub departements: String,
    pub validation_automatique: Option<String>,
    pub verification_presentiel: Option<String>,
    /// The number people may call with a question (optional).
    pub telephone: String,
    /// When someone answers it, in words (optional).
    pub horaires: String,
}

impl OrganisationInput {
    /// The form filled with what `o` holds now (to edit it).
    pub fn from_model(o: &organisation::Model) -> Self {
        let tick = |on: bool| on.then(|| "oui".to_owned());
        Self {
            nom: o.name.clone(),
            email_contact: o.contact_email.clone(),
            national: tick(o.national),
            departements: Territory::of(o).label(),
            validation_automatique: tick(o.auto_approve),
            verification_presentiel: tick(o.vetting_required),
            telephone: o.telephone.as_deref().map(display_fr).unwrap_or_default(),
            horaires: o.horaires.clone().unwrap_or_default(),
        }
        .without_national_list()
    }

    fn without_national_list(mut self) -> Self {
        if self.national.is_some() {
            self.departements.clear();
        }
        self
    }
}

/// An organisation whose every field was checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganisationDraft {
    pub name: String,
    pub contact_email: EmailAddress,
    pub territory: Territory,
    pub auto_approve: bool,
    pub vetting_required: bool,
    /// The number people may call, in international form.
    pub telephone: Option<PhoneNumber>,
    /// Its opening hours, in words.
    pub hours: Option<String>,
}

/// Checks every field of the form; the errors name their field.
pub fn validate(input: &OrganisationInput) -> Result<OrganisationDraft, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = input.nom.trim().to_owned();
    if name.is_empty() {
        errors.add("nom", "Indiquez le nom de l'organisation.");
    } else if name.chars().count() > MAX_NAME {
        errors.add(
            "nom",
            format!("Le nom est trop long : {MAX_NAME} caractères au plus."),
        );
    }
    let contact_email = EmailAddress::parse(&input.email_contact)
        .map_err(|message| errors.add("email_contact", message))
        .ok();
    let territory = if input.national.is_some() {
        if !input.departements.trim().is_empty() {
            errors.add(
                "departements",
                "Choisissez : tout le territoire national, ou une liste de départements, mais pas les deux.",
            );
        }
        Some(Territory::National)
    } else {
        Territory::parse_departements(&input.departements)
            .map_err(|message| errors.add("departements", message))
            .ok()
    };
    let telephone = match input.telephone.trim() {
        "" => None,
        typed => PhoneNumber::parse(typed)
            .map_err(|message| errors.add("telephone", message))
            .ok(),
    };
    let hours = input.horaires.trim();
    if hours.chars().count() > MAX_HOURS {
        errors.add(
            "horaires",
            format!("Les horaires sont trop longs : {MAX_HOURS} caractères au plus."),
        );
    } else if !hours.is_empty() && input.telephone.trim().is_empty() {
        errors.add(
            "telephone",
            "Indiquez le numéro de téléphone qui répond à ces horaires.",
        );
    }
    match (contact_email, territory) {
        (Some(contact_email), Some(territory)) if errors.is_empty() => Ok(OrganisationDraft {
            name,
            contact_email,
            territory,
            auto_approve: input.validation_automatique.is_some(),
            vetting_required: input.verification_presentiel.is_some(),
            telephone,
            hours: (!hours.is_empty()).then(|| hours.to_owned()),
        }),
        _ => Err(errors),
    }
}

fn yes_no(on: bool) -> &'static str {
    if on { "oui" } else { "non" }
}

/// What changes from `before` to `draft`, in words, for the audit log.
pub fn changes(before: &organisation::Model, draft: &OrganisationDraft) -> Vec<String> {
    let mut changes = Vec::new();
    if before.name != draft.name {
        changes.push(format!("nom : « {} » → « {} »", before.name, draft.name));
    }
    // The address itself may name a person: the append-only log only says it changed.
    if before.contact_email != draft.contact_email.as_str() {
        changes.push("adresse de contact modifiée".to_owned());
    }
    let territory = Territory::of(before);
    if territory != draft.territory {
        changes.push(format!(
            "territoire : {} → {}",
            territory.label(),
            draft.territory.label()
        ));
    }
    if before.auto_approve != draft.auto_approve {
        changes.push(format!(
            "validation automatique : {} → {}",
            yes_no(before.auto_approve),
            yes_no(draft.auto_approve)
        ));
    }
    if before.vetting_required != draft.vetting_required {
        changes.push(format!(
            "vérification pour l'aide en personne : {} → {}",
            yes_no(before.vetting_required),
            yes_no(draft.vetting_required)
        ));
    }
    if before.telephone.as_deref() != draft.telephone.as_ref().map(PhoneNumber::as_str) {
        changes.push("téléphone modifié".to_owned());
    }
    if before.horaires != draft.hours {
        changes.push("horaires modifiés".to_owned());
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(national: bool, departements: &str) -> OrganisationInput {
        OrganisationInput {
            nom: "Marne Solidaire".into(),
            email_contact: "contact@marne.example".into(),
            national: national.then(|| "oui".into()),
            departements: departements.into(),
            validation_automatique: Some("oui".into()),
            verification_presentiel: None,
            telephone: String::new(),
            horaires: String::new(),
        }
    }

    #[test]
    fn a_complete_form_gives_a_draft() {
        let draft = validate(&input(false, "51, 08")).unwrap();
        assert_eq!(draft.territory, Territory::from_stored(false, "08 51"));
        assert!(draft.auto_approve && !draft.vetting_required);
        assert_eq!(
            validate(&input(true, "")).unwrap().territory,
            Territory::National
        );
    }

    #[test]
    fn each_bad_field_gets_its_own_message() {
        let mut bad = input(false, "51 99");
        bad.nom = " ".into();
        bad.email_contact = "contact".into();
        let errors = validate(&bad).unwrap_err();
        assert!(errors.has("nom") && errors.has("email_contact") && errors.has("departements"));
        assert!(
            validate(&input(true, "51"))
                .unwrap_err()
                .has("departements")
        );
        assert!(validate(&input(false, "")).unwrap_err().has("departements"));
    }

    #[test]
    fn changes_name_what_moved_but_not_the_contact_address() {
        let now = chrono::Utc::now();
        let before = organisation::Model {
            id: 1,
            name: "Marne Solidaire".into(),
            contact_email: "jeanne.martin@marne.example".into(),
            national: false,
            departements: "51".into(),
            auto_approve: true,
            vetting_required: false,
            active: true,
            telephone: None,
            horaires: None,
            created_at: now,
            updated_at: now,
        };
        let mut edited = input(false, "51");
        edited.email_contact = before.contact_email.clone();
        assert!(changes(&before, &validate(&edited).unwrap()).is_empty());
        edited.email_contact = "contact@marne.example".into();
        edited.verification_presentiel = Some("oui".into());
        let changed = changes(&before, &validate(&edited).unwrap());
        assert_eq!(
            changed,
            vec![
                "adresse de contact modifiée".to_owned(),
                "vérification pour l'aide en personne : non → oui".to_owned()
            ]
        );
    }
}
