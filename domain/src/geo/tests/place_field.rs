//! The "where" field: what resolves at once, what asks to choose, what is refused.

use super::communes;
use crate::geo::place_field::{MAX_NAME_CANDIDATES, PlaceAnswer, resolve_place};

fn answer(typed: &str, chosen: Option<&str>) -> PlaceAnswer<'static> {
    resolve_place(communes(), typed, chosen)
}

#[track_caller]
fn resolved(typed: &str, chosen: Option<&str>) -> (String, Option<&'static str>) {
    match answer(typed, chosen) {
        PlaceAnswer::Resolved { commune, .. } => {
            (commune.commune.insee.to_string(), commune.former_name)
        }
        other => panic!("{typed}: {other:?}"),
    }
}

#[track_caller]
fn choose(typed: &str, chosen: Option<&str>) -> (String, Vec<String>) {
    match answer(typed, chosen) {
        PlaceAnswer::Choose { prompt, candidates } => (
            prompt,
            candidates
                .iter()
                .map(|c| c.commune.insee.to_string())
                .collect(),
        ),
        other => panic!("{typed}: {other:?}"),
    }
}

#[track_caller]
fn invalid(typed: &str) -> String {
    match answer(typed, None) {
        PlaceAnswer::Invalid(message) => message,
        other => panic!("{typed}: {other:?}"),
    }
}

#[test]
fn a_postcode_or_a_name_of_one_commune_resolves_at_once() {
    assert_eq!(resolved("13001", None).0, "13201");
    assert_eq!(resolved("75016", None).0, "75116");
    assert_eq!(resolved("vitry-le-francois", None).0, "51649");
    assert_eq!(resolved("51300 Vitry-le-François", None).0, "51649");
    assert_eq!(resolved("Vitry le François (51300)", None).0, "51649");
    assert_eq!(
        resolved("75016 Paris", None).0,
        "75116",
        "as on an envelope"
    );
    assert_eq!(
        resolved("Bellegarde-sur-Valserine", None),
        ("01033".to_owned(), Some("Bellegarde-sur-Valserine"))
    );
}

#[test]
fn a_postcode_of_several_communes_asks_which_in_alphabetical_order() {
    let (prompt, candidates) = choose("51300", None);
    assert_eq!(
        prompt,
        "Plusieurs communes ont le code postal 51300 : choisissez la vôtre."
    );
    assert!(candidates.len() >= 40);
    assert!(candidates.contains(&"51649".to_owned()));
    let PlaceAnswer::Choose { candidates, .. } = answer("51300", None) else {
        unreachable!()
    };
    assert!(
        candidates
            .windows(2)
            .all(|w| w[0].commune.key <= w[1].commune.key)
    );
}

#[test]
fn the_choice_resolves_only_if_it_was_offered_for_this_text() {
    match answer("51300", Some("51649")) {
        PlaceAnswer::Resolved { commune, among } => {
            assert_eq!(commune.commune.nom, "Vitry-le-François");
            assert!(among.len() >= 40, "the list stays on offer");
        }
        other => panic!("{other:?}"),
    }
    // The person changed the text after choosing: the old choice no longer counts.
    assert!(choose("51300", Some("13201")).1.len() >= 40);
    assert!(choose("51300", Some("n'importe quoi")).1.len() >= 40);
}

#[test]
fn homonyms_and_cities_ask_which() {
    let (prompt, candidates) = choose("Sainte-Colombe", None);
    assert_eq!(
        prompt,
        "Plusieurs communes portent ce nom : choisissez la vôtre."
    );
    assert!(candidates.len() >= 10, "{}", candidates.len());

    let (prompt, candidates) = choose("paris", None);
    assert!(
        prompt.starts_with("Paris compte plusieurs arrondissements"),
        "{prompt}"
    );
    assert_eq!(candidates.len(), 20);
    assert_eq!(candidates[0], "75101");
    assert_eq!(resolved("paris", Some("75116")).0, "75116");
    assert_eq!(choose("Marseille", None).1.len(), 16);
}

#[test]
fn the_start_of_a_name_offers_candidates_to_confirm() {
    let (_, candidates) = choose("Vitry-le-Fran", None);
    assert_eq!(
        candidates,
        ["51649"],
        "a single one is confirmed, not assumed"
    );
    let (_, many) = choose("saint", None);
    assert_eq!(many.len(), MAX_NAME_CANDIDATES);
    assert!(
        !choose("mars", None).1.contains(&"13055".to_owned()),
        "never a whole city"
    );
}

#[test]
fn a_name_not_under_the_postcode_offers_the_postcode_communes() {
    let (prompt, candidates) = choose("51300 Xyzzy", None);
    assert!(prompt.starts_with("Aucune commune de ce nom n'a le code postal 51300"));
    assert!(candidates.len() >= 40);
}

#[test]
fn nothing_found_says_why_in_french() {
    assert_eq!(
        invalid(" "),
        "Indiquez votre code postal ou le nom de votre commune."
    );
    assert_eq!(
        invalid("Xyzzy"),
        "Nous ne trouvons pas cette commune. Vérifiez le code postal ou l'orthographe."
    );
    assert_eq!(
        invalid("513"),
        "Un code postal compte 5 chiffres, par exemple 51300."
    );
    assert!(invalid("98000").contains("aucun département"));
    assert!(invalid("01999").starts_with("Nous ne trouvons pas ce code postal"));
    assert!(invalid("01999 Xyzzy").starts_with("Nous ne trouvons pas ce code postal"));
    assert!(invalid(&"x".repeat(200)).starts_with("Ce texte est trop long"));
}
