//! Reading a JSON body with French problems for every way it can be wrong: not JSON at all (400),
//! not the right media type (415), a field of the wrong type or unknown (422 with the field).

use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

use crate::web::api::problem::{ErreurChamp, Probleme};

/// `body` as a `T`, or the problem to answer.
pub fn parse_json<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, Probleme> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| v == "application/json" || v.ends_with("+json"));
    if !is_json {
        return Err(Probleme::from_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Probleme::new(
            StatusCode::BAD_REQUEST,
            "Le corps de la requête est vide : envoyez un objet JSON.",
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut deserializer);
    let value = parsed.map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => data_problem(&path, &inner.to_string()),
            _ => syntax_problem(&inner),
        }
    })?;
    deserializer.end().map_err(|err| syntax_problem(&err))?;
    Ok(value)
}

fn syntax_problem(err: &serde_json::Error) -> Probleme {
    Probleme::new(
        StatusCode::BAD_REQUEST,
        format!(
            "Le corps de la requête n'est pas du JSON valide (ligne {}, colonne {}).",
            err.line(),
            err.column()
        ),
    )
}

/// A value that is JSON but not of the expected shape: the field concerned and why, in French.
fn data_problem(path: &str, message: &str) -> Probleme {
    let quoted = |after: &str| {
        message
            .split_once(after)
            .and_then(|(_, rest)| rest.strip_prefix('`'))
            .and_then(|rest| rest.split_once('`'))
            .map(|(name, _)| name.to_owned())
    };
    // The path of an unknown field already ends with its name.
    let field = |name: &str| match path {
        "." | "" => name.to_owned(),
        known if known == name || known.ends_with(&format!(".{name}")) => known.to_owned(),
        parent => format!("{parent}.{name}"),
    };
    let (champ, explanation) = if let Some(name) = quoted("unknown field ") {
        (
            field(&name),
            "Ce champ n'existe pas : voyez la documentation de l'API.".to_owned(),
        )
    } else if let Some(name) = quoted("missing field ") {
        (field(&name), "Ce champ est obligatoire.".to_owned())
    } else {
        let expected = if message.contains("expected a string") {
            "un texte"
        } else if message.contains("expected a boolean") {
            "true ou false"
        } else if message.contains("expected a sequence") {
            "une liste"
        } else if message.contains("expected struct") || message.contains("expected a map") {
            "un objet JSON"
        } else {
            "d'un autre type"
        };
        (
            path.to_owned(),
            format!("Cette valeur doit être {expected}."),
        )
    };
    if champ == "." || champ.is_empty() {
        return Probleme::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Le corps de la requête doit être un objet JSON.",
        );
    }
    let mut problem = Probleme::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "Certaines informations ne conviennent pas : voyez la liste des champs.",
    );
    problem.errors.push(ErreurChamp {
        champ,
        message: explanation,
    });
    problem
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::api::partners::schemas::NouvelleDemande;

    fn json_headers() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        headers
    }

    fn problem(body: &str) -> Probleme {
        parse_json::<NouvelleDemande>(&json_headers(), body.as_bytes()).unwrap_err()
    }

    #[test]
    fn each_wrong_body_names_its_field_in_french() {
        let unknown = problem(r#"{"prenom": "Jeanne", "age": 78}"#);
        assert_eq!(unknown.status, 422);
        assert_eq!(unknown.errors[0].champ, "age");
        let wrong_type = problem(r#"{"categories": "demarches"}"#);
        assert_eq!(wrong_type.errors[0].champ, "categories");
        assert_eq!(
            wrong_type.errors[0].message,
            "Cette valeur doit être une liste."
        );
        let nested = problem(r#"{"categories": ["demarches", 3]}"#);
        assert_eq!(nested.errors[0].champ, "categories[1]");
        assert_eq!(problem("[1, 2]").status, 422);
        assert_eq!(problem("{\"prenom\": ").status, 400);
        assert_eq!(problem("{} {}").status, 400);
        assert_eq!(problem("  ").status, 400);
    }
}
