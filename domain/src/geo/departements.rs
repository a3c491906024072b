//! The 101 French départements the service covers, with their names: mainland `01`–`95` (with
//! `2A` and `2B` for Corsica in place of `20`) and the overseas départements `971`–`974` and `976`.

use super::codes::CodeError;

/// Every département, in the order of its code, with its name.
const DEPARTEMENTS: [(&str, &str); 101] = [
    ("01", "Ain"),
    ("02", "Aisne"),
    ("03", "Allier"),
    ("04", "Alpes-de-Haute-Provence"),
    ("05", "Hautes-Alpes"),
    ("06", "Alpes-Maritimes"),
    ("07", "Ardèche"),
    ("08", "Ardennes"),
    ("09", "Ariège"),
    ("10", "Aube"),
    ("11", "Aude"),
    ("12", "Aveyron"),
    ("13", "Bouches-du-Rhône"),
    ("14", "Calvados"),
    ("15", "Cantal"),
    ("16", "Charente"),
    ("17", "Charente-Maritime"),
    ("18", "Cher"),
    ("19", "Corrèze"),
    ("2A", "Corse-du-Sud"),
    ("2B", "Haute-Corse"),
    ("21", "Côte-d'Or"),
    ("22", "Côtes-d'Armor"),
    ("23", "Creuse"),
    ("24", "Dordogne"),
    ("25", "Doubs"),
    ("26", "Drôme"),
    ("27", "Eure"),
    ("28", "Eure-et-Loir"),
    ("29", "Finistère"),
    ("30", "Gard"),
    ("31", "Haute-Garonne"),
    ("32", "Gers"),
    ("33", "Gironde"),
    ("34", "Hérault"),
    ("35", "Ille-et-Vilaine"),
    ("36", "Indre"),
    ("37", "Indre-et-Loire"),
    ("38", "Isère"),
    ("39", "Jura"),
    ("40", "Landes"),
    ("41", "Loir-et-Cher"),
    ("42", "Loire"),
    ("43", "Haute-Loire"),
    ("44", "Loire-Atlantique"),
    ("45", "Loiret"),
    ("46", "Lot"),
    ("47", "Lot-et-Garonne"),
    ("48", "Lozère"),
    ("49", "Maine-et-Loire"),
    ("50", "Manche"),
    ("51", "Marne"),
    ("52", "Haute-Marne"),
    ("53", "Mayenne"),
    ("54", "Meurthe-et-Moselle"),
    ("55", "Meuse"),
    ("56", "Morbihan"),
    ("57", "Moselle"),
    ("58", "Nièvre"),
    ("59", "Nord"),
    ("60", "Oise"),
    ("61", "Orne"),
    ("62", "Pas-de-Calais"),
    ("63", "Puy-de-Dôme"),
    ("64", "Pyrénées-Atlantiques"),
    ("65", "Hautes-Pyrénées"),
    ("66", "Pyrénées-Orientales"),
    ("67", "Bas-Rhin"),
    ("68", "Haut-Rhin"),
    ("69", "Rhône"),
    ("70", "Haute-Saône"),
    ("71", "Saône-et-Loire"),
    ("72", "Sarthe"),
    ("73", "Savoie"),
    ("74", "Haute-Savoie"),
    ("75", "Paris"),
    ("76", "Seine-Maritime"),
    ("77", "Seine-et-Marne"),
    ("78", "Yvelines"),
    ("79", "Deux-Sèvres"),
    ("80", "Somme"),
    ("81", "Tarn"),
    ("82", "Tarn-et-Garonne"),
    ("83", "Var"),
    ("84", "Vaucluse"),
    ("85", "Vendée"),
    ("86", "Vienne"),
    ("87", "Haute-Vienne"),
    ("88", "Vosges"),
    ("89", "Yonne"),
    ("90", "Territoire de Belfort"),
    ("91", "Essonne"),
    ("92", "Hauts-de-Seine"),
    ("93", "Seine-Saint-Denis"),
    ("94", "Val-de-Marne"),
    ("95", "Val-d'Oise"),
    ("971", "Guadeloupe"),
    ("972", "Martinique"),
    ("973", "Guyane"),
    ("974", "La Réunion"),
    ("976", "Mayotte"),
];

