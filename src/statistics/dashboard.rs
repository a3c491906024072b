//! The figures of a period and a territory, added up from a [`Cube`]: with statistical secrecy,
//! only published cells are added, so that no difference between two figures reveals a secret
//! cell (see [`super::secrecy`]).

use std::collections::HashMap;
use std::sync::LazyLock;

use entity::organisation;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::cell::{Cell, DurationSum, Measure};
use super::cube::Cube;
use super::month::Month;
use super::regions::{REGIONS, Region};
use super::secrecy::THRESHOLD;
use crate::geo::{CommuneKind, Communes, DepartementCode};
use crate::organisations::Territory;
use crate::reference::Category;

/// Where the figures are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    /// The whole country.
    France,
    /// A région.
    Region(&'static Region),
    /// A département.
    Departement(DepartementCode),
}

impl Zone {
    /// Reads the `zone` parameter: empty (France), `r44` (a région), `51` (a département).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.is_empty() || text == "france" {
            return Some(Self::France);
        }
        if let Some(code) = text.strip_prefix('r') {
            return Region::with_code(code).map(Self::Region);
        }
        DepartementCode::parse(text).ok().map(Self::Departement)
    }

    /// The `zone` parameter.
    pub fn slug(&self) -> String {
        match self {
            Self::France => String::new(),
            Self::Region(r) => format!("r{}", r.code),
            Self::Departement(d) => d.as_str().to_owned(),
        }
    }

    /// Its French name: `France entière`, `Grand Est`, `Marne (51)`.
    pub fn label(&self) -> String {
        match self {
            Self::France => "France entière".to_owned(),
            Self::Region(r) => r.nom.to_owned(),
            Self::Departement(d) => format!("{} ({})", d.nom(), d.as_str()),
        }
    }

    /// Whether `departement` is in the zone.
    pub fn contains(&self, departement: DepartementCode) -> bool {
        match self {
            Self::France => true,
            Self::Region(r) => r.departements.contains(&departement.as_str()),
            Self::Departement(d) => *d == departement,
        }
    }

    /// Every zone one can choose: France, the régions, the départements.
    pub fn all() -> Vec<Zone> {
        let mut zones = vec![Self::France];
        zones.extend(REGIONS.iter().map(Self::Region));
        zones.extend(DepartementCode::all().map(Self::Departement));
        zones
    }
}

/// The inhabitants of each département (legal population of its communes).
pub fn population(departement: DepartementCode) -> u64 {
    static POPULATION: LazyLock<HashMap<DepartementCode, u64>> = LazyLock::new(|| {
        let mut population = HashMap::new();
        if let Ok(communes) = Communes::shared() {
            for c in communes.iter() {
                if matches!(c.kind, CommuneKind::Commune | CommuneKind::Arrondissement) {
                    *population.entry(c.departement).or_default() += u64::from(c.population);
                }
            }
        }
        population
    });
    POPULATION.get(&departement).copied().unwrap_or(0)
}

/// One bar of the histogram by month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthFigures {
    pub month: Month,
    pub recues: u64,
    pub resolues: u64,
}

/// One département of the map.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceFigures {
    pub departement: DepartementCode,
    pub recues: u64,
    pub sans_benevole: u64,
    pub population: u64,
}

impl PlaceFigures {
    /// Requests per 10,000 inhabitants.
    pub fn per_10k(&self) -> Option<f64> {
        (self.population > 0).then(|| self.recues as f64 * 10_000.0 / self.population as f64)
    }

    /// The share of requests left without volunteer, in percent (none under the threshold).
    pub fn share_without_volunteer(&self) -> Option<f64> {
        (self.recues >= THRESHOLD).then(|| self.sans_benevole as f64 * 100.0 / self.recues as f64)
    }
}

/// Everything the dashboard shows for a period and a zone.
#[derive(Clone, Debug)]
pub struct Dashboard {
    pub zone: Zone,
    pub from: Month,
    pub to: Month,
    /// Every request of the zone and period (published cells only, with secrecy).
    pub totals: Cell,
    pub months: Vec<MonthFigures>,
    /// Requests asking for each category.
    pub categories: Vec<(Category, u64)>,
    /// Every département (the map shows them all), over the period.
    pub places: Vec<PlaceFigures>,
    /// Volunteers who signed up in the period, in the zone.
    pub volunteers_registered: u64,
    /// Volunteers who answered a proposal in the period, in the zone.
    pub volunteers_active: u64,
    /// Active organisations acting in the zone (national ones included).
    pub organisations: u64,
    /// Whether statistical secrecy applied.
    pub secrecy: bool,
}

