//! The open-data file (`/statistiques/donnees.csv` and `.json`): one row per month × département ×
//! category, over every month since the first request, with the counts and delays of [`Measure`];
//! and its Table Schema (`/statistiques/schema.json`, frictionless conventions as used by
//! schema.data.gouv.fr), under the Licence Ouverte 2.0. Secret cells are blank and flagged.

use serde_json::{Map, Value, json};

use super::cell::{Cell, Measure};
use super::cube::Cube;
use super::month::Month;
use super::rollup::ALL_CATEGORIES;
use super::secrecy::THRESHOLD;
use crate::geo::DepartementCode;
use crate::reference::Category;

/// The licence's name, as the page and the files state it.
pub const LICENCE: &str = "Licence Ouverte / Open Licence version 2.0 (Etalab)";
/// Where the licence is published.
pub const LICENCE_URL: &str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";

/// The type of a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    String,
    Integer,
    Boolean,
}

/// One column of the file.
#[derive(Clone, Debug)]
pub struct Field {
    pub name: &'static str,
    pub title: &'static str,
    pub description: String,
    pub kind: Kind,
    /// Never blank.
    pub required: bool,
    pub pattern: Option<&'static str>,
    pub values: Option<Vec<&'static str>>,
}

const DELAYS: [(&str, &str, &str); 4] = [
    (
        "delai_prise_en_charge_mediane_heures",
        "Délai de prise en charge, médiane (heures)",
        "Médiane, en heures entières, du temps entre la validation de la demande et la première acceptation par un bénévole.",
    ),
    (
        "delai_prise_en_charge_p90_heures",
        "Délai de prise en charge, 90e centile (heures)",
        "90e centile (rang le plus proche), en heures entières, du temps entre la validation et la première acceptation par un bénévole.",
    ),
    (
        "delai_resolution_mediane_heures",
        "Délai de résolution, médiane (heures)",
        "Médiane, en heures entières, du temps entre l'acceptation par le bénévole et la résolution.",
    ),
    (
        "delai_resolution_p90_heures",
        "Délai de résolution, 90e centile (heures)",
        "90e centile (rang le plus proche), en heures entières, du temps entre l'acceptation par le bénévole et la résolution.",
    ),
];

/// Every column, in order.
pub fn fields() -> Vec<Field> {
    let mut categories = vec![ALL_CATEGORIES];
    categories.extend(Category::ALL.iter().map(|c| c.slug()));
    let mut fields = vec![
        Field {
            name: "mois",
            title: "Mois",
            description: "Mois de réception des demandes (heure de Paris), au format AAAA-MM.".into(),
            kind: Kind::String,
            required: true,
            pattern: Some("^[0-9]{4}-(0[1-9]|1[0-2])$"),
            values: None,
        },
        Field {
            name: "departement",
            title: "Code du département",
            description: "Code INSEE du département de la commune de la personne aidée (01 à 95, 2A, 2B, 971 à 974, 976).".into(),
            kind: Kind::String,
            required: true,
            pattern: None,
            values: Some(DepartementCode::all().map(|d| d.as_str()).collect()),
        },
        Field {
            name: "departement_nom",
            title: "Nom du département",
            description: "Nom du département.".into(),
            kind: Kind::String,
            required: true,
            pattern: None,
            values: None,
        },
        Field {
            name: "categorie",
            title: "Catégorie d'aide",
            description: "Catégorie d'aide demandée ; « toutes » compte chaque demande une fois. Une demande peut porter sur 1 à 3 catégories : la somme des catégories dépasse donc « toutes ».".into(),
            kind: Kind::String,
            required: true,
            pattern: None,
            values: Some(categories),
        },
        Field {
            name: "secret_statistique",
            title: "Secret statistique",
            description: format!(
                "true si la case est calculée sur moins de {THRESHOLD} demandes, ou masquée pour qu'on ne puisse pas la retrouver par soustraction : les colonnes de chiffres sont alors vides."
            ),
            kind: Kind::Boolean,
            required: true,
            pattern: None,
            values: None,
        },
    ];
    for measure in Measure::ALL {
        fields.push(Field {
            name: measure.column(),
            title: measure.label(),
            description: format!("{} Vide si secret statistique.", measure.description()),
            kind: Kind::Integer,
            required: false,
            pattern: None,
            values: None,
        });
    }
    for (name, title, description) in DELAYS {
        fields.push(Field {
            name,
            title,
            description: format!(
                "{description} Vide si secret statistique ou si moins de {THRESHOLD} demandes ont ce délai."
            ),
            kind: Kind::Integer,
            required: false,
            pattern: None,
            values: None,
        });
    }
    fields
}

