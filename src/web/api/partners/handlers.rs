//! The four operations of the partner API on `/api/v1/demandes`: file a request, read one, list
//! them, cancel one. Each takes a [`PartnerCall`] (a valid key within its limit) and answers JSON,
//! or a problem (`application/problem+json`).

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

use super::auth::PartnerCall;
use super::body::parse_json;
use super::schemas::{Demande, DemandeCreee, DemandeResume, NouvelleDemande, PageDemandes};
use crate::AppState;
use crate::forms::FieldErrors;
use crate::messages::emails::follow_url;
use crate::partners::idempotency::{self, Claim};
use crate::partners::view::{self, Cursor, ListQuery, MAX_PAGE};
use crate::requests::follow::{self, Outcome};
use crate::requests::{RequestStatus, intake};
use crate::web::api::problem::{PROBLEM_JSON, Probleme};

/// The header making a retried POST safe.
const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// How many requests a page lists when `limite` is not given.
const DEFAULT_PAGE: u64 = 50;

/// File a request for someone who called.
///
/// The same fields, rules and French messages as the `/demande` form. The request belongs to the
/// key's organisation and is triaged (or opened at once) as its settings say. With an
/// `Idempotency-Key` header, a retry of the same call returns the first answer and never files a
/// second request.
#[utoipa::path(
    post,
    path = "/api/v1/demandes",
    tag = "demandes",
    operation_id = "deposer_demande",
    request_body(content = NouvelleDemande, content_type = "application/json"),
    params(
        ("Idempotency-Key" = Option<String>, Header,
         description = "Un identifiant de votre choix (1 à 255 caractères visibles) : un nouvel envoi avec la même valeur rend la première réponse."),
    ),
    responses(
        (status = 201, description = "Demande enregistrée", body = DemandeCreee,
         headers(("Location" = String, description = "L'adresse de la demande dans l'API"))),
        (status = 400, description = "Corps illisible ou en-tête incorrect", body = Probleme, content_type = "application/problem+json"),
        (status = 401, description = "Clé absente, inconnue ou révoquée", body = Probleme, content_type = "application/problem+json"),
        (status = 409, description = "Le premier envoi avec cette Idempotency-Key est en cours", body = Probleme, content_type = "application/problem+json"),
        (status = 413, description = "Corps de plus de 64 Kio", body = Probleme, content_type = "application/problem+json"),
        (status = 415, description = "Corps qui n'est pas du JSON", body = Probleme, content_type = "application/problem+json"),
        (status = 422, description = "Champs invalides (liste dans errors), ou Idempotency-Key déjà utilisée avec un autre corps", body = Probleme, content_type = "application/problem+json"),
        (status = 429, description = "Trop d'appels avec cette clé", body = Probleme, content_type = "application/problem+json",
         headers(("Retry-After" = u64, description = "Secondes à attendre"))),
    ),
    security(("cle_api" = [])),
)]
pub async fn create(
    call: PartnerCall,
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) => return Probleme::from_status(rejection.status()).into_response(),
    };
    let idempotency_key = match headers.get(IDEMPOTENCY_KEY) {
        None => None,
        Some(value) => match value.to_str() {
            Ok(key) if idempotency::is_valid_key(key) => Some(key.to_owned()),
            _ => {
                return Probleme::new(
                    StatusCode::BAD_REQUEST,
                    "L'en-tête Idempotency-Key doit compter de 1 à 255 caractères visibles, sans espace ni accent.",
                )
                .into_response();
            }
        },
    };
    let claim = match &idempotency_key {
        None => None,
        Some(key) => {
            let hash = idempotency::body_hash(&body);
            match idempotency::claim(&state.db, call.0.id(), key, &hash, Utc::now()).await {
                Ok(Claim::New(id)) => Some(id),
                Ok(Claim::Replay { status, body }) => return replay(status, body),
                Ok(Claim::Mismatch) => {
                    return Probleme::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "Cette Idempotency-Key a déjà servi pour un autre contenu : choisissez-en une nouvelle pour une nouvelle demande.",
                    )
                    .into_response();
                }
                Ok(Claim::InProgress) => {
                    return Probleme::new(
                        StatusCode::CONFLICT,
                        "Un premier envoi avec cette Idempotency-Key est en cours : réessayez dans un instant.",
                    )
                    .into_response();
                }
                Err(err) => return Probleme::from(err).into_response(),
            }
        }
    };
    let outcome = file(&state, &call, &headers, &body).await;
    let (status, json) = match &outcome {
        Ok(created) => (
            StatusCode::CREATED,
            serde_json::to_string(created).unwrap_or_default(),
        ),
        Err(problem) => (problem.status_code(), problem.to_json()),
    };
    if let Some(id) = claim {
        // A failure on our side is forgotten so that a retry does the work; any other answer
        // is the answer to every retry.
        let remembered = if status.is_server_error() {
            idempotency::release(&state.db, id).await
        } else {
            idempotency::settle(&state.db, id, status.as_u16(), &json).await
        };
        if let Err(err) = remembered {
            return Probleme::from(err).into_response();
        }
    }
    match outcome {
        Ok(created) => created_response(&created.reference, json),
        Err(problem) => problem.into_response(),
    }
}

