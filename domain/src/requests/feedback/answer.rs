//! The feedback form's answers: the two questions with their choices, the safety question, the
//! optional comment, and the check of what was typed (French messages next to each field).

use serde::Deserialize;

use crate::forms::FieldErrors;

/// The longest comment, in characters.
pub const MAX_COMMENT: usize = 1000;

/// "Êtes-vous satisfait(e) de l'aide reçue ?"
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Satisfaction {
    Tres,
    Plutot,
    PlutotPas,
    PasDuTout,
}

impl Satisfaction {
    /// Every answer, from the best to the worst.
    pub const ALL: [Self; 4] = [Self::Tres, Self::Plutot, Self::PlutotPas, Self::PasDuTout];

    /// The stored form.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Tres => "tres_satisfait",
            Self::Plutot => "plutot_satisfait",
            Self::PlutotPas => "plutot_pas_satisfait",
            Self::PasDuTout => "pas_du_tout_satisfait",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Self::Tres => "Très satisfait(e)",
            Self::Plutot => "Plutôt satisfait(e)",
            Self::PlutotPas => "Plutôt pas satisfait(e)",
            Self::PasDuTout => "Pas du tout satisfait(e)",
        }
    }

    /// The answer with this stored form.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// The two answers counted as satisfied in statistics.
    pub const SATISFIED: [Self; 2] = [Self::Tres, Self::Plutot];
}

/// "Le problème est-il réglé ?"
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Solved {
    Oui,
    EnPartie,
    Non,
}

impl Solved {
    /// Every answer.
    pub const ALL: [Self; 3] = [Self::Oui, Self::EnPartie, Self::Non];

    /// The stored form.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Oui => "oui",
            Self::EnPartie => "en_partie",
            Self::Non => "non",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Self::Oui => "Oui",
            Self::EnPartie => "En partie",
            Self::Non => "Non",
        }
    }

    /// The answer with this stored form.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }
}

/// The answers to the safety question « La personne qui vous a aidé vous a-t-elle demandé de
/// l'argent, un mot de passe ou un code ? » (a « oui » alerts the organisation's moderators at
/// once), as the form sends them: (value, label, what it means).
pub const SAFETY_CHOICES: [(&str, &str, bool); 2] = [("oui", "Oui", true), ("non", "Non", false)];

/// The form as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct FeedbackInput {
    pub satisfaction: String,
    pub regle: String,
    /// The safety question: `oui`, `non`, or nothing.
    pub demande_argent: String,
    pub commentaire: String,
}

/// A checked answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub satisfaction: Satisfaction,
    pub solved: Solved,
    /// The safety question: `Some(true)` is a report; none: not answered.
    pub asked_money_or_code: Option<bool>,
    pub comment: Option<String>,
}

/// Checks the form: both questions answered, a comment of at most [`MAX_COMMENT`] characters.
pub fn check(input: &FeedbackInput) -> Result<Answer, FieldErrors> {
    let mut errors = FieldErrors::new();
    let satisfaction = Satisfaction::from_slug(input.satisfaction.trim());
    if satisfaction.is_none() {
        errors.add(
            "satisfaction",
            "Choisissez une réponse : êtes-vous satisfait(e) de l'aide reçue ?",
        );
    }
    let solved = Solved::from_slug(input.regle.trim());
    if solved.is_none() {
        errors.add(
            "regle",
            "Choisissez une réponse : le problème est-il réglé ?",
        );
    }
    let asked = input.demande_argent.trim();
    let asked_money_or_code = SAFETY_CHOICES
        .iter()
        .find(|(value, _, _)| *value == asked)
        .map(|(_, _, yes)| *yes);
    if !asked.is_empty() && asked_money_or_code.is_none() {
        errors.add("demande_argent", "Choisissez « Oui » ou « Non ».");
    }
    // Browsers count a line break as one character: so does the limit.
    let comment = input.commentaire.replace("\r\n", "\n");
    let comment = comment.trim();
    let length = comment.chars().count();
    if length > MAX_COMMENT {
        errors.add(
            "commentaire",
            format!(
                "Votre commentaire est trop long : {MAX_COMMENT} caractères au plus (il en compte {length}). Raccourcissez-le."
            ),
        );
    }
    match (satisfaction, solved) {
        (Some(satisfaction), Some(solved)) if errors.is_empty() => Ok(Answer {
            satisfaction,
            solved,
            asked_money_or_code,
            comment: (!comment.is_empty()).then(|| comment.to_owned()),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(asked: &str) -> FeedbackInput {
        FeedbackInput {
            satisfaction: "tres_satisfait".into(),
            regle: "oui".into(),
            demande_argent: asked.into(),
            commentaire: String::new(),
        }
    }

    #[test]
    fn the_safety_question_reads_oui_non_or_nothing() {
        assert_eq!(
            check(&typed("oui")).unwrap().asked_money_or_code,
            Some(true)
        );
        assert_eq!(
            check(&typed(" non ")).unwrap().asked_money_or_code,
            Some(false)
        );
        assert_eq!(check(&typed("")).unwrap().asked_money_or_code, None);
        let errors = check(&typed("peut-etre")).unwrap_err();
        assert!(errors.has("demande_argent"));
    }
}
