//! The "where" field that forms asking for a place include: what
//! [`crate::geo::resolve_place`] made of the text, ready for
//! `templates/partials/commune_field.html`.
//!
//! A form has a text field (named `commune` unless it says otherwise) and, once the page has
//! offered candidates, a radio choice named after it (`commune_insee`); it passes both to
//! [`resolve_place`](crate::geo::resolve_place), keeps the commune if resolved, and shows the field
//! again with [`CommuneField::with_answer`] otherwise.

use crate::geo::{Found, PlaceAnswer};

/// A commune as the field shows it.
#[derive(Clone, Debug)]
pub struct CommuneChoice {
    /// Its INSEE code, the value sent back.
    pub insee: String,
    /// Its name, with the former name that was typed if any.
    pub nom: String,
    /// Its postcodes, separated by commas.
    pub postcodes: String,
    /// How many postcodes it has (to write "code postal" or "codes postaux").
    pub postcode_count: usize,
    /// Its département: `Marne (51)`.
    pub departement: String,
    /// Whether it is the one chosen.
    pub checked: bool,
}

impl CommuneChoice {
    fn new(found: &Found<'_>, checked: bool) -> Self {
        let commune = found.commune;
        Self {
            insee: commune.insee.to_string(),
            nom: found.label(),
            postcodes: commune
                .postcodes
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            postcode_count: commune.postcodes.len(),
            departement: format!("{} ({})", commune.departement.nom(), commune.departement),
            checked,
        }
    }
}

/// The field, as the template shows it.
#[derive(Clone, Debug)]
pub struct CommuneField {
    /// The name (and id) of the text input; the choice among candidates is `{name}_insee`.
    pub name: &'static str,
    /// The label above the input.
    pub label: &'static str,
    /// What was typed, shown again as it was.
    pub value: String,
    /// Why nothing fits, shown next to the field.
    pub error: Option<String>,
    /// The question, when several communes fit.
    pub prompt: Option<String>,
    /// The communes to choose from.
    pub candidates: Vec<CommuneChoice>,
    /// The commune retained, once there is one.
    pub resolved: Option<CommuneChoice>,
}

impl CommuneField {
    /// The usual name of the text input.
    pub const DEFAULT_NAME: &'static str = "commune";

    /// An empty field with this input name and label.
    pub fn new(name: &'static str, label: &'static str) -> Self {
        Self {
            name,
            label,
            value: String::new(),
            error: None,
            prompt: None,
            candidates: Vec::new(),
            resolved: None,
        }
    }

    /// The field showing `typed` and what it resolved to.
    pub fn with_answer(mut self, typed: &str, answer: &PlaceAnswer<'_>) -> Self {
        self.value = typed.to_owned();
        match answer {
            PlaceAnswer::Resolved { commune, among } => {
                let insee = commune.commune.insee;
                self.candidates = among
                    .iter()
                    .map(|c| CommuneChoice::new(c, c.commune.insee == insee))
                    .collect();
                self.prompt = (!among.is_empty()).then(|| "Votre choix :".to_owned());
                self.resolved = Some(CommuneChoice::new(commune, true));
            }
            PlaceAnswer::Choose { prompt, candidates } => {
                // Exactly one match: it is selected, the person only confirms it.
                let only = candidates.len() == 1;
                self.candidates = candidates
                    .iter()
                    .map(|c| CommuneChoice::new(c, only))
                    .collect();
                self.prompt = Some(prompt.clone());
            }
            PlaceAnswer::Invalid(message) => self.error = Some(message.clone()),
        }
        self
    }

    /// The name of the radio buttons that carry the choice among candidates.
    pub fn choice_name(&self) -> String {
        format!("{}_insee", self.name)
    }

    /// The ids of what describes the input: the hint, and the error if there is one.
    pub fn described_by(&self) -> String {
        match self.error {
            Some(_) => format!("{0}-aide {0}-erreur", self.name),
            None => format!("{}-aide", self.name),
        }
    }
}

impl Default for CommuneField {
    fn default() -> Self {
        Self::new(Self::DEFAULT_NAME, "Votre commune")
    }
}
