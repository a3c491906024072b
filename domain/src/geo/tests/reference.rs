//! Lookups in the real reference: the cases the issue names, and checks on every row.

use super::communes;
use crate::geo::*;

fn postcode(text: &str) -> Postcode {
    Postcode::parse(text).unwrap()
}

fn insee(text: &str) -> InseeCode {
    InseeCode::parse(text).unwrap()
}

fn codes_with_postcode(text: &str) -> Vec<String> {
    communes()
        .with_postcode(postcode(text))
        .iter()
        .map(|c| c.insee.to_string())
        .collect()
}

#[test]
fn the_reference_holds_every_commune() {
    let communes = communes();
    assert!(communes.len() > 34_000, "{}", communes.len());
    assert!(communes.alias_count() > 2_000, "{}", communes.alias_count());
    let arrondissements = communes
        .iter()
        .filter(|c| c.kind == CommuneKind::Arrondissement)
        .count();
    assert_eq!(arrondissements, 20 + 9 + 16);
    let departements: std::collections::HashSet<_> =
        communes.iter().map(|c| c.departement).collect();
    assert_eq!(departements.len(), 101, "every département has communes");
}

#[test]
fn every_row_lies_inside_its_own_territory() {
    // (south, north, west, east) in degrees, as in data/README.md.
    let territory = |departement: DepartementCode| match departement.as_str() {
        "2A" | "2B" => (41.3, 43.1, 8.5, 9.6),
        "971" => (15.8, 16.6, -61.9, -60.9),
        "972" => (14.3, 14.9, -61.3, -60.8),
        "973" => (2.1, 5.8, -54.7, -51.6),
        "974" => (-21.4, -20.8, 55.2, 55.9),
        "976" => (-13.1, -12.6, 44.9, 45.4),
        _ => (41.3, 51.1, -5.2, 9.6),
    };
    for commune in communes().iter() {
        let (south, north, west, east) = territory(commune.departement);
        let Point { lat, lon } = commune.point;
        assert!(
            (south..=north).contains(&lat) && (west..=east).contains(&lon),
            "{} {} ({}) at {lat}, {lon}",
            commune.insee,
            commune.nom,
            commune.departement
        );
        assert_eq!(
            commune.insee.departement(),
            commune.departement,
            "{}",
            commune.insee
        );
        assert!(!commune.postcodes.is_empty(), "{}", commune.insee);
    }
}

#[test]
fn marseille_postcodes_lead_to_arrondissements() {
    assert_eq!(codes_with_postcode("13001"), ["13201"]);
    let city = communes().get(insee("13055")).unwrap();
    assert_eq!(city.kind, CommuneKind::City);
    assert_eq!(communes().arrondissements(city).len(), 16);
}

#[test]
fn both_paris_16_postcodes_lead_to_the_16th_arrondissement() {
    assert_eq!(codes_with_postcode("75016"), ["75116"]);
    assert_eq!(codes_with_postcode("75116"), ["75116"]);
    let sixteenth = communes().get(insee("75116")).unwrap();
    assert_eq!(sixteenth.city, Some(insee("75056")));
}

#[test]
fn postcodes_never_lead_to_a_whole_city() {
    for city in ["75056", "69123", "13055"] {
        let city = communes().get(insee(city)).unwrap().clone();
        for postcode in &city.postcodes {
            let found = communes().with_postcode(*postcode);
            assert!(!found.is_empty(), "{postcode}");
            assert!(
                found.iter().all(|c| c.kind == CommuneKind::Arrondissement),
                "{postcode}"
            );
        }
    }
}

#[test]
fn corsica_and_overseas_postcodes() {
    assert_eq!(codes_with_postcode("20000"), ["2A004"]);
    let ajaccio = communes().get(insee("2A004")).unwrap();
    assert_eq!(
        (ajaccio.nom.as_str(), ajaccio.departement.as_str()),
        ("Ajaccio", "2A")
    );
    assert_eq!(codes_with_postcode("97400"), ["97411"]);
    let saint_denis = communes().get(insee("97411")).unwrap();
    assert_eq!(saint_denis.nom, "Saint-Denis");
    assert_eq!(saint_denis.departement.as_str(), "974");
}

#[test]
fn a_postcode_may_cover_many_communes_biggest_first() {
    let found = communes().with_postcode(postcode("51300"));
    assert!(found.len() >= 40, "{}", found.len());
    assert_eq!(found[0].nom, "Vitry-le-François");
    assert!(found.windows(2).all(|w| w[0].population >= w[1].population));
}

