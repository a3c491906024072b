//! What a volunteer tells at sign-up and keeps up to date in their profile, and the rules each
//! field follows (French messages, as shown next to the field).

use crate::contact::{FirstName, FirstNameError};
use crate::geo::Commune;
use crate::matching::score::MAX_RADIUS_KM;
use crate::reference::{CategorySet, LANGUAGES, ModeSet};

/// The travel radius offered by default, in km.
pub const DEFAULT_RAYON_KM: i32 = 10;
/// The number of simultaneous requests offered by default.
pub const DEFAULT_MAX_DEMANDES: i32 = 2;
/// The longest availability note, in characters.
pub const MAX_DISPONIBILITES: usize = 500;

/// A volunteer's profile, every field checked.
#[derive(Clone, Debug, PartialEq)]
pub struct VolunteerDetails {
    /// First name (required).
    pub prenom: FirstName,
    /// Last name (optional).
    pub nom: Option<String>,
    /// INSEE code of their commune.
    pub commune_insee: String,
    /// Its département code.
    pub departement: String,
    /// Its centre.
    pub latitude: f64,
    /// Its centre.
    pub longitude: f64,
    /// How far they travel to help in person (1–100 km).
    pub rayon_km: i32,
    /// How they help (at least one).
    pub modes: ModeSet,
    /// What they help with (at least one).
    pub categories: CategorySet,
    /// Languages spoken besides French (codes of [`LANGUAGES`]).
    pub langues: Vec<&'static str>,
    /// Requests taken at the same time (1–10).
    pub max_demandes: i32,
    /// When they are usually available (≤ 500 characters).
    pub disponibilites: String,
}

/// The place fields of a commune, as the profile stores them.
pub fn place_of(commune: &Commune) -> (String, String, f64, f64) {
    (
        commune.insee.to_string(),
        commune.departement.to_string(),
        commune.point.lat,
        commune.point.lon,
    )
}

/// The volunteer's first name: required, a [`FirstName`].
pub fn parse_prenom(input: &str) -> Result<FirstName, &'static str> {
    FirstName::parse(input).map_err(|error| match error {
        FirstNameError::Missing => "Indiquez votre prénom.",
        other => other.message(),
    })
}

/// A last name: optional, at most 100 characters.
pub fn parse_nom(input: &str) -> Result<Option<String>, &'static str> {
    match input.trim() {
        "" => Ok(None),
        n if n.chars().count() > 100 => Err("Le nom est trop long : 100 caractères au plus."),
        n => Ok(Some(n.to_owned())),
    }
}

fn whole_number_between(input: &str, low: i32, high: i32) -> Option<i32> {
    input
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (low..=high).contains(n))
}

/// The travel radius: a whole number of km from 1 to [`MAX_RADIUS_KM`] (the message says 100: a
/// test keeps them in step).
pub fn parse_rayon_km(input: &str) -> Result<i32, &'static str> {
    whole_number_between(input, 1, MAX_RADIUS_KM as i32)
        .ok_or("Indiquez une distance en kilomètres, entre 1 et 100 (par exemple 10).")
}

/// The number of simultaneous requests: from 1 to 10.
pub fn parse_max_demandes(input: &str) -> Result<i32, &'static str> {
    whole_number_between(input, 1, 10)
        .ok_or("Indiquez un nombre de demandes entre 1 et 10 (par exemple 2).")
}

/// The modes offered: at least one known mode.
pub fn parse_modes(slugs: &[String]) -> Result<ModeSet, &'static str> {
    match ModeSet::from_slugs(slugs) {
        Ok(set) if !set.is_empty() => Ok(set),
        Ok(_) => Err("Choisissez au moins une façon d'aider."),
        Err(_) => Err("Choisissez des façons d'aider dans la liste."),
    }
}

/// The categories offered: at least one known category.
pub fn parse_categories(slugs: &[String]) -> Result<CategorySet, &'static str> {
    match CategorySet::from_slugs(slugs) {
        Ok(set) if !set.is_empty() => Ok(set),
        Ok(_) => Err("Choisissez au moins un sujet sur lequel vous pouvez aider."),
        Err(_) => Err("Choisissez des sujets dans la liste."),
    }
}

/// The languages: known codes only, each once, in the reference order.
pub fn parse_langues(codes: &[String]) -> Result<Vec<&'static str>, &'static str> {
    if codes
        .iter()
        .any(|c| !LANGUAGES.iter().any(|(code, _)| code == c))
    {
        return Err("Choisissez des langues dans la liste.");
    }
    Ok(LANGUAGES
        .iter()
        .map(|(code, _)| *code)
        .filter(|code| codes.iter().any(|c| c == code))
        .collect())
}

/// The availability note: at most 500 characters.
pub fn parse_disponibilites(input: &str) -> Result<String, &'static str> {
    let note = input.trim();
    if note.chars().count() > MAX_DISPONIBILITES {
        return Err("Ce texte est trop long : 500 caractères au plus.");
    }
    Ok(note.to_owned())
}

/// Stored languages (space-separated codes) as a list.
pub fn split_langues(stored: &str) -> Vec<String> {
    stored.split_whitespace().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_stay_within_their_bounds() {
        assert_eq!(parse_rayon_km(" 25 "), Ok(25));
        assert!(parse_rayon_km("0").is_err());
        assert!(parse_rayon_km("101").is_err());
        let max = MAX_RADIUS_KM as i32;
        assert_eq!(parse_rayon_km(&max.to_string()), Ok(max));
        let message = parse_rayon_km(&(max + 1).to_string()).unwrap_err();
        assert!(message.contains(&format!("entre 1 et {max}")), "{message}");
        assert!(parse_rayon_km("dix").is_err());
        assert_eq!(parse_max_demandes("10"), Ok(10));
        assert!(parse_max_demandes("11").is_err());
    }

    #[test]
    fn choices_need_one_known_value() {
        assert!(parse_modes(&[]).is_err());
        assert!(parse_modes(&["pigeon".into()]).is_err());
        assert_eq!(parse_modes(&["visio".into()]).unwrap().slugs(), ["visio"]);
        assert!(parse_categories(&[]).is_err());
        assert_eq!(
            parse_langues(&["lsf".into(), "en".into()]).unwrap(),
            ["en", "lsf"]
        );
        assert!(parse_langues(&["klingon".into()]).is_err());
    }

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert!(parse_prenom("  ").is_err());
        assert_eq!(parse_nom(" "), Ok(None));
        assert!(parse_disponibilites(&"a".repeat(501)).is_err());
        assert_eq!(
            parse_disponibilites(&"é".repeat(500))
                .unwrap()
                .chars()
                .count(),
            500
        );
    }
}
