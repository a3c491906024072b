//! Candidates explained with facts (« sait : … · 5 km · aide 0 personne · nouveau (pas
//! d'historique) · en personne : non vérifié · parle arabe »), no perfect responsiveness without
//! history, one score everywhere, no internal codes; and, when nobody fits, why.

use super::desk::detailed_request;
use super::fixtures::{
    act, add_phone_volunteer_in_reims, marne_request, request_page, setup_matching,
};
use entraide::contact::PhoneNumber;
use entraide::reference::ModeSet;
use entraide::requests::intake::NewRequest;

use crate::fixtures::REIMS;
use crate::fixtures::{Place, Volunteer, add_volunteer};
use crate::kit;

const REIMS_PLACE: Place = Place {
    insee: "51454",
    departement: "51",
    lat: 49.2628,
    lon: 4.0347,
};

#[tokio::test]
async fn candidates_are_explained_with_facts_and_one_score() {
    let s = setup_matching(1, 3).await;
    let app = &s.app;
    let alain = add_phone_volunteer_in_reims(app, "Alain", 1.0).await;
    add_phone_volunteer_in_reims(app, "Brigitte", 3.0).await;
    let request = marne_request(app).await;
    act(app, request.id, "valider", &[]).await;
    let page = request_page(app, request.id).await;
    assert!(
        page.contains(
            "sait : démarches en ligne · 3 km · aide 0 personne · nouveau (pas d'historique)"
        ),
        "facts, not formulas"
    );
    assert!(
        !page.contains("Réactivité : 10 sur 10"),
        "no perfect mark without history"
    );
    assert!(page.contains("Réactivité : nouveau, pas encore d'historique"));
    assert!(!page.contains("n° "), "no internal numbers");
    assert!(!page.contains(&format!("#{}", alain.id)));
    // One score: the proposals table and the timeline write the same number.
    let asked = kit::proposals_of(app, request.id).await;
    let score = asked[0].score.round() as i64;
    assert!(page.contains(&format!("tour 1 : proposée à Alain ({score} sur 100)")));
    assert!(page.contains(&format!("<td>{score}</td></tr>")));
}

#[tokio::test]
async fn in_person_vetting_and_language_are_facts_too() {
    let s = setup_matching(1, 3).await;
    let app = &s.app;
    for (prenom, km, vetted) in [("Nadia", 1.0, false), ("Karim", 2.0, true)] {
        add_volunteer(
            app,
            Volunteer {
                prenom,
                place: REIMS_PLACE,
                km,
                vetted,
                categories: &["demarches"],
                langues: "ar",
                ..Default::default()
            },
        )
        .await;
    }
    let new = NewRequest {
        description: None,
        modes: ModeSet::from_slugs(&["telephone", "presentiel"]).unwrap(),
        commune_insee: REIMS_PLACE.insee.into(),
        departement: REIMS_PLACE.departement.into(),
        latitude: REIMS_PLACE.lat,
        longitude: REIMS_PLACE.lon,
        prenom: "Fatima".into(),
        email: None,
        telephone: Some(PhoneNumber::parse("03 26 00 00 00").unwrap()),
        langue: Some("ar".into()),
        ..kit::new_request(REIMS)
    };
    let request = kit::file(app, &new).await.request;
    act(app, request.id, "valider", &[]).await;
    let page = request_page(app, request.id).await;
    assert!(
        page.contains("Proposer à Karim"),
        "Nadia, closer, was asked first"
    );
    assert!(page.contains(
        "sait : démarches en ligne · 2 km · aide 0 personne · nouveau (pas d'historique) · \
         en personne : vérifié · parle arabe"
    ));
}

#[tokio::test]
async fn when_nobody_fits_the_page_says_why() {
    let s = setup_matching(1, 3).await;
    let app = &s.app;
    for (prenom, km) in [("Alain", 1.0), ("Brigitte", 2.0)] {
        add_volunteer(
            app,
            Volunteer {
                prenom,
                place: REIMS_PLACE,
                km,
                modes: &["telephone"],
                categories: &["proches"],
                ..Default::default()
            },
        )
        .await;
    }
    let request = detailed_request(app, "Josette", "Appels vidéo", Some("ar"), None, None).await;
    act(app, request.id, "valider", &[]).await;
    let page = request_page(app, request.id).await;
    assert!(
        page.contains("Aucun bénévole disponible ne correspond à cette demande pour le moment.")
    );
    assert!(page.contains(
        "Aucun bénévole disponible ne parle arabe ; sans cette condition, 2 pourraient aider."
    ));
}
