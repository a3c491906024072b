//! The 18 régions and their départements (INSEE codes of 2016), for the dashboard's territories.

use crate::geo::DepartementCode;

/// A région.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// Its INSEE code (`44`, `01`).
    pub code: &'static str,
    /// Its name.
    pub nom: &'static str,
    /// The codes of its départements.
    pub departements: &'static [&'static str],
}

/// Every région, by name.
pub const REGIONS: [Region; 18] = [
    Region {
        code: "84",
        nom: "Auvergne-Rhône-Alpes",
        departements: &[
            "01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74",
        ],
    },
    Region {
        code: "27",
        nom: "Bourgogne-Franche-Comté",
        departements: &["21", "25", "39", "58", "70", "71", "89", "90"],
    },
    Region {
        code: "53",
        nom: "Bretagne",
        departements: &["22", "29", "35", "56"],
    },
    Region {
        code: "24",
        nom: "Centre-Val de Loire",
        departements: &["18", "28", "36", "37", "41", "45"],
    },
    Region {
        code: "94",
        nom: "Corse",
        departements: &["2A", "2B"],
    },
    Region {
        code: "44",
        nom: "Grand Est",
        departements: &["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"],
    },
    Region {
        code: "01",
        nom: "Guadeloupe",
        departements: &["971"],
    },
    Region {
        code: "03",
        nom: "Guyane",
        departements: &["973"],
    },
    Region {
        code: "32",
        nom: "Hauts-de-France",
        departements: &["02", "59", "60", "62", "80"],
    },
    Region {
        code: "11",
        nom: "Île-de-France",
        departements: &["75", "77", "78", "91", "92", "93", "94", "95"],
    },
    Region {
        code: "04",
        nom: "La Réunion",
        departements: &["974"],
    },
    Region {
        code: "02",
        nom: "Martinique",
        departements: &["972"],
    },
    Region {
        code: "06",
        nom: "Mayotte",
        departements: &["976"],
    },
    Region {
        code: "28",
        nom: "Normandie",
        departements: &["14", "27", "50", "61", "76"],
    },
    Region {
        code: "75",
        nom: "Nouvelle-Aquitaine",
        departements: &[
            "16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87",
        ],
    },
    Region {
        code: "76",
        nom: "Occitanie",
        departements: &[
            "09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82",
        ],
    },
    Region {
        code: "52",
        nom: "Pays de la Loire",
        departements: &["44", "49", "53", "72", "85"],
    },
    Region {
        code: "93",
        nom: "Provence-Alpes-Côte d'Azur",
        departements: &["04", "05", "06", "13", "83", "84"],
    },
];

impl Region {
    /// The région with this code.
    pub fn with_code(code: &str) -> Option<&'static Region> {
        REGIONS.iter().find(|r| r.code == code)
    }

    /// The région of a département.
    pub fn of(departement: DepartementCode) -> &'static Region {
        REGIONS
            .iter()
            .find(|r| r.departements.contains(&departement.as_str()))
            .unwrap_or(&REGIONS[0])
    }

    /// Its départements, parsed.
    pub fn codes(&self) -> Vec<DepartementCode> {
        self.departements
            .iter()
            .filter_map(|d| DepartementCode::parse(d).ok())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_departement_is_in_exactly_one_region() {
        for d in DepartementCode::all() {
            let n = REGIONS
                .iter()
                .filter(|r| r.departements.contains(&d.as_str()))
                .count();
            assert_eq!(n, 1, "{}", d.as_str());
        }
        let listed: usize = REGIONS.iter().map(|r| r.departements.len()).sum();
        assert_eq!(listed, 101);
    }
}
