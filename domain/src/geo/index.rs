//! Lookups in the reference: by INSEE code, by postcode, by name (exact or prefix), by distance.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::normalize::{normalize, prefix_forms};
use super::{Commune, CommuneKind, Communes, Found, InseeCode, Point, Postcode};

/// Bigger communes first, then by name: the order in which a person most likely means them.
pub(super) fn by_population(a: &Commune, b: &Commune) -> Ordering {
    b.population
        .cmp(&a.population)
        .then_with(|| a.key.cmp(&b.key))
        .then_with(|| a.insee.cmp(&b.insee))
}

impl Communes {
    /// The number of communes, arrondissements and cities (former communes not counted).
    pub fn len(&self) -> usize {
        self.communes.len()
    }

    /// Whether the reference is empty (it never is once loaded).
    pub fn is_empty(&self) -> bool {
        self.communes.is_empty()
    }

    /// The number of former communes known as aliases.
    pub fn alias_count(&self) -> usize {
        self.aliases.len()
    }

    /// Every commune, arrondissement and city, in INSEE code order.
    pub fn iter(&self) -> impl Iterator<Item = &Commune> {
        self.communes.iter()
    }

    /// The commune (or arrondissement, or city) with this INSEE code.
    pub fn get(&self, insee: InseeCode) -> Option<&Commune> {
        self.communes
            .binary_search_by_key(&insee, |commune| commune.insee)
            .ok()
            .map(|at| &self.communes[at])
    }

    /// The name of the commune with this stored INSEE code, or the code itself when the reference
    /// does not know it (a commune merged since).
    pub fn name_of(&self, insee: &str) -> String {
        InseeCode::parse(insee)
            .ok()
            .and_then(|code| self.get(code))
            .map_or_else(|| insee.to_owned(), |c| c.nom.clone())
    }

    /// The communes and arrondissements this postcode serves, biggest first (never a whole city:
    /// `75016` gives Paris 16e, `75116`).
    pub fn with_postcode(&self, postcode: Postcode) -> Vec<&Commune> {
        self.by_postcode
            .get(&postcode)
            .map(|list| list.iter().map(|&at| self.at(at)).collect())
            .unwrap_or_default()
    }

    /// The communes and arrondissements with a postcode starting with `digits`, in postcode order
    /// (biggest first within a postcode), each once.
    pub fn with_postcode_prefix(&self, digits: &str) -> Vec<&Commune> {
        let mut seen = std::collections::HashSet::new();
        self.by_postcode
            .iter()
            .skip_while(|(postcode, _)| postcode.as_str() < digits)
            .take_while(|(postcode, _)| postcode.as_str().starts_with(digits))
            .flat_map(|(_, list)| list.iter())
            .filter(|&&at| seen.insert(at))
            .map(|&at| self.at(at))
            .collect()
    }

    /// The arrondissements of a city, in INSEE code order (none for any other commune).
    pub fn arrondissements(&self, city: &Commune) -> Vec<&Commune> {
        let mut found: Vec<&Commune> = city
            .postcodes
            .iter()
            .flat_map(|postcode| self.with_postcode(*postcode))
            .filter(|commune| commune.city == Some(city.insee))
            .collect();
        found.sort_by_key(|commune| commune.insee);
        found.dedup_by_key(|commune| commune.insee);
        found
    }

