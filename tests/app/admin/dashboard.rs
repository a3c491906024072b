//! `/admin`: the home page links to each section with its counts.

use entraide::audit::AuditActor;

use crate::helpers::spawn_app_with;
use crate::staff::{add_organisation, add_staff, logged_in_admin};

#[tokio::test]
async fn the_admin_home_counts_what_each_section_holds() {
    let app = spawn_app_with(|c| c.workers = false).await;
    logged_in_admin(&app).await;
    add_organisation(&app, "Marne Solidaire", "51", false).await;
    add_organisation(&app, "Aube Numérique", "10", false).await;
    let old = add_organisation(&app, "Ancienne", "08", false).await;
    entraide::admin::organisations::set_active(&app.db, AuditActor::CommandLine, old.id, false)
        .await
        .unwrap();
    add_staff(&app, "moderateur", "Paul").await;
    app.server
        .post("/admin/moderateurs/inviter")
        .form(&[
            ("prenom", "Julie"),
            ("email", "julie@exemple.fr"),
            ("organisation", &old.id.to_string()),
        ])
        .await;
    app.server
        .post("/admin/moderateurs/inviter")
        .form(&[
            ("prenom", "Léa"),
            ("email", "lea@exemple.fr"),
            ("organisation", "0"),
        ])
        .await;

    let page = app.server.get("/admin").await;
    page.assert_status_ok();
    let html = page.text();
    assert!(html.contains("2 actives, 1 désactivée."), "{html}");
    assert!(
        html.contains("1 modérateur."),
        "refused invitations add nobody: {html}"
    );
    assert!(html.contains("0 en échec, 0 en attente"), "{html}");
    assert!(html.contains("1 action enregistrée."), "{html}");
    for section in [
        "/admin/organisations",
        "/admin/moderateurs",
        "/admin/emails",
        "/admin/journal",
    ] {
        assert!(html.contains(&format!(r#"href="{section}""#)), "{section}");
    }

    let marne = add_organisation(&app, "Reims Connecté", "51", false).await;
    app.server
        .post("/admin/moderateurs/inviter")
        .form(&[
            ("prenom", "Julie"),
            ("email", "julie@exemple.fr"),
            ("organisation", &marne.id.to_string()),
        ])
        .await;
    let html = app.server.get("/admin").await.text();
    assert!(html.contains("2 modérateurs, dont 1 qui n"), "{html}");
    assert!(
        html.contains("a pas encore choisi de mot de passe"),
        "{html}"
    );
    assert!(
        html.contains("0 en échec, 1 en attente"),
        "the invitation waits: {html}"
    );
}
