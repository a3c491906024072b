//! The open-data file against its Table Schema: every row's every value has the declared type
//! and constraints; one row per month × département × category.

use std::collections::HashSet;

use serde_json::Value;

use super::{app_with_fixture, col, csv_row, open_data_csv};

fn check(field: &Value, value: &str) -> Result<(), String> {
    let name = field["name"].as_str().unwrap();
    let constraints = &field["constraints"];
    if value.is_empty() {
        return if constraints["required"] == true {
            Err(format!("{name}: required but blank"))
        } else {
            Ok(())
        };
    }
    match field["type"].as_str().unwrap() {
        "integer" => {
            let n: i64 = value
                .parse()
                .map_err(|_| format!("{name}: « {value} » is not an integer"))?;
            if let Some(min) = constraints["minimum"].as_i64()
                && n < min
            {
                return Err(format!("{name}: {n} < {min}"));
            }
        }
        "boolean" => {
            if value != "true" && value != "false" {
                return Err(format!("{name}: « {value} » is not a boolean"));
            }
        }
        "string" => {}
        other => return Err(format!("{name}: unknown type {other}")),
    }
    if let Some(pattern) = constraints["pattern"].as_str()
        && !regex::Regex::new(pattern).unwrap().is_match(value)
    {
        return Err(format!("{name}: « {value} » does not match {pattern}"));
    }
    if let Some(values) = constraints["enum"].as_array()
        && !values.iter().any(|v| v == value)
    {
        return Err(format!(
            "{name}: « {value} » is not one of the listed values"
        ));
    }
    Ok(())
}

#[tokio::test]
async fn statistics_open_data_rows_follow_their_table_schema() {
    let (app, _) = app_with_fixture().await;
    let schema: Value = app.server.get("/statistiques/schema.json").await.json();
    let fields = schema["fields"].as_array().unwrap();
    assert!(
        schema["licenses"][0]["title"]
            .as_str()
            .unwrap()
            .contains("Licence Ouverte")
    );
    for field in fields {
        assert!(!field["description"].as_str().unwrap().is_empty());
    }
    let (header, rows) = open_data_csv(&app).await;
    let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(header, names, "the columns are the schema's, in its order");

    let mut keys = HashSet::new();
    let mut errors = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), fields.len());
        for (field, value) in fields.iter().zip(row) {
            if let Err(e) = check(field, value) {
                errors.push(format!("row {}: {e}", n + 2));
            }
        }
        let key = (
            col(&header, row, "mois").to_owned(),
            col(&header, row, "departement").to_owned(),
            col(&header, row, "categorie").to_owned(),
        );
        assert!(keys.insert(key), "the primary key is unique");
    }
    assert!(
        errors.is_empty(),
        "{}",
        errors[..errors.len().min(20)].join("\n")
    );
    // From the first published month to the roll-up's: 101 départements × 12 categories a month.
    assert_eq!(rows.len() % (101 * 12), 0);
    assert_eq!(col(&header, &rows[0], "mois"), "2025-03");

    let sante = csv_row(&header, &rows, "2025-03", "51", "sante");
    assert_eq!(col(&header, sante, "departement_nom"), "Marne");
    assert_eq!(col(&header, sante, "demandes_resolues"), "4");
    // Four delays only (R1, R2, R3, R7): under the threshold, blank in a published row.
    assert_eq!(
        col(&header, sante, "delai_prise_en_charge_mediane_heures"),
        ""
    );
    let toutes = csv_row(&header, &rows, "2025-03", "51", "toutes");
    assert_eq!(
        col(&header, toutes, "delai_prise_en_charge_mediane_heures"),
        "10"
    );
    assert_eq!(
        col(&header, toutes, "delai_resolution_mediane_heures"),
        "24"
    );
    assert_eq!(col(&header, toutes, "delai_resolution_p90_heures"), "48");
    assert_eq!(
        col(&header, toutes, "delai_prise_en_charge_p90_heures"),
        "120"
    );
    assert_eq!(col(&header, toutes, "demandes_telephone_seulement"), "1");
    assert_eq!(col(&header, toutes, "avis"), "4");
}

#[tokio::test]
async fn statistics_open_data_json_has_the_same_rows_and_the_licence() {
    let (app, _) = app_with_fixture().await;
    let (_, rows) = open_data_csv(&app).await;
    let json: Value = app.server.get("/statistiques/donnees.json").await.json();
    assert_eq!(json["donnees"].as_array().unwrap().len(), rows.len());
    assert!(
        json["licence"]["nom"]
            .as_str()
            .unwrap()
            .contains("Licence Ouverte")
    );
    let march = json["donnees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["mois"] == "2025-03" && r["departement"] == "51" && r["categorie"] == "toutes")
        .unwrap();
    assert_eq!(march["demandes_recues"], 7);
    assert_eq!(march["secret_statistique"], false);
}