    /// The communes whose name, or the name of one of whose former communes, is `name` once both
    /// are normalised; biggest first.
    pub fn named(&self, name: &str) -> Vec<Found<'_>> {
        let key = normalize(name);
        let mut found = self.name_matches(std::slice::from_ref(&key));
        found.retain(|m| m.exact);
        found.into_iter().map(|m| m.found).collect()
    }

    /// At most `limit` communes whose name (or former name) starts with `prefix` once normalised:
    /// exact names first, then the others, each group biggest first.
    pub fn search(&self, prefix: &str, limit: usize) -> Vec<Found<'_>> {
        let mut found = self.name_matches(&prefix_forms(prefix));
        found.truncate(limit);
        found.into_iter().map(|m| m.found).collect()
    }

    /// Every commune and arrondissement within `radius_km` of `centre` (cities as a whole are left
    /// out: their arrondissements are there), nearest first, with its distance in kilometres.
    pub fn within_km(&self, centre: Point, radius_km: f64) -> Vec<(&Commune, f64)> {
        let mut found: Vec<(&Commune, f64)> = self
            .communes
            .iter()
            .filter(|commune| commune.kind != CommuneKind::City)
            .filter(|commune| centre.may_be_within(commune.point, radius_km))
            .map(|commune| (commune, centre.distance_km(commune.point)))
            .filter(|(_, distance)| *distance <= radius_km)
            .collect();
        found.sort_by(|(a, da), (b, db)| da.total_cmp(db).then_with(|| a.insee.cmp(&b.insee)));
        found
    }

    /// Every commune matching one of the normalised prefixes `forms`, best first, each once.
    pub(super) fn name_matches(&self, forms: &[String]) -> Vec<NameMatch<'_>> {
        let mut best: HashMap<u32, (bool, Option<u32>)> = HashMap::new();
        for form in forms.iter().filter(|form| !form.is_empty()) {
            let start = self.names.partition_point(|entry| *entry.key < **form);
            for entry in self.names[start..]
                .iter()
                .take_while(|e| e.key.starts_with(form.as_str()))
            {
                let exact = *entry.key == **form;
                let better = |(was_exact, was_alias): &(bool, Option<u32>)| {
                    (exact, entry.alias.is_none()) > (*was_exact, was_alias.is_none())
                };
                match best.get(&entry.commune) {
                    Some(previous) if !better(previous) => {}
                    _ => {
                        best.insert(entry.commune, (exact, entry.alias));
                    }
                }
            }
        }
        let mut found: Vec<NameMatch> = best
            .into_iter()
            .map(|(at, (exact, alias))| NameMatch {
                exact,
                found: Found {
                    commune: self.at(at),
                    former_name: alias.map(|a| self.aliases[a as usize].nom.as_str()),
                },
            })
            .collect();
        found.sort_by(|a, b| {
            b.exact
                .cmp(&a.exact)
                .then_with(|| by_population(a.found.commune, b.found.commune))
        });
        found
    }

    /// How `commune` matches the normalised prefixes `forms`: by its own name, a former name or
    /// (for an arrondissement) its city's name; `None` if it does not.
    pub(super) fn match_commune<'a>(
        &'a self,
        commune: &'a Commune,
        forms: &[String],
    ) -> Option<NameMatch<'a>> {
        let city = commune.city.and_then(|city| self.get(city));
        let mut best: Option<NameMatch> = None;
        let mut consider = |key: &str, former_name: Option<&'a str>| {
            for form in forms.iter().filter(|form| !form.is_empty()) {
                if key.starts_with(form.as_str()) {
                    let exact = key == form;
                    if best.as_ref().is_none_or(|b| !b.exact && exact) {
                        best = Some(NameMatch {
                            exact,
                            found: Found {
                                commune,
                                former_name,
                            },
                        });
                    }
                }
            }
        };
        consider(&commune.key, None);
        if let Some(city) = city {
            consider(&city.key, None);
        }
        for &alias in &commune.aliases {
            let alias = &self.aliases[alias as usize];
            consider(&alias.key, Some(alias.nom.as_str()));
        }
        best
    }

    fn at(&self, at: u32) -> &Commune {
        &self.communes[at as usize]
    }
}

/// A commune found by name, and whether the name matched whole or only as a prefix.
pub(super) struct NameMatch<'a> {
    /// The whole normalised name matched, not only its start.
    pub exact: bool,
    /// The commune, and the former name it matched under.
    pub found: Found<'a>,
}
