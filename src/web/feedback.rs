//! The citizen's feedback form on a resolved request, reached two ways: the link of the "Votre
//! demande est résolue" e-mail (`/avis/{token}`) and the follow-up page (`/suivi/{token}/avis`,
//! for people without e-mail). One answer per request; a thanks page afterwards.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use entity::help_request;

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::requests::feedback::{
    self, FeedbackInput, MAX_COMMENT, Recorded, SAFETY_CHOICES, Satisfaction, Solved, Stage,
};
use crate::requests::follow;
use crate::web::forms::FieldErrors;
use crate::web::layout::Layout;
use crate::web::security::no_store;
use crate::web::volunteers::form::Choice;

/// `/avis/{token}` and `/suivi/{token}/avis`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/avis/{token}", get(show_by_email).post(submit_by_email))
        .route(
            "/suivi/{token}/avis",
            get(show_by_follow).post(submit_by_follow),
        )
        .layer(no_store())
}

/// Which link led to the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Link {
    /// The e-mail's single-use feedback link.
    Email,
    /// The private follow-up page's link.
    Follow,
}

impl Link {
    async fn request(self, state: &AppState, token: &str) -> AppResult<help_request::Model> {
        let found = match self {
            Self::Email => feedback::find_by_secret(&state.db, token).await?,
            Self::Follow => follow::find_by_secret(&state.db, token).await?,
        };
        found.ok_or(AppError::NotFound)
    }

    fn form_path(self, token: &str) -> String {
        match self {
            Self::Email => format!("/avis/{token}"),
            Self::Follow => format!("/suivi/{token}/avis"),
        }
    }

    fn follow_path(self, token: &str) -> Option<String> {
        (self == Self::Follow).then(|| format!("/suivi/{token}"))
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "demande/avis.html")]
struct FormPage {
    layout: Layout,
    action: String,
    follow_path: Option<String>,
    reference: String,
    satisfactions: Vec<Choice>,
    solved: Vec<Choice>,
    /// The safety question's choices.
    safety: Vec<Choice>,
    commentaire: String,
    max_comment: usize,
    errors: FieldErrors,
}

impl FormPage {
    fn new(
        layout: Layout,
        link: Link,
        token: &str,
        request: &help_request::Model,
        input: FeedbackInput,
        errors: FieldErrors,
    ) -> Self {
        let satisfactions = Satisfaction::ALL
            .into_iter()
            .map(|s| Choice {
                value: s.slug(),
                label: s.label().to_owned(),
                checked: input.satisfaction == s.slug(),
            })
            .collect();
        let solved = Solved::ALL
            .into_iter()
            .map(|s| Choice {
                value: s.slug(),
                label: s.label().to_owned(),
                checked: input.regle == s.slug(),
            })
            .collect();
        let safety = SAFETY_CHOICES
            .into_iter()
            .map(|(value, label, _)| Choice {
                value,
                label: label.to_owned(),
                checked: input.demande_argent == value,
            })
            .collect();
        Self {
            layout,
            action: link.form_path(token),
            follow_path: link.follow_path(token),
            reference: request.reference.clone(),
            satisfactions,
            solved,
            safety,
            commentaire: input.commentaire,
            max_comment: MAX_COMMENT,
            errors,
        }
    }
}

/// A page that only says something: thanks, already received, not resolved yet.
#[derive(Template, WebTemplate)]
#[template(path = "demande/avis_info.html")]
struct InfoPage {
    layout: Layout,
    title: &'static str,
    message: String,
    follow_path: Option<String>,
}

impl InfoPage {
    fn thanks(layout: Layout, link: Link, token: &str, request: &help_request::Model) -> Self {
        Self {
            layout,
            title: "Merci pour votre avis",
            message: format!(
                "Nous avons bien reçu votre avis sur la demande {}. Il nous aide à améliorer Entraide.",
                request.reference
            ),
            follow_path: link.follow_path(token),
        }
    }

    fn already_received(
        layout: Layout,
        link: Link,
        token: &str,
        request: &help_request::Model,
    ) -> Self {
        Self {
            layout,
            title: "Votre avis est déjà enregistré",
            message: format!(
                "Nous avons déjà reçu un avis sur la demande {} : on ne peut en donner qu'un. Rien n'a été modifié.",
                request.reference
            ),
            follow_path: link.follow_path(token),
        }
    }

    fn not_resolved(layout: Layout, link: Link, token: &str) -> Self {
        Self {
            layout,
            title: "Votre avis",
            message: "Cette demande n'est pas encore résolue. Vous pourrez donner votre avis quand votre problème sera réglé.".into(),
            follow_path: link.follow_path(token),
        }
    }
}

async fn show(state: AppState, layout: Layout, link: Link, token: String) -> AppResult<Response> {
    let request = link.request(&state, &token).await?;
    Ok(match feedback::stage(&state.db, &request).await? {
        Stage::NotResolved => InfoPage::not_resolved(layout, link, &token).into_response(),
        Stage::Answered(_) => InfoPage::thanks(layout, link, &token, &request).into_response(),
        Stage::Open => FormPage::new(
            layout,
            link,
            &token,
            &request,
            FeedbackInput::default(),
            FieldErrors::new(),
        )
        .into_response(),
    })
}

async fn submit(
    state: AppState,
    layout: Layout,
    link: Link,
    token: String,
    input: FeedbackInput,
) -> AppResult<Response> {
    let request = link.request(&state, &token).await?;
    match feedback::stage(&state.db, &request).await? {
        Stage::NotResolved => {
            let page = InfoPage::not_resolved(layout, link, &token);
            return Ok((StatusCode::CONFLICT, page).into_response());
        }
        Stage::Answered(_) => {
            let page = InfoPage::already_received(layout, link, &token, &request);
            return Ok((StatusCode::CONFLICT, page).into_response());
        }
        Stage::Open => {}
    }
    let answer = match feedback::check(&input) {
        Ok(answer) => answer,
        Err(errors) => {
            let page = FormPage::new(layout, link, &token, &request, input, errors);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    Ok(
        match feedback::record(&state.db, &state.config, request.id, &answer).await? {
            Recorded::Saved => Redirect::to(&link.form_path(&token)).into_response(),
            Recorded::AlreadyReceived => (
                StatusCode::CONFLICT,
                InfoPage::already_received(layout, link, &token, &request),
            )
                .into_response(),
            Recorded::NotResolved => (
                StatusCode::CONFLICT,
                InfoPage::not_resolved(layout, link, &token),
            )
                .into_response(),
        },
    )
}

async fn show_by_email(
    State(state): State<AppState>,
    layout: Layout,
    Path(token): Path<String>,
) -> AppResult<Response> {
    show(state, layout, Link::Email, token).await
}

async fn submit_by_email(
    State(state): State<AppState>,
    layout: Layout,
    Path(token): Path<String>,
    Form(input): Form<FeedbackInput>,
) -> AppResult<Response> {
    submit(state, layout, Link::Email, token, input).await
}

async fn show_by_follow(
    State(state): State<AppState>,
    layout: Layout,
    Path(token): Path<String>,
) -> AppResult<Response> {
    show(state, layout, Link::Follow, token).await
}

async fn submit_by_follow(
    State(state): State<AppState>,
    layout: Layout,
    Path(token): Path<String>,
    Form(input): Form<FeedbackInput>,
) -> AppResult<Response> {
    submit(state, layout, Link::Follow, token, input).await
}
