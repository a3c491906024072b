//! The volunteer's side of matching: the proposals they received (accept or decline) and the
//! requests they hold (with the person's contact details; solved, or given back).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::body::Bytes;
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
use crate::matching::answers::{self, Acceptance, DeclineReason, Declined, Unavailable};
use crate::matching::in_person::ways_for;
use crate::matching::rounds;
use crate::messages::emails;
use crate::reference::CategorySet;
use crate::requests::RequestStatus;
use crate::web::auth::CurrentVolunteer;
use crate::web::desk;
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
        .route(
            "/benevole/demandes/{id}/resolue",
            get(desk::confirm_solved).post(solved),
        )
        .route(
            "/benevole/demandes/{id}/rendre",
            get(desk::confirm_give_back).post(give_back),
        )
        .layer(no_store())
}

/// What a volunteer may know of a request before taking it: no contact details.
pub(crate) struct Summary {
    pub(crate) proposal_id: i64,
    pub(crate) prenom: String,
    pub(crate) commune: String,
    pub(crate) distance_km: String,
    pub(crate) categories: Vec<&'static str>,
    /// The modes this volunteer may help in.
    pub(crate) modes: Vec<&'static str>,
    /// Why in-person help is not for them, when it is not.
    pub(crate) notice: Option<String>,
    /// The language asked for.
    pub(crate) langue: &'static str,
    /// Who asked, for a relative.
    pub(crate) relative: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) expires: String,
}

/// The summary of `r` as proposed to `volunteer` through `p`.
pub(crate) async fn summary(
    state: &AppState,
    p: &proposal::Model,
    r: &help_request::Model,
    volunteer: i64,
) -> AppResult<Summary> {
    let ways = ways_for(&state.db, r, volunteer).await?;
    let prenom = emails::helped_name(r);
    Ok(Summary {
        proposal_id: p.id,
        notice: ways.notice(&prenom),
        prenom,
        commune: state.communes.name_of(&r.commune_insee),
        distance_km: format!("{:.0}", p.distance_km.max(1.0)),
        categories: CategorySet::from_bits(r.categories).labels(),
        modes: ways.labels(),
        langue: emails::language_of(r),
        relative: emails::relative_line(r),
        description: r.description.clone(),
        expires: date_time_fr(p.expires_at, &r.departement),
    })
}

/// The proposals still waiting for `volunteer`'s answer, the first to expire first.
pub(crate) async fn waiting(state: &AppState, volunteer: i64) -> AppResult<Vec<Summary>> {
    let open = proposal::Entity::find()
        .filter(proposal::Column::VolunteerId.eq(volunteer))
        .filter(proposal::Column::Status.eq(rounds::WAITING))
        .filter(proposal::Column::ExpiresAt.gt(Utc::now()))
        .order_by_asc(proposal::Column::ExpiresAt)
        .find_also_related(help_request::Entity)
        .all(&state.db)
        .await?;
    let mut proposals = Vec::with_capacity(open.len());
    for (p, r) in &open {
        if let Some(r) = r {
            proposals.push(summary(state, p, r, volunteer).await?);
        }
    }
    Ok(proposals)
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
    let proposals = waiting(&state, me.id).await?;
    Ok(ListPage { layout, proposals })
}

