//! The "where" field of forms, parsed: one text (a postcode, a name, or both) and, once the page
//! has asked, the INSEE code the person chose among the candidates. The template side is
//! `templates/partials/commune_field.html` with the web crate's `web::commune_field`.

use super::search::PlaceQuery;
use super::{Commune, CommuneKind, Communes, Found, InseeCode};

/// The most candidates offered for a name that is only the start of one.
pub const MAX_NAME_CANDIDATES: usize = 20;

const NOT_FOUND: &str =
    "Nous ne trouvons pas cette commune. Vérifiez le code postal ou l'orthographe.";
const UNKNOWN_POSTCODE: &str =
    "Nous ne trouvons pas ce code postal. Vérifiez-le, ou indiquez le nom de la commune.";

/// What the field says.
#[derive(Clone, Debug)]
pub enum PlaceAnswer<'a> {
    /// One commune: the form can go on.
    Resolved {
        /// The commune (an arrondissement in Paris, Lyon and Marseille, never the whole city).
        commune: Found<'a>,
        /// The candidates it was chosen among (empty when the text alone was enough), so that a
        /// form shown again keeps offering them with this one checked.
        among: Vec<Found<'a>>,
    },
    /// Several communes fit: the person must choose.
    Choose {
        /// The question, in French.
        prompt: String,
        /// The communes to choose from, in the order to show them.
        candidates: Vec<Found<'a>>,
    },
    /// Nothing fits; the message says why, in French.
    Invalid(String),
}

/// Reads the field: `typed` is the text, `chosen` the INSEE code picked among the candidates the
/// page offered. A choice counts only if it is one of the candidates for this very text (the text
/// may have been changed since).
pub fn resolve_place<'a>(
    communes: &'a Communes,
    typed: &str,
    chosen: Option<&str>,
) -> PlaceAnswer<'a> {
    let query = match PlaceQuery::parse(typed) {
        Ok(query) => query,
        Err(error) => return PlaceAnswer::Invalid(error.to_string()),
    };
    let (candidates, prompt) = match candidates(communes, &query) {
        Ok(Offer::One(commune)) => {
            return PlaceAnswer::Resolved {
                commune,
                among: Vec::new(),
            };
        }
        Ok(Offer::Several(candidates, prompt)) => (candidates, prompt),
        Err(message) => return PlaceAnswer::Invalid(message),
    };
    let chosen = chosen
        .and_then(|code| InseeCode::parse(code).ok())
        .and_then(|code| candidates.iter().find(|c| c.commune.insee == code).copied());
    match chosen {
        Some(commune) => PlaceAnswer::Resolved {
            commune,
            among: candidates,
        },
        None => PlaceAnswer::Choose { prompt, candidates },
    }
}

enum Offer<'a> {
    One(Found<'a>),
    Several(Vec<Found<'a>>, String),
}

fn candidates<'a>(communes: &'a Communes, query: &PlaceQuery) -> Result<Offer<'a>, String> {
    match query {
        PlaceQuery::Digits { error, .. } => Err(error.to_string()),
        PlaceQuery::Postcode(postcode) => {
            let mut found = founds(communes.with_postcode(*postcode));
            found.sort_by(|a, b| {
                (&a.commune.key, a.commune.insee).cmp(&(&b.commune.key, b.commune.insee))
            });
            let prompt =
                format!("Plusieurs communes ont le code postal {postcode} : choisissez la vôtre.");
            offer(found, prompt, UNKNOWN_POSTCODE)
        }
        PlaceQuery::PostcodeAndName(postcode, name) => {
            let matches = communes.in_postcode_named(*postcode, name);
            let whole_names = matches.iter().filter(|(exact, _)| *exact).count();
            let matching: Vec<Found> = matches
                .into_iter()
                .filter(|(exact, _)| *exact || whole_names == 0)
                .map(|(_, found)| found)
                .collect();
            if matching.is_empty() {
                let prompt = format!(
                    "Aucune commune de ce nom n'a le code postal {postcode}. \
                     Choisissez la vôtre dans la liste, ou corrigez le nom."
                );
                let all = founds(communes.with_postcode(*postcode));
                return several(all, prompt, UNKNOWN_POSTCODE);
            }
            let prompt = format!(
                "Plusieurs communes de ce nom ont le code postal {postcode} : choisissez la vôtre."
            );
            offer(matching, prompt, NOT_FOUND)
        }
        PlaceQuery::Name(name) => {
            let exact = communes.named(name);
            if let [found] = exact.as_slice()
                && found.commune.kind == CommuneKind::City
            {
                let prompt = format!(
                    "{} compte plusieurs arrondissements : choisissez le vôtre, ou indiquez votre code postal.",
                    found.commune.nom
                );
                let arrondissements = founds(communes.arrondissements(found.commune));
                return several(arrondissements, prompt, NOT_FOUND);
            }
            let exact = without_cities(exact);
            if !exact.is_empty() {
                let prompt = "Plusieurs communes portent ce nom : choisissez la vôtre.".to_owned();
                return offer(exact, prompt, NOT_FOUND);
            }
            // Cities as a whole are left out, so ask for a few more than will be shown.
            let mut starting = without_cities(communes.search(name, MAX_NAME_CANDIDATES + 3));
            starting.truncate(MAX_NAME_CANDIDATES);
            let prompt = "Choisissez votre commune dans la liste. \
                          Si elle n'y est pas, précisez le nom ou indiquez le code postal."
                .to_owned();
            several(starting, prompt, NOT_FOUND)
        }
    }
}

/// A single candidate resolves; several are offered with `prompt`; none is the error `if_none`.
fn offer<'a>(
    mut found: Vec<Found<'a>>,
    prompt: String,
    if_none: &str,
) -> Result<Offer<'a>, String> {
    match found.len() {
        1 => Ok(Offer::One(found.remove(0))),
        _ => several(found, prompt, if_none),
    }
}

/// The candidates are offered with `prompt`, even a single one (to be confirmed); none is the
/// error `if_none`.
fn several<'a>(found: Vec<Found<'a>>, prompt: String, if_none: &str) -> Result<Offer<'a>, String> {
    if found.is_empty() {
        Err(if_none.to_owned())
    } else {
        Ok(Offer::Several(found, prompt))
    }
}

fn founds(communes: Vec<&Commune>) -> Vec<Found<'_>> {
    communes.into_iter().map(Found::from).collect()
}

/// Leaves out Paris, Lyon and Marseille as a whole: a place is one of their arrondissements.
fn without_cities(mut found: Vec<Found<'_>>) -> Vec<Found<'_>> {
    found.retain(|f| f.commune.kind != CommuneKind::City);
    found
}