/// Checks and stores the request of `body`.
async fn file(
    state: &AppState,
    call: &PartnerCall,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<DemandeCreee, Probleme> {
    let sent: NouvelleDemande = parse_json(headers, body)?;
    let input = sent.to_input();
    let mut errors = FieldErrors::new();
    let commune = super::commune::resolve(&state.communes, &input, &mut errors);
    let new =
        intake::validate(&input, commune, errors).map_err(|e| Probleme::invalid_fields(&e))?;
    let created = intake::create_by_partner(
        &state.db,
        &state.config,
        &new,
        call.0.id(),
        call.organisation_id(),
    )
    .await?;
    tracing::info!(
        help_request = created.request.id,
        api_key = call.0.id(),
        "help request filed through the partner API"
    );
    let status = created.request.status;
    Ok(DemandeCreee {
        reference: created.request.reference,
        statut: status.into(),
        libelle_statut: status.citizen_label().to_owned(),
        lien_suivi: follow_url(&state.config, &created.follow_secret),
    })
}

fn location(reference: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!("/api/v1/demandes/{reference}")).ok()
}

fn created_response(reference: &str, json: String) -> Response {
    let mut response = (
        StatusCode::CREATED,
        [(header::CONTENT_TYPE, "application/json")],
        json,
    )
        .into_response();
    if let Some(location) = location(reference) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// The first answer again, as it was given.
fn replay(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if status == StatusCode::CREATED {
        let reference = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["reference"].as_str().map(str::to_owned))
            .unwrap_or_default();
        return created_response(&reference, body);
    }
    (status, [(header::CONTENT_TYPE, PROBLEM_JSON)], body).into_response()
}

/// Read a request of the organisation.
///
/// Status and its label, dates, the volunteer's first name once one took it, and the timeline as
/// the person reads it. Another organisation's reference answers 404, exactly like an unknown one.
#[utoipa::path(
    get,
    path = "/api/v1/demandes/{reference}",
    tag = "demandes",
    operation_id = "lire_demande",
    params(("reference" = String, Path, description = "La référence de la demande", example = "ENT-7K3F9Q")),
    responses(
        (status = 200, description = "La demande", body = Demande),
        (status = 401, description = "Clé absente, inconnue ou révoquée", body = Probleme, content_type = "application/problem+json"),
        (status = 404, description = "Aucune demande de l'organisation ne porte cette référence", body = Probleme, content_type = "application/problem+json"),
        (status = 429, description = "Trop d'appels avec cette clé", body = Probleme, content_type = "application/problem+json",
         headers(("Retry-After" = u64, description = "Secondes à attendre"))),
    ),
    security(("cle_api" = [])),
)]
pub async fn show(
    call: PartnerCall,
    State(state): State<AppState>,
    reference: Result<Path<String>, PathRejection>,
) -> Result<Json<Demande>, Probleme> {
    let Ok(Path(reference)) = reference else {
        return Err(Probleme::not_found());
    };
    let found = view::find(&state.db, call.organisation_id(), &reference)
        .await?
        .ok_or_else(Probleme::not_found)?;
    Ok(Json(found.into()))
}

/// The list's query parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only the requests in this state (`nouvelle`, `ouverte`, `prise_en_charge`, `resolue`,
    /// `sans_benevole`, `refusee`, `annulee`, `abandonnee`).
    statut: Option<String>,
    /// Only the requests changed since this date (`2026-11-30`) or instant
    /// (`2026-11-30T09:00:00Z`).
    depuis: Option<String>,
    /// The `curseur_suivant` of the previous page.
    curseur: Option<String>,
    /// How many requests a page lists: 1 to 100 (50 when not given).
    limite: Option<String>,
}

