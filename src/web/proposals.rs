//! The volunteer's side of matching: the proposals they received (accept or decline) and the
//! requests they hold (with the person's contact details; solved, or given back).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Redirect;
use axum::routing::{get, post};
use chrono::Utc;
use entity::{help_request, proposal};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tower_sessions::Session;

use crate::AppState;
use crate::contact::display_fr;
use crate::dates::date_time_fr;
use crate::error::{AppError, AppResult};
use crate::matching::answers::{self, Acceptance, Unavailable};
use crate::matching::rounds;
use crate::reference::{CategorySet, ModeSet};
use crate::requests::RequestStatus;
use crate::web::auth::CurrentVolunteer;
use crate::web::layout::{FlashKind, Layout, push_flash};
use crate::web::security::no_store;
use entity::states::ProposalStatus;

/// `/benevole/propositions…` and `/benevole/demandes…`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/benevole/propositions", get(list))
        .route("/benevole/propositions/{id}", get(show))
        .route("/benevole/propositions/{id}/accepter", post(accept))
        .route("/benevole/propositions/{id}/refuser", post(decline))
        .route("/benevole/demandes", get(held))
        .route("/benevole/demandes/{id}/resolue", post(solved))
        .route("/benevole/demandes/{id}/rendre", post(give_back))
        .layer(no_store())
}

/// What a volunteer may know of a request before taking it: no contact details.
struct Summary {
    proposal_id: i64,
    prenom: String,
    commune: String,
    distance_km: String,
    categories: Vec<&'static str>,
    modes: Vec<&'static str>,
    description: Option<String>,
    expires: String,
}

fn summary(state: &AppState, p: &proposal::Model, r: &help_request::Model) -> Summary {
    Summary {
        proposal_id: p.id,
        prenom: r.prenom_proche.clone().unwrap_or_else(|| r.prenom.clone()),
        commune: state.communes.name_of(&r.commune_insee),
        distance_km: format!("{:.0}", p.distance_km.max(1.0)),
        categories: CategorySet::from_bits(r.categories).labels(),
        modes: ModeSet::from_bits(r.modes).labels(),
        description: r.description.clone(),
        expires: date_time_fr(p.expires_at, &r.departement),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "benevole/propositions.html")]
struct ListPage {
    layout: Layout,
    proposals: Vec<Summary>,
}

async fn list(
    State(state): State<AppState>,
    layout: Layout,
    CurrentVolunteer(me): CurrentVolunteer,
) -> AppResult<ListPage> {
    let open = proposal::Entity::find()
        .filter(proposal::Column::VolunteerId.eq(me.id))
        .filter(proposal::Column::Status.eq(rounds::WAITING))
        .filter(proposal::Column::ExpiresAt.gt(Utc::now()))
        .order_by_asc(proposal::Column::ExpiresAt)
        .find_also_related(help_request::Entity)
        .all(&state.db)
        .await?;
    let proposals = open
        .iter()
        .filter_map(|(p, r)| r.as_ref().map(|r| summary(&state, p, r)))
        .collect();
    Ok(ListPage { layout, proposals })
}

#[derive(Template, WebTemplate)]
#[template(path = "benevole/proposition.html")]
struct ShowPage {
    layout: Layout,
    summary: Summary,
    state: &'static str,
}

async fn show(
    State(state): State<AppState>,
    layout: Layout,
    CurrentVolunteer(me): CurrentVolunteer,
    Path(id): Path<i64>,
) -> AppResult<ShowPage> {
    let (p, r) = mine(&state, id, me.id).await?;
    let seen = p.status.as_seen(p.expires_at, Utc::now());
    let cancelled = r.status == RequestStatus::Annulee;
    let abandoned = r.status == RequestStatus::Abandonnee;
    // What the page says: the proposal's state, or why it no longer matters.
    let status = match seen {
        ProposalStatus::Declined => seen.slug(),
        _ if cancelled => RequestStatus::Annulee.slug(),
        _ if abandoned => RequestStatus::Abandonnee.slug(),
        ProposalStatus::Waiting | ProposalStatus::Expired => seen.slug(),
        ProposalStatus::Accepted if r.volunteer_id == Some(me.id) => seen.slug(),
        // Withdrawn while nobody holds the request: it changed and no longer fits them.
        ProposalStatus::Withdrawn if r.volunteer_id.is_none() => seen.slug(),
        _ => "prise",
    };
    Ok(ShowPage {
        layout,
        summary: summary(&state, &p, &r),
        state: status,
    })
}

/// The proposal `id`, if it was made to `volunteer` (any other answers "not found").
async fn mine(
    state: &AppState,
    id: i64,
    volunteer: i64,
) -> AppResult<(proposal::Model, help_request::Model)> {
    let found = proposal::Entity::find_by_id(id)
        .filter(proposal::Column::VolunteerId.eq(volunteer))
        .find_also_related(help_request::Entity)
        .one(&state.db)
        .await?;
    match found {
        Some((p, Some(r))) => Ok((p, r)),
        _ => Err(AppError::NotFound),
    }
}

