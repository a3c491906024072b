//! The citizen's pages: the request form, the private follow-up page and its actions.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use sea_orm::EntityTrait;
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::contact::display_fr;
use crate::dates::date_time_fr;
use crate::error::{AppError, AppResult};
use crate::geo::{PlaceAnswer, resolve_place};
use crate::messages::emails::{Helpline, citizen_notice};
use crate::reference::{Category, CategorySet, HelpMode, Kin, LANGUAGES, ModeSet, language_label};
use crate::requests::anti_abuse::{self, Refusal};
use crate::requests::feedback::{self, Stage};
use crate::requests::follow::{self, Outcome};
use crate::requests::intake::{self, RequestInput};
use crate::requests::lookup::{self, Found};
use crate::requests::{Actor, RequestStatus};
use crate::trust_words::{CitizenNotice, NEVER_ASKS};
use crate::web::client_ip::ClientIp;
use crate::web::commune_field::CommuneField;
use crate::web::forms::FieldErrors;
use crate::web::layout::{FlashKind, Layout, push_flash};
use crate::web::security::no_store;

/// `/demande` and `/suivi/{token}…`.
pub fn router() -> Router<AppState> {
    let follow_up = Router::new()
        .route("/suivi", get(lookup_form).post(lookup))
        .route("/suivi/{token}", get(follow_page))
        .route("/suivi/{token}/annuler", get(confirm_cancel).post(cancel))
        .route("/suivi/{token}/resolue", get(confirm_solved).post(solved))
        .route(
            "/suivi/{token}/pas-regle",
            get(confirm_not_solved).post(not_solved),
        )
        .layer(no_store());
    Router::new()
        .route("/demande", get(show_form).post(submit))
        .merge(follow_up)
}

/// The follow-up page of `token`, or the page explaining a link that does not work (404).
async fn request_of(
    state: &AppState,
    layout: &Layout,
    token: &str,
) -> Result<Result<entity::help_request::Model, Response>, AppError> {
    match follow::find_by_secret(&state.db, token).await? {
        Some(request) => Ok(Ok(request)),
        None => Ok(Err((
            StatusCode::NOT_FOUND,
            DeadLinkPage {
                layout: layout.clone(),
            },
        )
            .into_response())),
    }
}

/// A follow-up link that leads nowhere: what it means and what to do.
#[derive(Template, WebTemplate)]
#[template(path = "demande/lien_inconnu.html")]
struct DeadLinkPage {
    layout: Layout,
}

/// One checkbox or option of the form.
struct Choice {
    value: &'static str,
    label: &'static str,
    detail: &'static str,
    checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "demande/formulaire.html")]
struct FormPage {
    layout: Layout,
    input: RequestInput,
    errors: FieldErrors,
    field: CommuneField,
    categories: Vec<Choice>,
    modes: Vec<Choice>,
    languages: Vec<Choice>,
    kins: Vec<Choice>,
    stamp: String,
    notice: Option<&'static str>,
}

impl FormPage {
    fn new(
        state: &AppState,
        layout: Layout,
        input: RequestInput,
        errors: FieldErrors,
        field: CommuneField,
    ) -> Self {
        let categories = Category::ALL
            .iter()
            .map(|c| Choice {
                value: c.slug(),
                label: c.label(),
                detail: c.examples(),
                checked: input.categories.iter().any(|s| s == c.slug()),
            })
            .collect();
        let modes = HelpMode::ALL
            .iter()
            .map(|m| Choice {
                value: m.slug(),
                label: mode_label(*m),
                detail: "",
                checked: input.modes.iter().any(|s| s == m.slug()),
            })
            .collect();
        let languages = LANGUAGES
            .iter()
            .map(|(code, label)| Choice {
                value: code,
                label,
                detail: "",
                checked: input.langue == *code,
            })
            .collect();
        let kins = Kin::ALL
            .iter()
            .map(|k| Choice {
                value: k.slug(),
                label: k.choice(),
                detail: "",
                checked: input.lien_proche == k.slug(),
            })
            .collect();
        let stamp = anti_abuse::form_stamp(&state.config.secret_key);
        Self {
            layout,
            input,
            errors,
            field,
            categories,
            modes,
            languages,
            kins,
            stamp,
            notice: None,
        }
    }
}

fn mode_label(mode: HelpMode) -> &'static str {
    match mode {
        HelpMode::Telephone => "Par téléphone",
        HelpMode::Visio => "Par appel vidéo (sur un ordinateur, une tablette ou un smartphone)",
        HelpMode::Presentiel => "En personne, près de chez moi",
    }
}

