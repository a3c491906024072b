//! The commune of a request filed through the API: by INSEE code alone, or as the form reads it
//! (postcode and name, `commune_insee` choosing among several) — the form's own resolution, with
//! the candidates spelled out since a program cannot see the form's choices.

use crate::forms::FieldErrors;
use crate::geo::{Commune, CommuneKind, Communes, InseeCode, PlaceAnswer, resolve_place};
use crate::requests::intake::RequestInput;

/// How many candidates a "choose among" message lists.
const LISTED: usize = 10;

/// The commune `input` designates, or its French reason in `errors`.
pub fn resolve<'a>(
    communes: &'a Communes,
    input: &RequestInput,
    errors: &mut FieldErrors,
) -> Option<&'a Commune> {
    let typed = input.commune.trim();
    let chosen = input
        .commune_insee
        .as_deref()
        .map(str::trim)
        .filter(|code| !code.is_empty());
    if typed.is_empty() {
        let Some(code) = chosen else {
            errors.add(
                "commune",
                "Indiquez la commune : son code postal et son nom (commune), ou son code INSEE (commune_insee).",
            );
            return None;
        };
        return match InseeCode::parse(code).ok().and_then(|c| communes.get(c)) {
            Some(city) if city.kind == CommuneKind::City => {
                errors.add(
                    "commune_insee",
                    format!(
                        "{} compte plusieurs arrondissements : indiquez le code INSEE de l'arrondissement.",
                        city.nom
                    ),
                );
                None
            }
            Some(commune) => Some(commune),
            None => {
                errors.add(
                    "commune_insee",
                    "Nous ne trouvons pas ce code INSEE. Vérifiez-le.",
                );
                None
            }
        };
    }
    match resolve_place(communes, typed, chosen) {
        PlaceAnswer::Resolved { commune, .. } => Some(commune.commune),
        PlaceAnswer::Choose { prompt, candidates } => {
            let listed: Vec<String> = candidates
                .iter()
                .take(LISTED)
                .map(|f| format!("{} ({})", f.commune.nom, f.commune.insee.as_str()))
                .collect();
            errors.add(
                "commune",
                format!(
                    "{prompt} Indiquez son code INSEE dans commune_insee : {}.",
                    listed.join(", ")
                ),
            );
            None
        }
        PlaceAnswer::Invalid(message) => {
            errors.add("commune", message);
            None
        }
    }
}