/// The Table Schema of the file.
pub fn schema() -> Value {
    let fields: Vec<Value> = fields()
        .into_iter()
        .map(|f| {
            let mut field = json!({
                "name": f.name,
                "title": f.title,
                "description": f.description,
                "type": match f.kind {
                    Kind::String => "string",
                    Kind::Integer => "integer",
                    Kind::Boolean => "boolean",
                },
            });
            let mut constraints = Map::new();
            constraints.insert("required".into(), Value::Bool(f.required));
            if f.kind == Kind::Integer {
                constraints.insert("minimum".into(), json!(0));
            }
            if let Some(pattern) = f.pattern {
                constraints.insert("pattern".into(), json!(pattern));
            }
            if let Some(values) = f.values {
                constraints.insert("enum".into(), json!(values));
            }
            field["constraints"] = Value::Object(constraints);
            if f.kind == Kind::Boolean {
                field["trueValues"] = json!(["true"]);
                field["falseValues"] = json!(["false"]);
            }
            field
        })
        .collect();
    json!({
        "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
        "name": "entraide-statistiques",
        "title": "Entraide : demandes d'aide numérique par mois, département et catégorie",
        "description": format!("Une ligne par mois × département × catégorie d'aide. Les cases calculées sur moins de {THRESHOLD} demandes sont vides et signalées par secret_statistique (secret statistique). Fichier CSV en UTF-8, séparateur virgule, première ligne d'en-tête."),
        "version": "1.0.0",
        "licenses": [{"name": "etalab-2.0", "title": LICENCE, "path": LICENCE_URL}],
        "missingValues": [""],
        "primaryKey": ["mois", "departement", "categorie"],
        "fields": fields,
    })
}

/// One row of the file: the value of each column of [`fields`], `None` when blank.
pub type Row = Vec<Option<String>>;

/// Every row, month after month (from the first month with a published request to `last`), each
/// département, `toutes` then each category.
pub fn rows(cube: &Cube, last: Month) -> Vec<Row> {
    let Some(first) = cube.first_month else {
        return Vec::new();
    };
    let mut rows = Vec::with_capacity(first.count_to(last) as usize * 101 * 12);
    let mut categories: Vec<Option<Category>> = vec![None];
    categories.extend(Category::ALL.map(Some));
    for month in first.through(last) {
        for departement in DepartementCode::all() {
            for category in &categories {
                let cell = cube.cell(month, departement, *category);
                rows.push(row(
                    month,
                    departement,
                    *category,
                    cell.as_ref(),
                    cube.secrecy,
                ));
            }
        }
    }
    rows
}

fn row(
    month: Month,
    departement: DepartementCode,
    category: Option<Category>,
    cell: Option<&Cell>,
    secrecy: bool,
) -> Row {
    let mut row = vec![
        Some(month.to_string()),
        Some(departement.as_str().to_owned()),
        Some(departement.nom().to_owned()),
        Some(category.map_or(ALL_CATEGORIES, Category::slug).to_owned()),
        Some(cell.is_none().to_string()),
    ];
    for measure in Measure::ALL {
        row.push(cell.map(|c| c.get(measure).to_string()));
    }
    for (durations, percent) in cell
        .map(|c| {
            [
                (Some(&c.delai_prise), 50),
                (Some(&c.delai_prise), 90),
                (Some(&c.delai_resolution), 50),
                (Some(&c.delai_resolution), 90),
            ]
        })
        .unwrap_or([(None, 50), (None, 90), (None, 50), (None, 90)])
    {
        let value = durations
            .filter(|d| !secrecy || d.count() >= THRESHOLD)
            .and_then(|d| d.percentile(percent));
        row.push(value.map(|v| v.to_string()));
    }
    row
}

/// The file as CSV (UTF-8, comma, header line).
pub fn csv(rows: &[Row]) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 120));
    let names: Vec<&str> = fields().iter().map(|f| f.name).collect();
    out.write_record(&names).ok();
    for row in rows {
        out.write_record(row.iter().map(|v| v.as_deref().unwrap_or("")))
            .ok();
    }
    out.into_inner().unwrap_or_default()
}

/// The file as JSON text: the licence, the schema's address and one object per row (blank:
/// `null`). Written straight into a string: a tree of values for 40,000 rows costs seconds.
pub fn json(rows: &[Row], producer: &str, updated: Option<String>) -> String {
    let fields = fields();
    let names: Vec<String> = fields
        .iter()
        .map(|f| Value::String(f.name.to_owned()).to_string())
        .collect();
    let head = json!({
        "licence": {"nom": LICENCE, "url": LICENCE_URL},
        "producteur": producer,
        "schema": "/statistiques/schema.json",
        "mise_a_jour": updated,
    })
    .to_string();
    let mut out = String::with_capacity(rows.len() * 700 + head.len());
    out.push_str(head.trim_end_matches('}'));
    out.push_str(",\"donnees\":[");
    for (n, row) in rows.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push('{');
        for (i, (field, value)) in fields.iter().zip(row).enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&names[i]);
            out.push(':');
            match (value, field.kind) {
                (None, _) => out.push_str("null"),
                (Some(v), Kind::Integer) => match v.parse::<u64>() {
                    Ok(n) => out.push_str(&n.to_string()),
                    Err(_) => out.push_str("null"),
                },
                (Some(v), Kind::Boolean) => {
                    out.push_str(if v == "true" { "true" } else { "false" })
                }
                (Some(v), Kind::String) => out.push_str(&Value::String(v.clone()).to_string()),
            }
        }
        out.push('}');
    }
    out.push_str("]}");
    out
}
