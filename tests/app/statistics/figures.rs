//! The dashboard's figures against the fixture, computed by hand.
//!
//! Published cells (5 requests or more): March 2025 in the Marne (R1–R7, all erased by retention
//! by now) and October 2026 in the Marne (S1–S5). U1 (Marne, September 2026) and T1–T2 (Ardennes,
//! March 2025) are secret cells: they count nowhere on the public page.
//!
//! - received 7 + 5 = 12; validated 6 (all but R5) + 4 (all but S4) = 10; taken 5 + 4 = 9;
//!   resolved 5 (R1–R4, R7) + 2 (S2, S3) = 7; ever without volunteer 1 (R3); refused 1 + 1 = 2;
//!   cancelled 1 (R6).
//! - validation → acceptance: R 10, 4, 120, 10, 2 h and S 6, 2, 8, 4 h: nine values
//!   2 2 4 4 6 8 10 10 120, median (5th) 6 h, 90th percentile (9th) 120 h.
//! - acceptance → resolution: R 24, 24, 24 (after R3's second acceptance), 48, 5 h and S 24, 12 h:
//!   5 12 24 24 24 24 48, median (4th) 24 h, 90th percentile (7th) 48 h.
//! - opinions 4 + 1 = 5: satisfied R1, R3, S2 = 3 (60 %); solved R1, R3, S2 = 3 (60 %).
//! - without e-mail 1 (R4) of 12 = 8 %; telephone 5 + 4 = 9 (75 %), video 2 + 1 = 3 (25 %), in
//!   person 1 (8 %).
//! - by category, only published cells: `sante` in March 2025 (R1, R2, R3, R5, R7) = 5; the
//!   others are secret everywhere.

use axum::http::StatusCode;
use entity::help_request;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::{WHOLE, app_with_fixture, dashboard, figure, table_row};
use crate::staff::logged_in_moderator;

#[tokio::test]
async fn statistics_dashboard_shows_the_hand_computed_figures_of_france() {
    let (app, _) = app_with_fixture().await;
    let erased = help_request::Entity::find()
        .filter(help_request::Column::ErasedAt.is_not_null())
        .count(&app.db)
        .await
        .unwrap();
    assert!(
        erased >= 9,
        "the 2025 requests were erased by retention ({erased})"
    );

    let html = dashboard(&app, WHOLE).await;
    for (label, expected) in [
        ("Demandes reçues", 12),
        ("Demandes validées (ouvertes aux bénévoles)", 10),
        ("Demandes prises en charge par un bénévole", 9),
        ("Demandes résolues", 7),
        ("Demandes restées sans bénévole", 1),
        ("Demandes refusées", 2),
        ("Demandes annulées", 1),
        ("Associations et organismes actifs sur ce territoire", 2),
    ] {
        assert_eq!(figure(&html, label), expected, "{label}");
    }
    assert_eq!(
        table_row(&html, "De la validation de la demande"),
        ["6 h", "5 j 0 h"]
    );
    assert_eq!(
        table_row(&html, "De l&#39;accord du bénévole"),
        ["24 h", "2 j 0 h"]
    );
    assert_eq!(table_row(&html, "Personnes satisfaites"), ["3", "60 %"]);
    assert_eq!(table_row(&html, "« Le problème est réglé »"), ["3", "60 %"]);
    assert_eq!(table_row(&html, "Avis reçus"), ["5", ""]);
    assert_eq!(table_row(&html, "Demandes sans e-mail"), ["1", "8 %"]);
    assert_eq!(
        table_row(&html, "Aide acceptée par téléphone"),
        ["9", "75 %"]
    );
    assert_eq!(
        table_row(&html, "Aide acceptée en appel vidéo"),
        ["3", "25 %"]
    );
    assert_eq!(table_row(&html, "Aide acceptée en personne"), ["1", "8 %"]);
    assert_eq!(table_row(&html, "mars 2025"), ["7", "5"]);
    assert_eq!(table_row(&html, "septembre 2026"), ["0", "0"]);
    assert_eq!(table_row(&html, "octobre 2026"), ["5", "2"]);
    assert_eq!(table_row(&html, "Santé en ligne"), ["5"]);
    assert_eq!(table_row(&html, "Faire une démarche administrative"), ["0"]);
    assert_eq!(table_row(&html, "Marne (51)"), ["12", "0,21", "8 %"]);
    assert_eq!(table_row(&html, "Ardennes (08)"), ["0", "—", "—"]);
    // Every chart is an SVG with a title, and the page needs no script.
    assert_eq!(html.matches("<svg class=\"graphique\"").count(), 2);
    assert_eq!(html.matches("<svg class=\"carte\"").count(), 1);
    assert!(html.contains("<title id=\"carte-titre\">"));
    assert!(!html.contains("<script"));
    assert!(html.contains("CC BY 4.0"));
    assert!(html.contains("Licence Ouverte"));
}

