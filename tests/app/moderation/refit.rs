//! Proposals stay true to the request: when a moderator corrects an open request or transfers it
//! to an organisation that wants vetted volunteers for in-person help, the volunteers it no longer
//! fits have their waiting proposal withdrawn, and the next round asks those it fits.

use axum::http::StatusCode;
use entity::{account, organisation, proposal};
use entraide::accounts::password::Passwords;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use super::fixtures::{act, event_kinds, marne_request, request_page, setup_matching};
use crate::accounts::{PASSWORD, log_in};
use crate::fixtures::{Volunteer, add_volunteer};
use crate::helpers::TestApp;
use crate::kit;

/// The moderators' correction form for the Reims request, with these modes and categories.
fn correction(modes: &str, categories: &str) -> Vec<(&'static str, String)> {
    vec![
        ("categories", categories.into()),
        ("modes", modes.into()),
        ("commune", "Reims".into()),
        ("commune_insee", "51454".into()),
        ("prenom", "Josette".into()),
        ("email", "josette@example.org".into()),
        ("telephone", "03 26 00 00 00".into()),
    ]
}

async fn correct(app: &TestApp, id: i64, form: &[(&'static str, String)]) {
    app.server
        .post(&format!("/moderation/demandes/{id}/modifier"))
        .form(form)
        .await
        .assert_status(StatusCode::SEE_OTHER);
}

/// The proposals of request `id` as (volunteer, status), oldest first.
async fn asked(app: &TestApp, id: i64) -> Vec<(i64, String)> {
    kit::proposals_of(app, id)
        .await
        .into_iter()
        .map(|p: proposal::Model| (p.volunteer_id, p.status.slug().to_owned()))
        .collect()
}

#[tokio::test]
async fn a_correction_withdraws_the_proposals_it_no_longer_fits_and_asks_the_next() {
    let s = setup_matching(1, 3).await;
    let app = &s.app;
    let alain = add_volunteer(
        app,
        Volunteer {
            prenom: "Alain",
            km: 1.0,
            categories: &["demarches"],
            ..Default::default()
        },
    )
    .await;
    let brigitte = add_volunteer(
        app,
        Volunteer {
            prenom: "Brigitte",
            km: 2.0,
            categories: &["sante"],
            ..Default::default()
        },
    )
    .await;
    let request = marne_request(app).await;
    act(app, request.id, "valider", &[]).await;
    assert_eq!(
        asked(app, request.id).await,
        [(alain.id, "en_attente".to_owned())]
    );

    // A correction that changes nothing for Alain keeps his proposal.
    correct(app, request.id, &correction("telephone", "demarches")).await;
    let mut both = correction("telephone", "demarches");
    both.push(("modes", "visio".into()));
    correct(app, request.id, &both).await;
    assert_eq!(
        asked(app, request.id).await,
        [(alain.id, "en_attente".to_owned())]
    );

    // After a call, the person's need turns out to be about health online: Alain does not offer it.
    correct(app, request.id, &correction("telephone", "sante")).await;
    assert_eq!(
        asked(app, request.id).await,
        [
            (alain.id, "retiree".to_owned()),
            (brigitte.id, "en_attente".to_owned())
        ]
    );
    let kinds = event_kinds(app, request.id).await;
    assert_eq!(
        kinds[kinds.len() - 3..],
        ["modifiee", "propositions_retirees", "propositions"]
    );
    let page = request_page(app, request.id).await;
    assert!(page.contains("Propositions retirées"));
    assert!(page.contains("la demande ne correspond plus au profil de : Alain"));
    assert!(
        !page.contains(&format!("n° {}", alain.id)),
        "no internal number"
    );

    // Alain's proposal page says it was withdrawn, and accepting it takes nothing.
    let hash = Passwords::new(1).hash(PASSWORD).await.unwrap();
    let mut row = alain.clone().into_active_model();
    row.password_hash = Set(hash);
    row.update(&app.db).await.unwrap();
    log_in(app, &alain.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let mine = kit::proposals_of(app, request.id).await[0].id;
    let shown = app
        .server
        .get(&format!("/benevole/propositions/{mine}"))
        .await
        .text();
    assert!(shown.contains("Cette proposition vous a été retirée"));
    assert!(!shown.contains("J&#39;accepte") && !shown.contains("J'accepte"));
    app.server
        .post(&format!("/benevole/propositions/{mine}/accepter"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        asked(app, request.id).await[0],
        (alain.id, "retiree".to_owned())
    );
    let holder = entity::help_request::Entity::find_by_id(request.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .volunteer_id;
    assert_eq!(holder, None);
}

#[tokio::test]
async fn a_transfer_to_an_organisation_that_vets_withdraws_unvetted_in_person_proposals() {
    let s = setup_matching(1, 3).await;
    let app = &s.app;
    let alain = add_volunteer(
        app,
        Volunteer {
            prenom: "Alain",
            km: 1.0,
            modes: &["presentiel"],
            ..Default::default()
        },
    )
    .await;
    let chloe = add_volunteer(
        app,
        Volunteer {
            prenom: "Chloé",
            km: 2.0,
            modes: &["presentiel"],
            vetted: true,
            ..Default::default()
        },
    )
    .await;
    let request = marne_request(app).await;
    correct(app, request.id, &correction("presentiel", "demarches")).await;
    act(app, request.id, "valider", &[]).await;
    assert_eq!(
        asked(app, request.id).await,
        [(alain.id, "en_attente".to_owned())]
    );

    let mut aube = s.aube.clone().into_active_model();
    aube.vetting_required = Set(true);
    let aube: organisation::Model = aube.update(&app.db).await.unwrap();
    act(
        app,
        request.id,
        "transferer",
        &[("organisation", &aube.id.to_string())],
    )
    .await;
    assert_eq!(
        asked(app, request.id).await,
        [
            (alain.id, "retiree".to_owned()),
            (chloe.id, "en_attente".to_owned())
        ],
        "in person, only vetted volunteers for this organisation"
    );
    let still_there = account::Entity::find()
        .filter(account::Column::Id.eq(alain.id))
        .one(&app.db)
        .await
        .unwrap();
    assert!(still_there.is_some(), "the volunteer is untouched");
}
