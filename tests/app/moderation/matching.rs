//! The matching actions of a request's page: the ranked candidates with their score explained,
//! proposing to a chosen candidate (from an open request, or one without volunteer), and
//! relaunching the search for a full new series of rounds.

use entity::states::RequestStatus;
use entraide::matching::answers;

use super::fixtures::{
    act, add_phone_volunteer_in_reims, audit_actions, event_kinds, marne_request, request_page,
    setup_matching, snapshot,
};
use crate::accounts::account_of;
use crate::kit;

#[tokio::test]
async fn relaunching_gives_a_full_new_series_of_rounds() {
    // One volunteer a round, one round a series.
    let s = setup_matching(1, 1).await;
    let app = &s.app;
    let first = add_phone_volunteer_in_reims(app, "Alain", 1.0).await;
    let second = add_phone_volunteer_in_reims(app, "Brigitte", 5.0).await;
    let request = marne_request(app).await;
    act(app, request.id, "relancer", &[]).await;
    assert!(request_page(app, request.id).await.contains(
        "Impossible de relancer la recherche : cette demande est « En attente de validation »."
    ));
    act(app, request.id, "valider", &[]).await;
    let asked = kit::proposals_of(app, request.id).await;
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].volunteer_id, first.id);
    assert!(
        request_page(app, request.id)
            .await
            .contains("tour 1 : proposée à Alain ("),
        "the timeline names the volunteers a round went to (no internal number)"
    );
    assert!(
        answers::decline(&app.db, &app.config, asked[0].id, first.id)
            .await
            .unwrap()
    );
    assert_eq!(
        kit::request(app, request.id).await.status,
        RequestStatus::SansBenevole,
        "the only round is over"
    );
    assert!(
        request_page(app, request.id)
            .await
            .contains("Relancer la recherche")
    );

    act(app, request.id, "relancer", &[]).await;
    assert_eq!(
        kit::request(app, request.id).await.status,
        RequestStatus::Ouverte
    );
    let asked = kit::proposals_of(app, request.id).await;
    assert_eq!(asked.len(), 2, "a new round despite the one-round limit");
    assert_eq!((asked[1].volunteer_id, asked[1].round), (second.id, 2));
    assert!(
        request_page(app, request.id)
            .await
            .contains("La recherche est relancée. Elle a été proposée à un bénévole.")
    );
    let kinds = event_kinds(app, request.id).await;
    assert_eq!(
        kinds[kinds.len() - 2..],
        ["relancee".to_owned(), "propositions".to_owned()]
    );
    assert_eq!(
        audit_actions(app, request.id).await,
        ["demande.valider", "demande.relancer"]
    );

    // Open again: relaunching is refused and changes nothing.
    let before = snapshot(app, request.id).await;
    act(app, request.id, "relancer", &[]).await;
    assert_eq!(snapshot(app, request.id).await, before);
    assert!(
        request_page(app, request.id)
            .await
            .contains("Impossible de relancer la recherche")
    );

    // The new series has one round too: a refusal ends it.
    assert!(
        answers::decline(&app.db, &app.config, asked[1].id, second.id)
            .await
            .unwrap()
    );
    assert_eq!(
        kit::request(app, request.id).await.status,
        RequestStatus::SansBenevole
    );
    act(app, request.id, "relancer", &[]).await;
    assert_eq!(
        kit::request(app, request.id).await.status,
        RequestStatus::SansBenevole,
        "nobody is left"
    );
    assert!(
        request_page(app, request.id)
            .await
            .contains("Aucun bénévole disponible ne correspond pour le moment")
    );
}

#[tokio::test]
async fn the_page_ranks_the_candidates_and_explains_their_score() {
    let s = setup_matching(1, 3).await;
    let app = &s.app;
    add_phone_volunteer_in_reims(app, "Alain", 1.0).await;
    add_phone_volunteer_in_reims(app, "Brigitte", 3.0).await;
    add_phone_volunteer_in_reims(app, "Claude", 30.0).await;
    let request = marne_request(app).await;
    let page = request_page(app, request.id).await;
    assert!(
        !page.contains("Bénévoles qui peuvent aider"),
        "not before validation"
    );
    act(app, request.id, "valider", &[]).await;
    let page = request_page(app, request.id).await;
    assert!(page.contains("Bénévoles qui peuvent aider"));
    assert!(
        !page.contains("Proposer à Alain"),
        "Alain was already asked"
    );
    let brigitte = page.find("Proposer à Brigitte").unwrap();
    let claude = page.find("Proposer à Claude").unwrap();
    assert!(brigitte < claude, "the closer first");
    assert!(page.contains("Sujets : 40 sur 40"));
    assert!(page.contains("Proximité : 29 sur 30 — à 3 km"));
    assert!(page.contains("Équité : 20 sur 20"));
    assert!(
        page.contains("Réactivité : nouveau, pas encore d'historique"),
        "no perfect responsiveness without history"
    );
    assert!(page.contains("<td>30 km</td>"));
    assert!(page.contains("Le score, sur 100, additionne quatre parts"));
}

