//! Actions started on a page that has since gone stale: they re-check, in the transaction that
//! applies them, what allowed them.

use entraide::lifecycle::{self, TransitionError};
use entraide::matching::answers::{self, Acceptance, Unavailable};
use entraide::matching::rounds;
use entraide::requests::{Actor, EventKind, RequestStatus};

use crate::fixtures::{Volunteer, add_volunteer};
use crate::kit;
use crate::moderation::fixtures::{Ask, act, ask, marne_request, setup};

#[tokio::test]
async fn accepting_re_checks_the_volunteers_load_in_the_same_transaction() {
    let setup = setup().await;
    let app = &setup.app;
    // One request at a time, proposed two at once while holding none.
    let karim = add_volunteer(
        app,
        Volunteer {
            prenom: "Karim",
            max: 1,
            ..Default::default()
        },
    )
    .await;
    let first = marne_request(app).await;
    let second = ask(
        app,
        Ask {
            prenom: "Odette",
            ..Ask::default()
        },
    )
    .await;
    for request in [&first, &second] {
        rounds::open_request(&app.db, &app.config, request, Actor::Admin, None)
            .await
            .unwrap();
    }
    let first_proposal = kit::proposals_of(app, first.id).await.remove(0);
    let second_proposal = kit::proposals_of(app, second.id).await.remove(0);
    assert_eq!(first_proposal.volunteer_id, karim.id);
    assert_eq!(second_proposal.volunteer_id, karim.id);

    let won = answers::accept(&app.db, &app.config, first_proposal.id, karim.id).await;
    assert_eq!(won.unwrap(), Acceptance::Won);
    // The second page, still open: accepting now would exceed what Karim said he could do.
    let refused = answers::accept(&app.db, &app.config, second_proposal.id, karim.id).await;
    assert_eq!(refused.unwrap(), Acceptance::Unavailable(Unavailable::Full));
    let second = kit::request(app, second.id).await;
    assert_eq!(second.status, RequestStatus::Ouverte);
    assert_eq!(second.volunteer_id, None);
}

#[tokio::test]
async fn a_move_decided_before_a_transfer_does_not_land_in_the_new_organisation() {
    let setup = setup().await;
    let app = &setup.app;
    let request = marne_request(app).await;
    // The Marne's moderator has the request open (as their action read it)…
    let as_seen = kit::request(app, request.id).await;
    // …when it is transferred to the Aube.
    let aube = setup.aube.id.to_string();
    act(app, request.id, "transferer", &[("organisation", &aube)]).await;

    let moved = lifecycle::apply(
        &app.db,
        &app.config,
        &as_seen,
        RequestStatus::Refusee,
        Actor::Moderateur,
        Some(setup.moderator.id),
        EventKind::Refused,
        None,
    )
    .await;
    assert!(matches!(moved, Err(TransitionError::Conflict)), "{moved:?}");
    let stored = kit::request(app, request.id).await;
    assert_eq!(stored.status, RequestStatus::Nouvelle);
    assert_eq!(stored.organisation_id, Some(setup.aube.id));
}
