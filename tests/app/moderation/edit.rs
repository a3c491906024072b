//! Correcting a request (same checks and messages as the public form, "à rappeler" recomputed,
//! the fields changed on the timeline and in the audit log) and transferring it to another
//! organisation.

use axum::http::StatusCode;
use entity::states::RequestStatus;

use super::fixtures::{
    act, event_kinds, events, marne_request, readable, request_page, setup, snapshot,
    switch_to_new_moderator,
};
use crate::accounts::location;
use crate::kit;
use crate::staff::add_membership;

fn edit_form(fields: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut form: Vec<(&'static str, String)> = vec![
        ("categories", "demarches".into()),
        ("modes", "telephone".into()),
        ("commune", "Reims".into()),
        ("commune_insee", "51454".into()),
        ("prenom", "Josette".into()),
        ("email", "josette@example.org".into()),
        ("telephone", "03 26 00 00 00".into()),
        ("langue", String::new()),
    ];
    for (name, value) in fields {
        form.retain(|(k, _)| k != name);
        if !value.is_empty() || *name == "email" || *name == "telephone" {
            form.push((name, (*value).to_owned()));
        }
    }
    form
}

#[tokio::test]
async fn a_correction_after_a_call_records_which_fields_changed_but_not_their_values() {
    let s = setup().await;
    let app = &s.app;
    let request = marne_request(app).await;
    let form = app
        .server
        .get(&format!("/moderation/demandes/{}/modifier", request.id))
        .await;
    form.assert_status_ok();
    let form = readable(&form.text());
    assert!(form.contains("value=\"Josette\""));
    assert!(form.contains("value=\"demarches\" checked"));
    assert!(form.contains("Commune retenue : <strong>Reims</strong>"));
    assert!(form.contains("value=\"03 26 00 00 00\""));

    let mut changed = edit_form(&[
        ("email", ""),
        ("commune", "Épernay"),
        ("commune_insee", "51230"),
        ("langue", "ar"),
    ]);
    changed.push(("categories", "email".into()));
    let response = app
        .server
        .post(&format!("/moderation/demandes/{}/modifier", request.id))
        .form(&changed)
        .await;
    response.assert_status(StatusCode::SEE_OTHER);
    let stored = kit::request(app, request.id).await;
    assert_eq!(stored.email, None);
    assert!(stored.a_rappeler, "no e-mail: to call back");
    assert_eq!(stored.commune_insee, "51230");
    assert_eq!(stored.langue.as_deref(), Some("ar"));
    assert_eq!(stored.status, RequestStatus::Nouvelle);
    let details = "champs modifiés : sujets, commune, e-mail, langue";
    let last = events(app, request.id).await.pop().unwrap();
    assert_eq!(
        (last.kind.slug(), last.details.as_deref()),
        ("modifiee", Some(details))
    );
    let entries = kit::audit_entries_about_request(app, request.id).await;
    assert_eq!(
        entries[0].action,
        entity::states::AuditAction::RequestEdited
    );
    assert_eq!(entries[0].details.as_deref(), Some(details));
    assert!(!entries[0].details.as_deref().unwrap().contains("Épernay"));
    let page = request_page(app, request.id).await;
    assert!(page.contains("La demande est modifiée (sujets, commune, e-mail, langue)."));
    assert!(page.contains("Épernay") && page.contains("À rappeler"));

    // Sent back unchanged: nothing written.
    let before = snapshot(app, request.id).await;
    let mut same = edit_form(&[
        ("email", ""),
        ("commune", "Épernay"),
        ("commune_insee", "51230"),
        ("langue", "ar"),
    ]);
    same.push(("categories", "email".into()));
    app.server
        .post(&format!("/moderation/demandes/{}/modifier", request.id))
        .form(&same)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(snapshot(app, request.id).await, before);
    assert!(
        request_page(app, request.id)
            .await
            .contains("Rien n'a changé")
    );
}

