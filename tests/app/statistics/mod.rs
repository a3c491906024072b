//! The public statistics, the open data and the moderators' export, against a hand-computed
//! fixture (`fixture.rs`).

mod export;
mod figures;
pub mod fixture;
mod open_data;
mod secrecy;

use axum::http::StatusCode;
use chrono::Utc;

use crate::helpers::{TestApp, spawn_app};

/// The period that holds every request of the fixture.
pub const WHOLE: &str = "du=2025-01&au=2026-11";

/// An app with the fixture written, retention and the roll-up run as the nightly jobs would.
pub async fn app_with_fixture() -> (TestApp, fixture::Fixture) {
    let app = spawn_app().await;
    let fixture = fixture::write_all(&app).await;
    let report = app.run_due_jobs(Utc::now()).await;
    assert_eq!(
        report.of("statistics-rollup"),
        15,
        "every request is counted"
    );
    (app, fixture)
}

/// The dashboard at `/statistiques?{query}`, as HTML.
pub async fn dashboard(app: &TestApp, query: &str) -> String {
    let response = app.server.get(&format!("/statistiques?{query}")).await;
    response.assert_status(StatusCode::OK);
    response.text()
}

/// The key figure labelled `label` (`Demandes reçues`), as a number.
pub fn figure(html: &str, label: &str) -> u64 {
    let pattern = format!(
        r#"<span class="valeur">([0-9]+)</span> {}</li>"#,
        regex::escape(label)
    );
    let found = regex::Regex::new(&pattern)
        .unwrap()
        .captures(html)
        .unwrap_or_else(|| panic!("no figure « {label} »"));
    found[1].parse().unwrap()
}

/// The cells of the table row whose header starts with `label`.
pub fn table_row(html: &str, label: &str) -> Vec<String> {
    let start = html
        .find(&format!(r#"<th scope="row">{label}"#))
        .unwrap_or_else(|| panic!("no row « {label} »"));
    let rest = &html[start..];
    let row = &rest[..rest.find("</tr>").unwrap()];
    regex::Regex::new(r#"<td class="nombre">([^<]*)</td>"#)
        .unwrap()
        .captures_iter(row)
        .map(|c| c[1].to_owned())
        .collect()
}

/// The open-data CSV, parsed: the header and the rows.
pub async fn open_data_csv(app: &TestApp) -> (Vec<String>, Vec<Vec<String>>) {
    let response = app.server.get("/statistiques/donnees.csv").await;
    response.assert_status(StatusCode::OK);
    assert_eq!(
        response.header("content-type").to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    let body = response.text();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// The value of `column` in `row`.
pub fn col<'a>(header: &[String], row: &'a [String], column: &str) -> &'a str {
    let i = header
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    &row[i]
}

/// The row of the CSV for a month, département and category.
pub fn csv_row<'a>(
    header: &[String],
    rows: &'a [Vec<String>],
    month: &str,
    departement: &str,
    category: &str,
) -> &'a [String] {
    rows.iter()
        .find(|r| {
            col(header, r, "mois") == month
                && col(header, r, "departement") == departement
                && col(header, r, "categorie") == category
        })
        .unwrap_or_else(|| panic!("no row {month} {departement} {category}"))
}
