//! A request's page and its lifecycle actions: valider, refuser (with the e-mail to the person),
//! marquer résolue, internal notes; each action allowed only from the states the lifecycle
//! permits, refused otherwise with a French message and nothing changed; each written to the
//! audit log and shown on the timeline.

use axum::http::StatusCode;
use entity::states::{EventKind, RequestStatus};
use entraide::matching::answers::{self, Acceptance};
use sea_orm::EntityTrait;

use super::fixtures::{
    Ask, act, add_phone_volunteer_in_reims, ask, audit_actions, event_kinds, marne_request,
    readable, request_page, setup, snapshot,
};
use crate::kit;

#[tokio::test]
async fn validating_opens_the_request_and_proposes_it_to_volunteers() {
    let s = setup().await;
    let app = &s.app;
    let volunteer = add_phone_volunteer_in_reims(app, "Bernard", 2.0).await;
    let request = marne_request(app).await;
    let page = request_page(app, request.id).await;
    assert!(page.contains("Valider la demande") && page.contains("Refuser la demande"));
    assert!(
        !page.contains("Relancer la recherche")
            && !page.contains("Marquer la demande comme résolue")
    );
    assert!(
        page.contains("josette@example.org") && page.contains("03 26 00 00 00"),
        "moderators see the contact details"
    );
    assert!(page.contains("Marne Solidaire"));

    act(app, request.id, "valider", &[]).await;
    assert_eq!(
        kit::request(app, request.id).await.status,
        RequestStatus::Ouverte
    );
    let asked = kit::proposals_of(app, request.id).await;
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].volunteer_id, volunteer.id);
    assert_eq!(
        event_kinds(app, request.id).await,
        ["creee", "validee", "propositions"]
    );
    let entries = kit::audit_entries_about_request(app, request.id).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].action,
        entity::states::AuditAction::RequestValidated
    );
    assert_eq!(entries[0].actor_id, Some(s.moderator.id));
    assert_eq!(entries[0].actor_role, "moderateur");
    assert_eq!(entries[0].organisation_id, Some(s.marne.id));

    let page = request_page(app, request.id).await;
    assert!(page.contains("La demande est validée. Elle a été proposée à un bénévole."));
    assert!(page.contains("Journal d'audit : validation"));
    assert!(page.contains("Modo (modération)"));
    assert!(page.contains("En attente de réponse") && page.contains("Bernard"));
    assert!(!page.contains("Valider la demande"));

    // Validating again is refused, with a message, and changes nothing.
    let before = snapshot(app, request.id).await;
    act(app, request.id, "valider", &[]).await;
    assert_eq!(snapshot(app, request.id).await, before);
    let page = request_page(app, request.id).await;
    assert!(page.contains(
        "Impossible de la valider : cette demande est « Recherche d'un bénévole ». Rien n'a été modifié."
    ));
}

#[tokio::test]
async fn refusing_tells_the_person_by_email_with_the_reason_and_the_message() {
    let s = setup().await;
    let app = &s.app;
    let request = marne_request(app).await;
    act(
        app,
        request.id,
        "refuser",
        &[
            ("motif", "hors_champ"),
            (
                "message",
                "Pour votre chaudière, appelez plutôt un chauffagiste.",
            ),
        ],
    )
    .await;
    let stored = kit::request(app, request.id).await;
    assert_eq!(stored.status, RequestStatus::Refusee);
    assert!(stored.closed_at.is_some());
    let refused = super::fixtures::events(app, request.id)
        .await
        .pop()
        .unwrap();
    assert_eq!(refused.kind, EventKind::Refused);
    assert_eq!(refused.details.as_deref(), Some("hors_champ"));
    assert_eq!(refused.actor_id, Some(s.moderator.id));
    let entries = kit::audit_entries_about_request(app, request.id).await;
    assert_eq!(
        entries[0].action,
        entity::states::AuditAction::RequestRefused
    );
    assert_eq!(entries[0].details.as_deref(), Some("motif : hors_champ"));

    let email = app
        .mailbox
        .delivered("josette@example.org", |e| {
            e.subject.contains("pas pu être acceptée")
        })
        .await;
    assert!(email.subject.contains(&request.reference));
    assert!(email.text.contains("Bonjour Josette"));
    assert!(email.text.contains("l'aide aux outils numériques"));
    assert!(email.text.contains("appelez plutôt un chauffagiste"));
    assert!(email.text.contains("/demande"));
    assert!(email.html.contains("chauffagiste"));

    let page = request_page(app, request.id).await;
    assert!(page.contains("La demande est refusée."));
    assert!(page.contains("motif : Hors du champ de l'aide numérique"));
    assert!(page.contains("Cette demande est terminée : aucune action n'est possible."));

    // Refusing a finished request is refused and changes nothing; no second e-mail.
    let before = snapshot(app, request.id).await;
    act(app, request.id, "refuser", &[("motif", "spam")]).await;
    assert_eq!(snapshot(app, request.id).await, before);
    assert!(
        request_page(app, request.id)
            .await
            .contains("Impossible de la refuser")
    );
}