#[tokio::test]
async fn a_moderator_proposes_an_open_request_to_a_candidate_of_their_choice() {
    let s = setup_matching(1, 3).await;
    let app = &s.app;
    let first = add_phone_volunteer_in_reims(app, "Alain", 1.0).await;
    let chosen = add_phone_volunteer_in_reims(app, "Claude", 30.0).await;
    let request = marne_request(app).await;
    act(
        app,
        request.id,
        "proposer",
        &[("benevole", &chosen.id.to_string())],
    )
    .await;
    assert!(
        request_page(app, request.id)
            .await
            .contains("Impossible de la proposer à un bénévole")
    );
    act(app, request.id, "valider", &[]).await;

    act(
        app,
        request.id,
        "proposer",
        &[("benevole", &chosen.id.to_string())],
    )
    .await;
    let asked = kit::proposals_of(app, request.id).await;
    assert_eq!(asked.len(), 2);
    assert_eq!(
        (
            asked[1].volunteer_id,
            asked[1].round,
            asked[1].rank,
            asked[1].status.slug()
        ),
        (chosen.id, 1, 2, "en_attente"),
        "joins the round under way"
    );
    let email = app
        .mailbox
        .delivered(&chosen.email, |e| e.subject.contains("pouvez-vous aider"))
        .await;
    assert!(
        email
            .text
            .contains(&format!("/benevole/propositions/{}", asked[1].id))
    );
    assert!(
        !email.text.contains("josette@example.org"),
        "no contact details"
    );
    assert_eq!(
        event_kinds(app, request.id).await.last().unwrap(),
        "proposition_choisie"
    );
    let entries = kit::audit_entries_about_request(app, request.id).await;
    assert_eq!(
        entries.last().unwrap().action,
        entity::states::AuditAction::RequestProposed
    );
    assert_eq!(
        entries.last().unwrap().details.as_deref(),
        Some(format!("bénévole #{}", chosen.id).as_str())
    );
    assert!(
        request_page(app, request.id)
            .await
            .contains("La demande est proposée à Claude")
    );

    // Someone already asked, or no one at all, is not a candidate: nothing is sent.
    let before = snapshot(app, request.id).await;
    for benevole in [first.id.to_string(), "999999".into(), "n'importe".into()] {
        act(app, request.id, "proposer", &[("benevole", &benevole)]).await;
        assert!(
            request_page(app, request.id)
                .await
                .contains("Ce bénévole ne fait pas partie des candidats de cette demande")
        );
    }
    assert_eq!(snapshot(app, request.id).await, before);
}

#[tokio::test]
async fn proposing_a_request_without_volunteer_opens_it_again() {
    let s = setup_matching(1, 1).await;
    let app = &s.app;
    let request = marne_request(app).await;
    act(app, request.id, "valider", &[]).await;
    assert_eq!(
        kit::request(app, request.id).await.status,
        RequestStatus::SansBenevole
    );
    let late = add_phone_volunteer_in_reims(app, "Denise", 2.0).await;
    let page = request_page(app, request.id).await;
    assert!(page.contains("Proposer à Denise"));

    act(
        app,
        request.id,
        "proposer",
        &[("benevole", &late.id.to_string())],
    )
    .await;
    assert_eq!(
        kit::request(app, request.id).await.status,
        RequestStatus::Ouverte
    );
    let asked = kit::proposals_of(app, request.id).await;
    assert_eq!((asked[0].volunteer_id, asked[0].round), (late.id, 1));
    let kinds = event_kinds(app, request.id).await;
    assert_eq!(
        kinds[kinds.len() - 2..],
        ["rouverte".to_owned(), "proposition_choisie".to_owned()]
    );
    app.mailbox
        .delivered(&late.email, |e| e.subject.contains("pouvez-vous aider"))
        .await;
    let account = account_of(app, &late.email).await.unwrap();
    assert_eq!(account.id, late.id);
}
