//! The queue: oldest first, filters by status, category, département and age, counts per status,
//! the priority and call-back badges, pagination keeping the filters.

use chrono::{Duration, Utc};
use entity::states::RequestStatus;
use entity::{help_request, request_event};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::fixtures::{Ask, act, ask, marne_request, readable, setup};
use crate::helpers::TestApp;
use crate::kit;

/// Charleville-Mézières (Ardennes, 08), also in the Marne's organisation's territory.
const CHARLEVILLE: (&str, &str, f64, f64) = ("08105", "08", 49.7621, 4.7263);

async fn queue(app: &TestApp, query: &str) -> String {
    let response = app.server.get(&format!("/moderation{query}")).await;
    response.assert_status_ok();
    readable(&response.text())
}

/// The queue's line of the request `reference` (panics if it is not listed).
fn line<'a>(page: &'a str, reference: &str) -> &'a str {
    let start = page
        .find(&format!(">{reference}</a>"))
        .unwrap_or_else(|| panic!("{reference} is listed"));
    let end = page[start..].find("</tr>").unwrap() + start;
    &page[start..end]
}

fn listed(page: &str) -> usize {
    page.matches("scope=\"row\"").count()
}

/// Makes the request look `days` old.
async fn age(app: &TestApp, id: i64, days: i64) {
    let then = Utc::now() - Duration::days(days);
    help_request::Entity::update_many()
        .col_expr(help_request::Column::CreatedAt, Expr::value(then))
        .filter(help_request::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
    request_event::Entity::update_many()
        .col_expr(request_event::Column::At, Expr::value(then))
        .filter(request_event::Column::RequestId.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_queue_filters_counts_and_flags_what_to_do_first() {
    let s = setup().await;
    let app = &s.app;
    let old = marne_request(app).await;
    age(app, old.id, 3).await;
    let by_phone = ask(
        app,
        Ask {
            prenom: "Marcel",
            email: None,
            categories: &["email"],
            ..Ask::default()
        },
    )
    .await;
    let ardennes = ask(
        app,
        Ask {
            place: CHARLEVILLE,
            prenom: "Lucie",
            ..Ask::default()
        },
    )
    .await;
    // Validated with no volunteer anywhere: without volunteer, for 3 days.
    let stuck = marne_request(app).await;
    act(app, stuck.id, "valider", &[]).await;
    assert_eq!(
        kit::request(app, stuck.id).await.status,
        RequestStatus::SansBenevole
    );
    age(app, stuck.id, 3).await;
    let fresh_stuck = marne_request(app).await;
    act(app, fresh_stuck.id, "valider", &[]).await;

    let page = queue(app, "").await;
    assert_eq!(listed(&page), 5);
    assert!(
        page.find(&old.reference).unwrap() < page.find(&by_phone.reference).unwrap(),
        "oldest first"
    );
    assert!(line(&page, &old.reference).contains("À traiter en priorité"));
    assert!(line(&page, &stuck.reference).contains("À traiter en priorité"));
    assert!(!line(&page, &fresh_stuck.reference).contains("À traiter en priorité"));
    assert!(!line(&page, &ardennes.reference).contains("À traiter en priorité"));
    assert!(line(&page, &by_phone.reference).contains("À rappeler"));
    assert!(!line(&page, &ardennes.reference).contains("À rappeler"));
    assert!(line(&page, &ardennes.reference).contains("Charleville-Mézières"));
    assert!(line(&page, &old.reference).contains("3 jours"));
    assert!(page.contains(&format!("href=\"/moderation/demandes/{}\"", old.id)));
    assert!(page.contains("En attente de validation : <strong>3</strong>"));
    assert!(page.contains("Aucun bénévole trouvé : <strong>2</strong>"));

    let page = queue(app, "?statut=nouvelle").await;
    assert_eq!(listed(&page), 3);
    assert!(!page.contains(&stuck.reference));
    assert!(
        page.contains("Aucun bénévole trouvé : <strong>2</strong>"),
        "counts ignore the status filter"
    );

    let page = queue(app, "?categorie=email").await;
    assert_eq!(listed(&page), 1);
    assert!(page.contains(&by_phone.reference));
    assert!(page.contains("En attente de validation : <strong>1</strong>"));
    assert!(page.contains("Aucun bénévole trouvé : <strong>0</strong>"));

    let page = queue(app, "?departement=08").await;
    assert_eq!(listed(&page), 1);
    assert!(page.contains(&ardennes.reference));
    assert!(
        page.contains("Ardennes (08)"),
        "the département filter offers it"
    );

    let page = queue(app, "?age=48h").await;
    assert_eq!(listed(&page), 2);
    assert!(page.contains(&old.reference) && page.contains(&stuck.reference));
    assert_eq!(listed(&queue(app, "?age=7j").await), 0);

    let page = queue(app, "?statut=sans_benevole&age=48h").await;
    assert_eq!(listed(&page), 1);
    assert!(page.contains(&stuck.reference));
}

#[tokio::test]
async fn finished_requests_leave_the_default_queue_but_can_be_listed() {
    let s = setup().await;
    let app = &s.app;
    let refused = marne_request(app).await;
    act(app, refused.id, "refuser", &[("motif", "doublon")]).await;
    let page = queue(app, "").await;
    assert!(!page.contains(&refused.reference));
    assert!(page.contains("Refusée : <strong>1</strong>"));
    assert!(
        queue(app, "?statut=toutes")
            .await
            .contains(&refused.reference)
    );
    assert!(
        queue(app, "?statut=refusee")
            .await
            .contains(&refused.reference)
    );
}

#[tokio::test]
async fn the_queue_shows_25_requests_a_page_and_keeps_the_filters_across_pages() {
    let s = setup().await;
    let app = &s.app;
    let mut references = Vec::new();
    for _ in 0..27 {
        references.push(marne_request(app).await.reference);
    }
    ask(
        app,
        Ask {
            categories: &["email"],
            ..Ask::default()
        },
    )
    .await;

    let first = queue(app, "?categorie=demarches").await;
    assert_eq!(listed(&first), 25);
    assert!(first.contains(&references[0]) && first.contains(&references[24]));
    assert!(!first.contains(&references[25]));
    assert!(first.contains("Page 1 sur 2"));
    let pager = &first[first.find("class=\"pagination\"").unwrap()..];
    assert!(
        first.contains("href=\"/moderation?categorie=demarches&page=2\""),
        "{pager}"
    );

    let second = queue(app, "?categorie=demarches&page=2").await;
    assert_eq!(listed(&second), 2);
    assert!(second.contains(&references[25]) && second.contains(&references[26]));
    assert!(second.contains("href=\"/moderation?categorie=demarches\""));
    assert!(!second.contains("Page suivante"));
    assert!(second.contains("27 demandes"));
}
