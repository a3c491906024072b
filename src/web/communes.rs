//! "Trouver ma commune": a public page that tells which commune a postcode or a name is, and the
//! first user of the "where" field ([`crate::web::commune_field`]).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use serde::Deserialize;

use crate::AppState;
use crate::geo::resolve_place;
use crate::web::commune_field::CommuneField;
use crate::web::layout::Layout;

/// The page's route.
pub fn router() -> Router<AppState> {
    Router::new().route("/commune", get(find))
}

#[derive(Deserialize)]
struct FindQuery {
    commune: Option<String>,
    commune_insee: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "communes/trouver.html")]
struct FindPage {
    layout: Layout,
    field: CommuneField,
}

async fn find(
    State(state): State<AppState>,
    layout: Layout,
    Query(query): Query<FindQuery>,
) -> FindPage {
    let field = CommuneField::default();
    let field = match &query.commune {
        None => field,
        Some(typed) => {
            let answer = resolve_place(&state.communes, typed, query.commune_insee.as_deref());
            field.with_answer(typed, &answer)
        }
    };
    FindPage { layout, field }
}
