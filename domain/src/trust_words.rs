//! Le mot de confiance: a common French word drawn when a volunteer takes a request (a new one for
//! each volunteer), which both sides see and the volunteer says at the start of the first call,
//! so that the person can tell them from a scammer claiming to be "from the association".
//!
//! The list is `data/mots_de_confiance.txt`, one word a line: fruits, flowers, trees, friendly
//! animals, everyday objects — easy to say and to hear on the telephone, no homophones, nothing
//! rude, sad or frightening, no letter harder to spell than é or è (the unit tests below check it).

use std::sync::LazyLock;

use rand::seq::IndexedRandom;

/// The list as shipped, one word a line.
const LIST: &str = include_str!("../../data/mots_de_confiance.txt");

static WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    LIST.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect()
});

/// Every word that may be drawn.
pub fn words() -> &'static [&'static str] {
    &WORDS
}

/// Draws a word from the operating system's cryptographic generator (through `rand::rng`, as the
/// link tokens are), never `previous`: the word the request had before, so that a new volunteer
/// always comes with a new word.
pub fn draw(previous: Option<&str>) -> String {
    let choices: Vec<&str> = WORDS
        .iter()
        .copied()
        .filter(|word| Some(*word) != previous)
        .collect();
    choices
        .choose(&mut rand::rng())
        .map(|word| (*word).to_owned())
        .expect("the list of trust words is not empty")
}

/// What every citizen reads after the trust word.
pub const NEVER_ASKS: &str =
    "Un bénévole ne vous demandera jamais d'argent, de mot de passe ni de code bancaire.";

/// How the volunteer will first reach the person, which decides the words around the trust word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FirstContact<'a> {
    /// The volunteer calls the person who asked.
    Calls,
    /// The volunteer calls the relative the request is for (their first name).
    CallsRelative(&'a str),
    /// No telephone: the volunteer writes first.
    Writes,
}

/// The sentence that gives the citizen the trust word, cut around the word so that pages and
/// e-mails can make it stand out: `{before} « {word} ». {after}`. Accounts know no gender: the
/// volunteer is named, never « il » or « elle » (« Au début de son appel, Marie vous dira le mot
/// « tournesol ». Si la personne ne connaît pas ce mot, raccrochez. »).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitizenNotice {
    /// « Au début de son appel, Marie vous dira le mot »
    pub before: String,
    /// « tournesol »
    pub word: String,
    /// « Si la personne ne connaît pas ce mot, raccrochez. »
    pub after: String,
}

impl CitizenNotice {
    /// The notice for a request taken by `volunteer` (first name) with `word`.
    pub fn new(volunteer: &str, word: &str, contact: FirstContact<'_>) -> Self {
        let (before, after) = match contact {
            FirstContact::Calls => (
                format!("Au début de son appel, {volunteer} vous dira le mot"),
                "Si la personne ne connaît pas ce mot, raccrochez.".to_owned(),
            ),
            FirstContact::CallsRelative(relative) => (
                format!("Au début de son appel, {volunteer} dira à {relative} le mot"),
                format!("Si la personne ne connaît pas ce mot, {relative} doit raccrocher."),
            ),
            FirstContact::Writes => (
                format!("Dans son premier message, {volunteer} vous donnera le mot"),
                "Si la personne ne connaît pas ce mot, ne lui répondez pas.".to_owned(),
            ),
        };
        Self {
            before,
            word: word.to_owned(),
            after,
        }
    }

    /// The whole sentence as plain text (text e-mails, SMS).
    pub fn plain(&self) -> String {
        format!("{} « {} ». {}", self.before, self.word, self.after)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// Words a caller could hear as another word (or another spelling): none may be in the list.
    const HOMOPHONES: &[&[&str]] = &[
        &["vert", "verre", "ver", "vers"],
        &["pain", "pin", "peint"],
        &["mer", "mère", "maire"],
        &["sel", "selle", "celle"],
        &["cygne", "signe"],
        &["tente", "tante"],
        &["pouce", "pousse"],
        &["datte", "date"],
        &["amande", "amende"],
        &["balade", "ballade"],
        &["conte", "compte", "comte"],
        &["sceau", "seau", "saut", "sot"],
        &["champ", "chant"],
        &["flamant", "flamand"],
        &["faisan", "faisant"],
        &["phare", "fard"],
        &["menthe", "mente"],
        &["coussin", "cousin"],
        &["poisson", "poison"],
        &["désert", "dessert"],
        &["vallée", "valet"],
        &["cahier", "caillé"],
        &["saule", "sole"],
        &["canne", "cane"],
        &["chaine", "chêne"],
        &["reine", "renne", "rêne"],
        &["ancre", "encre"],
        &["pâte", "patte"],
        &["lupin", "lapin"],
        &["golfe", "golf"],
        &["dessin", "dessein"],
        &["plainte", "plinthe"],
    ];

    /// Words that would sound wrong on the phone from someone who says they come to help.
    const UNWELCOME: &[&str] = &[
        "orange",
        "souris",
        "bouton",
        "corbeille",
        "loup",
        "requin",
        "serpent",
        "volcan",
        "orage",
        "tigre",
        "cyprès",
        "poison",
    ];

    #[test]
    fn the_list_holds_a_few_hundred_distinct_words() {
        let words = words();
        assert!(words.len() >= 300, "{} words", words.len());
        let distinct: HashSet<_> = words.iter().collect();
        assert_eq!(distinct.len(), words.len(), "a word is listed twice");
    }

    #[test]
    fn words_are_short_lower_case_and_easy_to_spell() {
        for word in words() {
            let letters = word.chars().count();
            assert!((5..=11).contains(&letters), "{word}: {letters} letters");
            assert!(
                word.chars()
                    .all(|c| c.is_ascii_lowercase() || c == 'é' || c == 'è'),
                "{word}: only a–z, é and è"
            );
        }
    }

    #[test]
    fn no_word_sounds_like_another_or_is_unwelcome() {
        let listed: HashSet<&str> = words().iter().copied().collect();
        for group in HOMOPHONES {
            for word in *group {
                assert!(!listed.contains(word), "{word} has a homophone: {group:?}");
            }
        }
        for word in UNWELCOME {
            assert!(!listed.contains(word), "{word} is not a word to trust");
        }
    }

    #[test]
    fn no_word_begins_another() {
        // « poire » heard at the start of « poireau » would pass for it.
        for short in words() {
            for long in words() {
                assert!(
                    short == long || !long.starts_with(short),
                    "{short} begins {long}"
                );
            }
        }
    }

    #[test]
    fn the_citizen_reads_who_says_the_word_and_what_to_do_otherwise() {
        let notice = CitizenNotice::new("Marie", "tournesol", FirstContact::Calls);
        assert_eq!(
            notice.plain(),
            "Au début de son appel, Marie vous dira le mot « tournesol ». \
             Si la personne ne connaît pas ce mot, raccrochez."
        );
        let relative =
            CitizenNotice::new("Marie", "tournesol", FirstContact::CallsRelative("Jeanne"));
        assert!(
            relative
                .plain()
                .contains("Marie dira à Jeanne le mot « tournesol »")
        );
        assert!(relative.after.contains("Jeanne doit raccrocher"));
    }

    #[test]
    fn a_draw_is_a_listed_word_and_never_the_previous_one() {
        let first = draw(None);
        assert!(words().contains(&first.as_str()));
        for _ in 0..500 {
            assert_ne!(draw(Some(&first)), first);
        }
    }
}