async fn show_form(State(state): State<AppState>, layout: Layout) -> FormPage {
    let field = CommuneField::default();
    FormPage::new(
        &state,
        layout,
        RequestInput::default(),
        FieldErrors::new(),
        field,
    )
}

async fn submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    layout: Layout,
    Form(input): Form<RequestInput>,
) -> AppResult<Response> {
    let config = &state.config;
    let mut errors = FieldErrors::new();
    let answer = resolve_place(
        &state.communes,
        &input.commune,
        input.commune_insee.as_deref(),
    );
    let field = CommuneField::default().with_answer(&input.commune, &answer);
    let commune = match &answer {
        PlaceAnswer::Resolved { commune, .. } => Some(commune.commune),
        PlaceAnswer::Choose { prompt, .. } => {
            errors.add("commune", prompt.clone());
            None
        }
        PlaceAnswer::Invalid(message) => {
            errors.add("commune", message.clone());
            None
        }
    };

    let refusal = if !input.site_web.trim().is_empty() {
        Some(Refusal::Robot)
    } else {
        anti_abuse::check_stamp(&config.secret_key, &input.debut, config.form_min_fill).err()
    };
    if let Some(refusal) = refusal {
        tracing::info!(?refusal, "request form refused by the anti-abuse checks");
        let mut page = FormPage::new(&state, layout, input, FieldErrors::new(), field);
        page.notice = Some(refusal_message(refusal));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }

    let new = match intake::validate(&input, commune, errors) {
        Ok(new) => new,
        Err(errors) => {
            let page = FormPage::new(&state, layout, input, errors, field);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };

    let submitter = anti_abuse::submitter_key(&config.secret_key, ip);
    let limited = intake::create_limited(
        &state.db,
        config,
        &new,
        submitter,
        config.requests_per_ip_per_hour,
    )
    .await?;
    let Some(created) = limited else {
        tracing::info!("request form refused: too many requests from one address");
        let mut page = FormPage::new(&state, layout, input, FieldErrors::new(), field);
        page.notice = Some(refusal_message(Refusal::TooMany));
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    };
    tracing::info!(help_request = created.request.id, "help request received");
    Ok(Redirect::to(&format!("/suivi/{}?bienvenue=1", created.follow_secret)).into_response())
}

fn refusal_message(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::TooFast | Refusal::Robot => {
            "Votre demande n'a pas encore été envoyée. Vérifiez vos réponses ci-dessous, puis appuyez de nouveau sur « Envoyer ma demande »."
        }
        Refusal::TooMany => {
            "Plusieurs demandes ont déjà été envoyées depuis cette connexion dans la dernière heure. Pour éviter les abus, \
             attendez un peu avant d'en envoyer une autre. Vos réponses sont gardées ci-dessous."
        }
    }
}

#[derive(Deserialize)]
struct FollowQuery {
    bienvenue: Option<String>,
}

/// One line of the timeline.
struct TimelineEntry {
    when: String,
    label: &'static str,
}

/// Who will call the person, once a volunteer took the request.
struct Caller {
    /// The volunteer's first name.
    name: String,
    /// « vous » or the relative's first name: who is called.
    whom: Option<String>,
    /// The number called, as read aloud; none: the volunteer writes to `email`.
    telephone: Option<String>,
    email: Option<String>,
    /// The trust word the volunteer will say, in its sentence.
    trust: Option<CitizenNotice>,
    /// « Un bénévole ne vous demandera jamais d'argent… »
    never_asks: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "demande/suivi.html")]
struct FollowPage {
    layout: Layout,
    token: String,
    welcome: bool,
    follow_url: String,
    lookup_url: String,
    reference: String,
    status: RequestStatus,
    categories: Vec<&'static str>,
    modes: Vec<&'static str>,
    commune: String,
    prenom: String,
    prenom_proche: Option<String>,
    contact: Vec<String>,
    /// Reachable by telephone only: the confirmation says there is nothing to do.
    telephone_only: Option<String>,
    /// The mobile number told each step by SMS, if any.
    sms_to: Option<String>,
    /// Reachable neither by e-mail nor by SMS (a landline): the association calls back.
    to_call_back: bool,
    description: Option<String>,
    langue: Option<&'static str>,
    timeline: Vec<TimelineEntry>,
    caller: Option<Caller>,
    helper: Option<String>,
    helpline: Option<Helpline>,
    can_cancel: bool,
    can_mark_solved: bool,
    can_say_not_solved: bool,
    feedback: Stage,
}