#[tokio::test]
async fn a_refusal_needs_a_reason_and_a_short_message_and_keeps_what_was_typed() {
    let s = setup().await;
    let app = &s.app;
    let request = marne_request(app).await;
    let before = snapshot(app, request.id).await;
    let response = app
        .server
        .post(&format!("/moderation/demandes/{}/refuser", request.id))
        .form(&[("motif", ""), ("message", "Un mot gentil")])
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let page = readable(&response.text());
    assert!(page.contains("Choisissez le motif du refus."));
    assert!(page.contains(">Un mot gentil</textarea>"));
    let long = "a".repeat(2001);
    let response = app
        .server
        .post(&format!("/moderation/demandes/{}/refuser", request.id))
        .form(&[("motif", "autre"), ("message", long.as_str())])
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let page = readable(&response.text());
    assert!(page.contains("Ce message est trop long : 2000 caractères au plus."));
    assert!(page.contains("id=\"motif-autre\" name=\"motif\" value=\"autre\" checked"));
    assert_eq!(snapshot(app, request.id).await, before);
}

#[tokio::test]
async fn a_request_without_email_is_refused_without_any_email() {
    let s = setup().await;
    let app = &s.app;
    let request = ask(
        app,
        Ask {
            email: None,
            ..Ask::default()
        },
    )
    .await;
    act(app, request.id, "refuser", &[("motif", "spam")]).await;
    assert_eq!(
        kit::request(app, request.id).await.status,
        RequestStatus::Refusee
    );
    app.drain_outbox().await;
    assert!(
        app.mailbox
            .all()
            .iter()
            .all(|e| !e.subject.contains("pas pu être acceptée"))
    );
    assert!(
        app.outbox_rows("request_refused", None).await.is_empty(),
        "nothing was queued for the refusal"
    );
}

#[tokio::test]
async fn only_a_request_a_volunteer_holds_can_be_marked_solved_by_staff() {
    let s = setup().await;
    let app = &s.app;
    let volunteer = add_phone_volunteer_in_reims(app, "Bernard", 2.0).await;
    let request = marne_request(app).await;
    act(app, request.id, "resolue", &[]).await;
    assert!(request_page(app, request.id).await.contains(
        "Impossible de la marquer résolue : cette demande est « En attente de validation »."
    ));
    act(app, request.id, "valider", &[]).await;
    let before = snapshot(app, request.id).await;
    act(app, request.id, "resolue", &[]).await;
    assert_eq!(
        snapshot(app, request.id).await,
        before,
        "an open request is not solved"
    );

    let proposal = &kit::proposals_of(app, request.id).await[0];
    let won = answers::accept(&app.db, &app.config, proposal.id, volunteer.id)
        .await
        .unwrap();
    assert_eq!(won, Acceptance::Won);
    let page = request_page(app, request.id).await;
    assert!(page.contains("Marquer la demande comme résolue"));
    assert!(page.contains(&volunteer.email), "the volunteer holding it");
    act(app, request.id, "resolue", &[]).await;
    assert_eq!(
        kit::request(app, request.id).await.status,
        RequestStatus::Resolue
    );
    assert_eq!(
        audit_actions(app, request.id).await,
        ["demande.valider", "demande.resoudre"]
    );
    assert!(
        request_page(app, request.id)
            .await
            .contains("La demande est marquée comme résolue.")
    );
}

#[tokio::test]
async fn internal_notes_show_on_the_timeline_but_never_to_the_person() {
    let s = setup().await;
    let app = &s.app;
    let stamp_page = app.server.get("/demande").await.text();
    let stamp = stamp_page
        .split("name=\"debut\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let response = app
        .server
        .post("/demande")
        .form(&[
            ("categories", "demarches"),
            ("modes", "telephone"),
            ("commune", "51100"),
            ("commune_insee", "51454"),
            ("prenom", "Josette"),
            ("telephone", "03 26 00 00 00"),
            ("consentement", "oui"),
            ("debut", stamp.as_str()),
        ])
        .await;
    response.assert_status(StatusCode::SEE_OTHER);
    let follow = crate::accounts::location(&response)
        .trim_end_matches("?bienvenue=1")
        .to_owned();
    let request = entity::help_request::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();

    act(
        app,
        request.id,
        "notes",
        &[("note", "Rappelée : préfère le matin, code porte 4521")],
    )
    .await;
    let page = request_page(app, request.id).await;
    assert!(page.contains("La note est enregistrée."));
    assert!(page.contains("Note interne") && page.contains("code porte 4521"));
    assert_eq!(audit_actions(app, request.id).await, ["demande.noter"]);

    // A correction shows in plain words on the person's page; the note never does.
    app.server
        .post(&format!("/moderation/demandes/{}/modifier", request.id))
        .form(&[
            ("categories", "demarches"),
            ("modes", "telephone"),
            ("commune", "51100"),
            ("commune_insee", "51454"),
            ("prenom", "Josette"),
            ("telephone", "03 26 00 00 00"),
            ("langue", "en"),
        ])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let citizen = readable(&app.server.get(&follow).await.text());
    assert!(citizen.contains(&request.reference));
    assert!(citizen.contains("Demande mise à jour par l'association"));
    assert!(!citizen.contains("code porte") && !citizen.contains("Note interne"));

    // An empty or too long note is refused next to the field, keeping the text.
    let response = app
        .server
        .post(&format!("/moderation/demandes/{}/notes", request.id))
        .form(&[("note", "  ")])
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(readable(&response.text()).contains("Écrivez la note avant de l'enregistrer."));
    let long = "b".repeat(2001);
    let response = app
        .server
        .post(&format!("/moderation/demandes/{}/notes", request.id))
        .form(&[("note", long.as_str())])
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let page = readable(&response.text());
    assert!(page.contains("Cette note est trop longue : 2000 caractères au plus."));
    assert!(page.contains(&long));
    assert_eq!(
        audit_actions(app, request.id).await,
        ["demande.noter", "demande.modifier"]
    );
}