impl Dashboard {
    /// Adds up `cube` for `zone` from month `from` to `to`; `organisations` is counted apart.
    pub fn compute(cube: &Cube, zone: Zone, from: Month, to: Month, organisations: u64) -> Self {
        let mut totals = Cell::default();
        let (mut taken, mut resolved) = (DurationSum::default(), DurationSum::default());
        let mut months = Vec::new();
        let mut categories = [0u64; 11];
        let mut places: HashMap<DepartementCode, (u64, u64)> = HashMap::new();
        for month in from.through(to) {
            let mut figures = MonthFigures {
                month,
                recues: 0,
                resolues: 0,
            };
            for departement in DepartementCode::all() {
                let Some(group) = cube.group(month, departement) else {
                    continue;
                };
                let Some(total) = &group.total else { continue };
                let place = places.entry(departement).or_default();
                place.0 += total.get(Measure::Recues);
                place.1 += total.get(Measure::SansBenevole);
                if !zone.contains(departement) {
                    continue;
                }
                totals.merge_counts(total);
                taken.add(&total.delai_prise);
                resolved.add(&total.delai_resolution);
                figures.recues += total.get(Measure::Recues);
                figures.resolues += total.get(Measure::Resolues);
                for (i, cell) in group.categories.iter().enumerate() {
                    if let Some(cell) = cell {
                        categories[i] += cell.requests();
                    }
                }
            }
            months.push(figures);
        }
        totals.delai_prise = taken.finish();
        totals.delai_resolution = resolved.finish();
        let places = DepartementCode::all()
            .map(|departement| {
                let (recues, sans_benevole) = places.get(&departement).copied().unwrap_or((0, 0));
                PlaceFigures {
                    departement,
                    recues,
                    sans_benevole,
                    population: population(departement),
                }
            })
            .collect();
        let in_period = |m: &Month| *m >= from && *m <= to;
        let volunteers = cube
            .volunteers
            .iter()
            .filter(|v| zone.contains(v.departement));
        let volunteers_registered = volunteers
            .clone()
            .filter(|v| in_period(&v.registered))
            .count() as u64;
        let volunteers_active = volunteers
            .filter(|v| v.active.iter().any(in_period))
            .count() as u64;
        Self {
            zone,
            from,
            to,
            totals,
            months,
            categories: Category::ALL.into_iter().zip(categories).collect(),
            places,
            volunteers_registered,
            volunteers_active,
            organisations,
            secrecy: cube.secrecy,
        }
    }

    /// A measure of the totals.
    pub fn total(&self, measure: Measure) -> u64 {
        self.totals.get(measure)
    }

    /// The median and 90th percentile of a delay, in hours, when computed from enough requests.
    pub fn delay(&self, resolution: bool) -> Option<(u32, u32)> {
        let durations = if resolution {
            &self.totals.delai_resolution
        } else {
            &self.totals.delai_prise
        };
        if self.secrecy && durations.count() < THRESHOLD {
            return None;
        }
        Some((durations.percentile(50)?, durations.percentile(90)?))
    }
}

/// How many active organisations act in `zone`: the national ones and those whose territory
/// lists one of its départements (for staff, only those of `only`).
pub async fn organisations<C: ConnectionTrait>(
    db: &C,
    zone: Zone,
    only: Option<&[i64]>,
) -> Result<u64, DbErr> {
    let mut query = organisation::Entity::find().filter(organisation::Column::Active.eq(true));
    if let Some(ids) = only {
        query = query.filter(organisation::Column::Id.is_in(ids.iter().copied()));
    }
    let all = query.all(db).await?;
    Ok(all
        .iter()
        .filter(|o| match Territory::of(o) {
            Territory::National => true,
            Territory::Departements(codes) => codes
                .iter()
                .any(|code| DepartementCode::parse(code).is_ok_and(|d| zone.contains(d))),
        })
        .count() as u64)
}
