//! The admin's desk: a confirmation step before deactivating an organisation or removing a
//! moderator; the latest e-mails, searchable by address or reference, to answer "je n'ai rien
//! reçu"; « Renvoyer l'invitation » for a moderator who has not chosen a password yet.

use axum::http::StatusCode;
use entity::outbox_email;
use entraide::mail::outbox;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::log_out;
use crate::accounts::{account_of, link_in};
use crate::helpers::{spawn_app, spawn_app_with};
use crate::kit;
use crate::moderation::fixtures::readable;
use crate::moderation_volunteers::fixtures::{REIMS, add_request};
use crate::staff::{add_membership, add_organisation, add_staff, logged_in_admin};

#[tokio::test]
async fn deactivating_and_removing_ask_for_a_confirmation_first() {
    let app = spawn_app().await;
    logged_in_admin(&app).await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let paul = add_staff(&app, "moderateur", "Paul").await;
    add_membership(&app, marne.id, paul.id).await;

    let list = readable(&app.server.get("/admin/organisations").await.text());
    let off = format!("/admin/organisations/{}/desactiver", marne.id);
    assert!(
        list.contains(&format!("<a href=\"{off}\">Désactiver")),
        "a link to the confirmation, not a button that acts at once"
    );
    let confirm = app.server.get(&off).await;
    confirm.assert_status_ok();
    let confirm = readable(&confirm.text());
    assert!(confirm.contains("Désactiver « Marne Solidaire » ?"));
    assert!(confirm.contains(&format!("<form method=\"post\" action=\"{off}\">")));
    assert!(confirm.contains("Oui, désactiver « Marne Solidaire »"));
    assert!(confirm.contains("Non, revenir en arrière"));
    assert!(
        confirm.contains("class=\"confirmation-boutons\""),
        "the buttons stand apart"
    );
    assert!(
        kit::audit_entries_for_action(&app, "organisation.desactiver")
            .await
            .is_empty(),
        "asking changes nothing"
    );
    app.server
        .post(&off)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        kit::audit_entries_for_action(&app, "organisation.desactiver")
            .await
            .len(),
        1
    );

    let remove = format!(
        "/admin/moderateurs/{}/organisations/{}/retirer",
        paul.id, marne.id
    );
    let list = readable(&app.server.get("/admin/moderateurs").await.text());
    assert!(list.contains(&format!("href=\"{remove}\"")));
    let confirm = readable(&app.server.get(&remove).await.text());
    assert!(confirm.contains("Retirer Paul de « Marne Solidaire » ?"));
    assert!(confirm.contains("Oui, retirer Paul"));
    assert!(
        kit::audit_entries_for_action(&app, "moderateur.retirer")
            .await
            .is_empty()
    );
    app.server
        .get(&format!(
            "/admin/moderateurs/{}/organisations/999999/retirer",
            paul.id
        ))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    app.server
        .get("/admin/organisations/999999/desactiver")
        .await
        .assert_status(StatusCode::NOT_FOUND);

    // Only for admins.
    log_out(&app).await;
    crate::staff::logged_in_moderator(&app, marne.id).await;
    app.server
        .get(&off)
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_latest_emails_are_searchable_by_address_or_reference_and_a_failed_one_is_sent_again() {
    let app = spawn_app_with(|c| c.workers = false).await;
    logged_in_admin(&app).await;
    let with_email = add_request(&app, REIMS, true).await;
    let page = readable(&app.server.get("/admin/emails").await.text());
    assert!(page.contains("Les derniers e-mails"));
    assert!(
        page.contains("josette@example.org"),
        "admins read the address in full"
    );
    assert!(page.contains("en attente d'envoi"));

    let by_reference = readable(
        &app.server
            .get(&format!(
                "/admin/emails?q={}",
                with_email.reference.to_lowercase()
            ))
            .await
            .text(),
    );
    assert!(by_reference.contains("josette@example.org"));
    assert!(by_reference.contains("bien enregistrée"), "the subject");
    let by_address = readable(&app.server.get("/admin/emails?q=JOSETTE@").await.text());
    assert!(by_address.contains("josette@example.org"));
    let nothing = readable(
        &app.server
            .get("/admin/emails?q=personne@ailleurs.fr")
            .await
            .text(),
    );
    assert!(nothing.contains("Aucun e-mail ne correspond à « personne@ailleurs.fr »."));

    // A failed one shows its error and can be sent again; a sent one cannot (its links are gone).
    outbox_email::Entity::update_many()
        .col_expr(outbox_email::Column::Status, Expr::value(outbox::FAILED))
        .col_expr(
            outbox_email::Column::LastError,
            Expr::value("550 Mailbox unavailable"),
        )
        .filter(outbox_email::Column::Recipient.eq("josette@example.org"))
        .exec(&app.db)
        .await
        .unwrap();
    let row = outbox_email::Entity::find()
        .filter(outbox_email::Column::Recipient.eq("josette@example.org"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let page = readable(
        &app.server
            .get(&format!("/admin/emails?q={}", with_email.reference))
            .await
            .text(),
    );
    assert!(page.contains("550 Mailbox unavailable"));
    assert!(page.contains(&format!("action=\"/admin/emails/{}/relancer\"", row.id)));
    app.server
        .post(&format!("/admin/emails/{}/relancer", row.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let again = outbox_email::Entity::find_by_id(row.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.status.slug(), "pending");
}

#[tokio::test]
async fn a_moderator_who_never_chose_a_password_gets_the_invitation_again() {
    let app = spawn_app().await;
    logged_in_admin(&app).await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    app.server
        .post("/admin/moderateurs/inviter")
        .form(&[
            ("prenom", "Julie"),
            ("email", "julie@exemple.fr"),
            ("organisation", &marne.id.to_string()),
        ])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let first = app
        .mailbox
        .delivered("julie@exemple.fr", |e| {
            e.subject.contains("Marne Solidaire")
        })
        .await;
    let old_link = link_in(&first, "/invitation/");
    let julie = account_of(&app, "julie@exemple.fr").await.unwrap();
    let list = readable(&app.server.get("/admin/moderateurs").await.text());
    assert!(list.contains("Renvoyer l'invitation"));

    app.server
        .post(&format!(
            "/admin/moderateurs/{}/renvoyer-invitation",
            julie.id
        ))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        app.outbox_rows("moderator_invitation", Some("julie@exemple.fr"))
            .await
            .len(),
        2
    );
    let entries = kit::audit_entries_for_action(&app, "moderateur.renvoyer_invitation").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].target_id, Some(julie.id));
    app.drain_outbox().await;
    let links: Vec<String> = app
        .mailbox
        .all()
        .iter()
        .filter(|e| e.to.contains("julie@exemple.fr"))
        .map(|e| link_in(e, "/invitation/"))
        .collect();
    assert_eq!(links.len(), 2);
    let new_link = links
        .into_iter()
        .find(|l| *l != old_link)
        .expect("a new link");
    log_out(&app).await;
    app.server.get(&new_link).await.assert_status_ok();
    let old = app.server.get(&old_link).await;
    assert!(
        readable(&old.text()).contains("déjà servi") || old.status_code() != StatusCode::OK,
        "the old link no longer works"
    );
}

#[tokio::test]
async fn an_active_moderator_gets_no_invitation_again() {
    let app = spawn_app().await;
    logged_in_admin(&app).await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let paul = add_staff(&app, "moderateur", "Paul").await;
    add_membership(&app, marne.id, paul.id).await;
    let list = readable(&app.server.get("/admin/moderateurs").await.text());
    assert!(!list.contains("Renvoyer l'invitation"));
    app.server
        .post(&format!(
            "/admin/moderateurs/{}/renvoyer-invitation",
            paul.id
        ))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(
        app.outbox_rows("moderator_invitation", None)
            .await
            .is_empty()
    );
    assert!(
        readable(&app.server.get("/admin/moderateurs").await.text())
            .contains("a déjà choisi son mot de passe")
    );
}