#[tokio::test]
async fn a_correction_gets_the_public_forms_messages_and_keeps_what_was_typed() {
    let s = setup().await;
    let app = &s.app;
    let request = marne_request(app).await;
    let before = snapshot(app, request.id).await;
    let cases: Vec<(Vec<(&'static str, String)>, &str)> = vec![
        (
            edit_form(&[])
                .into_iter()
                .filter(|(k, _)| *k != "categories")
                .collect(),
            "Choisissez au moins un sujet.",
        ),
        (
            [
                edit_form(&[]),
                vec![
                    ("categories", "email".into()),
                    ("categories", "argent".into()),
                    ("categories", "sante".into()),
                ],
            ]
            .concat(),
            "Choisissez au plus 3 sujets",
        ),
        (
            edit_form(&[("email", ""), ("telephone", "")]),
            "Indiquez au moins un moyen de joindre la personne : son numéro de téléphone ou son adresse e-mail.",
        ),
        (
            edit_form(&[("telephone", "12 34")]),
            "Ce numéro ne semble pas être un numéro français",
        ),
        (edit_form(&[("email", "josette")]), "il manque le signe @"),
        (
            edit_form(&[("commune", "Zzyzxville")]),
            "Nous ne trouvons pas cette commune",
        ),
        (
            edit_form(&[("prenom", " ")]),
            "Indiquez le prénom de la personne.",
        ),
    ];
    for (form, message) in cases {
        let response = app
            .server
            .post(&format!("/moderation/demandes/{}/modifier", request.id))
            .form(&form)
            .await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let page = readable(&response.text());
        assert!(page.contains(message), "{message}");
        if !message.contains("prénom") {
            assert!(
                page.contains("value=\"Josette\""),
                "the form keeps what was typed"
            );
        }
    }
    assert_eq!(snapshot(app, request.id).await, before);
}

#[tokio::test]
async fn a_finished_request_cannot_be_corrected() {
    let s = setup().await;
    let app = &s.app;
    let request = marne_request(app).await;
    act(app, request.id, "refuser", &[("motif", "spam")]).await;
    let response = app
        .server
        .get(&format!("/moderation/demandes/{}/modifier", request.id))
        .await;
    response.assert_status(StatusCode::SEE_OTHER);
    let before = snapshot(app, request.id).await;
    app.server
        .post(&format!("/moderation/demandes/{}/modifier", request.id))
        .form(&edit_form(&[("prenom", "Josiane")]))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(snapshot(app, request.id).await, before);
    assert!(
        request_page(app, request.id)
            .await
            .contains("Impossible de la modifier : cette demande est « Refusée ».")
    );
}

#[tokio::test]
async fn a_transferred_request_leaves_the_moderators_who_gave_it_away() {
    let s = setup().await;
    let app = &s.app;
    let request = marne_request(app).await;
    let page = request_page(app, request.id).await;
    assert!(page.contains(&format!(
        "<option value=\"{}\">Aube Numérique</option>",
        s.aube.id
    )));
    assert!(!page.contains(&format!("<option value=\"{}\">", s.marne.id)));

    // To itself, or to an organisation that does not exist: refused, nothing changes.
    let before = snapshot(app, request.id).await;
    for target in [s.marne.id.to_string(), "424242".into(), "x".into()] {
        act(app, request.id, "transferer", &[("organisation", &target)]).await;
        assert!(
            request_page(app, request.id)
                .await
                .contains("Choisissez dans la liste une autre organisation")
        );
    }
    assert_eq!(snapshot(app, request.id).await, before);

    let response = app
        .server
        .post(&format!("/moderation/demandes/{}/transferer", request.id))
        .form(&[("organisation", s.aube.id.to_string())])
        .await;
    response.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        location(&response),
        "/moderation",
        "the request is out of sight"
    );
    let queue = readable(&app.server.get("/moderation").await.text());
    assert!(queue.contains("La demande est transférée à « Aube Numérique »."));
    assert!(!queue.contains(&request.reference));
    app.server
        .get(&format!("/moderation/demandes/{}", request.id))
        .await
        .assert_status(StatusCode::NOT_FOUND);

    let stored = kit::request(app, request.id).await;
    assert_eq!(stored.organisation_id, Some(s.aube.id));
    assert_eq!(stored.status, RequestStatus::Nouvelle);
    let details = "de « Marne Solidaire » à « Aube Numérique »";
    let last = events(app, request.id).await.pop().unwrap();
    assert_eq!(
        (last.kind.slug(), last.details.as_deref()),
        ("transferee", Some(details))
    );
    let entries = kit::audit_entries_about_request(app, request.id).await;
    assert_eq!(
        entries[0].action,
        entity::states::AuditAction::RequestTransferred
    );
    assert_eq!(entries[0].details.as_deref(), Some(details));
    assert_eq!(entries[0].actor_id, Some(s.moderator.id));

    // The Aube's moderators have it now; one who is in both keeps seeing it after a transfer back.
    let both = switch_to_new_moderator(app, Some(s.aube.id)).await;
    add_membership(app, s.marne.id, both.id).await;
    let response = app
        .server
        .post(&format!("/moderation/demandes/{}/transferer", request.id))
        .form(&[("organisation", s.marne.id.to_string())])
        .await;
    assert_eq!(
        location(&response),
        format!("/moderation/demandes/{}", request.id)
    );
    assert_eq!(
        kit::request(app, request.id).await.organisation_id,
        Some(s.marne.id)
    );
    assert_eq!(
        event_kinds(app, request.id).await,
        ["creee", "transferee", "transferee"]
    );
}

#[tokio::test]
async fn a_finished_request_cannot_be_transferred() {
    let s = setup().await;
    let app = &s.app;
    let request = marne_request(app).await;
    act(app, request.id, "refuser", &[("motif", "doublon")]).await;
    let before = snapshot(app, request.id).await;
    act(
        app,
        request.id,
        "transferer",
        &[("organisation", &s.aube.id.to_string())],
    )
    .await;
    assert_eq!(snapshot(app, request.id).await, before);
    assert!(
        request_page(app, request.id)
            .await
            .contains("Impossible de la transférer")
    );
}
