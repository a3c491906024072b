//! An organisation's territory: the whole country, or a list of départements.

use crate::geo::DepartementCode;

/// Where an organisation acts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Territory {
    /// The whole country.
    National,
    /// These départements (codes such as `51`, `2A`, `974`), sorted, without repeats.
    Departements(Vec<String>),
}

impl Territory {
    /// The territory of `organisation`: the one way a row becomes a territory.
    pub fn of(organisation: &entity::organisation::Model) -> Self {
        Self::from_stored(organisation.national, &organisation.departements)
    }

    /// The territory as stored on an organisation.
    pub fn from_stored(national: bool, departements: &str) -> Self {
        if national {
            return Self::National;
        }
        let mut codes: Vec<String> = departements.split_whitespace().map(str::to_owned).collect();
        codes.sort();
        codes.dedup();
        Self::Departements(codes)
    }

    /// Reads what an admin typed: département codes separated by spaces, commas or semicolons.
    pub fn parse_departements(typed: &str) -> Result<Self, String> {
        let mut codes = Vec::new();
        for part in typed
            .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
            .filter(|p| !p.is_empty())
        {
            match DepartementCode::parse(part) {
                Ok(code) => codes.push(code.as_str().to_owned()),
                Err(_) => {
                    return Err(format!(
                        "« {part} » n'est pas un numéro de département (exemples : 51, 2A, 974)."
                    ));
                }
            }
        }
        if codes.is_empty() {
            return Err(
                "Indiquez au moins un département, ou cochez « tout le territoire national »."
                    .into(),
            );
        }
        codes.sort();
        codes.dedup();
        Ok(Self::Departements(codes))
    }

    /// The stored form: (national, space-separated codes).
    pub fn to_stored(&self) -> (bool, String) {
        match self {
            Self::National => (true, String::new()),
            Self::Departements(codes) => (false, codes.join(" ")),
        }
    }

    /// Whether the territory lists `departement` by name (a national one lists none).
    pub fn lists(&self, departement: &str) -> bool {
        matches!(self, Self::Departements(codes) if codes.iter().any(|c| c == departement))
    }

    /// Whether the territory covers `departement` (a national one covers every one).
    pub fn covers(&self, departement: &str) -> bool {
        matches!(self, Self::National) || self.lists(departement)
    }

    /// How many départements it lists (a national one: more than any list).
    pub fn departement_count(&self) -> usize {
        match self {
            Self::National => usize::MAX,
            Self::Departements(codes) => codes.len(),
        }
    }

    /// Both territories together.
    pub fn union(self, other: Self) -> Self {
        match (self, other) {
            (Self::National, _) | (_, Self::National) => Self::National,
            (Self::Departements(mut a), Self::Departements(b)) => {
                a.extend(b);
                a.sort();
                a.dedup();
                Self::Departements(a)
            }
        }
    }

    /// How it reads on a page: "National" or "51, 08".
    pub fn label(&self) -> String {
        match self {
            Self::National => "Tout le territoire national".to_owned(),
            Self::Departements(codes) => codes.join(", "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Territory;

    #[test]
    fn typed_codes_are_checked_sorted_and_deduplicated() {
        assert_eq!(
            Territory::parse_departements("51, 08;2a 51"),
            Ok(Territory::Departements(vec![
                "08".into(),
                "2A".into(),
                "51".into()
            ]))
        );
        assert!(Territory::parse_departements("51 99").is_err());
        assert!(Territory::parse_departements("  ").is_err());
    }

    #[test]
    fn a_national_territory_covers_everything_but_lists_nothing() {
        assert!(Territory::National.covers("974"));
        assert!(!Territory::National.lists("974"));
        let marne = Territory::from_stored(false, "51 08");
        assert!(marne.covers("51") && marne.lists("08") && !marne.covers("10"));
        assert_eq!(marne.to_stored(), (false, "08 51".to_owned()));
    }

    #[test]
    fn union_of_territories() {
        let a = Territory::from_stored(false, "51");
        let b = Territory::from_stored(false, "08 51");
        assert_eq!(a.clone().union(b), Territory::from_stored(false, "08 51"));
        assert_eq!(a.union(Territory::National), Territory::National);
    }
}
