//! The moderators' export of their queue as CSV: their filters, their organisation's requests only,
//! contact details only when asked for, and an audit entry each time.

use axum::http::StatusCode;

use super::app_with_fixture;
use crate::kit;
use crate::staff::logged_in_moderator;

async fn references(
    app: &crate::helpers::TestApp,
    names: &[&str],
    fixture: &super::fixture::Fixture,
) -> Vec<String> {
    let mut refs = Vec::new();
    for name in names {
        refs.push(kit::request(app, fixture.id(name)).await.reference);
    }
    refs
}

#[tokio::test]
async fn statistics_export_lists_only_the_moderators_organisation_with_contacts_when_asked() {
    let (app, fixture) = app_with_fixture().await;
    let moderator = logged_in_moderator(&app, fixture.organisation_a).await;
    let queue = app.server.get("/moderation").await.text();
    assert!(queue.contains("Exporter (CSV)"));
    assert!(queue.contains("Avec coordonnées"));

    let response = app
        .server
        .post("/moderation/export")
        .form(&[("statut", "toutes"), ("coordonnees", "oui")])
        .await;
    response.assert_status(StatusCode::OK);
    assert_eq!(
        response.header("cache-control").to_str().unwrap(),
        "no-store"
    );
    assert!(
        response
            .header("content-disposition")
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let body = response.text();
    let body = body.trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(&header[header.len() - 2..], ["email", "telephone"]);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 13, "R1–R7, S1–S5, U1");
    for reference in references(&app, &["T1", "T2"], &fixture).await {
        assert!(
            !body.contains(&reference),
            "another organisation's request never appears"
        );
    }
    for reference in references(&app, &["R1", "S1", "U1"], &fixture).await {
        assert!(body.contains(&reference));
    }
    assert!(body.contains("s1@example.org"));
    assert!(!body.contains("t1@example.org"));
    assert!(
        !body.contains("r1@example.org"),
        "erased requests have no contact left"
    );

    let entries = kit::audit_entries_for_action(&app, "demandes.exporter").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor_id, Some(moderator.id));
    assert_eq!(entries[0].organisation_id, Some(fixture.organisation_a));
    let details = entries[0].details.clone().unwrap();
    assert!(
        details.contains("13 demande(s), avec coordonnées"),
        "{details}"
    );
}

#[tokio::test]
async fn statistics_export_without_the_choice_has_no_contacts_and_keeps_the_filters() {
    let (app, fixture) = app_with_fixture().await;
    logged_in_moderator(&app, fixture.organisation_a).await;
    let response = app
        .server
        .post("/moderation/export")
        .form(&[("statut", "toutes"), ("categorie", "appareil")])
        .await;
    response.assert_status(StatusCode::OK);
    let body = response.text();
    assert!(!body.contains("@example.org"));
    assert!(!body.contains("email"));
    assert!(!body.contains("+33"));
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 2, "the header and S3 only: {body}");
    let s3 = references(&app, &["S3"], &fixture).await;
    assert!(lines[1].starts_with(&s3[0]));
    let entries = kit::audit_entries_for_action(&app, "demandes.exporter").await;
    assert!(
        entries[0]
            .details
            .as_deref()
            .unwrap()
            .contains("sans coordonnées")
    );
    assert!(entries[0].details.as_deref().unwrap().contains("appareil"));
}

#[tokio::test]
async fn statistics_export_of_the_other_organisation_never_shows_the_first() {
    let (app, fixture) = app_with_fixture().await;
    logged_in_moderator(&app, fixture.organisation_b).await;
    let body = app
        .server
        .post("/moderation/export")
        .form(&[("statut", "toutes"), ("coordonnees", "oui")])
        .await
        .text();
    for reference in references(&app, &["R1", "S1", "S2", "U1"], &fixture).await {
        assert!(!body.contains(&reference));
    }
    assert_eq!(body.lines().count(), 3, "the header, T1 and T2");
}

#[tokio::test]
async fn statistics_export_needs_a_staff_login() {
    let (app, _) = app_with_fixture().await;
    let response = app
        .server
        .post("/moderation/export")
        .form(&[("statut", "toutes"), ("coordonnees", "oui")])
        .await;
    assert_ne!(response.status_code(), StatusCode::OK);
    assert!(!response.text().contains("@example.org"));
}