#[tokio::test]
async fn statistics_of_a_departement_and_a_month_count_only_them() {
    let (app, _) = app_with_fixture().await;
    let html = dashboard(&app, "zone=51&du=2026-10&au=2026-10").await;
    assert_eq!(figure(&html, "Demandes reçues"), 5);
    assert_eq!(figure(&html, "Demandes résolues"), 2);
    assert_eq!(figure(&html, "Bénévoles inscrits sur la période"), 2);
    assert_eq!(
        figure(
            &html,
            "Bénévoles actifs (ont répondu à une proposition sur la période)"
        ),
        1
    );
    assert_eq!(
        figure(&html, "Associations et organismes actifs sur ce territoire"),
        1
    );
    assert!(html.contains("Marne (51), octobre 2026"));
    // Four take-up delays only (S1, S2, S3, S5): under the threshold, not published.
    assert_eq!(
        table_row(&html, "De la validation de la demande"),
        ["non publié", "non publié"]
    );
    let region = dashboard(&app, "zone=r44&du=2025-03&au=2025-03").await;
    assert_eq!(figure(&region, "Demandes reçues"), 7);
    assert!(region.contains("Grand Est, mars 2025"));
}

#[tokio::test]
async fn statistics_for_a_moderator_count_their_organisation_without_blanks() {
    let (app, fixture) = app_with_fixture().await;
    logged_in_moderator(&app, fixture.organisation_a).await;
    let response = app
        .server
        .get(&format!("/moderation/statistiques?{WHOLE}"))
        .await;
    response.assert_status_ok();
    assert_eq!(
        response.header("cache-control").to_str().unwrap(),
        "no-store"
    );
    let html = response.text();
    // R1–R7, S1–S5 and U1 (secret for the public), never the Ardennes' T1 and T2.
    assert_eq!(figure(&html, "Demandes reçues"), 13);
    assert_eq!(figure(&html, "Demandes résolues"), 8);
    assert_eq!(table_row(&html, "septembre 2026"), ["1", "1"]);
    assert_eq!(table_row(&html, "Ardennes (08)"), ["0", "—", "—"]);
    assert_eq!(table_row(&html, "Faire une démarche administrative"), ["2"]);
    assert!(!html.contains("Secret statistique."));
}

#[tokio::test]
async fn statistics_for_staff_need_a_login() {
    let app = crate::helpers::spawn_app().await;
    let response = app.server.get("/moderation/statistiques").await;
    response.assert_status(StatusCode::SEE_OTHER);
    assert!(
        response
            .header("location")
            .to_str()
            .unwrap()
            .starts_with("/connexion")
    );
}

#[tokio::test]
async fn statistics_page_works_before_the_first_roll_up() {
    let app = crate::helpers::spawn_app().await;
    let html = dashboard(&app, "").await;
    assert!(html.contains("pas encore été calculés"));
    assert_eq!(figure(&html, "Demandes reçues"), 0);
    let (header, rows) = super::open_data_csv(&app).await;
    assert_eq!(header[0], "mois");
    assert!(rows.is_empty());

    // The next roll-up replaces what the page kept in memory.
    super::fixture::write_all(&app).await;
    app.run_due_jobs(chrono::Utc::now()).await;
    let html = dashboard(&app, WHOLE).await;
    assert_eq!(figure(&html, "Demandes reçues"), 12);
    assert!(!html.contains("pas encore été calculés"));
}