async fn follow_page(
    State(state): State<AppState>,
    layout: Layout,
    Path(token): Path<String>,
    Query(query): Query<FollowQuery>,
) -> AppResult<Response> {
    let request = match request_of(&state, &layout, &token).await? {
        Ok(request) => request,
        Err(page) => return Ok(page),
    };
    let status = request.status;
    let events = follow::timeline(&state.db, request.id).await?;
    let timeline = follow::citizen_timeline(&events)
        .into_iter()
        .map(|(at, label)| TimelineEntry {
            when: date_time_fr(at, &request.departement),
            label,
        })
        .collect();
    let commune = state.communes.name_of(&request.commune_insee);
    // The citizen sees the volunteer's first name only.
    let volunteer = match request.volunteer_id {
        Some(id) => entity::account::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .map(|a| a.prenom)
            .filter(|p| !p.trim().is_empty()),
        None => None,
    };
    let called_number = if request.contacter_proche {
        request.telephone_proche.as_deref()
    } else {
        request.telephone.as_deref()
    };
    let caller = match (&volunteer, status) {
        (Some(name), RequestStatus::PriseEnCharge) => {
            let whom = request
                .contacter_proche
                .then(|| request.prenom_proche.clone())
                .flatten();
            Some(Caller {
                name: name.clone(),
                trust: citizen_notice(&request, name, called_number, whom.as_deref()),
                never_asks: NEVER_ASKS,
                whom,
                telephone: called_number.map(display_fr),
                email: request.email.clone(),
            })
        }
        _ => None,
    };
    let helper = volunteer.filter(|_| status == RequestStatus::Resolue);
    let contact = [
        request.email.clone(),
        request.telephone.as_deref().map(display_fr),
    ]
    .into_iter()
    .flatten()
    .collect();
    let telephone_only = match (&request.email, &request.telephone) {
        (None, Some(telephone)) => Some(display_fr(telephone)),
        _ => None,
    };
    let helpline = crate::messages::emails::helpline(&state.db, &state.config, &request).await?;
    Ok(FollowPage {
        layout,
        follow_url: crate::messages::emails::follow_url(&state.config, &token),
        lookup_url: state.config.link("/suivi"),
        token,
        welcome: query.bienvenue.is_some(),
        reference: request.reference.clone(),
        status,
        categories: CategorySet::from_bits(request.categories).labels(),
        modes: ModeSet::from_bits(request.modes).labels(),
        commune,
        prenom: request.prenom.clone(),
        prenom_proche: request.prenom_proche.clone(),
        contact,
        telephone_only,
        sms_to: crate::messages::texts::citizen_mobile(&request).map(|n| display_fr(&n)),
        to_call_back: request.a_rappeler,
        description: request.description.clone(),
        langue: request.langue.as_deref().and_then(language_label),
        timeline,
        caller,
        helper,
        helpline,
        // What the person may do is read from the lifecycle's table.
        can_cancel: status.allows(RequestStatus::Annulee, Actor::Citoyen),
        can_mark_solved: status.allows(RequestStatus::Resolue, Actor::Citoyen),
        can_say_not_solved: follow::may_say_not_solved(&state.db, &request).await?,
        feedback: feedback::stage(&state.db, &request).await?,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "demande/annuler.html")]
struct ConfirmCancelPage {
    layout: Layout,
    token: String,
    reference: String,
}

async fn confirm_cancel(
    State(state): State<AppState>,
    layout: Layout,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let request = match request_of(&state, &layout, &token).await? {
        Ok(request) => request,
        Err(page) => return Ok(page),
    };
    let status = request.status;
    if status.is_final() {
        return Ok(Redirect::to(&format!("/suivi/{token}")).into_response());
    }
    Ok(ConfirmCancelPage {
        layout,
        token,
        reference: request.reference,
    }
    .into_response())
}

async fn cancel(
    State(state): State<AppState>,
    session: Session,
    Path(token): Path<String>,
) -> AppResult<Redirect> {
    let request = follow::find_by_secret(&state.db, &token)
        .await?
        .ok_or(AppError::NotFound)?;
    let message = match follow::cancel(&state.db, &state.config, &request).await? {
        Outcome::Done => (FlashKind::Success, "Votre demande est annulée."),
        Outcome::AlreadyDone => (
            FlashKind::Info,
            "Cette demande ne peut plus être annulée : elle est déjà terminée.",
        ),
    };
    push_flash(&session, message.0, message.1).await?;
    Ok(Redirect::to(&format!("/suivi/{token}")))
}

/// The confirmation step before "Mon problème est résolu" or "Ce n'est pas réglé".
#[derive(Template, WebTemplate)]
#[template(path = "demande/confirmer.html")]
struct ConfirmPage {
    layout: Layout,
    token: String,
    reference: String,
    /// "Mon problème est résolu" (else "Ce n'est pas réglé").
    solving: bool,
    helper: Option<String>,
}

async fn confirm_solved(
    State(state): State<AppState>,
    layout: Layout,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let request = match request_of(&state, &layout, &token).await? {
        Ok(request) => request,
        Err(page) => return Ok(page),
    };
    if request.status != RequestStatus::PriseEnCharge {
        return Ok(Redirect::to(&format!("/suivi/{token}")).into_response());
    }
    Ok(ConfirmPage {
        layout,
        token,
        reference: request.reference,
        solving: true,
        helper: None,
    }
    .into_response())
}

async fn solved(
    State(state): State<AppState>,
    session: Session,
    Path(token): Path<String>,
) -> AppResult<Redirect> {
    let request = follow::find_by_secret(&state.db, &token)
        .await?
        .ok_or(AppError::NotFound)?;
    let message = match follow::mark_solved(&state.db, &state.config, &request).await? {
        Outcome::Done => (
            FlashKind::Success,
            "Merci ! Nous sommes heureux que votre problème soit résolu.",
        ),
        Outcome::AlreadyDone => (
            FlashKind::Info,
            "Cette demande ne peut pas être marquée comme résolue pour le moment.",
        ),
    };
    push_flash(&session, message.0, message.1).await?;
    Ok(Redirect::to(&format!("/suivi/{token}")))
}

async fn confirm_not_solved(
    State(state): State<AppState>,
    layout: Layout,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let request = match request_of(&state, &layout, &token).await? {
        Ok(request) => request,
        Err(page) => return Ok(page),
    };
    if !follow::may_say_not_solved(&state.db, &request).await? {
        return Ok(Redirect::to(&format!("/suivi/{token}")).into_response());
    }
    let helper = match request.volunteer_id {
        Some(id) => entity::account::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .map(|a| a.prenom)
            .filter(|p| !p.trim().is_empty()),
        None => None,
    };
    Ok(ConfirmPage {
        layout,
        token,
        reference: request.reference,
        solving: false,
        helper,
    }
    .into_response())
}

async fn not_solved(
    State(state): State<AppState>,
    session: Session,
    Path(token): Path<String>,
) -> AppResult<Redirect> {
    let request = follow::find_by_secret(&state.db, &token)
        .await?
        .ok_or(AppError::NotFound)?;
    let message = match follow::not_solved(&state.db, &state.config, &request).await? {
        Outcome::Done => (
            FlashKind::Success,
            "C'est noté : votre demande revient à l'association, qui va chercher une solution avec vous.",
        ),
        Outcome::AlreadyDone => (
            FlashKind::Info,
            "Cette demande n'est pas marquée comme résolue : l'association la suit toujours.",
        ),
    };
    push_flash(&session, message.0, message.1).await?;
    Ok(Redirect::to(&format!("/suivi/{token}")))
}

/// `/suivi`: the way back with the reference and the telephone's last four digits.
#[derive(Template, WebTemplate)]
#[template(path = "demande/retrouver.html")]
struct LookupPage {
    layout: Layout,
    reference: String,
    notice: Option<&'static str>,
}

#[derive(Deserialize)]
struct LookupInput {
    #[serde(default)]
    reference: String,
    #[serde(default)]
    chiffres: String,
}

async fn lookup_form(layout: Layout) -> LookupPage {
    LookupPage {
        layout,
        reference: String::new(),
        notice: None,
    }
}

async fn lookup(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    layout: Layout,
    Form(input): Form<LookupInput>,
) -> AppResult<Response> {
    let found = lookup::find(
        &state.db,
        &state.config,
        &ip.to_string(),
        &input.reference,
        &input.chiffres,
        chrono::Utc::now(),
    )
    .await?;
    let (status, notice) = match found {
        Found::Page(secret) => return Ok(Redirect::to(&format!("/suivi/{secret}")).into_response()),
        Found::Nothing => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Nous n'avons pas trouvé de demande avec ce numéro et ces chiffres. Vérifiez le numéro de demande (il commence par ENT) et les 4 derniers chiffres du téléphone donné dans la demande.",
        ),
        Found::TooMany => (
            StatusCode::TOO_MANY_REQUESTS,
            "Trop d'essais pour le moment. Réessayez dans une heure, ou appelez l'association et donnez votre numéro de demande.",
        ),
    };
    Ok((
        status,
        LookupPage {
            layout,
            reference: input.reference.trim().chars().take(20).collect(),
            notice: Some(notice),
        },
    )
        .into_response())
}