#[derive(Template, WebTemplate)]
#[template(path = "benevole/proposition.html")]
struct ShowPage {
    layout: Layout,
    summary: Summary,
    state: &'static str,
    /// The reasons one may give for "Je ne peux pas".
    reasons: Vec<(&'static str, &'static str)>,
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
        summary: summary(&state, &p, &r, me.id).await?,
        state: status,
        reasons: DeclineReason::ALL
            .into_iter()
            .map(|r| (r.slug(), r.label()))
            .collect(),
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

/// "Je ne peux pas", with the reason if one was ticked (`raison`; the form may be sent empty).
async fn decline(
    State(state): State<AppState>,
    session: Session,
    CurrentVolunteer(me): CurrentVolunteer,
    Path(id): Path<i64>,
    body: Bytes,
) -> AppResult<Redirect> {
    mine(&state, id, me.id).await?;
    let reason = url::form_urlencoded::parse(&body)
        .find(|(name, _)| name == "raison")
        .and_then(|(_, value)| DeclineReason::from_slug(&value));
    let outcome = answers::decline_with(&state.db, &state.config, id, me.id, reason).await?;
    let message = match outcome {
        Declined::NoLongerOpen => "Cette proposition n'est plus ouverte.",
        Declined::OthersAsked => {
            "C'est noté, merci de nous avoir répondu. Nous proposons la demande à un autre bénévole."
        }
        Declined::OthersStillAsked => {
            "C'est noté, merci de nous avoir répondu. D'autres bénévoles ont reçu cette demande en même temps que vous."
        }
        Declined::NobodyElse => {
            "C'est noté, merci de nous avoir répondu. Nous n'avons pas d'autre bénévole à qui la proposer pour l'instant : l'association va s'en occuper."
        }
        Declined::NoLongerSearching => {
            "C'est noté, merci de nous avoir répondu. Cette demande ne cherche plus de bénévole."
        }
    };
    push_flash(&session, FlashKind::Info, message).await?;
    Ok(Redirect::to("/benevole/propositions"))
}

/// A request the volunteer holds, with the person's contact details.
pub(crate) struct Held {
    pub(crate) id: i64,
    pub(crate) reference: String,
    pub(crate) prenom: String,
    pub(crate) for_relative: Option<String>,
    pub(crate) commune: String,
    pub(crate) telephone: Option<String>,
    /// The telephone as a `tel:` link.
    pub(crate) telephone_href: String,
    pub(crate) email: Option<String>,
    pub(crate) categories: Vec<&'static str>,
    /// The modes this volunteer may help in.
    pub(crate) modes: Vec<&'static str>,
    /// Why in-person help is not for them, when it is not.
    pub(crate) notice: Option<String>,
    /// The language asked for.
    pub(crate) langue: &'static str,
    pub(crate) description: Option<String>,
    /// The trust word to say at the start of the first call.
    pub(crate) word: Option<String>,
}

/// The requests `volunteer` holds, the longest held first.
pub(crate) async fn held_by(state: &AppState, volunteer: i64) -> AppResult<Vec<Held>> {
    let rows = help_request::Entity::find()
        .filter(help_request::Column::VolunteerId.eq(volunteer))
        .filter(help_request::Column::Status.eq(RequestStatus::PriseEnCharge.slug()))
        .order_by_asc(help_request::Column::UpdatedAt)
        .all(&state.db)
        .await?;
    let mut held = Vec::with_capacity(rows.len());
    for r in &rows {
        let ways = ways_for(&state.db, r, volunteer).await?;
        held.push(Held {
            id: r.id,
            reference: r.reference.clone(),
            prenom: r.prenom.clone(),
            for_relative: r.prenom_proche.clone(),
            commune: state.communes.name_of(&r.commune_insee),
            telephone: r.telephone.as_deref().map(display_fr),
            telephone_href: r
                .telephone
                .as_deref()
                .map(emails::tel_href)
                .unwrap_or_default(),
            email: r.email.clone(),
            categories: CategorySet::from_bits(r.categories).labels(),
            modes: ways.labels(),
            notice: ways.notice(&emails::helped_name(r)),
            langue: emails::language_of(r),
            description: r.description.clone(),
            word: r.mot_de_confiance.clone(),
        });
    }
    Ok(held)
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
    let requests = held_by(&state, me.id).await?;
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
    // What happens next, as it is: another volunteer asked, or nobody left.
    let nobody_left = help_request::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .is_some_and(|r| r.status == RequestStatus::SansBenevole);
    let message = if nobody_left {
        "C'est noté. Nous n'avons pas d'autre bénévole pour cette personne en ce moment : l'association va s'en occuper. Merci de nous avoir prévenus."
    } else {
        "C'est noté. Nous cherchons un autre bénévole pour cette personne. Merci de nous avoir prévenus."
    };
    push_flash(&session, FlashKind::Info, message).await?;
    Ok(Redirect::to("/benevole/demandes"))
}
