//! Statistical secrecy: an attacker with the page (any territory, any period) and the open-data
//! file tries to recover the small cells of the fixture — U1 (1 request, Marne, September 2026)
//! and T1–T2 (2 requests, Ardennes, March 2025) — from totals and differences, and fails.

use super::{WHOLE, app_with_fixture, col, csv_row, dashboard, figure, open_data_csv};

const RECEIVED: &str = "Demandes reçues";

#[tokio::test]
async fn statistics_small_cells_are_blank_and_flagged() {
    let (app, _) = app_with_fixture().await;
    let (header, rows) = open_data_csv(&app).await;
    for (month, departement) in [("2025-03", "08"), ("2026-09", "51")] {
        for category in ["toutes", "sante", "emploi"] {
            let row = csv_row(&header, &rows, month, departement, category);
            assert_eq!(col(&header, row, "secret_statistique"), "true");
            assert_eq!(col(&header, row, "demandes_recues"), "");
            assert_eq!(col(&header, row, "demandes_resolues"), "");
            assert_eq!(col(&header, row, "avis_satisfaits"), "");
        }
    }
    // The Marne in March 2025: 7 requests, published; `sante` (5) too; `demarches` (2) not.
    let toutes = csv_row(&header, &rows, "2025-03", "51", "toutes");
    assert_eq!(col(&header, toutes, "secret_statistique"), "false");
    assert_eq!(col(&header, toutes, "demandes_recues"), "7");
    let sante = csv_row(&header, &rows, "2025-03", "51", "sante");
    assert_eq!(col(&header, sante, "demandes_recues"), "5");
    let demarches = csv_row(&header, &rows, "2025-03", "51", "demarches");
    assert_eq!(col(&header, demarches, "secret_statistique"), "true");
    // A blank never says "nothing here": empty cells are blank and flagged the same way.
    let empty = csv_row(&header, &rows, "2025-04", "13", "toutes");
    assert_eq!(col(&header, empty, "secret_statistique"), "true");
    assert_eq!(col(&header, empty, "demandes_recues"), "");
}

/// The sum of the CSV's published `toutes` cells for these months and départements.
fn csv_sum(header: &[String], rows: &[Vec<String>], months: &[&str], departements: &[&str]) -> u64 {
    rows.iter()
        .filter(|r| {
            col(header, r, "categorie") == "toutes"
                && months.contains(&col(header, r, "mois"))
                && departements.contains(&col(header, r, "departement"))
        })
        .filter_map(|r| col(header, r, "demandes_recues").parse::<u64>().ok())
        .sum()
}

#[tokio::test]
async fn statistics_small_cells_cannot_be_recovered_from_totals_and_differences() {
    let (app, _) = app_with_fixture().await;
    let (header, rows) = open_data_csv(&app).await;
    let all_months: Vec<String> = rows
        .iter()
        .map(|r| col(&header, r, "mois").to_owned())
        .collect();
    let all_months: Vec<&str> = all_months.iter().map(String::as_str).collect();
    let all_departements: Vec<String> = rows
        .iter()
        .map(|r| col(&header, r, "departement").to_owned())
        .collect();
    let all_departements: Vec<&str> = all_departements.iter().map(String::as_str).collect();

    // Attack 1: France on the page minus every published cell of the file.
    let france = figure(&dashboard(&app, WHOLE).await, RECEIVED);
    let hidden = france - csv_sum(&header, &rows, &all_months, &all_departements);
    assert_eq!(
        hidden, 0,
        "the page's total is the sum of the published cells"
    );

    // Attack 2: the Grand Est minus the Marne in March 2025, to find the Ardennes (truly 2).
    let region = figure(
        &dashboard(&app, "zone=r44&du=2025-03&au=2025-03").await,
        RECEIVED,
    );
    let marne = figure(
        &dashboard(&app, "zone=51&du=2025-03&au=2025-03").await,
        RECEIVED,
    );
    assert_eq!(region - marne, 0);
    let ardennes = figure(
        &dashboard(&app, "zone=08&du=2025-03&au=2025-03").await,
        RECEIVED,
    );
    assert_eq!(ardennes, 0);

    // Attack 3: two overlapping periods of the Marne, to find September 2026 (truly 1).
    let long = figure(
        &dashboard(&app, "zone=51&du=2026-09&au=2026-10").await,
        RECEIVED,
    );
    let short = figure(
        &dashboard(&app, "zone=51&du=2026-10&au=2026-10").await,
        RECEIVED,
    );
    assert_eq!(long - short, 0);
    // … or the page's period minus the file's October row.
    assert_eq!(long - csv_sum(&header, &rows, &["2026-10"], &["51"]), 0);

    // Attack 4: France minus every département but the Ardennes, on the page, in March 2025.
    let france_march = figure(&dashboard(&app, "du=2025-03&au=2025-03").await, RECEIVED);
    assert_eq!(france_march - marne, 0);

    // Attack 5: a category from `toutes` minus the published categories (Marne, March 2025):
    // 7 − 5 (sante) = 2 requests spread over ten blank categories, none of them singled out.
    let toutes = csv_row(&header, &rows, "2025-03", "51", "toutes");
    let blanks = rows
        .iter()
        .filter(|r| {
            col(&header, r, "mois") == "2025-03"
                && col(&header, r, "departement") == "51"
                && col(&header, r, "categorie") != "toutes"
                && col(&header, r, "secret_statistique") == "true"
        })
        .count();
    assert_eq!(col(&header, toutes, "demandes_recues"), "7");
    assert_eq!(blanks, 10);

    // No figure anywhere holds the small cells' true values as a difference: every attack gave 0.
    let json = app.server.get("/statistiques/donnees.json").await.text();
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let secret_rows = json["donnees"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["secret_statistique"] == true)
        .count();
    assert!(secret_rows > 0);
    assert!(
        json["donnees"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["secret_statistique"] == true)
            .all(|r| r["demandes_recues"].is_null())
    );
}