/// List the organisation's requests.
///
/// Newest changes first. Each page gives `curseur_suivant` for the next one; requests filed or
/// changed meanwhile come before the cursor and never shift the pages that follow.
#[utoipa::path(
    get,
    path = "/api/v1/demandes",
    tag = "demandes",
    operation_id = "lister_demandes",
    params(ListParams),
    responses(
        (status = 200, description = "Une page de demandes", body = PageDemandes),
        (status = 400, description = "Paramètres illisibles", body = Probleme, content_type = "application/problem+json"),
        (status = 401, description = "Clé absente, inconnue ou révoquée", body = Probleme, content_type = "application/problem+json"),
        (status = 422, description = "Paramètre invalide (liste dans errors)", body = Probleme, content_type = "application/problem+json"),
        (status = 429, description = "Trop d'appels avec cette clé", body = Probleme, content_type = "application/problem+json",
         headers(("Retry-After" = u64, description = "Secondes à attendre"))),
    ),
    security(("cle_api" = [])),
)]
pub async fn list(
    call: PartnerCall,
    State(state): State<AppState>,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<PageDemandes>, Probleme> {
    let Ok(Query(params)) = params else {
        return Err(Probleme::new(
            StatusCode::BAD_REQUEST,
            "Les paramètres de l'adresse sont illisibles (un paramètre donné deux fois ?).",
        ));
    };
    let query = list_query(&params).map_err(|errors| Probleme::invalid_fields(&errors))?;
    let page = view::list(&state.db, call.organisation_id(), &query).await?;
    Ok(Json(PageDemandes {
        demandes: page.requests.iter().map(DemandeResume::from).collect(),
        curseur_suivant: page.next.map(|c| c.encode()),
    }))
}

/// The list's parameters, checked.
fn list_query(params: &ListParams) -> Result<ListQuery, FieldErrors> {
    let mut errors = FieldErrors::new();
    let given = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let status = given(&params.statut).and_then(|slug| {
        RequestStatus::from_slug(&slug).or_else(|| {
            let known: Vec<&str> = RequestStatus::ALL.iter().map(|s| s.slug()).collect();
            errors.add(
                "statut",
                format!("Statut inconnu. Choisissez parmi : {}.", known.join(", ")),
            );
            None
        })
    });
    let since = given(&params.depuis).and_then(|text| {
        parse_since(&text).or_else(|| {
            errors.add(
                "depuis",
                "Indiquez une date (2026-11-30) ou un instant (2026-11-30T09:00:00Z).",
            );
            None
        })
    });
    let after = given(&params.curseur).and_then(|text| {
        Cursor::decode(&text).or_else(|| {
            errors.add(
                "curseur",
                "Ce curseur n'est pas valide : reprenez le curseur_suivant de la page précédente.",
            );
            None
        })
    });
    let limit = match given(&params.limite) {
        None => DEFAULT_PAGE,
        Some(text) => match text.parse::<u64>() {
            Ok(n @ 1..=MAX_PAGE) => n,
            _ => {
                errors.add("limite", format!("Indiquez un nombre de 1 à {MAX_PAGE}."));
                DEFAULT_PAGE
            }
        },
    };
    if errors.is_empty() {
        Ok(ListQuery {
            status,
            since,
            after,
            limit,
        })
    } else {
        Err(errors)
    }
}

/// A date (midnight UTC) or an RFC 3339 instant.
fn parse_since(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|at| at.and_utc())
        })
}

/// Cancel a request: the person changed their mind.
///
/// The same as the person's own « Annuler ma demande »: waiting proposals are withdrawn and the
/// volunteer who held it is told. Cancelling a request already cancelled answers it again.
#[utoipa::path(
    post,
    path = "/api/v1/demandes/{reference}/annulation",
    tag = "demandes",
    operation_id = "annuler_demande",
    params(("reference" = String, Path, description = "La référence de la demande", example = "ENT-7K3F9Q")),
    responses(
        (status = 200, description = "La demande, annulée", body = Demande),
        (status = 401, description = "Clé absente, inconnue ou révoquée", body = Probleme, content_type = "application/problem+json"),
        (status = 404, description = "Aucune demande de l'organisation ne porte cette référence", body = Probleme, content_type = "application/problem+json"),
        (status = 409, description = "La demande est déjà terminée autrement", body = Probleme, content_type = "application/problem+json"),
        (status = 429, description = "Trop d'appels avec cette clé", body = Probleme, content_type = "application/problem+json",
         headers(("Retry-After" = u64, description = "Secondes à attendre"))),
    ),
    security(("cle_api" = [])),
)]
pub async fn cancel(
    call: PartnerCall,
    State(state): State<AppState>,
    reference: Result<Path<String>, PathRejection>,
) -> Result<Json<Demande>, Probleme> {
    let Ok(Path(reference)) = reference else {
        return Err(Probleme::not_found());
    };
    let organisation = call.organisation_id();
    let found = view::find(&state.db, organisation, &reference)
        .await?
        .ok_or_else(Probleme::not_found)?;
    let outcome = follow::cancel(&state.db, &state.config, &found.request).await?;
    let now = view::find(&state.db, organisation, &reference)
        .await?
        .ok_or_else(Probleme::not_found)?;
    if outcome == Outcome::AlreadyDone && now.request.status != RequestStatus::Annulee {
        return Err(Probleme::new(
            StatusCode::CONFLICT,
            format!(
                "Cette demande ne peut plus être annulée : elle est déjà terminée ({}).",
                now.request.status.citizen_label().to_lowercase()
            ),
        ));
    }
    Ok(Json(now.into()))
}
