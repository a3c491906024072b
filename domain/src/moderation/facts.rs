//! What a moderator reads about a candidate, in facts rather than formulas: « sait : appels vidéo ·
//! 5 km · aide 0 personne · nouveau (pas d'historique) · en personne : vérifié · parle arabe ».

use entity::{help_request, volunteer_profile};

use crate::matching::history::History;
use crate::reference::{Category, CategorySet, HelpMode, ModeSet, language_label};

/// A few words for a subject, to fit in a line of facts (the forms use the long labels).
pub fn short_label(category: Category) -> &'static str {
    match category {
        Category::Appareil => "ordinateur, tablette, smartphone",
        Category::Internet => "internet et applications",
        Category::Email => "e-mail",
        Category::Proches => "appels vidéo",
        Category::Demarches => "démarches en ligne",
        Category::Sante => "santé en ligne",
        Category::Emploi => "emploi",
        Category::Argent => "banque et achats en ligne",
        Category::Securite => "sécurité, arnaques",
        Category::Scolarite => "scolarité",
        Category::Documents => "imprimer, scanner",
    }
}

/// The kilometres a moderator reads (at least 1: communes are reduced to their centre).
pub fn distance_label(distance_km: f64) -> String {
    format!("{:.0} km", distance_km.max(1.0))
}

/// "aide 0 personne", "aide 2 personnes": the requests they hold now.
pub fn load_label(active: i32) -> String {
    if active > 1 {
        format!("aide {active} personnes")
    } else {
        format!("aide {active} personne")
    }
}

/// Their track record in words: new, or how many proposals they answered.
pub fn history_label(history: &History) -> String {
    if history.received == 0 {
        "nouveau (pas d'historique)".to_owned()
    } else {
        let plural = if history.received > 1 { "s" } else { "" };
        format!(
            "a répondu à {} proposition{plural} sur {}",
            history.answered, history.received
        )
    }
}

/// The facts of a candidate for `request`, in the order a moderator weighs them.
pub fn of_candidate(
    request: &help_request::Model,
    profile: Option<&volunteer_profile::Model>,
    history: &History,
    distance_km: f64,
) -> Vec<String> {
    let mut facts = Vec::new();
    if let Some(profile) = profile {
        let offered = CategorySet::from_bits(profile.categories);
        let known: Vec<&str> = CategorySet::from_bits(request.categories)
            .items()
            .into_iter()
            .filter(|c| offered.contains(*c))
            .map(short_label)
            .collect();
        if !known.is_empty() {
            facts.push(format!("sait : {}", known.join(", ")));
        }
    }
    facts.push(distance_label(distance_km));
    facts.push(load_label(history.active));
    facts.push(history_label(history));
    if let Some(profile) = profile {
        if ModeSet::from_bits(request.modes).contains(HelpMode::Presentiel) {
            let vetted = if profile.vetted_at.is_some() {
                "vérifié"
            } else {
                "non vérifié"
            };
            facts.push(format!("en personne : {vetted}"));
        }
        if let Some(code) = request.langue.as_deref()
            && profile.langues.split_whitespace().any(|l| l == code)
        {
            facts.push(match (code, language_label(code)) {
                ("lsf", _) => "pratique la LSF".to_owned(),
                (_, Some(name)) => format!("parle {name}"),
                (code, None) => format!("parle {code}"),
            });
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_and_histories_read_as_words() {
        assert_eq!(load_label(0), "aide 0 personne");
        assert_eq!(load_label(2), "aide 2 personnes");
        assert_eq!(
            history_label(&History::default()),
            "nouveau (pas d'historique)"
        );
        let seasoned = History {
            received: 4,
            answered: 3,
            ..History::default()
        };
        assert_eq!(history_label(&seasoned), "a répondu à 3 propositions sur 4");
        assert_eq!(distance_label(0.2), "1 km");
    }
}