/// Where the mainland département numbered `number` (1–19, 21–95) is in the table.
fn mainland(number: u8) -> Option<usize> {
    match number {
        1..=19 => Some(usize::from(number) - 1),
        21..=95 => Some(usize::from(number)),
        _ => None,
    }
}

/// The code of a French département: `01`, `2A`, `75`, `974`. Always one of the 101 départements.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DepartementCode(u8);

impl DepartementCode {
    /// Reads a code, accepting surrounding spaces, a lowercase `2a` and a missing leading zero (`1`).
    pub fn parse(text: &str) -> Result<Self, CodeError> {
        let index = match text.trim().as_bytes() {
            [b'2', b'A' | b'a'] => Some(19),
            [b'2', b'B' | b'b'] => Some(20),
            [b'9', b'7', digit @ b'1'..=b'4'] => Some(96 + usize::from(digit - b'1')),
            [b'9', b'7', b'6'] => Some(100),
            [units @ b'0'..=b'9'] => mainland(units - b'0'),
            [tens @ b'0'..=b'9', units @ b'0'..=b'9'] => {
                mainland((tens - b'0') * 10 + (units - b'0'))
            }
            _ => None,
        };
        index
            .and_then(|index| u8::try_from(index).ok())
            .map(Self)
            .ok_or(CodeError::Departement)
    }

    /// The code as text.
    pub fn as_str(&self) -> &'static str {
        DEPARTEMENTS[usize::from(self.0)].0
    }

    /// The name of the département, e.g. `Bouches-du-Rhône`.
    pub fn nom(&self) -> &'static str {
        DEPARTEMENTS[usize::from(self.0)].1
    }

    /// Every département, in code order.
    pub fn all() -> impl Iterator<Item = Self> {
        (0..DEPARTEMENTS.len()).filter_map(|index| u8::try_from(index).ok().map(Self))
    }

    /// Whether this is one of the overseas départements (971–976).
    pub fn is_overseas(&self) -> bool {
        self.as_str().len() == 3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departement_codes_include_corsica_and_overseas() {
        assert_eq!(DepartementCode::parse("2a").unwrap().nom(), "Corse-du-Sud");
        assert_eq!(DepartementCode::parse("2B").unwrap().as_str(), "2B");
        assert_eq!(DepartementCode::parse("974").unwrap().nom(), "La Réunion");
        assert!(DepartementCode::parse("976").unwrap().is_overseas());
        assert!(!DepartementCode::parse("75").unwrap().is_overseas());
        assert_eq!(DepartementCode::parse("1").unwrap().as_str(), "01");
        assert_eq!(DepartementCode::all().count(), 101);
    }

    #[test]
    fn unknown_departements_are_refused_in_french() {
        for bad in ["", "00", "20", "2C", "96", "975", "977", "99", "750"] {
            assert_eq!(
                DepartementCode::parse(bad),
                Err(CodeError::Departement),
                "{bad}"
            );
        }
        assert!(
            CodeError::Departement
                .to_string()
                .starts_with("Ce code de département n'existe pas")
        );
    }

    #[test]
    fn every_listed_code_parses_to_itself() {
        for (code, nom) in DEPARTEMENTS {
            let parsed = DepartementCode::parse(code).unwrap();
            assert_eq!((parsed.as_str(), parsed.nom()), (code, nom));
            assert_eq!(DepartementCode::parse(&code.to_lowercase()), Ok(parsed));
        }
    }

    #[test]
    fn each_code_is_listed_once() {
        let codes: std::collections::HashSet<_> =
            DepartementCode::all().map(|d| d.as_str()).collect();
        assert_eq!(codes.len(), 101);
    }
}