#[test]
fn names_are_found_whatever_the_spelling() {
    let communes = communes();
    for typed in ["st etienne", "Saint-Étienne", "SAINT ETIENNE", "st-étienne"] {
        let found = communes.search(typed, 5);
        assert_eq!(found[0].commune.insee, insee("42218"), "{typed}");
    }
    let exact = communes.named("st etienne");
    assert!(exact.iter().any(|f| f.commune.insee == insee("42218")));
}

#[test]
fn prefix_search_puts_exact_names_first_then_the_biggest() {
    let communes = communes();
    let found = communes.search("marse", 10);
    assert_eq!(
        found[0].commune.insee,
        insee("13055"),
        "Marseille as a whole"
    );
    let populations: Vec<u32> = found.iter().map(|f| f.commune.population).collect();
    assert!(
        populations.windows(2).all(|w| w[0] >= w[1]),
        "{populations:?}"
    );

    let mars = communes.search("mars", 10);
    let exact = mars.iter().take_while(|f| f.commune.nom == "Mars").count();
    assert!(exact >= 1, "the communes called Mars come first");
    assert_eq!(
        mars[exact].commune.insee,
        insee("13055"),
        "then the biggest"
    );

    let bourg = communes.search("Bourg", 10);
    assert!(
        bourg[..2].iter().all(|f| f.commune.nom == "Bourg"),
        "both Bourg first"
    );
    assert!(bourg[2].commune.population > bourg[0].commune.population);
}

#[test]
fn an_unfinished_st_also_finds_names_starting_with_st() {
    let found = communes().search("st", 50);
    assert!(found.iter().any(|f| f.commune.nom == "Strasbourg"));
    assert!(found.iter().any(|f| f.commune.nom.starts_with("Saint-")));
}

#[test]
fn cities_and_arrondissements_are_found_by_name() {
    let communes = communes();
    assert_eq!(communes.search("Paris", 1)[0].commune.insee, insee("75056"));
    assert_eq!(
        communes.search("marseille", 1)[0].commune.insee,
        insee("13055")
    );
    assert_eq!(communes.search("Lyon", 1)[0].commune.insee, insee("69123"));
    let sixteenth = communes.search("Paris 16", 5);
    assert_eq!(sixteenth[0].commune.insee, insee("75116"));
}

#[test]
fn former_communes_are_aliases_of_their_current_commune() {
    let found = communes().named("Bellegarde-sur-Valserine");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].commune.nom, "Valserhône");
    assert_eq!(found[0].former_name, Some("Bellegarde-sur-Valserine"));
    assert_eq!(
        found[0].label(),
        "Valserhône (anciennement Bellegarde-sur-Valserine)"
    );
    // A commune matching under its own name is not shown under a former one.
    let own = communes().named("Valserhône");
    assert_eq!(own[0].former_name, None);
}

#[test]
fn paris_1st_to_marseille_1st_is_about_660_km() {
    let communes = communes();
    let paris = communes.get(insee("75101")).unwrap().point;
    let marseille = communes.get(insee("13201")).unwrap().point;
    let distance = haversine_km(paris, marseille);
    assert!((distance - 660.0).abs() <= 10.0, "{distance}");
}

#[test]
fn communes_within_a_radius_nearest_first() {
    let communes = communes();
    let vitry = communes.get(insee("51649")).unwrap();
    let near = communes.within_km(vitry.point, 10.0);
    assert_eq!(near[0].0.insee, vitry.insee);
    assert_eq!(near[0].1, 0.0);
    assert!(near.len() > 10, "{}", near.len());
    assert!(
        near.iter()
            .all(|(c, d)| *d <= 10.0 && c.point.distance_km(vitry.point) == *d)
    );
    assert!(near.windows(2).all(|w| w[0].1 <= w[1].1));
    let total_within = communes
        .iter()
        .filter(|c| c.kind != CommuneKind::City && c.point.distance_km(vitry.point) <= 10.0)
        .count();
    assert_eq!(near.len(), total_within, "the prefilter drops nothing");

    let paris = communes.get(insee("75056")).unwrap();
    let central = communes.within_km(paris.point, 2.0);
    assert!(
        central
            .iter()
            .all(|(c, _)| c.kind == CommuneKind::Arrondissement)
    );
}