async fn accept(
    State(state): State<AppState>,
    session: Session,
    CurrentVolunteer(me): CurrentVolunteer,
    Path(id): Path<i64>,
) -> AppResult<Redirect> {
    mine(&state, id, me.id).await?;
    match answers::accept(&state.db, &state.config, id, me.id).await? {
        Acceptance::Won => {
            push_flash(
                &session,
                FlashKind::Success,
                "Merci ! La demande est à vous. Les coordonnées de la personne sont ci-dessous et dans votre boîte e-mail.",
            )
            .await?;
            Ok(Redirect::to("/benevole/demandes"))
        }
        Acceptance::AlreadyTaken => {
            push_flash(
                &session,
                FlashKind::Info,
                "Cette demande a déjà été prise en charge, merci !",
            )
            .await?;
            Ok(Redirect::to(&format!("/benevole/propositions/{id}")))
        }
        Acceptance::Closed => {
            push_flash(
                &session,
                FlashKind::Info,
                "Cette proposition n'est plus ouverte.",
            )
            .await?;
            Ok(Redirect::to(&format!("/benevole/propositions/{id}")))
        }
        Acceptance::Cancelled => {
            push_flash(
                &session,
                FlashKind::Info,
                "La personne a annulé sa demande : vous n'avez rien à faire. Merci d'avoir répondu !",
            )
            .await?;
            Ok(Redirect::to(&format!("/benevole/propositions/{id}")))
        }
        Acceptance::Unavailable(reason) => {
            let message = match reason {
                Unavailable::Suspended => {
                    "Votre compte est suspendu : vous ne pouvez pas prendre de demande. L'association vous a écrit pour vous expliquer pourquoi."
                }
                Unavailable::Paused => {
                    "Vous avez mis vos propositions en pause : reprenez-les depuis votre profil pour prendre cette demande."
                }
                Unavailable::Full => {
                    "Vous aidez déjà autant de personnes que vous l'avez indiqué dans votre profil. Terminez une demande, ou augmentez ce nombre dans votre profil, pour en prendre une autre."
                }
            };
            push_flash(&session, FlashKind::Info, message).await?;
            Ok(Redirect::to(&format!("/benevole/propositions/{id}")))
        }
    }
}

async fn decline(
    State(state): State<AppState>,
    session: Session,
    CurrentVolunteer(me): CurrentVolunteer,
    Path(id): Path<i64>,
) -> AppResult<Redirect> {
    mine(&state, id, me.id).await?;
    let message = if answers::decline(&state.db, &state.config, id, me.id).await? {
        "C'est noté, merci de nous avoir répondu. Nous proposons la demande à un autre bénévole."
    } else {
        "Cette proposition n'est plus ouverte."
    };
    push_flash(&session, FlashKind::Info, message).await?;
    Ok(Redirect::to("/benevole/propositions"))
}

/// A request the volunteer holds, with the person's contact details.
struct Held {
    id: i64,
    reference: String,
    prenom: String,
    for_relative: Option<String>,
    commune: String,
    telephone: Option<String>,
    email: Option<String>,
    categories: Vec<&'static str>,
    modes: Vec<&'static str>,
    description: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "benevole/demandes.html")]
struct HeldPage {
    layout: Layout,
    requests: Vec<Held>,
}

async fn held(
    State(state): State<AppState>,
    layout: Layout,
    CurrentVolunteer(me): CurrentVolunteer,
) -> AppResult<HeldPage> {
    let rows = help_request::Entity::find()
        .filter(help_request::Column::VolunteerId.eq(me.id))
        .filter(help_request::Column::Status.eq(RequestStatus::PriseEnCharge.slug()))
        .order_by_asc(help_request::Column::UpdatedAt)
        .all(&state.db)
        .await?;
    let requests = rows
        .iter()
        .map(|r| Held {
            id: r.id,
            reference: r.reference.clone(),
            prenom: r.prenom.clone(),
            for_relative: r.prenom_proche.clone(),
            commune: state.communes.name_of(&r.commune_insee),
            telephone: r.telephone.as_deref().map(display_fr),
            email: r.email.clone(),
            categories: CategorySet::from_bits(r.categories).labels(),
            modes: ModeSet::from_bits(r.modes).labels(),
            description: r.description.clone(),
        })
        .collect();
    Ok(HeldPage { layout, requests })
}

async fn solved(
    State(state): State<AppState>,
    session: Session,
    CurrentVolunteer(me): CurrentVolunteer,
    Path(id): Path<i64>,
) -> AppResult<Redirect> {
    if !answers::mark_solved_by_volunteer(&state.db, &state.config, id, me.id).await? {
        return Err(AppError::NotFound);
    }
    push_flash(
        &session,
        FlashKind::Success,
        "Bravo, et merci pour votre aide ! La demande est marquée comme résolue.",
    )
    .await?;
    Ok(Redirect::to("/benevole/demandes"))
}

async fn give_back(
    State(state): State<AppState>,
    session: Session,
    CurrentVolunteer(me): CurrentVolunteer,
    Path(id): Path<i64>,
) -> AppResult<Redirect> {
    if !answers::give_back(&state.db, &state.config, id, me.id).await? {
        return Err(AppError::NotFound);
    }
    push_flash(&session, FlashKind::Info, "C'est noté. Nous cherchons un autre bénévole pour cette personne. Merci de nous avoir prévenus.")
        .await?;
    Ok(Redirect::to("/benevole/demandes"))
}
