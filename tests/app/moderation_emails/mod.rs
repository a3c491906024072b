//! E-mails to moderators: new requests (immediate or daily digest), requests without volunteer,
//! and the preferences page that chooses between immediate and digest.

mod digest;
mod preferences;

use entity::states::RequestStatus;
use entity::{membership, organisation};
use entraide::lifecycle::alerts as notify;
use entraide::matching::rounds;
use entraide::requests::Actor;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::{TestApp, spawn_app};
use crate::kit;
use crate::moderation_volunteers::fixtures::{LYON, Place, REIMS, add_request};
use crate::staff::{add_membership, add_organisation, add_staff};

/// Sets the e-mail preference of `account_id` in `organisation_id`.
pub async fn set_notification(app: &TestApp, organisation_id: i64, account_id: i64, value: &str) {
    membership::Entity::update_many()
        .col_expr(membership::Column::Notification, Expr::value(value))
        .filter(membership::Column::OrganisationId.eq(organisation_id))
        .filter(membership::Column::AccountId.eq(account_id))
        .exec(&app.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn moderators_who_want_it_hear_of_each_new_request_at_once() {
    let app = spawn_app().await;
    let marne = add_organisation(&app, "Marne Solidaire", "51 08", false).await;
    let rhone = add_organisation(&app, "Rhône Numérique", "69", false).await;
    let immediate = add_staff(&app, "moderateur", "Inès").await;
    add_membership(&app, marne.id, immediate.id).await;
    let digest = add_staff(&app, "moderateur", "Quentin").await;
    add_membership(&app, marne.id, digest.id).await;
    set_notification(&app, marne.id, digest.id, "quotidien").await;
    let elsewhere = add_staff(&app, "moderateur", "Romane").await;
    add_membership(&app, rhone.id, elsewhere.id).await;

    let request = add_request(&app, REIMS, false).await;
    let email = app
        .mailbox
        .delivered(&immediate.email, |e| {
            e.subject.contains("Nouvelle demande à traiter")
        })
        .await;
    assert!(email.subject.contains(&request.reference));
    assert!(email.subject.contains("à rappeler"));
    for part in [&email.text, &email.html] {
        assert!(part.contains(&request.reference));
        assert!(part.contains("Reims"));
        assert!(part.contains("Faire une démarche administrative en ligne"));
        assert!(part.contains("par téléphone") && part.contains("en personne"));
        assert!(part.contains("en attente depuis moins d") && part.contains("une heure"));
        assert!(part.contains(&format!("/moderation/demandes/{}", request.id)));
        assert!(part.contains("appelez-la"), "à rappeler");
        assert!(!part.contains("Josette"), "no name");
        assert!(!part.contains("03 26") && !part.contains("+33"), "no phone");
        assert!(!part.contains("revenus"), "no free text");
    }
    assert!(
        email.text.contains("/moderation/preferences"),
        "how to change"
    );

    assert!(
        app.outbox_rows("moderation_new_request", Some(&digest.email))
            .await
            .is_empty(),
        "the digest reader waits for the digest"
    );
    assert!(
        app.outbox_rows("moderation_new_request", Some(&elsewhere.email))
            .await
            .is_empty(),
        "another organisation hears nothing"
    );

    // Called again for the same request, nothing is sent twice.
    notify::request_to_triage(&app.db, &app.config, &request)
        .await
        .unwrap();
    assert_eq!(
        app.outbox_rows("moderation_new_request", Some(&immediate.email))
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn admins_triage_the_requests_no_organisation_covers() {
    let app = spawn_app().await;
    let rhone = add_organisation(&app, "Rhône Numérique", "69", false).await;
    let moderator = add_staff(&app, "moderateur", "Romane").await;
    add_membership(&app, rhone.id, moderator.id).await;
    let alice = add_staff(&app, "admin", "Alice").await;
    let bernard = add_staff(&app, "admin", "Bernard").await;

    let request = add_request(&app, REIMS, true).await;
    assert_eq!(request.organisation_id, None);
    for admin in [&alice, &bernard] {
        let email = app
            .mailbox
            .delivered(&admin.email, |e| {
                e.subject.contains("Nouvelle demande à traiter")
            })
            .await;
        assert!(
            email
                .text
                .contains(&format!("/moderation/demandes/{}", request.id))
        );
        assert!(email.text.contains("vous administrez Entraide"));
        assert!(!email.subject.contains("à rappeler"));
    }
    assert!(
        app.outbox_rows("moderation_new_request", Some(&moderator.email))
            .await
            .is_empty()
    );
    let covered = add_request(&app, LYON, true).await;
    assert_eq!(covered.organisation_id, Some(rhone.id));
    assert_eq!(
        app.outbox_rows("moderation_new_request", Some(&alice.email))
            .await
            .len(),
        1,
        "a covered request is not for the admins"
    );
}

#[tokio::test]
async fn every_moderator_is_alerted_when_no_volunteer_is_found() {
    let app = spawn_app().await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", true).await;
    let immediate = add_staff(&app, "moderateur", "Inès").await;
    add_membership(&app, marne.id, immediate.id).await;
    let digest = add_staff(&app, "moderateur", "Quentin").await;
    add_membership(&app, marne.id, digest.id).await;
    set_notification(&app, marne.id, digest.id, "quotidien").await;

    // Auto-approved, and no volunteer exists: matching finds nobody at once.
    let request = add_request(&app, REIMS, true).await;
    assert_eq!(
        kit::request(&app, request.id).await.status,
        RequestStatus::SansBenevole
    );
    for moderator in [&immediate, &digest] {
        let email = app
            .mailbox
            .delivered(&moderator.email, |e| {
                e.subject.contains("Aucun bénévole trouvé")
            })
            .await;
        assert!(email.subject.contains(&request.reference));
        assert!(
            email
                .text
                .contains(&format!("/moderation/demandes/{}", request.id))
        );
        assert!(
            email
                .html
                .contains(&format!("/moderation/demandes/{}", request.id))
        );
        assert!(!email.text.contains("Josette"));
    }

    // No organisation: the admins are alerted once matching gives up.
    let admin = add_staff(&app, "admin", "Alice").await;
    let orphan = add_request(&app, LYON, true).await;
    assert_eq!(orphan.status, RequestStatus::Nouvelle);
    rounds::open_request(&app.db, &app.config, &orphan, Actor::Admin, None)
        .await
        .unwrap();
    let email = app
        .mailbox
        .delivered(&admin.email, |e| {
            e.subject.contains("Aucun bénévole trouvé")
        })
        .await;
    assert!(email.text.contains(&orphan.reference));
    assert_eq!(
        app.outbox_rows("moderation_no_volunteer", Some(&immediate.email))
            .await
            .len(),
        1,
        "the organisation's moderators only hear of their own requests"
    );

    // An organisation deactivated meanwhile: its moderators no longer see it, the admins do.
    let aube = add_organisation(&app, "Aube Numérique", "10", false).await;
    let romane = add_staff(&app, "moderateur", "Romane").await;
    add_membership(&app, aube.id, romane.id).await;
    let troyes = Place {
        insee: "10387",
        departement: "10",
        lat: 48.3007,
        lon: 4.0852,
    };
    let stranded = add_request(&app, troyes, true).await;
    assert_eq!(stranded.organisation_id, Some(aube.id));
    organisation::Entity::update_many()
        .col_expr(organisation::Column::Active, Expr::value(false))
        .filter(organisation::Column::Id.eq(aube.id))
        .exec(&app.db)
        .await
        .unwrap();
    rounds::open_request(&app.db, &app.config, &stranded, Actor::Admin, None)
        .await
        .unwrap();
    let email = app
        .mailbox
        .delivered(&admin.email, |e| {
            e.subject.contains("Aucun bénévole trouvé") && e.text.contains(&stranded.reference)
        })
        .await;
    assert!(email.text.contains("vous administrez Entraide"));
    assert!(
        app.outbox_rows("moderation_no_volunteer", Some(&romane.email))
            .await
            .is_empty()
    );
}
