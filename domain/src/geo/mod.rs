//! Places: the offline reference of French communes (`data/communes.csv.gz`, embedded in the
//! binary), looked up by INSEE code, postcode and name, with the distances between them.
//!
//! [`Communes::shared`] loads it once per process; the application keeps it in its state. Paris,
//! Lyon and Marseille are there as a whole (findable by name) and by arrondissement (what postcodes
//! lead to); former communes are aliases of the commune they belong to now.

mod codes;
mod departements;
mod distance;
mod index;
mod load;
mod normalize;
pub mod place_field;
mod search;
#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::{Arc, LazyLock};

pub use codes::{CodeError, InseeCode, Postcode};
pub use departements::DepartementCode;
pub use distance::{EARTH_RADIUS_KM, Point, haversine_km};
pub use normalize::normalize;
pub use place_field::{PlaceAnswer, resolve_place};
pub use search::{MAX_QUERY_CHARS, PlaceQuery, QueryError};

/// The reference file, gzipped CSV (format in `data/README.md`).
const DATA: &[u8] = include_bytes!("../../../data/communes.csv.gz");

/// What a row of the reference stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommuneKind {
    /// A commune.
    Commune,
    /// A municipal arrondissement of Paris, Lyon or Marseille: where their postcodes lead.
    Arrondissement,
    /// Paris, Lyon or Marseille as a whole: found by name, never by postcode.
    City,
}

/// A commune (or arrondissement, or city with arrondissements) of the reference.
#[derive(Clone, Debug)]
pub struct Commune {
    /// Its INSEE code: what the service stores.
    pub insee: InseeCode,
    /// Its official name, with accents and hyphens.
    pub nom: String,
    /// What it is.
    pub kind: CommuneKind,
    /// Its département.
    pub departement: DepartementCode,
    /// Its postcodes, sorted (for a city, those of its arrondissements).
    pub postcodes: Vec<Postcode>,
    /// Its legal population.
    pub population: u32,
    /// Its centre.
    pub point: Point,
    /// For an arrondissement, its city (`75056`, `69123` or `13055`).
    pub city: Option<InseeCode>,
    key: Box<str>,
    aliases: Vec<u32>,
}

/// A former commune (commune déléguée or associée), known by name only.
#[derive(Clone, Debug)]
struct Alias {
    nom: String,
    key: Box<str>,
    commune: u32,
}

/// A commune found by a search, and the former name it was found under, if any.
#[derive(Clone, Copy, Debug)]
pub struct Found<'a> {
    /// The commune.
    pub commune: &'a Commune,
    /// The name of the former commune that matched, when the search matched that and not the
    /// commune's own name.
    pub former_name: Option<&'a str>,
}

impl<'a> From<&'a Commune> for Found<'a> {
    fn from(commune: &'a Commune) -> Self {
        Self {
            commune,
            former_name: None,
        }
    }
}

impl Found<'_> {
    /// The name to show: `Valserine-en-Bugey (anciennement Bellegarde-sur-Valserine)`.
    pub fn label(&self) -> String {
        match self.former_name {
            Some(former) => format!("{} (anciennement {former})", self.commune.nom),
            None => self.commune.nom.clone(),
        }
    }
}

/// The whole reference, indexed by INSEE code (its rows are in code order), by postcode and by
/// normalised name.
pub struct Communes {
    communes: Vec<Commune>,
    aliases: Vec<Alias>,
    by_postcode: std::collections::BTreeMap<Postcode, Vec<u32>>,
    names: Vec<NameEntry>,
}

/// One way to find a commune by name: its own name, or the name of one of its former communes.
struct NameEntry {
    key: Box<str>,
    commune: u32,
    alias: Option<u32>,
}

static SHARED: LazyLock<Result<Arc<Communes>, String>> = LazyLock::new(|| {
    Communes::load()
        .map(Arc::new)
        .map_err(|err| format!("{err:#}"))
});

impl Communes {
    /// Reads the embedded reference. Prefer [`Communes::shared`], which does it once per process.
    pub fn load() -> anyhow::Result<Self> {
        load::from_csv_gz(DATA)
    }

    /// The reference, loaded on the first call and shared afterwards.
    pub fn shared() -> anyhow::Result<Arc<Self>> {
        SHARED.clone().map_err(anyhow::Error::msg)
    }
}

/// The name of the commune with this stored INSEE code, from the shared reference (for e-mails,
/// built away from the web state); the code itself when unknown.
pub fn commune_name(insee: &str) -> String {
    Communes::shared().map_or_else(|_| insee.to_owned(), |c| c.name_of(insee))
}

impl fmt::Debug for Communes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Communes")
            .field("communes", &self.communes.len())
            .field("aliases", &self.aliases.len())
            .finish_non_exhaustive()
    }
}
