//! `GET /api/v1/communes?q=…&limit=…`: the communes for a postcode, the start of one, or the start
//! of a name, best first. The suggestions of the "where" field use it.
//!
//! Each commune is `{"insee", "nom", "ancien_nom", "type", "postcodes", "departement", "lat", "lon"}`;
//! `ancien_nom` is the former commune the name matched (else `null`), `type` is `commune`,
//! `arrondissement` or `ville_arrondissements` (Paris, Lyon, Marseille as a whole: not a place to
//! store, choose an arrondissement).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Json, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::geo::{
    CommuneKind, DepartementCode, Found, InseeCode, MAX_QUERY_CHARS, PlaceQuery, Postcode,
    QueryError,
};

/// How many communes are given when `limit` is not set.
const DEFAULT_LIMIT: usize = 10;
/// The most communes one call can ask for.
const MAX_LIMIT: usize = 50;

/// The parameters of a search.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Params {
    /// A postcode, the start of one, or the start of a commune's name.
    #[serde(default)]
    q: String,
    /// How many communes at most: 1 to 50 (10 when not given).
    limit: Option<usize>,
}

/// One commune found, as the OpenAPI document describes [`CommuneJson`].
#[derive(Serialize, ToSchema)]
#[schema(as = Commune)]
pub struct CommuneSchema {
    /// Its INSEE code.
    #[schema(example = "51454")]
    insee: String,
    #[schema(example = "Reims")]
    nom: String,
    /// The former commune the name matched, if any.
    ancien_nom: Option<String>,
    /// `commune`, `arrondissement` or `ville_arrondissements` (Paris, Lyon, Marseille as a whole).
    #[serde(rename = "type")]
    #[schema(example = "commune")]
    kind: String,
    postcodes: Vec<String>,
    #[schema(example = "51")]
    departement: String,
    lat: f64,
    lon: f64,
}

#[derive(Serialize)]
struct CommuneJson<'a> {
    insee: InseeCode,
    nom: &'a str,
    ancien_nom: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'static str,
    postcodes: &'a [Postcode],
    departement: DepartementCode,
    lat: f64,
    lon: f64,
}

impl<'a> From<&Found<'a>> for CommuneJson<'a> {
    fn from(found: &Found<'a>) -> Self {
        let commune = found.commune;
        Self {
            insee: commune.insee,
            nom: &commune.nom,
            ancien_nom: found.former_name,
            kind: match commune.kind {
                CommuneKind::Commune => "commune",
                CommuneKind::Arrondissement => "arrondissement",
                CommuneKind::City => "ville_arrondissements",
            },
            postcodes: &commune.postcodes,
            departement: commune.departement,
            lat: commune.point.lat,
            lon: commune.point.lon,
        }
    }
}

/// Find communes by postcode or name.
///
/// The communes for a postcode, the start of one, or the start of a name, best first.
#[utoipa::path(
    get,
    path = "/api/v1/communes",
    tag = "communes",
    operation_id = "chercher_communes",
    params(Params),
    responses(
        (status = 200, description = "Les communes trouvées, les meilleures d'abord", body = Vec<CommuneSchema>),
        (status = 400, description = "Paramètre q absent ou trop long, ou limit hors bornes"),
    ),
)]
pub async fn communes(
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> AppResult<Response> {
    let query = PlaceQuery::parse(&params.q).map_err(|error| {
        AppError::BadRequest(match error {
            QueryError::Empty => {
                "Le paramètre q est obligatoire : un code postal ou le début d'un nom de commune."
                    .to_owned()
            }
            QueryError::TooLong => {
                format!("Le paramètre q ne doit pas dépasser {MAX_QUERY_CHARS} caractères.")
            }
        })
    })?;
    let limit = match params.limit {
        None => DEFAULT_LIMIT,
        Some(limit @ 1..=MAX_LIMIT) => limit,
        Some(_) => {
            return Err(AppError::BadRequest(format!(
                "Le paramètre limit doit être compris entre 1 et {MAX_LIMIT}."
            )));
        }
    };
    let found = state.communes.suggest(&query, limit);
    let communes: Vec<CommuneJson> = found.iter().map(CommuneJson::from).collect();
    Ok(Json(communes).into_response())
}
